"""Reading an article sentence by sentence: references resolved, facts joined, evidence kept.

The sentence components (meetings, people, dates, works) find mentions; this module walks the
sentences in order, keeps the context a reader keeps ("the meeting" is the last one named, "the
Deputy Minister" the last person with that title, "Anwar" the Anwar Ibrahim named before) and
joins mentions into facts: meeting dates and places, participation, chairmanships, partnerships,
adopted and discussed works.
"""

from __future__ import annotations

import re
from datetime import date

from .. import naming
from ..gazetteer import Country
from ..model import Article, Evidence, Sentence
from ..sentences import split_sentences
from .bodies import body_key, find_bodies
from .datelines import find_dateline, reference_date
from .dates import dominant_year, find_dates, infer_reference_date
from .lexicon import Lexicon, tokenize
from .meetings import MeetingMention, find_meetings
from .participation import Scene, is_list_line, read_participation, related_meetings, roster_heading
from .people import PeopleFinder, PersonMention, RoleRef, RoleReference
from .places import dateline_place
from .records import Facts, MeetingRecord, PersonRecord, Reading, SentenceView, meeting_groups, word_gap
from .relations import Relations
from .timeplace import TimePlace
from .works import find_works

CAPACITY_RANK = {"Chair": 5, "CoChair": 4, "HeadOfDelegation": 3, "Speaker": 2, "Delegate": 1}


class Discourse:
    """One article's reading. Use :func:`read_discourse`.

    The walk keeps a reader's context (the last meetings and people named) and hands each sentence
    to the components that join its mentions: ``participation`` (constructions as data),
    ``relations.Relations`` and ``timeplace.TimePlace``, which share the article's ``Reading``."""

    def __init__(self, article: Article, lex: Lexicon, finder: PeopleFinder):
        self.finder = finder
        # Dates are resolved against the publication date, else a date the text itself pins down.
        # the dateline's day when it is the day before a publication date stamped the next morning
        dateline = find_dateline(article.dateline, article.body, article.published)
        published = reference_date(article.published, dateline) or infer_reference_date(
            article.body, latest=date.today().year)
        self.reading = Reading(article, lex, published, dateline)
        self.article, self.lex, self.facts = article, lex, self.reading.facts
        self.published, self.dateline = published, dateline
        self.relations = Relations(self.reading)
        # a national body named without its country is the dateline's ("MANILA - ... the DFA said")
        place = dateline_place(dateline.place, lex) if dateline else None
        self.home = lex.gazetteer.countries.get(place.country) if place else None
        self.timeplace = TimePlace(self.reading)
        self.last_day: date | None = None  # the last day named: "the next day" counts from it
        # failing that, the year the article speaks of as its present ("during 2017", "in 2017")
        self.year_hint = None if self.published else dominant_year(article.body)
        # the actor dictionary gives posts only at the publication date (never at a guessed one)
        self.year: int | None = article.published.year if article.published else None
        self.named_actors = self._actors_named_in_full()
        self.last_group: list[tuple] = []
        self.last_named: list[tuple] = []  # every meeting the last sentence naming meetings named
        self.roster: list[tuple] = []  # the meetings of the list of people being read
        self.related_claims: list[tuple] = []  # (Claim, Evidence, future): "X and related summits"
        self.recent = self.reading.recent
        self.last_person: str | None = None
        self.person_order: list[str] = []

    # -- per-sentence analysis ------------------------------------------------------------------
    def analyse(self, sentence: Sentence) -> SentenceView:
        text, offset = sentence.text, sentence.start
        tokens = tokenize(text, offset)
        entities = self.lex.entities(tokens)
        meetings, generic = find_meetings(text, offset, tokens, entities, self.lex)
        persons, role_refs = self.finder.find(text, offset, tokens, entities, self._actor)
        for p in persons:
            if p.actor is not None:
                self._dictionary_facts(p)
        tense = {c.value for c in self.lex.cues(tokens, "tense")}
        future = True if "upcoming" in tense and "held" not in tense else False if "held" in tense else None
        dates = find_dates(text, self.published, future=future, offset=offset, year=self.year_hint,
                           anchor=self.last_day)
        dates = self._dated_story(sentence, dates)
        in_meetings = frozenset(i for mm in meetings for i in range(mm.first, mm.last + 1))
        blocked = {i for i, t in enumerate(tokens) for p in persons if p.start <= t.start < p.end}
        works = find_works(text, offset, tokens, entities, blocked, self.lex, in_meetings)
        names = {i for i, t in enumerate(tokens) for p in persons if p.start <= t.start < p.end}
        bodies = find_bodies(text, offset, tokens, entities, names | in_meetings, self.home)
        return SentenceView(sentence, tokens, entities, meetings, generic, persons, role_refs, dates, works,
                            bodies=bodies, future=future)

    def _dated_story(self, sentence: Sentence, dates: list) -> list:
        """The sentence's dates less a dateline's ("PUTRAJAYA, Feb. 28 — ..." says when the story
        was filed, not when its meeting is); the last day named becomes the anchor of "the next day"."""
        if self.dateline is not None and sentence.part == "body":
            dates = [d for d in dates if d.start_char >= self.dateline.end]
        days = [d for d in dates if d.start and len(d.start) == 10]
        if days:
            self.last_day = date.fromisoformat(days[-1].start)
        return dates

    # -- the walk ---------------------------------------------------------------------------------
    # -- the actor dictionary ---------------------------------------------------------------------
    def _actors_named_in_full(self) -> set[str]:
        """Keys of the dictionary's actors the article names by a full form (name or alias)
        somewhere: their short names ("Anwar", "Marcos") then count on their own."""
        actors = self.lex.actors
        named: set[str] = set()
        if not actors.actors:
            return named
        a = self.article
        for text in (a.headline or "", a.body, *a.captions):
            tokens = tokenize(text)
            for first, last in actors.spans([t.folded for t in tokens]):
                if tokens[first].text[:1].isupper():
                    surface = text[tokens[first].start:tokens[last].end]
                    named.update(x.key for x in actors.actors_named(surface, self.year, short=False))
        return named

    def _actor(self, surface: str, titled: bool):
        """The dictionary's person ``surface`` names in this article, or None.

        A name or alias counts on its own; a short name ("Anwar", "Marcos") only when the article
        names the person in full somewhere, or when a title comes with it and the short name is
        the dictionary's only such (and, at a known date, that person held a post then)."""
        actors = self.lex.actors
        found = actors.actors_named(surface, self.year, short=False)
        if not found:
            found = [x for x in actors.actors_named(surface, self.year) if x.key in self.named_actors]
        if not found and titled:
            found = [x for x in actors.actors_named(surface) if self.year is None or x.posts_in(self.year)]
        return found[0] if len(found) == 1 else None

    def _dictionary_facts(self, p: PersonMention) -> None:
        """Country and posts of a dictionary person; what the text says wins: a country it states
        is kept, and a title it gives replaces the dictionary's posts."""
        gaz = self.lex.gazetteer
        actor = p.actor
        if p.country is None and p.organization is None and actor.country:
            p.country = gaz.countries.get(actor.country)
        if p.roles:
            return
        for post in actor.posts_in(self.year):
            role = gaz.roles.get(post.role)
            holder = gaz.countries.get(post.holder) or gaz.organizations.get(post.holder)
            if role is not None:
                p.roles.append(RoleRef(role.key, role.label, role.label, role, holder))

    def read_headline(self) -> None:
        """Headlines are in title case and elliptic: read them only for the chairmanship they
        name ("Malaysia's ASEAN Chairmanship Praised As ..."), to complete the body's facts."""
        if self.article.headline:
            text = self.article.headline
            v = self.analyse(Sentence(0, len(text), text, "headline"))
            self.relations.chairmanships(v, [])

    def read(self, views: list[SentenceView]) -> Facts:
        for v in views:
            for mm in v.meetings:
                if mm.ordinal is not None:
                    self.reading.numbered.setdefault(mm.series_key, set()).add(mm.ordinal)
            for p in v.persons:
                if p.full:
                    self._person(p, v)
        part = "body"
        for v in views:
            if v.sentence.part != part:
                part = v.sentence.part  # a caption stands alone: no references into the body
                self.last_group, self.last_named, self.last_person = [], [], None
            self._sentence(v)
        self._finish()
        return self.facts

    def _register_meeting(self, mm: MeetingMention, v: SentenceView) -> tuple:
        key = self.reading.meeting_key(mm)
        rec = self.facts.meetings.get(key)
        if rec is None:
            ordinal = key[1]
            label = f"{_ordinal_text(ordinal)} {mm.series_label}" if ordinal else mm.series_label
            if mm.qualifier and mm.qualifier.capitalize() not in label:
                label = f"{mm.qualifier.capitalize()} {label}"
            rec = MeetingRecord(key, label, mm.series_key, mm.series_label, mm.meeting_class, mm.composed,
                                ordinal, mm.qualifier)
            self.facts.meetings[key] = rec
        rec.aliases.add(re.sub(r"^the\s+", "", mm.text, flags=re.I))
        rec.aliases |= mm.aliases
        rec.rules.add(mm.rule)
        ev = v.evidence(mm.start, mm.end)
        rec.evidence.append(ev)
        if v.future is True:
            rec.future += 1
        elif v.future is False:
            rec.past += 1
        self.facts.mentions.append(("meeting", key, mm.text, ev))
        return key

    def _person(self, p: PersonMention, v: SentenceView) -> str:
        key = p.key
        rec = self.facts.persons.get(key)
        if rec is None:
            rec = PersonRecord(key, p.name)
            self.facts.persons[key] = rec
        if p.surface:
            rec.labels.add(p.surface)
        if p.name not in rec.labels:
            rec.labels.add(p.name)
            if naming.ascii_fold(rec.name) == rec.name and naming.ascii_fold(p.name) != p.name:
                rec.name = p.name  # keep the spelling with diacritics as the label
        ev = v.evidence(p.title_start if p.title_start and p.title_start > 0 else p.start, p.end)
        if p.country is not None:
            rec.country = rec.country or p.country
        for role in p.roles:
            holder = role.holder or p.country or p.organization
            if role.role is not None and role.role.category in ("organization-official",) and p.organization:
                holder = p.organization
            if not any(r.key == role.key and h == holder for r, h, _, _ in rec.posts):
                rec.posts.append((role, holder, role.surface, ev))
            rec.role_words |= set(naming.fold(role.surface).split()) | set(naming.fold(role.label).split())
            if role.role is not None:
                for alias in role.role.names:
                    rec.role_words |= set(naming.fold(alias).split())
        if ev not in rec.evidence:
            rec.evidence.append(ev)
        return key

    def _resolve_name(self, text: str) -> str | None:
        """A short name ("Anwar", "Dung", "Kao") to the person named in full in this article."""
        folded = naming.fold(text)
        if folded in self.facts.persons:
            return folded
        words = folded.split()
        candidates = [k for k in self.facts.persons if all(w in k.split() for w in words)]
        if not candidates:
            return None
        for k in reversed(self.person_order):
            if k in candidates:
                return k
        return candidates[0]

    def _people_in(self, v: SentenceView) -> list[tuple[int, int, str]]:
        """(start, end, person key) of every person reference in the sentence, in order."""
        refs: list[tuple[int, int, str]] = []
        spans: list[tuple[int, int]] = []
        for p in v.persons:
            key = p.key if p.full else self._resolve_name(p.name)
            if key is None:
                continue
            if p.full:
                self._person(p, v)
            start = p.title_start if p.title_start and p.title_start > 0 else p.start
            refs.append((start, p.end, key))
            spans.append((start, p.end))
        # names without a title: full names and short names of people already named
        for i, tok in enumerate(v.tokens):
            if any(s <= tok.start < e for s, e in spans) or not tok.text[:1].isupper() or len(tok.folded) < 3:
                continue
            if tok.folded in self.finder.title_words or tok.folded in ("the", "this", "he", "she"):
                continue
            if any(m.first <= i <= m.last for m in v.entities):
                continue
            j = i
            while j + 1 < len(v.tokens) and v.tokens[j + 1].text[:1].isupper() and \
                    self._resolve_name(" ".join(t.text for t in v.tokens[i:j + 2])):
                j += 1
            key = self._resolve_name(" ".join(t.text for t in v.tokens[i:j + 1]))
            if key is None:
                continue
            refs.append((tok.start, v.tokens[j].end, key))
            spans.append((tok.start, v.tokens[j].end))
        for r in v.role_refs:
            if any(s <= r.start < e for s, e in spans):
                continue
            key = self._resolve_role(r)
            if key is not None:
                refs.append((r.start, r.end, key))
        for tok in v.tokens:
            if tok.folded in ("he", "she") and self.last_person and not any(s < tok.start for s, _, _ in refs):
                refs.append((tok.start, tok.end, self.last_person))
                break
        refs.sort()
        for _, _, key in refs:
            if key in self.person_order:
                self.person_order.remove(key)
            self.person_order.append(key)
        return refs

    def _resolve_role(self, r: RoleReference) -> str | None:
        words = r.words - {"the", "and", "of"}
        if not words:
            return None
        for key in reversed(self.person_order):
            rec = self.facts.persons[key]
            if words <= rec.role_words and (r.country is None or rec.country in (None, r.country)):
                return key
        return None

    def _sentence(self, v: SentenceView) -> None:
        keys = [self._register_meeting(mm, v) for mm in v.meetings]
        groups = [[self.reading.meeting_key(mm) for mm in g] for g in meeting_groups(v)]
        generic = [g for g in v.generic if g.number in ("singular", "plural")]
        referred = self._referred(v, generic[0]) if generic else []
        for key in keys:
            if key in self.recent:
                self.recent.remove(key)
            self.recent.append(key)
        if generic and not keys:
            for key in referred:
                rec = self.facts.meetings[key]
                rec.evidence.append(v.evidence(generic[0].start, generic[0].end))
        people = self._people_in(v)
        self._entity_mentions(v)
        self.timeplace.attach_dates(v, groups, referred)
        self.timeplace.attach_places(v, groups, referred)
        if self.lex.cues(v.tokens, "format"):
            for key in (keys or referred):
                self.facts.meetings[key].virtual = True
        self._participation(v, people, referred)
        self.relations.chairmanships(v, people)
        self.relations.partnerships(v, people)
        self.relations.related(v)
        self.relations.works(v, groups, referred)
        if keys:
            self.last_group = groups[0]  # the first group named is most often the sentence's subject
            self.last_named = list(dict.fromkeys(keys))
        if people:
            self.last_person = people[-1][2]

    def _referred(self, v: SentenceView, ref) -> list[tuple]:
        """The meetings "the Retreat" or "the Conferences" refers to: the latest meeting whose name
        has that noun, else the group named last."""
        noun = naming.fold(v.text[ref.start - v.offset:ref.end - v.offset]).split()[-1:]
        noun = [w[:-1] if w.endswith("s") else w for w in noun]
        if ref.number == "singular" and noun and noun[0] in ("summit", "retreat", "forum"):
            for key in reversed(self.recent):
                if noun[0] in naming.fold(self.facts.meetings[key].label).split():
                    return [key]
        return list(self.last_group)

    # -- mentions of reference entities ---------------------------------------------------------------
    def _entity_mentions(self, v: SentenceView) -> None:
        meeting_spans = [(mm.start, mm.end) for mm in v.meetings]
        for m in v.entities:
            if any(s <= m.start < e for s, e in meeting_spans):
                continue
            entry = next((e for e in m.entries if e.kind in ("country", "demonym", "organization", "place")), None)
            if entry is None:
                continue
            self.facts.mentions.append((entry.kind, entry.entry, m.text, v.evidence(m.start, m.end)))
        for b in v.bodies:
            ev = v.evidence(b.start, b.end)
            key = body_key(b)
            _, evs, names = self.facts.bodies.setdefault(key, (b, [], set()))
            evs.append(ev)
            names.update(x for x in (b.name, b.acronym) if x)
        for w in v.works:
            ev = v.evidence(w.start, w.end)
            key = naming.fold(w.label)
            if key not in self.facts.works:
                self.facts.works[key] = (w, [])
            self.facts.works[key][1].append(ev)
            self.facts.mentions.append(("work", key, w.label, ev))

    # -- participation ------------------------------------------------------------------------------
    def _participation(self, v: SentenceView, people: list[tuple], referred: list[tuple]) -> None:
        in_sentence = {x[2] for x in people}
        scene = Scene(v, self.lex, people, self.reading.meeting_key, referred, self._in_view(),
                      {p for p, _ in self.facts.participations if p in in_sentence}, self.roster)
        heading = roster_heading(scene, self.recent, lambda key: self.facts.meetings[key].series_key)
        if heading is not None:
            self.roster = heading
            return
        if not people:
            if not is_list_line(v) and len(v.tokens) > 2:
                self.roster = []  # a list runs on while its lines name people ("Smt." split off is no end)
            return
        related = [g for g in v.generic if g.number == "related"]
        claims = read_participation(scene)
        if self.roster and not any(c.rule == "roster-list" for c, _ in claims) and not is_list_line(v):
            self.roster = []
        for claim, ev in claims:
            for key in claim.meetings:
                self._add_participation(claim.person, key, claim.capacity, claim.country, ev, claim.rule,
                                        v.future)
            if related and claim.capacity != "Chair" and self._names_related(v, claim.meetings, related):
                self.related_claims.append((claim, ev, v.future))

    def _names_related(self, v: SentenceView, keys: list[tuple], related: list) -> bool:
        """"the 38th and 39th ASEAN summits and related summits": the claim's meetings are followed
        by a reference to their related meetings."""
        ends = [mm.end for mm in v.meetings if self.reading.meeting_key(mm) in keys]
        return any(0 <= word_gap(v, end, g.start) <= 2 for end in ends for g in related)

    def _in_view(self) -> list[tuple]:
        """The meetings a reader has in mind: all those the last sentence naming meetings named."""
        return list(self.last_named or self.last_group)

    def _add_participation(self, person: str, meeting: tuple, capacity: str, country, ev: Evidence,
                           rule: str, future: bool | None) -> None:
        rec = self.facts.persons[person]
        if capacity == "HeadOfDelegation" and country is not None and rec.country is None:
            rec.country = country  # "A Vietnamese delegation led by X": X is Vietnamese
        country = country or rec.country
        old = self.facts.participations.get((person, meeting))
        if old is None or CAPACITY_RANK[capacity] > CAPACITY_RANK[old[0]]:
            self.facts.participations[(person, meeting)] = (capacity, country, ev, rule, future)

    # -- after the last sentence ------------------------------------------------------------------------
    def _finish(self) -> None:
        for claim, ev, future in self.related_claims:
            for key in related_meetings(claim.meetings, self.facts.meetings):
                self._add_participation(claim.person, key, "Delegate", claim.country, ev, "related-meetings", future)
        # "Malaysia's ASEAN Chairmanship" (headline, no year) + "as ASEAN Chair for 2025" (no country)
        yearless = [c for c in self.facts.chairmanships if c["year"] is None]
        years = {y for y, _ in self.reading.partial_chairs}
        if len(yearless) == 1 and len(years) == 1:
            yearless[0]["year"] = years.pop()
        self.facts.chairmanships = [c for c in self.facts.chairmanships if c.get("part") != "headline"
                                    or c["year"] is not None]
        # "handing over the gavel to Indonesia" (undated article) + "... to Joko Widodo for 2023"
        dated = {c["country"].iso3 for c in self.facts.chairmanships if c["year"] is not None}
        self.facts.chairmanships = [c for c in self.facts.chairmanships
                                    if c["year"] is not None or c["country"].iso3 not in dated]
        for theme, year, _ in self.reading.pending_themes:
            same = [c for c in self.facts.chairmanships if year is None or c["year"] in (None, year)]
            if same and not same[0]["theme"]:
                same[0]["theme"] = theme
        self.timeplace.default_places()


def _ordinal_text(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _country_by_iso(lex: Lexicon, iso3: str) -> Country | None:
    return lex.gazetteer.countries.get(iso3)


def read_discourse(article: Article, lex: Lexicon, finder: PeopleFinder) -> Facts:
    """The facts of one article, before IRIs are minted."""
    d = Discourse(article, lex, finder)
    d.read_headline()
    return d.read([d.analyse(s) for s in article.sentences + caption_sentences(article)])


def caption_sentences(article: Article) -> list[Sentence]:
    """The sentences of the article's photo captions: they state facts too ("From left: ... at
    the Retreat"), read after the body, with offsets into their own caption."""
    out = []
    for n, caption in enumerate(article.captions):
        for s in split_sentences(caption):
            out.append(Sentence(s.start, s.end, s.text, f"caption:{n}"))
    return out


__all__ = ["Discourse", "Facts", "SentenceView", "caption_sentences", "read_discourse"]
