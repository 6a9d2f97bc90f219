"""Where a meeting is held: the words that make a place a venue, venues resolved to their city, and
the place an article reports from when it names no other.

The lead words are data: rows of kind ``place-lead`` in ``cues.csv`` ("in", "at the", "in the
capital", "gather in", "descend on", "arriving in"). A place after one of them is where something
happens; a place after "from" or in "Phnom Penh's position" is not.

>>> from aseankg.extraction.lexicon import load_lexicon
>>> lex = load_lexicon()
>>> venue_lead("leaders gather in", lex), venue_lead("ministers descend on", lex), venue_lead("left", lex)
(True, True, False)
>>> city_of(lex.gazetteer.places["philippine-international-convention-center"], lex.gazetteer).name
'Pasay City'
"""

from __future__ import annotations

import re
from datetime import date

from .. import naming
from ..gazetteer import Gazetteer, Place
from .lexicon import Lexicon, tokenize

#: "was established in Bangkok in 1967", "founded in Bangkok": history, not a meeting's venue
_HISTORY_BEFORE = re.compile(r"\b(?:established|founded|formed|created|signed|born)\s+(?:\w+\s+){0,2}$", re.I)
#: gathering verbs in the lead: the place the article's meetings bring people to
_GATHERING = ("gather", "gathered", "gathering", "descend", "descended", "descending", "converge",
              "converged", "arrive", "arrived", "arriving", "capital", "visit", "visiting")


def venue_lead(before: str, lex: Lexicon) -> bool:
    """Whether the text just before a place makes it where something happens ("held in", "in the
    capital", "gather in", "descend on")."""
    words = naming.fold(before[-60:]).split()
    leads = lex.cue_table("place-lead")
    return any(" ".join(words[-n:]) in leads for n in range(1, min(4, len(words)) + 1))


def is_history(before: str, after: str, reference: date | None) -> bool:
    """"its formation in Bangkok in 1967", "was established in Bangkok": not this meeting's venue."""
    year = re.match(r"\s+in\s+((?:19|20)\d\d)\b", after)
    if year and reference and int(year.group(1)) < reference.year - 1:
        return True
    return bool(_HISTORY_BEFORE.search(re.sub(r"\s*\b(?:in|at)\s*$", " ", before[-60:])))


def city_of(place: Place, gaz: Gazetteer) -> Place:
    """A venue's city ("Philippine International Convention Center" is in Pasay City); a city or
    region is itself."""
    if place.kind == "venue" and place.city and place.city in gaz.places:
        return gaz.places[place.city]
    return place


def gathering_place(text: str, lex: Lexicon) -> Place | None:
    """The place a lead sentence brings the article's people to: "global leaders gather in Phnom
    Penh", "foreign ministers descend on Manila", "summit held in the capital Phnom Penh"."""
    for m in lex.entities(tokenize(text)):
        place = next((e.entry for e in m.entries if e.kind == "place"), None)
        if place is None:
            continue
        before = naming.fold(text[max(0, m.start - 40):m.start]).split()
        if any(w in _GATHERING for w in before[-3:]) and venue_lead(text[:m.start], lex):
            return city_of(place, lex.gazetteer)
    return None


def dateline_place(place_text: str | None, lex: Lexicon) -> Place | None:
    """The gazetteer place a dateline names ("PUTRAJAYA", "Metro Manila")."""
    if not place_text:
        return None
    ents = lex.entities(tokenize(place_text.title() if place_text.isupper() else place_text))
    ents = ents or lex.entities(tokenize(place_text))
    place = next((e.entry for m in ents for e in m.entries if e.kind == "place"), None)
    return city_of(place, lex.gazetteer) if place is not None else None
