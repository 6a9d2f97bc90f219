"""Participation: who took part in which meeting, in what capacity, and by which construction.

Each construction of English news that states participation is a small named function in
``CONSTRUCTIONS``, the way spaCy keeps matcher patterns: it reads one sentence (a :class:`Scene`:
the people and meetings already found in it, and the meetings the discourse has in view) and
returns :class:`Claim` objects. Its name is recorded with every participation it produces
(``akg:extractionRule``), so a reviewer sees why a fact is there and a wrong rule can be found.
Finding mentions stays in the sentence components; this module only joins them.

>>> from aseankg.reading import parse_text
>>> from aseankg.extraction import extract
>>> ex = extract(parse_text("The ASEAN Economic Ministers' Meeting opened in Hanoi on 10 May 2024. "
...                         "The ministers are Indonesia's Minister of Trade Zulkifli Hasan and "
...                         "Vietnam's Minister of Industry and Trade Nguyen Hong Dien."))
>>> sorted((x.participant.rsplit("/", 1)[1], x.rule) for x in ex.participations)
[('nguyen-hong-dien', 'roster'), ('zulkifli-hasan', 'roster')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..gazetteer import Country
from ..model import Evidence
from .lexicon import Lexicon
from .meetings import MeetingMention
from .records import SentenceView, meeting_groups, word_gap

_LEAD = {"lead", "led", "leads", "leading", "head", "headed", "heads", "heading"}
_CHAIR_TITLES = {"chair", "chairman", "chairwoman", "chairperson", "co-chair", "cochair"}
# Nouns for a set of participants: "The ministers are ...", "the leaders of ..."
_GROUP_NOUNS = {"ministers", "leaders", "delegates", "participants", "officials", "fms", "heads", "members",
                "attendees", "representatives", "dignitaries", "guests", "envoys", "diplomats", "counterparts"}


@dataclass
class Claim:
    """One participation a construction read: ``person`` took part in ``meetings``."""

    person: str
    meetings: list[tuple]
    capacity: str
    country: Country | None
    rule: str


@dataclass
class Scene:
    """What a construction sees of one sentence."""

    view: SentenceView
    lex: Lexicon
    people: list[tuple[int, int, str]]  # (start, end, person key), in order
    meeting_key: Callable[[MeetingMention], tuple]
    referred: list[tuple]  # what "the meeting" / "the summits" in this sentence refers to
    in_view: list[tuple]  # the meetings the reader has in mind: those named last
    linked: set[str] = field(default_factory=set)  # people with a participation already
    roster: list[tuple] = field(default_factory=list)  # the meetings of a list a heading opened

    @property
    def text(self) -> str:
        return self.view.text

    @property
    def offset(self) -> int:
        return self.view.offset

    @property
    def flat(self) -> list[tuple[int, int, tuple]]:
        return [(mm.start, mm.end, self.meeting_key(mm)) for mm in self.view.meetings]

    @property
    def generic(self):
        return [g for g in self.view.generic if g.number in ("singular", "plural")]

    def gap(self, a: int, b: int) -> int:
        """Words between character positions a and b (-1 when b comes first)."""
        return word_gap(self.view, a, b)

    def after(self, pos: int, within: int = 8) -> list[tuple]:
        """The first group of meetings named within ``within`` words after character ``pos``."""
        for g in meeting_groups(self.view):
            if g[0].start >= pos:
                if self.gap(pos, g[0].start) <= within:
                    return [self.meeting_key(mm) for mm in g]
                return []
        return []

    def subjects(self, before: list[tuple]) -> list[tuple]:
        """The people a verb's subject names: the last person before it and those listed with them."""
        chosen = [before[-1]]
        for p in reversed(before[:-1]):
            gap = self.text[p[1] - self.offset:chosen[0][0] - self.offset].removeprefix(".")  # "Marcos Jr."
            if re.fullmatch(r"[^.;:]{0,80}", gap) and re.search(r",|\band\b", gap) and \
                    not re.search(r"\b(?:with|by|to|of|from|met|meets)\b", gap):
                chosen.insert(0, p)
            else:
                break
        return chosen


@dataclass
class _Cue:
    start: int
    end: int
    first: int
    last: int
    value: str
    text: str
    country: Country | None = None


def _delegation_cues(v: SentenceView) -> list[_Cue]:
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


# -- constructions ---------------------------------------------------------------------------------
def verb(s: Scene) -> Iterable[Claim]:
    """A participation verb with its subject: "A and B attended the X", "A led the delegation to
    the X", "A chaired the X"; passives ("the X was chaired by A", "a delegation led by A")."""
    v = s.view
    text, offset = s.text, s.offset
    orgs_end = {m.last for m in v.entities if "organization" in m.kinds()}
    flat = s.flat
    for cue in sorted(list(s.lex.cues(v.tokens, "participation")) + _delegation_cues(v), key=lambda c: c.start):
        capacity = cue.value
        passive = cue.text.lower().endswith((" by", " of"))
        nxt = v.tokens[cue.last + 1].folded if cue.last + 1 < len(v.tokens) else ""
        if capacity == "Chair" and not passive and (cue.first - 1 in orgs_end or nxt in ("of", "for")):
            continue  # "ASEAN Chair 2025 Malaysia", "Chair of the IAI Task Force": a title (see chair_title)
        prev = v.tokens[cue.first - 1].folded if cue.first > 0 else ""
        if cue.text.lower() == "left" and (prev in ("from", "the") or nxt in ("to", "and")):
            continue  # "From left:", "(5th from left)": a photo's direction, not a departure
        if _negated(text[:cue.start - offset]):
            continue  # "is expected to be absent from", "did not attend"
        if passive:
            who = [p for p in s.people if p[0] >= cue.end][:1]
            meetings = [k for st, e, k in flat if e <= cue.start][-1:] or \
                s.after(cue.end, 40) or (s.referred if s.generic else [])
            rule = "passive-verb"
        else:
            before = [p for p in s.people if p[1] <= cue.start]
            who = s.subjects(before) if before else \
                ([p for p in s.people if p[0] >= cue.end][:1] if cue.first <= 2 else [])
            meetings = s.after(cue.end, 20)
            near = [g for g in s.generic if 0 <= s.gap(cue.end, g.start) <= 6
                    and not any(0 <= s.gap(g.end, mm.start) <= 3 for mm in v.meetings)]
            if near and s.referred and (not meetings or not any(
                    mm.start < near[0].start for g in meeting_groups(v) for mm in g if mm.start >= cue.end)):
                # "attended the plenary session, ... at the 46th Summit"; but "the opening
                # ceremony of the 58th AMM" is that meeting's
                meetings = s.referred
            if not meetings and cue.value == "Speaker" and not flat:
                meetings = s.referred or s.in_view  # "in his closing speech": the meeting spoken of
            if not meetings and not flat and _joins_group(v, cue):
                meetings = s.in_view  # "X joined the ASEAN leaders for the signing": their meeting
            rule = "delegation" if isinstance(cue, _Cue) else "verb"
        country = getattr(cue, "country", None)
        for _, _, person in who:
            yield Claim(person, meetings, capacity, country, rule)


def verb_object(s: Scene) -> Iterable[Claim]:
    """The people named after the verb took part: "welcomed A, B and C", "with the participation of"."""
    for cue in s.lex.cues(s.view.tokens, "participation-object"):
        who = [p for p in s.people if p[0] >= cue.end]
        meetings = [k for st, e, k in s.flat if e <= cue.start][-1:] or s.after(cue.end, 40) \
            or s.referred or s.in_view
        for _, _, person in who:
            yield Claim(person, meetings, cue.value, None, "verb-object")


def at_meeting(s: Scene) -> Iterable[Claim]:
    """"From left: A, B and C at the Foreign Ministers' Retreat", "X said during the summit"."""
    text, offset = s.text, s.offset
    for mm_start, _, key in s.flat:
        if re.search(r"\b(?:at|during|on the sidelines of)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}?"
                     r"(?:of\s+the\s+)?$", text[:mm_start - offset]):  # "at the closing ceremony of the"
            for p in s.people:
                if p[1] <= mm_start and p[2] not in s.linked:
                    yield Claim(p[2], [key], "Delegate", None, "at-meeting")


def chair_title(s: Scene) -> Iterable[Claim]:
    """A title naming the meeting chaired: "X, Minister of Health and Chair of the 7th APTHMM",
    "In his remarks as chair of the meeting, X said"."""
    v = s.view
    for i, tok in enumerate(v.tokens[:-2]):
        if tok.folded not in _CHAIR_TITLES or v.tokens[i + 1].folded not in ("of", "for"):
            continue
        capacity = "CoChair" if tok.folded.startswith("co") else "Chair"
        j = i + 2 + (v.tokens[i + 2].folded == "the")
        meetings = [s.meeting_key(mm) for mm in v.meetings if mm.first == j]
        if not meetings and any(g.first <= j <= g.last for g in s.generic):
            meetings = s.referred or s.in_view
        if not meetings:
            continue
        # whose title: the person it is apposed to, else the sentence's next-named person
        before = [p for p in s.people if p[1] <= tok.start and re.fullmatch(
            r"[^.;:()]{0,120}", s.text[p[1] - s.offset:tok.start - s.offset])]
        after = [p for p in s.people if p[0] >= tok.end]
        titled = [p for p in s.people if p[0] <= tok.start < p[1]]  # "Chair of the AMM Bui Thanh Son"
        who = titled or before[-1:] or after[:1]
        for _, _, person in who:
            yield Claim(person, meetings, capacity, None, "chair-title")


# "The ministers are A, B and C", "In photos are (L-R) A, B", "Among those present were A and B",
# "The first to arrive was A, followed by B, C and D"
_GROUP = "|".join(sorted(_GROUP_NOUNS))
_ROSTER_HEAD = re.compile(
    r"^\s*(?:(?:the\s+)?(?:(?:\w+\s+){0,3}(?:" + _GROUP + r")(?:\s+(?:of|from|at|attending|present)\b[^,;:]{0,60})?"
    r"|following|first\s+to\s+arrive(?:\s+\w+)?"
    r"|(?:among\s+)?those\s+(?:present|attending|in\s+attendance)(?:\s+\w+){0,3})"
    r"|in\s+(?:the\s+)?(?:group\s+)?(?:photos?|pictures?|picture|photograph)(?:\s+\w+){0,2})\s+"
    r"(?:are|were|is|was|include|included|includes)\b", re.I)


def roster(s: Scene) -> Iterable[Claim]:
    """A sentence that lists the people present: "The ministers are A, B and C", "In photos are
    (L-R) A, B, ...", "The first to arrive was A, followed by B, C" — each took part in the meeting
    the sentence names, else the ones in view."""
    head = _ROSTER_HEAD.match(s.text)
    if not head or len(s.people) < 2 and not re.search(r"\bfollowed by\b", s.text):
        return
    meetings = [k for _, _, k in s.flat] or s.in_view
    for _, _, person in s.people:
        yield Claim(person, meetings, "Delegate", None, "roster")


def roster_heading(s: Scene, recent: list[tuple], series_of: Callable[[tuple], str]) -> list[tuple] | None:
    """"The following are the ASEAN FMs:", "The following are non-ASEAN members of the ARF:": a
    sentence that opens a list of people, one a line. The meetings the list is of: those the heading
    names (a mechanism's name stands for its meeting in view), else the ones in view."""
    if not s.text.rstrip().endswith(":") or not _ROSTER_HEAD.match(s.text) or s.people:
        return None
    named = [k for _, _, k in s.flat]
    if not named:
        orgs = {e.entry.key for m in s.view.entities for e in m.entries if e.kind == "organization"}
        named = [k for k in recent if series_of(k) in orgs]
    return named or s.in_view


def is_list_line(v: SentenceView) -> bool:
    """A short line of a list: "Julie Bishop - Australia", "Prak Sokhonn – Cambodia"."""
    return len(v.tokens) <= 14 and bool(re.search(r"\s[-–—]\s", v.text))


def roster_list(s: Scene) -> Iterable[Claim]:
    """A line of a list a heading opened ("Julie Bishop - Australia"): that person took part."""
    if s.roster and len(s.view.tokens) <= 14:
        for _, _, person in s.people:
            yield Claim(person, s.roster, "Delegate", None, "roster-list")


CONSTRUCTIONS: dict[str, Callable[[Scene], Iterable[Claim]]] = {
    "roster-list": roster_list,
    "verb": verb,
    "verb-object": verb_object,
    "chair-title": chair_title,
    "roster": roster,
    "at-meeting": at_meeting,
}
"""Every participation construction by name, in the order they are read: a later one sees the
people an earlier one linked (``Scene.linked``)."""


# Meetings of one level are held together as "X and related summits/meetings".
_LEVEL = {"Summit": "leaders", "MinisterialMeeting": "ministers", "Forum": "ministers", "Retreat": "ministers",
          "SeniorOfficialsMeeting": "officials"}


def related_meetings(anchors: list[tuple], meetings: dict) -> list[tuple]:
    """"A will attend the 38th and 39th ASEAN Summits and related summits": the other meetings of
    the same level the article names, held in the same month as the anchors (or undated), are
    among those related ones. ``meetings`` maps keys to records with ``meeting_class`` and ``start``."""
    levels = {_LEVEL.get(meetings[k].meeting_class) for k in anchors} - {None}
    months = {(meetings[k].start or "")[:7] for k in anchors} - {""}
    out = []
    for key, rec in meetings.items():
        if key in anchors or _LEVEL.get(rec.meeting_class) not in levels:
            continue
        if rec.start and months and rec.start[:7] not in months:
            continue
        out.append(key)
    return out


def _negated(before: str) -> bool:
    return bool(re.search(r"\b(?:not|never|no longer|absent|skip|skipped|skipping|unable to|won't|didn't|"
                          r"doesn't|cannot|can't|declined to)\s+(?:\w+\s+){0,2}$", before, re.I))


def _joins_group(v: SentenceView, cue) -> bool:
    """"joined the ASEAN leaders", "will join other Southeast Asian leaders": the object is the
    meeting's participants."""
    if not cue.text.lower().startswith("join"):
        return False
    rest = [t.folded for t in v.tokens[cue.last + 1:cue.last + 6]]
    return any(w in _GROUP_NOUNS for w in rest)


def read_participation(scene: Scene) -> list[tuple[Claim, Evidence]]:
    """Every claim the constructions read in one sentence, with the sentence as evidence."""
    out = []
    for construction in CONSTRUCTIONS.values():
        for claim in construction(scene):
            if claim.meetings:
                out.append((claim, scene.view.evidence()))
                scene.linked.add(claim.person)
    return out


__all__ = ["CONSTRUCTIONS", "Claim", "Scene", "is_list_line", "read_participation", "related_meetings",
           "roster_heading"]
