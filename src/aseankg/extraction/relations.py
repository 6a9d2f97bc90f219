"""Facts that join several mentions of a sentence: chairmanships ("ASEAN Chair 2025 Malaysia"),
partnerships ("ASEAN-New Zealand Comprehensive Strategic Partnership", coordinators and
anniversaries), related meetings ("as part of the 53rd AMM") and what a meeting adopted or
discussed.

``Relations`` works on the article's shared ``records.Reading`` (the facts so far, the dates it
speaks from, its meeting keys), which the discourse walk hands it; reference resolution stays there.
"""

from __future__ import annotations

import re

from .. import naming
from ..gazetteer import Country, Organization
from .lexicon import Match, Token
from .records import Reading, SentenceView, word_gap

_THEME = re.compile(r"\btheme\s+(?:of\s+)?[“\"‘']([^”\"’']{3,120})[”\"’']", re.I)
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_RANGE = re.compile(r"\(\s*((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\s*\)")
#: "handing over the gavel to Indonesia", "hands over the Chairmanship Gavel to Indonesian Joko
#: Widodo", "handed over the ASEAN Chairmanship to Laos": the receiver chairs next
_HANDOVER = re.compile(r"\bhand(?:s|ed|ing)?\s+over\s+(?:the\s+)?(?:ASEAN\s+)?(?:chairmanship\s+)?"
                       r"(?:gavel|chairmanship|chair)\b(?:\s+of\s+ASEAN)?\s+(?:for\s+(?P<y1>(?:19|20)\d\d)\s+)?to\b",
                       re.I)
#: a chairmanship said of the past: no present-year default
_PAST_CHAIR = re.compile(r"\b(?:previous|former|last\s+year|past|then|had\s+been|was\s+chair)\b", re.I)
_ANNIVERSARY = re.compile(r"\b((?:19|20)\d\d)\s+marks\s+the\s+(\d{1,3})(?:st|nd|rd|th)\s+anniversary", re.I)


class Relations:
    """Chairmanships, partnerships, related meetings and outcomes; see the module docstring."""

    def __init__(self, reading: Reading):
        self.reading = reading

    def related(self, v: SentenceView) -> None:
        """"The 27th ARF, as part of the 53rd AMM and Related Meetings": the ARF is one of the AMM's
        related meetings (``schema:superEvent``)."""
        for m in re.finditer(r"\b(?:as part of|on the sidelines of|in the framework of|within the framework of)\b",
                             v.text):
            pos = m.start() + v.offset
            before = [mm for mm in v.meetings if mm.end <= pos]
            after = [mm for mm in v.meetings if mm.start >= m.end() + v.offset]
            if before and after and word_gap(v, m.end() + v.offset, after[0].start) <= 2:
                parent = self.reading.meeting_key(after[0])
                for mm in before:
                    key = self.reading.meeting_key(mm)
                    if key != parent:
                        self.reading.facts.meetings[key].related_to = parent

    def chairmanships(self, v: SentenceView, people: list[tuple]) -> None:
        text = v.text
        themes = [m.group(1).strip() for m in _THEME.finditer(text)]
        toks = v.tokens
        asean = [m for m in v.entities if any(e.kind == "organization" and e.entry.key == "asean" for e in m.entries)]
        found = self._handover(v, people)  # the receiver's, not the one handing over
        for cue in () if found else self.reading.lex.cues(toks, "chairmanship"):
            org = next((m for m in asean if m.last in (cue.first - 1, cue.first - 2)
                        or (m.first in (cue.last + 2, cue.last + 3) and toks[cue.last + 1].folded == "of")
                        or (m.first == cue.last + 1 and cue.text.lower() in ("chairing", "chairs", "chaired"))), None)
            if org is None:
                continue
            lo, hi = min(org.first, cue.first), max(org.last, cue.last)
            year = _year_near(toks, lo, hi)
            if year is None and self.reading.article.published and not _PAST_CHAIR.search(text):
                # "this year's ASEAN Chair", "Brunei's ASEAN Chairmanship theme": the year the article
                # is dated (not one guessed from its weekdays)
                year = self.reading.published.year
            country = _as_chair_subject(v, lo) or self._chair_country(v, lo, hi, people)
            if country is None:
                if year is not None:
                    self.reading.partial_chairs.append((year, v.evidence(toks[lo].start, toks[hi].end)))
                continue
            theme = themes[0] if themes else None
            self.reading.facts.chairmanships.append({"country": country, "year": year, "theme": theme,
                                                     "evidence": v.evidence(toks[lo].start, toks[hi].end),
                                                     "part": v.sentence.part, "rule": "chair-cue"})
            found = True
            break
        found = found or self._possessive_chairmanship(v)
        if themes and not found:
            year = None
            for m in _YEAR.finditer(text):
                if "asean" in text.lower():
                    year = int(m.group(0))
                    break
            self.reading.pending_themes.append((themes[0], year, v.evidence()))

    def _handover(self, v: SentenceView, people: list[tuple]) -> bool:
        """"handing over the gavel to Indonesia as the next chair": the receiver's chairmanship, of
        the year named ("for 2023") or the year after the article's."""
        m = _HANDOVER.search(v.text)
        if m is None:
            return False
        after = [x for x in v.entities if x.start >= m.end() + v.offset and x.kinds() & {"country", "demonym"}]
        country = next((e.entry for e in after[0].entries if e.kind in ("country", "demonym")), None) \
            if after and after[0].start - m.end() - v.offset <= 12 else None
        if country is None:
            return False
        named = m.group("y1") or (re.search(r"\bfor\s+((?:19|20)\d\d)\b", v.text[m.end():]) or [None, None])[1]
        year = int(named) if named else (self.reading.published.year + 1 if self.reading.article.published else None)
        self.reading.facts.chairmanships.append({"country": country, "year": year, "theme": None,
                                                 "evidence": v.evidence(m.start() + v.offset, after[0].end),
                                                 "part": v.sentence.part, "rule": "gavel-handover"})
        return True

    def _possessive_chairmanship(self, v: SentenceView) -> bool:
        """"under Malaysia's 2025 chairmanship" in a sentence about ASEAN: ASEAN's chairmanship."""
        m = re.search(r"\b([A-Z][\w ]{2,30}?)[’']s\s+((?:19|20)\d\d)\s+chairmanship\b", v.text)
        if m is None or "asean" not in v.text.lower():
            return False
        ents = [x for x in v.entities if x.start - v.offset == m.start(1) and "country" in x.kinds()]
        if not ents:
            return False
        country = next(e.entry for e in ents[0].entries if e.kind == "country")
        self.reading.facts.chairmanships.append({"country": country, "year": int(m.group(2)), "theme": None,
                                                 "evidence": v.evidence(m.start() + v.offset, m.end() + v.offset),
                                                 "part": v.sentence.part, "rule": "possessive-chairmanship"})
        return True

    def _chair_country(self, v: SentenceView, lo: int, hi: int, people: list[tuple]) -> Country | None:
        toks = v.tokens
        countries = [(m, next(e.entry for e in m.entries if e.kind in ("country", "demonym")))
                     for m in v.entities if m.kinds() & {"country", "demonym"}]
        after = [c for m, c in countries if hi < m.first <= hi + 3]
        if after:
            return after[0]
        # "handed over the Chairmanship of ASEAN for 2016 to Lao Prime Minister Thongsing": the receiver
        if hi + 1 < len(toks):
            for p_start, _, key in people:
                between = v.text[toks[hi].end - v.offset:p_start - v.offset] + " "
                if p_start > toks[hi].end and re.fullmatch(r"[\s\w,]{0,20}\bto\s+", between):
                    return self.reading.facts.persons[key].country
        before = [(m, c) for m, c in countries if m.last < lo and lo - m.last <= 8]
        if before:
            return before[-1][1]
        near = [p for p in people if abs(p[1] - toks[lo].start) < 40 or abs(p[0] - toks[hi].end) < 40]
        for _, _, key in near:
            if self.reading.facts.persons[key].country is not None:
                return self.reading.facts.persons[key].country
        if re.search(r"\bthe country\b|\bits role\b", v.text) and people:
            return self.reading.facts.persons[people[0][2]].country
        return None

    def _pairs(self, v: SentenceView) -> list[tuple[int, int, object]]:
        """"ASEAN-New Zealand", "US-ASEAN": (first token, last token, partner) in the sentence."""
        out = []
        ents = sorted(v.entities, key=lambda m: m.first)
        for a, b in zip(ents, ents[1:], strict=False):
            if b.first != a.last + 1:
                continue
            gap = v.text[a.end - v.offset:b.start - v.offset]
            if gap.strip() not in ("-", "–", "+"):
                continue
            ka, kb = _party(a), _party(b)
            if _is_asean(ka) and kb is not None and not _is_asean(kb):
                out.append((a.first, b.last, kb))
            elif _is_asean(kb) and ka is not None and not _is_asean(ka):
                out.append((a.first, b.last, ka))
        return out

    def _partnership(self, partner) -> dict:
        key = partner.iso3 if isinstance(partner, Country) else partner.key
        return self.reading.facts.partnerships.setdefault(key, {"partner": partner, "level": None, "established": None,
                                                         "coordinator": None, "from": None, "until": None,
                                                         "evidence": None})

    def partnerships(self, v: SentenceView, people: list[tuple]) -> None:
        text = v.text
        pairs = self._pairs(v)
        levels = [(m, next(e.entry for e in m.entries if e.kind == "level")) for m in v.entities
                  if "level" in m.kinds()]
        for m, level in levels:
            partners = [p for f, last, p in pairs if last in (m.first - 1,)]
            if not partners and "asean" in text.lower():
                partners = [p for f, last, p in pairs] or self._non_member_countries(v, m)
            if re.search(r"\b(?:namely|including|:)", text[m.end - v.offset:m.end - v.offset + 30]):
                listed = [_party(e) for e in v.entities if e.first > m.last]
                partners = [p for p in listed if p is not None and not _is_asean(p) and not _member(p)]
            for p in partners:
                rec = self._partnership(p)
                if rec["level"] is None or level.rank > rec["level"].rank:
                    rec["level"] = level
                rec["evidence"] = rec["evidence"] or v.evidence(m.start, m.end)
        ann = _ANNIVERSARY.search(text)
        if ann and pairs and re.search(r"partnership|relations|dialogue", text, re.I):
            for _, _, p in pairs:
                rec = self._partnership(p)
                rec["established"] = rec["established"] or int(ann.group(1)) - int(ann.group(2))
        if self.reading.lex.cues(v.tokens, "coordination") and pairs:
            coordinator = self._coordinator(v, pairs, people)
            # "coordinating ASEAN-New Zealand relations and ASEAN-UK relations (2024-2027)"
            rng = re.search(r"\brelations\s*" + _RANGE.pattern, text)
            if coordinator is not None:
                for _, _, p in pairs:
                    rec = self._partnership(p)
                    rec["coordinator"] = rec["coordinator"] or coordinator
                    rec["evidence"] = rec["evidence"] or v.evidence()
                    if rng and rec["from"] is None:
                        rec["from"], rec["until"] = int(rng.group(1)), int(rng.group(2))

    def _coordinator(self, v: SentenceView, pairs: list[tuple], people: list[tuple]) -> Country | None:
        in_pairs = {id(p) for _, _, p in pairs}
        inside = {k for f, last, _ in pairs for k in range(f, last + 1)}
        for m in v.entities:
            if m.first in inside or not m.kinds() & {"country"}:
                continue
            c = next(e.entry for e in m.entries if e.kind == "country")
            if id(c) not in in_pairs and _member(c):
                return c
        for _, _, key in people:
            c = self.reading.facts.persons[key].country
            if c is not None:
                return c
        return None

    def _non_member_countries(self, v: SentenceView, level_match: Match) -> list:
        out = []
        for m in v.entities:
            if "country" in m.kinds():
                c = next(e.entry for e in m.entries if e.kind == "country")
                if not _member(c) and c not in out:
                    out.append(c)
        return out

    def works(self, v: SentenceView, groups: list[list[tuple]], referred: list[tuple]) -> None:
        if not v.works:
            return
        for cue in self.reading.lex.cues(v.tokens, "outcome"):
            after = [w for w in v.works if w.start >= cue.end][:3]
            if not after:
                continue
            flat = [(mm.start, self.reading.meeting_key(mm)) for mm in v.meetings]
            # "The 27th ARF, as part of the 53rd AMM and Related Meetings, has adopted": not the AMM
            parents = {self.reading.facts.meetings[k].related_to for _, k in flat}
            flat = [(s, k) for s, k in flat if k not in parents] or flat
            meeting = [k for s, k in flat if s < cue.start][-1:] or [k for s, k in flat][:1] or referred[:1]
            for key in meeting:
                for w in after:
                    outcome = (key, cue.value, naming.fold(w.label), v.evidence(w.start, w.end))
                    self.reading.facts.outcomes.append(outcome)


def _party(m: Match):
    for e in m.entries:
        if e.kind in ("country", "organization"):
            return e.entry
    return None


def _is_asean(x) -> bool:
    return isinstance(x, Organization) and x.key == "asean"


def _member(x) -> bool:
    return isinstance(x, Country) and "asean-member" in x.groups


def _as_chair_subject(v: SentenceView, lo: int) -> Country | None:
    """"Brunei, which is hosting the meetings as this year's chairman of ASEAN", "Singapore, as
    Asean chair, ...", "Malaysia, in its capacity as ASEAN Chair": the country before "as"."""
    toks = v.tokens
    as_at = next((k for k in range(lo - 1, max(-1, lo - 5), -1) if toks[k].folded == "as"), None)
    if as_at is None:
        return None
    before = [m for m in v.entities if m.last < as_at and as_at - m.last <= 12 and m.kinds() & {"country", "demonym"}]
    if not before:
        return None
    return next(e.entry for e in before[-1].entries if e.kind in ("country", "demonym"))


def _year_near(tokens: list[Token], lo: int, hi: int) -> int | None:
    for k in list(range(hi + 1, min(len(tokens), hi + 4))) + list(range(max(0, lo - 2), lo)):
        if re.fullmatch(r"(19|20)\d\d", tokens[k].text):
            return int(tokens[k].text)
    return None
