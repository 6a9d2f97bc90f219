"""Meeting mentions: series (from the gazetteer or composed with a partner), ordinal and aliases.

Meeting names are compositional: an ordinal, qualifiers, a mechanism ("ASEAN", "ASEAN Plus Three",
"ASEAN-New Zealand", "East Asia Summit") and a body ("Summit", "Foreign Ministers' Meeting",
"SOM"). The body comes from the gazetteer's series; the mechanism decides which series it is, or
composes a new ASEAN-partner series. Acronyms with numbers ("AMM-58", "AMM 58") and
parenthesised aliases ("(AMM 58)") are read as the same meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import naming
from ..gazetteer import Country, Organization, Series
from .lexicon import Lexicon, Match, Token

_ORDINAL = re.compile(r"^(\d{1,3})(st|nd|rd|th)$")
_JOINERS = {"and", "the", "of"}
_TITLE_NOUNS = {"delegation", "delegations", "leader", "leaders", "heads", "chair", "chairman"}


def ordinal_value(token: Token, lex: Lexicon) -> int | None:
    """The number an ordinal token stands for; None for garbled ones such as "3th"."""
    m = _ORDINAL.match(token.folded)
    if m:
        n = int(m.group(1))
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return n if m.group(2) == suffix and 0 < n < 300 else None
    cues = lex.cue_table("ordinal").get(token.folded)
    return int(cues[0].value) if cues else None


@dataclass
class MeetingMention:
    """One meeting named in a sentence. ``series_label`` is set for composed series."""

    start: int
    end: int
    first: int  # token indexes in the sentence
    last: int
    text: str
    series_key: str
    series_label: str
    meeting_class: str
    ordinal: int | None = None
    qualifier: str | None = None
    composed: bool = False  # series not in the gazetteer, composed from mechanism + body
    rule: str = "series-name"  # the construction that read it (recorded as akg:extractionRule)
    aliases: set[str] = field(default_factory=set)

    @property
    def identity(self) -> tuple[str, int | None]:
        return (self.series_key, self.ordinal)


@dataclass
class GenericReference:
    """"the meeting", "the Conferences", "related meetings": a reference to meetings named earlier."""

    start: int
    end: int
    first: int
    last: int
    number: str  # singular | plural | related | sideline


def _adjacent(tokens: list[Token], text: str, offset: int, i: int, j: int) -> bool:
    """Tokens i and j (i < j) are joined only by spaces, hyphens or a plus sign."""
    gap = text[tokens[i].end - offset:tokens[j].start - offset]
    gap = re.sub(r"^\s*\([^()]{1,30}\)", "", gap)  # "Association of Southeast Asian Nations (ASEAN) summits"
    return bool(re.fullmatch(r"\.?[\s\-–+]*", gap)) and "\n" not in gap  # "ASEAN-U.S. Summit"


def _mechanism(match: Match) -> Country | Organization | None:
    for e in match.entries:
        if e.kind == "organization":
            return e.entry
    for e in match.entries:
        if e.kind == "country":
            return e.entry
    return None


def _series_key(obj) -> str:
    return obj.key if isinstance(obj, Organization) else obj.iso3.lower()


def _resolve_series(lex: Lexicon, body: Match, mechs: list) -> tuple[Series | None, str, str, bool]:
    """(gazetteer series or None, series key, series label, composed?) for mechanisms + body."""
    candidates: list[Series] = list(body.entries)
    orgs = [m for m in mechs if isinstance(m, Organization)]
    conveners = {s.convener for s in candidates}
    if len(mechs) == 1 and orgs and orgs[0].key in conveners:
        s = next(s for s in candidates if s.convener == orgs[0].key)
        return s, s.key, s.name, False
    asean = next((s for s in candidates if s.convener == "asean"), candidates[0])
    partners = [m for m in mechs if not (isinstance(m, Organization) and m.key == "asean")]
    if not partners:
        return asean, asean.key, asean.name, False
    if len(partners) == 1 and isinstance(partners[0], Organization):
        # "ASEAN Plus Three Health Ministers' Meeting": a mechanism of its own, not an ASEAN-partner pair
        label = f"{partners[0].name} {asean.body}"
        return None, naming.slug(label), label, True
    names = "-".join(p.name for p in partners)
    label = f"ASEAN-{names} {asean.body}"
    return None, naming.slug(label), label, True


def find_meetings(text: str, offset: int, tokens: list[Token], entities: list[Match],
                  lex: Lexicon) -> tuple[list[MeetingMention], list[GenericReference]]:
    """Meetings named in one sentence (``text`` starts at body offset ``offset``)."""
    ent_end = {m.last: m for m in entities}
    ent_start = {m.first: m for m in entities}
    series_aliases = [m for m in entities if "series" in m.kinds()]
    covered: set[int] = set()
    found: list[MeetingMention] = []
    generic: list[GenericReference] = []
    qualifiers = lex.cue_table("meeting-qualifier")

    bodies = lex.series_bodies(tokens)
    body_starts = {b.first for b in bodies if not tokens[b.first].in_parens}
    for body in bodies:
        if tokens[body.first].in_parens:
            continue  # "(SOM)" after a meeting's name is an alias of it
        inside = [m for m in series_aliases if m.first <= body.first and body.last <= m.last
                  and (m.first, m.last) != (body.first, body.last)]
        if inside:
            continue  # "Summit" inside "East Asia Summit": the alias is read below
        lower = tokens[body.first].text.islower()
        mechs, first, qualifier = _mechanisms_before(tokens, text, offset, body.first, ent_end, qualifiers)
        if not mechs:
            # "SOM EAS Conference": the mechanism right after the body
            after = ent_start.get(body.last + 1)
            if after is not None and isinstance(_mechanism(after), Organization) and \
                    _mechanism(after).key in {s.convener for s in body.entries}:
                mechs = [_mechanism(after)]
        if not mechs:
            mechs_of = _of_list(tokens, body.last + 1, ent_start)
            if mechs_of:
                for mech, match in mechs_of:
                    series, key, label, composed = _resolve_series(lex, body, [mech])
                    cls = (series or body.entries[0]).meeting_class
                    mm = MeetingMention(tokens[body.first].start, match.end, body.first, match.last,
                                        f"{body.text} of {match.text}", key, label, cls, composed=composed,
                                        rule="body-of-mechanisms")
                    found.append(mm)
                covered.update(range(body.first, mechs_of[-1][1].last + 1))
                continue
            partners = _with_list(tokens, body.last + 1, ent_start)
            if partners and (len(partners) > 1 or body.text.lower().endswith("s")):
                # "summits with Australia, China and the United States": one ASEAN-partner meeting each
                for partner, match in partners:
                    series, key, label, composed = _resolve_series(lex, body, [partner])
                    cls = (series or body.entries[0]).meeting_class
                    found.append(MeetingMention(tokens[body.first].start, match.end, body.first, match.last,
                                                f"{body.text} with {match.text}", key, label, cls, composed=composed,
                                                rule="body-with-partners"))
                covered.update(range(body.first, partners[-1][1].last + 1))
                continue
            partner = _ties_partner(tokens, body.last + 1, ent_start)
            q = next((k for k in (body.first - 1, body.first) if k >= 0 and tokens[k].folded in qualifiers), None)
            if partner is not None and q is not None:
                # "the commemorative summit marking 25 years of India's ties with ASEAN"
                series, key, label, composed = _resolve_series(lex, body, [partner])
                found.append(MeetingMention(tokens[q].start, body.end, q, body.last,
                                            text[tokens[q].start - offset:body.end - offset], key, label,
                                            (series or body.entries[0]).meeting_class,
                                            qualifier=qualifiers[tokens[q].folded][0].value, composed=composed,
                                            rule="body-partner-phrase"))
                covered.update(range(q, body.last + 1))
                continue
            if lower or not _determined(tokens, first):
                continue
            generic.append(GenericReference(tokens[first].start, body.end, first, body.last, "singular"))
            covered.update(range(first, body.last + 1))
            continue
        if lower and not mechs:
            continue
        if body.last + 1 < len(tokens) and tokens[body.last + 1].folded in _TITLE_NOUNS:
            continue  # "ASEAN-Myanmar SOM Leader": part of a title, not a meeting
        # "the ASEAN-China, ASEAN-Japan and ASEAN-ROK Summits": earlier mechanisms share the body
        chains = [(mechs, first, qualifier)]
        conveners = {s.convener for s in body.entries}
        while True:
            k = _list_link(tokens, text, offset, chains[0][1])
            if k is None:
                break
            more, more_first, more_q = _mechanisms_before(tokens, text, offset, k + 1, ent_end, qualifiers,
                                                          listed=True)
            if not more or (len(more) == 1 and not (isinstance(more[0], Organization) and more[0].key in conveners)):
                break
            chains.insert(0, (more, more_first, more_q))
        last = body.last
        for chain, start, qual in chains:
            series, key, label, composed = _resolve_series(lex, body, chain)
            cls = (series or body.entries[0]).meeting_class
            ordinals, first = _ordinals(tokens, start, lex)
            end = last if chain is mechs else _chain_end(tokens, start, ent_start)
            for n in ordinals or [None]:
                found.append(MeetingMention(tokens[first].start, tokens[end].end, first, end,
                                            text[tokens[first].start - offset:tokens[end].end - offset],
                                            key, label, cls, ordinal=n, qualifier=qual or qualifier, composed=composed,
                                            rule="mechanism-body" if chain is mechs else "shared-body-list"))
            covered.update(range(first, end + 1))
        covered.update(range(first, last + 1))

    for m in series_aliases:
        if any(i in covered for i in range(m.first, m.last + 1)) or tokens[m.first].in_parens:
            continue
        series = next(e.entry for e in m.entries if e.kind == "series")
        if m.last + 1 in body_starts:
            continue  # "East Asia Summit Foreign Ministers' Meeting" was read as mechanism + body
        before = {t.folded for t in tokens[max(0, m.first - 4):m.first]}
        after = tokens[m.last + 1].folded if m.last + 1 < len(tokens) else ""
        if "head" in before or after in _TITLE_NOUNS:
            continue  # "head of Vietnam ASEAN SOM": part of a title, not a meeting
        if "organization" in m.kinds() and not _meeting_context(tokens, m, lex):
            continue  # "EAS continues to affirm its role": the mechanism, not a meeting
        key, label, composed, first = series.key, series.name, False, m.first
        qualifier = None
        if first > 0 and tokens[first - 1].folded in qualifiers and _adjacent(tokens, text, offset, first - 1, first):
            qualifier, first = qualifiers[tokens[first - 1].folded][0].value, first - 1  # "a special ASEAN summit"
        partners = _partners_before(tokens, text, offset, first, ent_end)
        if partners and series.convener == "asean" and series.body:
            # "the Russia-ASEAN summit", "India-ASEAN Summit": the partner written first
            label = f"ASEAN-{'-'.join(p.name for p, _ in partners)} {series.body}"
            key, composed, first = naming.slug(label), True, partners[0][1]
        # "Special ASEAN Summit": a special meeting is not numbered with the regular ones
        ordinals, first = ([], first) if qualifier else _ordinals(tokens, first, lex)
        last = m.last
        if not ordinals and last + 1 < len(tokens) and tokens[last + 1].folded.isdigit() \
                and len(tokens[last + 1].folded) <= 3 and _adjacent(tokens, text, offset, last, last + 1):
            ordinals = [int(tokens[last + 1].folded)]  # AMM-58, AMM 58
            last += 1
        for n in ordinals or [None]:
            found.append(MeetingMention(tokens[first].start, tokens[last].end, first, last,
                                        text[tokens[first].start - offset:tokens[last].end - offset],
                                        key, label, series.meeting_class, ordinal=n, qualifier=qualifier,
                                        composed=composed, rule="partner-first" if partners else "series-name"))
        covered.update(range(first, last + 1))

    found.extend(_meetings_of_organizations(text, offset, tokens, ent_start, lex, covered))
    found.sort(key=lambda mm: mm.start)
    _absorb_parenthesised_aliases(found, tokens, text, offset)
    generic.extend(_generic_references(tokens, lex, covered))
    return found, generic


def _mechanisms_before(tokens: list[Token], text: str, offset: int, body_first: int, ent_end: dict[int, Match],
                       qualifiers: dict, *, listed: bool = False) -> tuple[list, int, str | None]:
    """(mechanisms, first token, qualifier) of the name whose body starts at ``body_first``:
    "Special ASEAN-China" before "Summit". ``listed``: the name is an earlier item of a list that
    shares the body, ending right before ``body_first``."""
    mechs: list = []
    first = body_first
    k = body_first - 1
    qualifier = None
    while k >= 0:
        tok = tokens[k]
        if tok.in_parens and not tokens[first].in_parens:
            k -= 1  # an acronym in brackets between a mechanism and the body
            continue
        if tok.folded in ("annual", "regular") and mechs:
            first, k = k, k - 1
            continue
        if tok.folded in qualifiers and tok.is_capitalised or (tok.folded in qualifiers and mechs):
            qualifier = qualifier or qualifiers[tok.folded][0].value
            first, k = k, k - 1
            continue
        m = ent_end.get(k)
        joined = (listed and not mechs) or _adjacent(tokens, text, offset, k, first)
        if m is not None and joined and _mechanism(m) is not None:
            mechs.insert(0, _mechanism(m))
            first, k = m.first, m.first - 1
            continue
        break
    return mechs, first, qualifier


def _list_link(tokens: list[Token], text: str, offset: int, first: int) -> int | None:
    """The last token of the list item before token ``first`` when a comma, "and" or "as well as"
    joins them ("ASEAN-China, ASEAN-Japan and ASEAN-ROK"), else None."""
    k = first - 1
    while k >= 0 and tokens[k].folded in ("and", "as", "well", "the"):
        k -= 1
    if k < 0 or k == first - 1 and text[tokens[k].end - offset:tokens[first].start - offset].strip() != ",":
        return None
    gap = text[tokens[k].end - offset:tokens[first].start - offset]
    return k if re.fullmatch(r"\s*,?\s*(?:(?:and|as well as)\s+)?(?:the\s+)?", gap) else None


def _chain_end(tokens: list[Token], start: int, ent_start: dict[int, Match]) -> int:
    """Last token of the mechanism chain that starts at ``start`` (skipping an ordinal)."""
    end = start
    k = start
    while k in ent_start or (k < len(tokens) and tokens[k].folded in ("plus", "three")):
        end = ent_start[k].last if k in ent_start else k
        k = end + 1
    return end


def _partners_before(tokens: list[Token], text: str, offset: int, first: int,
                     ent_end: dict[int, Match]) -> list[tuple[Country, int]]:
    """Countries hyphenated before a series name: "Russia-ASEAN summit" → [(Russia, index)]."""
    out: list[tuple[Country, int]] = []
    k = first - 1
    while k >= 0:
        m = ent_end.get(k)
        gap = text[tokens[k].end - offset:tokens[first].start - offset]
        mech = _mechanism(m) if m is not None else None
        if not isinstance(mech, Country) or not re.fullmatch(r"\.?\s*[-–]\s*", gap):
            break
        out.insert(0, (mech, m.first))
        first, k = m.first, m.first - 1
    return out


_TIES = {"ties", "relations", "relationship", "partnership", "friendship", "cooperation", "dialogue"}


def _ties_partner(tokens: list[Token], i: int, ent_start: dict[int, Match]) -> Country | None:
    """The partner of ASEAN a phrase after a meeting's name speaks of, within a dozen words:
    "marking 25 years of India's ties with ASEAN", "celebrating 50 years of ASEAN-Japan friendship",
    "on relations between ASEAN and Russia"."""
    window = tokens[i:i + 14]
    asean = [k for k, t in enumerate(window) if t.folded == "asean" or
             (i + k in ent_start and any(getattr(e.entry, "key", None) == "asean" for e in ent_start[i + k].entries))]
    ties = [k for k, t in enumerate(window) if t.folded in _TIES]
    if not asean or not ties:
        return None
    countries = [(k, _mechanism(ent_start[i + k])) for k in range(len(window)) if i + k in ent_start]
    countries = [(k, c) for k, c in countries if isinstance(c, Country)]
    return countries[0][1] if len(countries) == 1 else None


def _with_list(tokens: list[Token], i: int, ent_start: dict[int, Match]) -> list[tuple[Country, Match]]:
    """"summits with Australia, China, ... and the United States" → the countries listed."""
    if i >= len(tokens) or tokens[i].folded != "with":
        return []
    i += 1
    out: list[tuple[Country, Match]] = []
    while i < len(tokens):
        m = ent_start.get(i)
        if m is None and tokens[i].folded in {"the", "and"}:
            i += 1
            continue
        mech = _mechanism(m) if m else None
        if not isinstance(mech, Country):
            break
        out.append((mech, m))
        i = m.last + 1
    return out


_DETERMINERS = {"the", "this", "that", "these", "those"}
_SIZE_WORDS = {"member", "nation", "country", "strong"}  # "the 18-member East Asia Summit"
_ADJECTIVES = {"virtual", "special", "opening", "closing", "annual", "recent", "upcoming", "next", "last",
               "first", "closed", "plenary", "informal", "same", "two", "three", "whole", "entire", "following",
               "day", "commemorative", "emergency", "extraordinary"}  # "the two-day retreat"


def _determined(tokens: list[Token], first: int) -> bool:
    """"the meeting", "the virtual meeting", "these Conferences": a definite reference."""
    k = first - 1
    while k >= 0 and tokens[k].folded in _ADJECTIVES and first - k <= 2:
        k -= 1
    return k >= 0 and tokens[k].folded in _DETERMINERS


def _meeting_context(tokens: list[Token], m: Match, lex: Lexicon) -> bool:
    """A mechanism's name read as one of its meetings: "at the ARF", "attend the EAS", "the ARF on
    Saturday", or with an ordinal."""
    if m.first > 0 and ordinal_value(tokens[m.first - 1], lex) is not None:
        return True
    before = [t.folded for t in tokens[max(0, m.first - 5):m.first]
              if not (t.folded.isdigit() or t.folded in _SIZE_WORDS)][-3:]  # "at the 18-member EAS"
    if "at" in before[-2:] or any(w in before for w in ("attend", "attended", "attends", "attending", "chair",
                                                        "chaired", "chairs", "host", "hosts", "hosted")):
        return True
    after = [t.folded for t in tokens[m.last + 1:m.last + 8] if not t.in_parens][:3]  # past "(ARF)"
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today")
    return bool(after) and (after[0] in ("on", "in", "held", "opened", "took", "will", "was") and
                            any(w in after for w in days + ("held", "place", "opened", "closed")))


def _ordinals(tokens: list[Token], first: int, lex: Lexicon) -> tuple[list[int], int]:
    """Ordinals before token ``first``: "58th", "44th and 45th", "the inaugural", "Thirty-Second"."""
    k = first - 1
    found: list[int] = []
    tens = lex.cue_table("ordinal-tens")
    while k >= 0:
        n = ordinal_value(tokens[k], lex)
        if n is not None:
            if n < 10 and tokens[k].folded.isalpha() and k > 0 and tokens[k - 1].folded in tens \
                    and tokens[k].start - tokens[k - 1].end <= 1:
                k -= 1  # "Thirty-Second", "Twenty first": the tokenizer splits the hyphenated ordinal
                n += int(tens[tokens[k].folded][0].value)
            found.insert(0, n)
            first, k = k, k - 1
            continue
        if tokens[k].folded == "and" and found and k > 0 and ordinal_value(tokens[k - 1], lex) is not None:
            k -= 1
            continue
        break
    return found, first


def _of_list(tokens: list[Token], i: int, ent_start: dict[int, Match]) -> list[tuple[object, Match]]:
    """"(SOM) of ASEAN, ASEAN+3 (APT) and East Asia Summit (EAS)" → the mechanisms listed."""
    while i < len(tokens) and tokens[i].in_parens:
        i += 1
    if i >= len(tokens) or tokens[i].folded != "of":
        return []
    i += 1
    out: list[tuple[object, Match]] = []
    while i < len(tokens):
        if tokens[i].folded in {"the", "and"}:
            i += 1
            continue
        m = ent_start.get(i)
        mech = _mechanism(m) if m else None
        if not isinstance(mech, Organization):
            break
        out.append((mech, m))
        i = m.last + 1
        while i < len(tokens) and tokens[i].in_parens:
            i += 1
    return out if len(out) >= 1 else []


def _meetings_of_organizations(text: str, offset: int, tokens: list[Token], ent_start: dict[int, Match],
                               lex: Lexicon, covered: set[int]) -> list[MeetingMention]:
    """"The 69th Meeting of the IAI Task Force": a meeting series of a body without a series name."""
    out = []
    for i, tok in enumerate(tokens):
        if tok.text != "Meeting" or i in covered or i + 2 >= len(tokens) or tokens[i + 1].folded != "of":
            continue
        j = i + 2 + (tokens[i + 2].folded == "the")
        m = ent_start.get(j)
        org = _mechanism(m) if m else None
        if not isinstance(org, Organization):
            continue
        ordinals, first = _ordinals(tokens, i, lex)
        # the body's own series: "Meeting of the ASCC Council" is an ASCC Council Meeting
        known = lex.gazetteer.series.get(f"{org.key}-meeting") or next(
            (e.entry for e in lex.gazetteer.lookup(org.name) if e.kind == "series"), None)
        key = known.key if known else f"{org.key}-meeting"
        label = known.name if known else f"{org.name} Meeting"
        cls = known.meeting_class if known else "Meeting"
        for n in ordinals or [None]:
            out.append(MeetingMention(tokens[first].start, m.end, first, m.last,
                                      text[tokens[first].start - offset:m.end - offset], key, label, cls,
                                      ordinal=n, composed=known is None, rule="meeting-of-body"))
        covered.update(range(first, m.last + 1))
    return out


def _absorb_parenthesised_aliases(found: list[MeetingMention], tokens: list[Token], text: str,
                                  offset: int) -> None:
    """"the 58th ASEAN Foreign Ministers' Meeting (AMM 58)": the bracket names the same meeting."""
    for mm in found:
        i = mm.last + 1
        j = i
        while j < len(tokens) and tokens[j].in_parens and not tokens[mm.last].in_parens:
            j += 1
        if j > i:
            alias = " ".join(t.text for t in tokens[i:j])
            if len(alias) <= 30:
                mm.aliases.add(alias)
                mm.last = j - 1


def _generic_references(tokens: list[Token], lex: Lexicon, covered: set[int]) -> list[GenericReference]:
    out = []
    for cue in lex.cues(tokens, "meeting-ref"):
        if any(i in covered for i in range(cue.first, cue.last + 1)):
            continue
        value = cue.value
        if value in ("singular", "plural") and not _determined(tokens, cue.first):
            continue
        out.append(GenericReference(cue.start, cue.end, cue.first, cue.last, value))
    return out
