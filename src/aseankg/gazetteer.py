"""The curated gazetteer: countries, organisations, meeting series, roles, places, partnership
levels and honorifics, read from the CSV files in ``data/gazetteer/`` (see its README).

Nothing here is a literal list of names: the records come from the data files, and this module
indexes them by folded surface form (``naming.fold``) for the extractor.

>>> load_gazetteer().country("Viet Nam").iso3
'VNM'
>>> gaz = load_gazetteer()
>>> gaz.country("Vietnamese").iso3, gaz.country("vietnam").iso3
('VNM', 'VNM')
>>> [e.kind for e in gaz.lookup("US")]
['country', 'demonym']
>>> gaz.lookup_exact("us")
[]
>>> gaz.lookup_exact("AMM")[0].entry.key
'amm'
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib import namespace as ns

from . import naming, settings

AKG = rdflib.Namespace(settings.ONTOLOGY_NS)
# rdflib's closed namespaces are reached through ``ns``: importing them as module globals makes
# pytest's doctest collector warn about probing their attributes.
WIKIDATA = "http://www.wikidata.org/entity/"

#: Entry kinds in the order ``lookup`` returns them.
KINDS = ("country", "demonym", "organization", "series", "role", "place", "level")


def _split(cell: str) -> tuple[str, ...]:
    """A multi-valued cell: values separated by ``|``, blanks dropped, order kept."""
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _case_key(text: str) -> str:
    """Like ``naming.fold`` but keeping case: ``'U.S.'`` → ``'U S'``."""
    text = naming.ascii_fold(text).replace("'", "").replace("’", "")
    return " ".join(re.findall(r"[A-Za-z0-9]+", text))


def is_case_sensitive(alias: str) -> bool:
    """Whether an alias must be matched with its case: acronyms in capitals, or with digits.

    >>> is_case_sensitive("US"), is_case_sensitive("U.S."), is_case_sensitive("G20"), is_case_sensitive("Lao")
    (True, True, True, False)
    """
    letters = [c for c in naming.ascii_fold(alias) if c.isalpha()]
    if any(c.isdigit() for c in alias):
        return True
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Country:
    """A country, keyed by its ISO 3166-1 alpha-3 code."""

    iso3: str
    iso2: str
    name: str
    official_name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str
    wikidata: str
    groups: tuple[str, ...]

    @property
    def iri(self) -> str:
        return naming.country_iri(self.iso3)

    @property
    def names(self) -> tuple[str, ...]:
        """Every surface name (short name, official name, aliases), without demonyms."""
        return _unique((self.name, self.official_name, *self.aliases))


@dataclass(frozen=True)
class Organization:
    """An organisation or mechanism; ``parent`` is the key of the organisation it belongs to."""

    key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    wikidata: str
    parent: str

    @property
    def iri(self) -> str:
        return naming.org_iri(self.key)

    @property
    def names(self) -> tuple[str, ...]:
        return _unique((self.name, *self.aliases))


@dataclass(frozen=True)
class Series:
    """A meeting series. ``body`` is the generic name used when the series is composed with a
    partner ("ASEAN-China Summit"), ``convener`` the key of the convening organisation."""

    key: str
    name: str
    aliases: tuple[str, ...]
    meeting_class: str
    body: str
    body_aliases: tuple[str, ...]
    convener: str
    wikidata: str

    @property
    def iri(self) -> str:
        return naming.series_iri(self.key)

    @property
    def names(self) -> tuple[str, ...]:
        return _unique((self.name, *self.aliases))

    @property
    def bodies(self) -> tuple[str, ...]:
        return _unique((self.body, *self.body_aliases))


@dataclass(frozen=True)
class Role:
    """A kind of post (``org:Role``): Foreign Minister, Ambassador, Secretary-General, ..."""

    key: str
    label: str
    aliases: tuple[str, ...]
    category: str

    @property
    def iri(self) -> str:
        return naming.role_iri(self.key)

    @property
    def names(self) -> tuple[str, ...]:
        return _unique((self.label, *self.aliases))


@dataclass(frozen=True)
class Place:
    """A city, region or venue; ``country`` is an ISO3 code, ``city`` a place key (venues)."""

    key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    wikidata: str
    city: str = ""

    @property
    def iri(self) -> str:
        return naming.place_iri(self.key)

    @property
    def names(self) -> tuple[str, ...]:
        return _unique((self.name, *self.aliases))


@dataclass(frozen=True)
class PartnershipLevel:
    """A level of partnership; a higher ``rank`` is a closer partnership."""

    key: str
    label: str
    aliases: tuple[str, ...]
    rank: int

    @property
    def iri(self) -> str:
        return f"{settings.ID_NS}level/{self.key}"

    @property
    def names(self) -> tuple[str, ...]:
        return _unique((self.label, *self.aliases))


@dataclass(frozen=True)
class Entry:
    """One hit of the alias index.

    ``exact`` is true for aliases that only match with their own case (acronyms in capitals or
    with digits): "US" is the United States, "us" is a pronoun.
    """

    kind: str  # "country" | "demonym" | "organization" | "series" | "role" | "place" | "level"
    entry: object  # the record
    text: str  # the alias as curated
    exact: bool = False

    def accepts(self, surface: str) -> bool:
        """Whether ``surface`` (already equal to ``text`` once folded) matches with the right case."""
        if not self.exact:
            return naming.fold(surface) == naming.fold(self.text)
        return _case_key(surface) == _case_key(self.text)

    @property
    def iri(self) -> str:
        return self.entry.iri  # type: ignore[attr-defined]


@dataclass
class Gazetteer:
    """The gazetteer records by key, with an index of every name by its folded form."""

    countries: dict[str, Country] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    levels: dict[str, PartnershipLevel] = field(default_factory=dict)
    honorifics: tuple[str, ...] = ()
    _index: dict[str, list[Entry]] = field(default_factory=dict, repr=False)
    _bodies: dict[str, list[Series]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.honorifics = tuple(sorted(self.honorifics, key=lambda h: (-len(h), h)))
        for entry in self._entries():
            key = naming.fold(entry.text)
            if key and entry not in self._index.setdefault(key, []):
                self._index[key].append(entry)
        for s in self.series.values():
            for body in s.bodies:
                bucket = self._bodies.setdefault(naming.fold(body), [])
                if s not in bucket:
                    bucket.append(s)

    def _entries(self) -> Iterator[Entry]:
        def make(kind: str, record: object, names: Iterable[str]) -> Iterator[Entry]:
            for text in names:
                yield Entry(kind, record, text, is_case_sensitive(text))

        for c in self.countries.values():
            yield from make("country", c, c.names)
            yield from make("demonym", c, c.demonyms)
        for o in self.organizations.values():
            yield from make("organization", o, o.names)
        for s in self.series.values():
            yield from make("series", s, s.names)
        for r in self.roles.values():
            yield from make("role", r, r.names)
        for p in self.places.values():
            yield from make("place", p, p.names)
        for lv in self.levels.values():
            yield from make("level", lv, lv.names)

    def lookup(self, text: str) -> list[Entry]:
        """Entries whose name, alias or demonym equals ``text`` once both are folded (any case)."""
        return list(self._index.get(naming.fold(text), ()))

    def lookup_exact(self, text: str) -> list[Entry]:
        """Like ``lookup``, but acronyms match only with their own case ("US", not "us")."""
        return [e for e in self.lookup(text) if e.accepts(text)]

    def aliases(self) -> dict[str, list[Entry]]:
        """Folded alias → entries, for building matchers (a copy: changing it changes nothing)."""
        return {k: list(v) for k, v in self._index.items()}

    def country(self, text: str) -> Country | None:
        """The country named by ``text``: a name, alias, demonym, or ISO code in capitals.

        >>> load_gazetteer().country("USA").name
        'United States'
        """
        stripped = text.strip()
        if stripped in self.countries:
            return self.countries[stripped]
        for c in self.countries.values():
            if stripped == c.iso2:
                return c
        for e in self.lookup_exact(text):
            if e.kind in ("country", "demonym"):
                return e.entry  # type: ignore[return-value]
        return None

    def in_group(self, group: str) -> list[Country]:
        """Countries in a group of ``countries.csv`` ("asean-member", "dialogue-partner", "apt", ...).

        >>> len(load_gazetteer().in_group("asean-member"))
        11
        """
        return sorted((c for c in self.countries.values() if group in c.groups), key=lambda c: c.iso3)

    def series_for_body(self, text: str, convener: str | None = "asean") -> list[Series]:
        """The series whose generic body name is ``text`` ("Foreign Ministers' Meeting" → amm),
        limited to one convener unless ``convener`` is None; for composing "ASEAN-<partner> <body>"."""
        found = self._bodies.get(naming.fold(text), [])
        return [s for s in found if convener is None or s.convener == convener]

    def reference_graph(self) -> rdflib.Graph:
        """The reference data in the project vocabulary (DESIGN.md), as a new graph."""
        return build_reference_graph(self)


def build_reference_graph(gaz: Gazetteer) -> rdflib.Graph:
    g = rdflib.Graph()
    for prefix, namespace in (("akg", AKG), ("org", ns.ORG), ("skos", ns.SKOS), ("id", settings.ID_NS)):
        g.bind(prefix, namespace)

    def labels(node: rdflib.URIRef, label: str, alts: Iterable[str], wikidata: str = "") -> None:
        g.add((node, ns.RDFS.label, rdflib.Literal(label, lang="en")))
        for alt in _unique(alts):
            if alt != label:
                g.add((node, ns.SKOS.altLabel, rdflib.Literal(alt, lang="en")))
        if wikidata:
            g.add((node, ns.SKOS.exactMatch, rdflib.URIRef(WIKIDATA + wikidata)))

    capitals = {naming.fold(n): p for p in gaz.places.values() if p.kind == "city" for n in p.names}
    for c in gaz.countries.values():
        node = rdflib.URIRef(c.iri)
        g.add((node, ns.RDF.type, AKG.Country))
        labels(node, c.name, (c.official_name, *c.aliases, c.iso3, c.iso2), c.wikidata)
        g.add((node, AKG.iso3, rdflib.Literal(c.iso3, datatype=ns.XSD.string)))
        g.add((node, AKG.iso2, rdflib.Literal(c.iso2, datatype=ns.XSD.string)))
        capital = capitals.get(naming.fold(c.capital)) if c.capital else None
        if capital is not None and capital.country == c.iso3:
            g.add((node, AKG.capital, rdflib.URIRef(capital.iri)))
    for o in gaz.organizations.values():
        node = rdflib.URIRef(o.iri)
        g.add((node, ns.RDF.type, AKG.Organization))
        labels(node, o.name, o.aliases, o.wikidata)
        if o.parent:
            g.add((node, ns.ORG.subOrganizationOf, rdflib.URIRef(gaz.organizations[o.parent].iri)))
    for s in gaz.series.values():
        node = rdflib.URIRef(s.iri)
        g.add((node, ns.RDF.type, AKG.MeetingSeries))
        labels(node, s.name, s.aliases, s.wikidata)
    for r in gaz.roles.values():
        node = rdflib.URIRef(r.iri)
        g.add((node, ns.RDF.type, ns.ORG.Role))
        labels(node, r.label, r.aliases)
    for p in gaz.places.values():
        node = rdflib.URIRef(p.iri)
        g.add((node, ns.RDF.type, AKG.Place))
        labels(node, p.name, p.aliases, p.wikidata)
        g.add((node, AKG.inCountry, rdflib.URIRef(gaz.countries[p.country].iri)))
    for lv in gaz.levels.values():
        node = rdflib.URIRef(lv.iri)
        g.add((node, ns.RDF.type, AKG.PartnershipLevel))
        labels(node, lv.label, lv.aliases)
    return g


# --- reading the files ------------------------------------------------------------------------

_COLUMNS = {
    "countries.csv": ("iso3", "iso2", "name", "official_name", "aliases", "demonyms", "capital", "wikidata",
                      "groups"),
    "organizations.csv": ("key", "name", "aliases", "kind", "wikidata", "parent"),
    "series.csv": ("key", "name", "aliases", "meeting_class", "body", "body_aliases", "convener", "wikidata"),
    "roles.csv": ("key", "label", "aliases", "category"),
    "places.csv": ("key", "name", "aliases", "kind", "country", "wikidata", "city"),
    "partnership_levels.csv": ("key", "label", "aliases", "rank"),
    "honorifics.csv": ("text", "note"),
}
_REQUIRED = {
    "countries.csv": ("iso3", "iso2", "name"),
    "organizations.csv": ("key", "name", "kind"),
    "series.csv": ("key", "name", "meeting_class", "convener"),
    "roles.csv": ("key", "label", "category"),
    "places.csv": ("key", "name", "kind", "country"),
    "partnership_levels.csv": ("key", "label", "rank"),
    "honorifics.csv": ("text",),
}
_MULTI = {"aliases", "demonyms", "groups", "body_aliases"}


class GazetteerError(ValueError):
    """A gazetteer file is malformed; the message names the file and line."""


def _rows(path: Path) -> Iterator[tuple[int, dict]]:
    """Rows of a gazetteer CSV as dicts (multi-valued cells as tuples), with their line numbers."""
    expected = _COLUMNS[path.name]
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = tuple(reader.fieldnames or ())
        if header != expected:
            raise GazetteerError(f"{path}:1: columns are {header}, expected {expected}")
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise GazetteerError(f"{path}:{line}: expected {len(expected)} cells, fix the quoting")
            if not any(v.strip() for v in row.values()):
                continue
            for col in _REQUIRED[path.name]:
                if not row[col].strip():
                    raise GazetteerError(f"{path}:{line}: column {col!r} is empty")
            yield line, {k: _split(v) if k in _MULTI else v.strip() for k, v in row.items()}


def _keyed(path: Path, key: str, make) -> dict:
    records: dict = {}
    for line, row in _rows(path):
        if row[key] in records:
            raise GazetteerError(f"{path}:{line}: duplicate {key} {row[key]!r}")
        try:
            records[row[key]] = make(row)
        except ValueError as exc:
            raise GazetteerError(f"{path}:{line}: {exc}") from None
    return records


def read_gazetteer(directory: Path) -> Gazetteer:
    """Read the gazetteer files in ``directory`` (no caching; see ``load_gazetteer``)."""
    d = Path(directory)
    for name in _COLUMNS:
        if not (d / name).is_file():
            raise GazetteerError(f"{d / name}: missing gazetteer file")
    gaz = Gazetteer(
        countries=_keyed(d / "countries.csv", "iso3", lambda r: Country(**r)),
        organizations=_keyed(d / "organizations.csv", "key", lambda r: Organization(**r)),
        series=_keyed(d / "series.csv", "key", lambda r: Series(**r)),
        roles=_keyed(d / "roles.csv", "key", lambda r: Role(**r)),
        places=_keyed(d / "places.csv", "key", lambda r: Place(**r)),
        levels=_keyed(d / "partnership_levels.csv", "key",
                      lambda r: PartnershipLevel(**{**r, "rank": int(r["rank"])})),
        honorifics=tuple(dict.fromkeys(row["text"] for _, row in _rows(d / "honorifics.csv"))),
    )
    _check_references(gaz, d)
    return gaz


def _check_references(gaz: Gazetteer, d: Path) -> None:
    """Keys that point at other records must exist."""
    for o in gaz.organizations.values():
        if o.parent and o.parent not in gaz.organizations:
            raise GazetteerError(f"{d / 'organizations.csv'}: {o.key}: unknown parent {o.parent!r}")
    for s in gaz.series.values():
        if s.convener not in gaz.organizations:
            raise GazetteerError(f"{d / 'series.csv'}: {s.key}: unknown convener {s.convener!r}")
    for p in gaz.places.values():
        if p.country not in gaz.countries:
            raise GazetteerError(f"{d / 'places.csv'}: {p.key}: unknown country {p.country!r}")
        if p.city and p.city not in gaz.places:
            raise GazetteerError(f"{d / 'places.csv'}: {p.key}: unknown city {p.city!r}")


@lru_cache(maxsize=8)
def _load(directory: str) -> Gazetteer:
    return read_gazetteer(Path(directory))


def load_gazetteer(directory: Path = settings.GAZETTEER_DIR) -> Gazetteer:
    """The gazetteer in ``directory``, read once per directory and shared (treat it as read-only)."""
    return _load(str(Path(directory).resolve()))
