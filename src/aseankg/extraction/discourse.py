"""Reading an article sentence by sentence: references resolved, facts joined, evidence kept.

The sentence components (meetings, people, dates, works) find mentions; this module walks the
sentences in order, keeps the context a reader keeps ("the meeting" is the last one named, "the
Deputy Minister" the last person with that title, "Anwar" the Anwar Ibrahim named before) and
joins mentions into facts: meeting dates and places, participation, chairmanships, partnerships,
adopted and discussed works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .. import naming
from ..gazetteer import Country
from ..model import Article, Evidence, Sentence
from ..sentences import split_sentences
from .datelines import find_dateline, reference_date
from .dates import dominant_year, find_dates, infer_reference_date
from .lexicon import Lexicon, tokenize
from .meetings import MeetingMention, find_meetings
from .people import PeopleFinder, PersonMention, RoleReference
from .records import Facts, MeetingRecord, PersonRecord, SentenceView, meeting_groups
from .relations import RelationReader
from .timeplace import TimePlaceReader
from .works import find_works

CAPACITY_RANK = {"Chair": 5, "CoChair": 4, "HeadOfDelegation": 3, "Speaker": 2, "Delegate": 1}
_LEAD = {"lead", "led", "leads", "leading", "head", "headed", "heads", "heading"}


class Discourse(RelationReader, TimePlaceReader):
    """One article's reading. Use :func:`read_discourse`."""

    def __init__(self, article: Article, lex: Lexicon, finder: PeopleFinder):
        self.article = article
        self.lex = lex
        self.finder = finder
        self.facts = Facts()
        # Dates are resolved against the publication date, else a date the text itself pins down.
        # the dateline's day when it is the day before a publication date stamped the next morning
        self.dateline = find_dateline(article.dateline, article.body, article.published)
        self.published: date | None = reference_date(article.published, self.dateline) or infer_reference_date(
            article.body, latest=date.today().year)
        self.last_day: date | None = None  # the last day named: "the next day" counts from it
        # failing that, the year the article speaks of as its present ("during 2017", "in 2017")
        self.year_hint = None if self.published else dominant_year(article.body)
        self.last_group: list[tuple] = []
        self.recent: list[tuple] = []  # meetings in the order last named
        self.last_person: str | None = None
        self.person_order: list[str] = []
        self.numbered: dict[str, set[int]] = {}
        self.pending_themes: list[tuple[str, int | None, Evidence]] = []
        self.partial_chairs: list[tuple[int, Evidence]] = []  # "as ASEAN Chair for 2025": whose?

    # -- per-sentence analysis ------------------------------------------------------------------
    def analyse(self, sentence: Sentence) -> SentenceView:
        text, offset = sentence.text, sentence.start
        tokens = tokenize(text, offset)
        entities = self.lex.entities(tokens)
        meetings, generic = find_meetings(text, offset, tokens, entities, self.lex)
        persons, role_refs = self.finder.find(text, offset, tokens, entities)
        tense = {c.value for c in self.lex.cues(tokens, "tense")}
        future = True if "upcoming" in tense and "held" not in tense else False if "held" in tense else None
        dates = find_dates(text, self.published, future=future, offset=offset, year=self.year_hint,
                           anchor=self.last_day)
        dates = self._dated_story(sentence, dates)
        blocked = {i for mm in meetings for i in range(mm.first, mm.last + 1)}
        blocked |= {i for i, t in enumerate(tokens) for p in persons if p.start <= t.start < p.end}
        works = find_works(text, offset, tokens, entities, blocked, self.lex)
        return SentenceView(sentence, tokens, entities, meetings, generic, persons, role_refs, dates, works, future)

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
    def read_headline(self) -> None:
        """Headlines are in title case and elliptic: read them only for the chairmanship they
        name ("Malaysia's ASEAN Chairmanship Praised As ..."), to complete the body's facts."""
        if self.article.headline:
            text = self.article.headline
            v = self.analyse(Sentence(0, len(text), text, "headline"))
            self._chairmanships(v, [])

    def read(self, views: list[SentenceView]) -> Facts:
        for v in views:
            for mm in v.meetings:
                if mm.ordinal is not None:
                    self.numbered.setdefault(mm.series_key, set()).add(mm.ordinal)
            for p in v.persons:
                if len(p.name.split()) >= 2:
                    self._person(p, v)
        part = "body"
        for v in views:
            if v.sentence.part != part:
                part = v.sentence.part  # a caption stands alone: no references into the body
                self.last_group, self.last_person = [], None
            self._sentence(v)
        self._finish()
        return self.facts

    def _meeting_key(self, mm: MeetingMention) -> tuple:
        if mm.ordinal is None and len(self.numbered.get(mm.series_key, ())) == 1:
            return (mm.series_key, next(iter(self.numbered[mm.series_key])))
        return mm.identity

    def _register_meeting(self, mm: MeetingMention, v: SentenceView) -> tuple:
        key = self._meeting_key(mm)
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
        if p.name not in rec.labels:
            rec.labels.add(p.name)
            if naming.ascii_fold(rec.name) == rec.name and naming.ascii_fold(p.name) != p.name:
                rec.name = p.name  # keep the spelling with diacritics as the label
        ev = v.evidence(p.title_start if p.title_start and p.title_start > 0 else p.start, p.end)
        if p.country is not None:
            rec.country = rec.country or p.country
        for role in p.roles:
            holder = p.country or p.organization
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
            key = self._resolve_name(p.name) if len(p.name.split()) < 2 else p.key
            if key is None:
                continue
            if len(p.name.split()) >= 2:
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
        groups = [[self._meeting_key(mm) for mm in g] for g in meeting_groups(v)]
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
        self._attach_dates(v, groups, referred)
        self._attach_places(v, groups, referred)
        if self.lex.cues(v.tokens, "format"):
            for key in (keys or referred):
                self.facts.meetings[key].virtual = True
        self._participation(v, people, groups, referred)
        self._chairmanships(v, people)
        self._partnerships(v, people)
        self._related(v)
        self._works(v, groups, referred)
        if keys:
            self.last_group = groups[0]  # the first group named is most often the sentence's subject
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
        for w in v.works:
            ev = v.evidence(w.start, w.end)
            key = naming.fold(w.label)
            if key not in self.facts.works:
                self.facts.works[key] = (w, [])
            self.facts.works[key][1].append(ev)
            self.facts.mentions.append(("work", key, w.label, ev))

    # -- participation ------------------------------------------------------------------------------
    def _participation(self, v: SentenceView, people: list[tuple], groups: list[list[tuple]],
                       referred: list[tuple]) -> None:
        if not people:
            return
        text, offset = v.text, v.offset
        cues = list(self.lex.cues(v.tokens, "participation"))
        delegation = self._delegation(v)
        spans = meeting_groups(v)
        flat = [(mm.start, mm.end, self._meeting_key(mm)) for mm in v.meetings]
        generic = [g for g in v.generic if g.number in ("singular", "plural")]
        orgs_end = {m.last for m in v.entities if "organization" in m.kinds()}
        for cue in sorted(cues + delegation, key=lambda c: c.start):
            capacity = cue.value
            passive = cue.text.lower().endswith((" by", " of"))
            nxt = v.tokens[cue.last + 1].folded if cue.last + 1 < len(v.tokens) else ""
            if capacity == "Chair" and not passive and (cue.first - 1 in orgs_end or nxt in ("of", "for")):
                continue  # "ASEAN Chair 2025 Malaysia", "Chair of the IAI Task Force": a title, not a verb
            prev = v.tokens[cue.first - 1].folded if cue.first > 0 else ""
            if cue.text.lower() == "left" and (prev in ("from", "the") or nxt in ("to", "and")):
                continue  # "From left:", "(5th from left)": a photo's direction, not a departure
            if passive:
                who = [p for p in people if p[0] >= cue.end][:1]
                meetings = [k for s, e, k in flat if e <= cue.start][-1:] or \
                    self._after(v, spans, cue.end, 40) or (referred if generic else [])
            else:
                before = [p for p in people if p[1] <= cue.start]
                who = self._subjects(v, before) if before else \
                    ([p for p in people if p[0] >= cue.end][:1] if cue.first <= 2 else [])
                meetings = self._after(v, spans, cue.end, 20)
                near = [g for g in generic if 0 <= self._gap(v, cue.end, g.start) <= 6
                        and not any(0 <= self._gap(v, g.end, mm.start) <= 3 for mm in v.meetings)]
                if near and referred and (not meetings or not any(
                        mm.start < near[0].start for g in spans for mm in g if mm.start >= cue.end)):
                    # "attended the plenary session, ... at the 46th Summit"; but "the opening
                    # ceremony of the 58th AMM" is that meeting's
                    meetings = referred
                if not meetings and cue.value == "Speaker" and not flat:
                    meetings = referred or self.last_group  # "in his closing speech": the meeting spoken of
            country = getattr(cue, "country", None)
            for _, _, person in who:
                for key in meetings:
                    self._add_participation(person, key, capacity, country, v.evidence())
        for cue in self.lex.cues(v.tokens, "participation-object"):
            # "welcomed A, B and C", "with the participation of ...": the people after the verb
            who = [p for p in people if p[0] >= cue.end]
            meetings = [k for s, e, k in flat if e <= cue.start][-1:] or self._after(v, spans, cue.end, 40) \
                or referred or self.last_group
            for _, _, person in who:
                for key in meetings:
                    self._add_participation(person, key, cue.value, None, v.evidence())
        linked = {p for p, _ in self.facts.participations if any(p == x[2] for x in people)}
        # "From left: A, B and C at the Foreign Ministers' Retreat", "X said during the summit"
        for mm_start, _, key in flat:
            if re.search(r"\b(?:at|during|on the sidelines of)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}?"
                         r"(?:of\s+the\s+)?$", text[:mm_start - offset]):  # "at the closing ceremony of the"
                for p in people:
                    if p[1] <= mm_start and p[2] not in linked:
                        self._add_participation(p[2], key, "Delegate", None, v.evidence())

    def _subjects(self, v: SentenceView, before: list[tuple]) -> list[tuple]:
        """The people a verb's subject names: the last person before it and those listed with them."""
        chosen = [before[-1]]
        for p in reversed(before[:-1]):
            gap = v.text[p[1] - v.offset:chosen[0][0] - v.offset]
            if re.fullmatch(r"[^.;:]{0,80}", gap) and re.search(r",|\band\b", gap) and \
                    not re.search(r"\b(?:with|by|to|of|from|met|meets)\b", gap):
                chosen.insert(0, p)
            else:
                break
        return chosen

    def _after(self, v: SentenceView, spans: list[list[MeetingMention]], pos: int,
               within: int = 8) -> list[tuple]:
        """The first group of meetings named within ``within`` words after character ``pos``."""
        for g in spans:
            if g[0].start >= pos:
                if self._gap(v, pos, g[0].start) <= within:
                    return [self._meeting_key(mm) for mm in g]
                return []
        return []

    @staticmethod
    def _gap(v: SentenceView, a: int, b: int) -> int:
        """Words between character positions a and b (negative when b comes first)."""
        if b < a:
            return -1
        return sum(1 for t in v.tokens if a <= t.start < b)

    def _delegation(self, v: SentenceView) -> list:
        """"led the Vietnamese delegation", "A Vietnamese delegation led by": HeadOfDelegation cues."""
        out = []
        toks = v.tokens
        for i, tok in enumerate(toks):
            if tok.folded != "delegation":
                continue
            country = None
            for m in v.entities:
                if m.last in (i - 1, i - 2) and m.kinds() & {"demonym", "country"}:
                    country = next(e.entry for e in m.entries if e.kind in ("demonym", "country"))
            lead_before = [k for k in range(max(0, i - 4), i) if toks[k].folded in _LEAD]
            if lead_before:
                out.append(_Cue(toks[lead_before[0]].start, tok.end, lead_before[0], i, "HeadOfDelegation",
                                "led the delegation", country))
                continue
            if i + 2 < len(toks) and toks[i + 1].folded in ("led", "headed") and toks[i + 2].folded == "by":
                out.append(_Cue(toks[i + 1].start, toks[i + 2].end, i + 1, i + 2, "HeadOfDelegation",
                                "delegation led by", country))
        return out

    def _add_participation(self, person: str, meeting: tuple, capacity: str, country, ev: Evidence) -> None:
        rec = self.facts.persons[person]
        if capacity == "HeadOfDelegation" and country is not None and rec.country is None:
            rec.country = country  # "A Vietnamese delegation led by X": X is Vietnamese
        country = country or rec.country
        old = self.facts.participations.get((person, meeting))
        if old is None or CAPACITY_RANK[capacity] > CAPACITY_RANK[old[0]]:
            self.facts.participations[(person, meeting)] = (capacity, country, ev)

    # -- after the last sentence ------------------------------------------------------------------------
    def _finish(self) -> None:
        # "Malaysia's ASEAN Chairmanship" (headline, no year) + "as ASEAN Chair for 2025" (no country)
        yearless = [c for c in self.facts.chairmanships if c["year"] is None]
        years = {y for y, _ in self.partial_chairs}
        if len(yearless) == 1 and len(years) == 1:
            yearless[0]["year"] = years.pop()
        self.facts.chairmanships = [c for c in self.facts.chairmanships if c.get("part") != "headline"
                                    or c["year"] is not None]
        # "handing over the gavel to Indonesia" (undated article) + "... to Joko Widodo for 2023"
        dated = {c["country"].iso3 for c in self.facts.chairmanships if c["year"] is not None}
        self.facts.chairmanships = [c for c in self.facts.chairmanships
                                    if c["year"] is not None or c["country"].iso3 not in dated]
        for theme, year, _ in self.pending_themes:
            same = [c for c in self.facts.chairmanships if year is None or c["year"] in (None, year)]
            if same and not same[0]["theme"]:
                same[0]["theme"] = theme
        self._default_places()


@dataclass
class _Cue:
    start: int
    end: int
    first: int
    last: int
    value: str
    text: str
    country: Country | None = None


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
