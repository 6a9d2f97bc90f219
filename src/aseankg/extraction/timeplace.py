"""When and where a meeting is held: dates and places of a sentence joined to the meetings it
names, and after the last sentence the place the article reports from for its own meetings.

``TimePlace`` works on the article's shared ``records.Reading`` (the facts so far, the dates it
speaks from, the dateline, its meeting keys), like ``relations.Relations``.
"""

from __future__ import annotations

import re
from datetime import date

from ..gazetteer import Country, Place
from .lexicon import Lexicon, tokenize
from .places import city_of, dateline_place, gathering_place, is_history, venue_lead
from .records import MeetingRecord, Reading, SentenceView, meeting_groups

# "in Port Dickson, Malaysia": a city named with its country
_CITY_COUNTRY = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w’'-]+\s){0,2}[A-Z][\w’'-]+),\s+"
                           r"(?:the\s+)?([A-Z][\w\s’'-]{2,30})")
#: "Laos will host the ...", "Malaysia, as Chair, is hosting ...", "congratulate Malaysia for
#: successfully hosting the 10th AMMTC": the country before the verb hosts the meetings after it
_HOST = re.compile(r"\b(?:will\s+(?:also\s+)?host|hosts|hosted|hosting|is hosting|will be hosting)\b(?!\s+by)")
#: "the previous AMMTC was hosted by Malaysia": the country after the verb hosts the meeting before it
_HOSTED_BY = re.compile(r"\b(?:hosted|organised|organized)\s+by\s*$")
#: how far (days) from the day an article speaks from a meeting may be to be one it reports
_NEAR_DAYS = 7


class TimePlace:
    """Meeting dates, places and host countries; see the module docstring."""

    def __init__(self, reading: Reading):
        self.reading = reading

    def _target_groups(self, v: SentenceView, groups: list[list[tuple]], referred: list[tuple],
                       pos: int) -> list[tuple]:
        """The meetings a date or place at character ``pos`` speaks of: the nearest group named,
        or the meetings "the Retreat" refers to when that is nearer."""
        candidates = [(g[0].start, g[-1].end, keys) for g, keys in zip(meeting_groups(v), groups, strict=True)]
        if referred:
            candidates += [(g.start, g.end, referred) for g in v.generic if g.number in ("singular", "plural")]
        if not candidates:
            return []
        return min(candidates, key=lambda c: min(abs(pos - c[0]), abs(pos - c[1])))[2]

    # -- dates ------------------------------------------------------------------------------------
    def attach_dates(self, v: SentenceView, groups: list[list[tuple]], referred: list[tuple]) -> None:
        """Each meeting takes the date nearest it: "the 12th ADMM on Friday, and the 5th ADMM-Plus
        on Saturday" dates both; a single day inside a meeting's known span narrows it ("on
        Wednesday and Thursday" ... "the East Asia Summit later that day")."""
        if not v.dates:
            return
        specific = [d for d in v.dates if len(d.start or "") == 10 or d.day]
        dates = specific or v.dates[:1]
        if len(dates) > 1 and self._own_days(v, dates):
            return
        targets = [self._target_groups(v, groups, referred, d.start_char) for d in dates]
        for d, keys in zip(dates, targets, strict=True):
            if len(dates) > 1 and not self._nearest_date(v, keys, d, dates, groups):
                continue
            for key in keys:
                _set_date(self.reading.facts.meetings[key], d.start, d.end, narrow=len(keys) == 1)

    def _own_days(self, v: SentenceView, dates: list) -> bool:
        """"in the AMM on Saturday, and in the ARF on Monday": when every meeting named is followed by
        a day of its own before the next one, each takes that day."""
        mentions = v.meetings
        own = []
        for n, mm in enumerate(mentions):
            limit = mentions[n + 1].start if n + 1 < len(mentions) else v.offset + len(v.text)
            day = next((d for d in dates if mm.end <= d.start_char < limit), None)
            if day is None:
                return False
            own.append((mm, day))
        for mm, d in own:
            _set_date(self.reading.facts.meetings[self.reading.meeting_key(mm)], d.start, d.end, narrow=True)
        return True

    def _nearest_date(self, v: SentenceView, keys: list[tuple], d, dates: list, groups: list[list[tuple]]) -> bool:
        """Whether ``d`` is, of the sentence's dates, the one nearest the meetings ``keys``."""
        spans = [(g[0].start, g[-1].end) for g, k in zip(meeting_groups(v), groups, strict=True) if k == keys]
        if not spans:
            return d is dates[0]
        lo, hi = spans[0]
        return min(dates, key=lambda x: min(abs(x.start_char - lo), abs(x.start_char - hi))) is d

    # -- places -----------------------------------------------------------------------------------
    def attach_places(self, v: SentenceView, groups: list[list[tuple]], referred: list[tuple]) -> None:
        text, offset = v.text, v.offset
        for m in v.entities:
            if not m.kinds() & {"place", "country"}:
                continue
            before = text[:m.start - offset]
            if not venue_lead(before, self.reading.lex) or \
                    is_history(before, text[m.end - offset:], self.reading.published):
                continue
            targets = self._target_groups(v, groups, referred, m.start)
            place = next((e.entry for e in m.entries if e.kind == "place"), None)
            country = next((e.entry for e in m.entries if e.kind == "country"), None)
            for key in targets:
                rec = self.reading.facts.meetings[key]
                if place is not None:
                    self._set_place(rec, city_of(place, self.reading.lex.gazetteer))
                elif country is not None and rec.host is None:
                    rec.host = country
        self._hosts(v, referred)
        # "in Port Dickson, Malaysia": a city the gazetteer does not know, named with its country
        for m in _CITY_COUNTRY.finditer(text):
            if self.reading.lex.entities(tokenize(m.group(1))):
                continue
            country = _leading_country(self.reading.lex, m.group(2))
            if country is None:
                continue
            for key in self._target_groups(v, groups, referred, m.start() + offset):
                rec = self.reading.facts.meetings[key]
                if rec.place is None and rec.new_place is None:
                    rec.new_place = (m.group(1), country)
                    rec.host = rec.host or country

    def _set_place(self, rec: MeetingRecord, place: Place, *, filed: bool = False) -> None:
        """The first place named for a meeting, unless it lies outside the country already taken to
        host it ("in Brunei on Wednesday ... a special summit they plan to hold in Tokyo"). The
        place a story is ``filed`` from outweighs a country merely named after "in" ("the crisis in
        Myanmar"): it sets the host too."""
        conflict = rec.host is not None and rec.host.iso3 != place.country
        if rec.place is not None or (conflict and not filed):
            return
        rec.place = place
        if rec.host is None or conflict:
            rec.host = self.reading.lex.gazetteer.countries.get(place.country)

    @property
    def _said_hosts(self) -> set[tuple]:
        """Meetings whose host a hosting verb names: no dateline overrides it."""
        if not hasattr(self, "_hosts_said"):
            self._hosts_said: set[tuple] = set()
        return self._hosts_said

    def _hosts(self, v: SentenceView, referred: list[tuple]) -> None:
        """Host countries: "Laos will also host the ASEAN PMC", "Malaysia ... hosting the 10th
        AMMTC", "X will host the meetings" (the meetings spoken of), "the previous AMMTC was hosted
        by Malaysia"."""
        text, offset = v.text, v.offset
        countries = [(m, next(e.entry for e in m.entries if e.kind == "country"))
                     for m in v.entities if "country" in m.kinds()]
        for host in _HOST.finditer(text):
            subject = [c for m, c in countries if m.end <= host.start() + offset]
            if not subject:
                continue
            after = [mm for g in meeting_groups(v) if g[0].start >= host.end() + offset for mm in g]
            keys = [self.reading.meeting_key(mm) for mm in after]
            plural = any(g.number == "plural" and g.start >= host.end() + offset for g in v.generic)
            if not keys and plural:
                keys = [k for k in self.reading.recent if self._current(self.reading.facts.meetings[k])]
            elif not keys and referred and any(g.start >= host.end() + offset for g in v.generic):
                keys = referred
            for key in keys:
                rec = self.reading.facts.meetings[key]
                rec.host = rec.host or subject[-1]
                self._said_hosts.add(key)
        for m, country in countries:
            if _HOSTED_BY.search(text[:m.start - offset]):
                before = [mm for mm in v.meetings if mm.end <= m.start]
                if before:
                    rec = self.reading.facts.meetings[self.reading.meeting_key(before[-1])]
                    rec.host = rec.host or country
                    self._said_hosts.add(self.reading.meeting_key(before[-1]))

    # -- after the last sentence ------------------------------------------------------------------
    def default_places(self) -> None:
        """The article's own meetings with no place are held where its lead gathers people ("global
        leaders gather in Phnom Penh") or, failing that, where it was filed (the dateline): those
        named in the headline or lead, said to be "here" or "today", or dated near the day the
        article speaks from; never a meeting of another year."""
        lead = [s for s in self.reading.article.sentences[:2]]
        place = next((p for s in lead if (p := gathering_place(s.text, self.reading.lex)) is not None), None)
        if place is None and self.reading.dateline is not None:
            place = dateline_place(self.reading.dateline.place, self.reading.lex)
        if place is None:
            return
        lead_end = lead[-1].end if lead else 0
        subjects = {rec.series_key for rec in self.reading.facts.meetings.values()
                    if any(ev.sentence.start < lead_end and ev.sentence.part == "body" for ev in rec.evidence)}
        for key, rec in self.reading.facts.meetings.items():
            if rec.place is not None or rec.new_place is not None or not self._current(rec) \
                    or (key in self._said_hosts and rec.host is not None and rec.host.iso3 != place.country):
                continue
            here = any(re.search(r"\b(today|here)\b", ev.sentence.text) for ev in rec.evidence)
            if rec.series_key in subjects or here or self._near(rec.start):
                self._set_place(rec, place, filed=True)

    def _current(self, rec: MeetingRecord) -> bool:
        """Not a meeting of another year than the one the article speaks from."""
        ref = self.reading.published
        if rec.start is None or ref is None:
            return rec.start is None or ref is None
        return rec.start[:4] == str(ref.year) or self._near(rec.start)

    def _near(self, start: str | None) -> bool:
        if start is None or len(start) != 10 or self.reading.published is None:
            return False
        return abs((date.fromisoformat(start) - self.reading.published).days) <= _NEAR_DAYS


def _set_date(rec: MeetingRecord, start: str | None, end: str | None, *, narrow: bool) -> None:
    """A meeting's first date; a later single day within its span narrows it when the day is said
    of this meeting alone."""
    if not start:
        return
    end = end or (start if len(start) == 10 else None)
    if rec.start is None:
        rec.start, rec.end = start, end
    elif start == rec.start and end and rec.end == rec.start and end > rec.end:
        rec.end = end  # "on Saturday" ... "the two-day retreat beginning Saturday"
    elif narrow and len(start) == 10 and start == end and rec.end and rec.start < rec.end \
            and rec.start <= start <= rec.end:
        rec.start, rec.end = start, end


def _leading_country(lex: Lexicon, text: str) -> Country | None:
    ents = lex.entities(tokenize(text))
    if ents and ents[0].first == 0:
        return next((e.entry for e in ents[0].entries if e.kind == "country"), None)
    return None


__all__ = ["TimePlace"]
