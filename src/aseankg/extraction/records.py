"""The records the discourse pass keeps while it reads an article: one view per sentence, and
the meetings, people and facts gathered so far (before IRIs are minted)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..gazetteer import Country, Place
from ..model import Article, Evidence, Sentence
from .bodies import BodyMention
from .datelines import Dateline
from .dates import DateSpan
from .lexicon import Lexicon, Match, Token
from .meetings import GenericReference, MeetingMention
from .people import PersonMention, RoleReference
from .works import WorkMention


@dataclass
class SentenceView:
    """Everything the components found in one sentence."""

    sentence: Sentence
    tokens: list[Token]
    entities: list[Match]
    meetings: list[MeetingMention]
    generic: list[GenericReference]
    persons: list[PersonMention]
    role_refs: list[RoleReference]
    dates: list[DateSpan]
    works: list[WorkMention] = field(default_factory=list)
    bodies: list[BodyMention] = field(default_factory=list)
    future: bool | None = None

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def offset(self) -> int:
        return self.sentence.start

    def evidence(self, start: int | None = None, end: int | None = None) -> Evidence:
        return Evidence(self.sentence, self.sentence.start if start is None else start,
                        self.sentence.end if end is None else end)


@dataclass
class MeetingRecord:
    key: tuple[str, int | None]
    label: str
    series_key: str
    series_label: str
    meeting_class: str
    composed: bool
    ordinal: int | None
    qualifier: str | None = None
    aliases: set[str] = field(default_factory=set)
    start: str | None = None
    end: str | None = None
    place: Place | None = None
    new_place: tuple[str, Country] | None = None  # a city named in text, not in the gazetteer
    host: Country | None = None
    virtual: bool = False
    future: int = 0
    past: int = 0
    related_to: tuple | None = None
    evidence: list[Evidence] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)  # the constructions that named it


@dataclass
class PersonRecord:
    key: str
    name: str
    labels: set[str] = field(default_factory=set)
    country: Country | None = None
    posts: list[tuple] = field(default_factory=list)  # (RoleRef, holder Country|Organization|None, surface, Evidence)
    role_words: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Facts:
    """What the discourse pass produced, before IRIs are minted."""

    meetings: dict[tuple, MeetingRecord] = field(default_factory=dict)
    persons: dict[str, PersonRecord] = field(default_factory=dict)
    # (person, meeting) -> (capacity, country, Evidence)
    participations: dict[tuple, tuple] = field(default_factory=dict)
    country_participations: dict[tuple, tuple] = field(default_factory=dict)
    chairmanships: list[dict] = field(default_factory=list)
    partnerships: dict[str, dict] = field(default_factory=dict)  # partner key -> fields
    works: dict[str, tuple[WorkMention, list[Evidence]]] = field(default_factory=dict)
    # national bodies: key -> (first mention, evidence, names and acronyms as written)
    bodies: dict[str, tuple[BodyMention, list[Evidence], set[str]]] = field(default_factory=dict)
    outcomes: list[tuple] = field(default_factory=list)  # (meeting key, relation, work label, Evidence)
    mentions: list[tuple] = field(default_factory=list)  # (kind, target, text, Evidence)


def _between(text: str, offset: int, a_end: int, b_start: int) -> str:
    return text[a_end - offset:b_start - offset]


#: What may stand between two meetings of one list: "A, B and C", "A; the B", and "A and other sideline
#: events; the B, the C", where the second part names the other events.
_LIST_GAP = re.compile(r"[\s,;]*(?:(?:and|as well as|&)\s+)?"
                       r"(?:other\s+(?:sideline\s+|side\s+|related\s+)?(?:events|meetings)\s*[;:]\s*)?(?:the\s+)?")
#: "in the AMM on Saturday, and in the ARF on Monday": each item of the list has its own day
_ITEM_DAY = re.compile(r"^\s*(?:on|from)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                       r"\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})\b(?=\s*,?\s*(?:and|as well as)\s)")
_PREPOSITION = re.compile(r"((?:and|as well as)\s+)(?:in|at)\s+")


def meeting_groups(view: SentenceView) -> list[list[MeetingMention]]:
    """Meetings in a coordinated list ("the 44th and 45th ASEAN Summits", "A, B and C") share facts."""
    groups: list[list[MeetingMention]] = []
    for mm in view.meetings:
        if groups:
            gap = _between(view.text, view.offset, groups[-1][-1].end, mm.start)
            gap = _PREPOSITION.sub(r"\1", _ITEM_DAY.sub("", gap)) if _ITEM_DAY.match(gap) else gap
            if mm.start <= groups[-1][-1].end or re.fullmatch(_LIST_GAP, re.sub(r"\([^)]*\)", "", gap)):
                groups[-1].append(mm)
                continue
        groups.append([mm])
    return groups


def word_gap(view: SentenceView, a: int, b: int) -> int:
    """Words between character positions a and b of a sentence (-1 when b comes first)."""
    if b < a:
        return -1
    return sum(1 for t in view.tokens if a <= t.start < b)


@dataclass
class Reading:
    """What the components that join an article's mentions share while it is read: the facts so
    far, the dates the article speaks from, and which meetings it has named. The discourse walk
    owns it; ``relations.Relations`` and ``timeplace.TimePlace`` read and add to it."""

    article: Article
    lex: Lexicon
    published: date | None  # the day the article speaks from
    dateline: Dateline | None = None
    facts: Facts = field(default_factory=Facts)
    numbered: dict[str, set[int]] = field(default_factory=dict)  # series key -> ordinals named
    recent: list[tuple] = field(default_factory=list)  # meetings in the order last named
    pending_themes: list[tuple[str, int | None, Evidence]] = field(default_factory=list)
    partial_chairs: list[tuple[int, Evidence]] = field(default_factory=list)  # "as ASEAN Chair for 2025": whose?

    def meeting_key(self, mm: MeetingMention) -> tuple:
        """A meeting's identity; "the Summit" is the article's one numbered ASEAN Summit."""
        if mm.ordinal is None and len(self.numbered.get(mm.series_key, ())) == 1:
            return (mm.series_key, next(iter(self.numbered[mm.series_key])))
        return mm.identity
