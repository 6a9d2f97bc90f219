"""Plain data classes passed between the stages of the data flow (DESIGN.md).

``Article`` (reading) → ``Mention`` (mentions) → facts (extraction) → RDF (rdf).
Entity references are IRIs as plain strings; the RDF stage turns them into terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Sentence:
    """A sentence with its character offsets in ``Article.body``, or, when ``part`` is
    ``"caption:N"``, in the article's N-th photo caption."""

    start: int
    end: int
    text: str
    part: str = "body"


@dataclass
class Article:
    """One news article, read and cleaned.

    ``body`` is the article text with page boilerplate removed; ``captions`` and ``boilerplate``
    hold what was set apart. ``id`` is the sha256 of the normalised body. ``record`` is set for
    one record of a JSON list or JSON Lines file: the record's own id (``id``, ``guid``, ``@id``
    or ``identifier``), or ``""`` when it states none; None for an article that is its whole file.
    """

    id: str
    body: str
    headline: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    source_file: str | None = None
    dateline: str | None = None  # "Kuala Lumpur (VNA) –": where the story was filed, not a venue
    sentences: list[Sentence] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    record: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Where a fact is stated: the sentence and the character span in the article body."""

    sentence: Sentence
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.sentence.text[self.start - self.sentence.start:self.end - self.sentence.start]


@dataclass(frozen=True)
class Mention:
    """A surface form in the body that refers to an entity."""

    entity: str
    text: str
    evidence: Evidence
    kind: str = ""


@dataclass
class Meeting:
    iri: str
    label: str
    kind: str  # ontology class local name: Meeting, Summit, MinisterialMeeting, ...
    series: str | None = None
    ordinal: int | None = None
    start: str | None = None  # xsd:date, gYearMonth or gYear lexical form
    end: str | None = None
    location: str | None = None  # Place IRI
    host_country: str | None = None
    virtual: bool = False
    upcoming: bool = False
    alt_labels: set[str] = field(default_factory=set)
    related_to: str | None = None  # schema:superEvent
    prepares_for: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)  # the constructions that named it


@dataclass
class Person:
    iri: str
    label: str
    nationality: str | None = None  # Country IRI
    alt_labels: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Post:
    """A position: ``role`` (Role IRI) in ``post_in`` (Country or Organization IRI)."""

    iri: str
    label: str
    role: str
    post_in: str | None = None


@dataclass
class Holding:
    """``person`` holds ``post``, as reported in the article."""

    person: str
    post: str
    evidence: Evidence


@dataclass
class Participation:
    participant: str
    meeting: str
    capacity: str  # Chair, CoChair, HeadOfDelegation, Delegate, Speaker
    represents: str | None = None
    evidence: Evidence | None = None
    rule: str | None = None  # the construction that read it (extraction.participation.CONSTRUCTIONS)
    upcoming: bool | None = None  # the article announces it (True) or reports it done (False)


@dataclass
class Chairmanship:
    country: str
    organization: str
    year: int
    theme: str | None = None
    evidence: Evidence | None = None
    rule: str | None = None  # the construction that read it


@dataclass
class Partnership:
    parties: tuple[str, ...]
    level: str | None = None  # partnership level IRI
    established: int | None = None
    coordinator: str | None = None
    coordinator_from: int | None = None
    coordinator_until: int | None = None
    evidence: Evidence | None = None


@dataclass
class Body:
    """A national body named in full (a ministry, department, office, agency) and its country."""

    iri: str
    label: str
    country: str  # Country IRI
    aliases: set[str] = field(default_factory=set)  # its acronym and the names as written
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Work:
    """A named initiative or document (declaration, agreement, plan, vision, fund, ...)."""

    iri: str
    label: str
    kind: str  # Initiative or Document
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class MeetingOutcome:
    """A meeting ``adopted`` or ``discussed`` a work."""

    meeting: str
    relation: str  # adopted | discussed
    work: str
    evidence: Evidence | None = None


@dataclass
class Place:
    iri: str
    label: str
    country: str | None = None
    kind: str = "city"  # city | venue


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    chairmanships: list[Chairmanship] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    outcomes: list[MeetingOutcome] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    #: series composed in this article ("ASEAN-New Zealand Foreign Ministers' Meeting"): IRI -> (label, class)
    series_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: roles read from titles that the gazetteer does not list: IRI -> label
    role_labels: dict[str, str] = field(default_factory=dict)
    #: titles as written, per post IRI ("Head of SOM ASEAN Vietnam")
    post_aliases: dict[str, set[str]] = field(default_factory=dict)
