"""Network projections: the RDF graph seen as networkx graphs, one documented choice each.

``project(store, projection)`` reads what it needs from a store (SPARQL, no inference) and returns:

``actors`` (``nx.Graph``)
    People, countries and organisations that took part in a meeting: an ``akg:Participation``'s
    ``akg:participant`` and the country or organisation it ``akg:represents`` both count as taking
    part. Two actors are linked when they took part in the same meeting; ``weight`` is the number
    of distinct meetings they shared (``kind="co-attendance"``).
``meetings`` (``nx.MultiGraph``)
    Every meeting. Two meetings are linked by a ``kind="shared-participants"`` edge (``weight`` =
    the number of actors, counted as above, that took part in both) and, separately, by a
    ``kind="same-series"`` edge (``weight`` 1) when they belong to the same ``akg:inSeries``.
``bipartite`` (``nx.Graph``)
    Actors (``bipartite=0``) and meetings (``bipartite=1``); one edge per actor and meeting,
    ``kind="participant"`` when the actor was an ``akg:participant`` itself, else ``"represented"``,
    with the capacities (``akg:Chair``, ...) joined in ``capacity``.
``full`` (``nx.MultiDiGraph``)
    Every entity named in an article graph (articles and mentions, the provenance layer, are left
    out) and every relation between two of them, keyed by the property's local name (``kind``);
    ``weight`` is the number of graphs stating it. Relations from the reference data are kept
    when both ends are already in the graph. Enumerated values (capacities, status, attendance
    mode) and a few literals (ordinal, year, theme, ...) become node attributes.

Node attributes: ``label``, ``type`` (broad class, for Gephi's Partition: Person, Country,
Organization, Meeting, ...), ``subtype`` (most specific class, e.g. Summit), ``country`` (ISO
3166 alpha-3: a person's nationality else the country of a post; a meeting's host country),
``wikidata`` (``Q…``), ``first_seen``/``last_seen`` (ISO dates: the publication dates of the
articles naming the entity and the dates of the meetings it is linked to), ``articles`` (number of
articles naming it), ``degree``, ``strength`` (weighted degree); meetings also have ``start_date``
/ ``end_date``. Edges have ``kind``, ``weight`` and, where known, ``start_date`` / ``end_date``
(and ``intervals``, ``start/end;start/end``, when an edge spans several meetings). Attributes
that are unknown are left out, never ``None``. Dates of partial precision (``xsd:gYear``,
``xsd:gYearMonth``) start on the first day of their period and end on its last day.

Filters select meetings: ``since``/``until`` keep meetings whose dates overlap the range (undated
meetings are dropped when either is given), ``country`` keeps meetings hosted in it
(``akg:hostCountry``, or ``akg:location`` in it), ``series`` keeps one ``akg:inSeries``. Actor
nodes are then the actors that took part in a selected meeting; in ``full`` the meetings not
selected and the participations in them are removed.

On the seed articles:

>>> import tempfile
>>> from aseankg import settings
>>> from aseankg.ingest import build_articles
>>> from aseankg.stores import open_store
>>> folder = tempfile.TemporaryDirectory()
>>> store = open_store(folder.name + "/kg")
>>> _ = build_articles([settings.ARTICLES_DIR], store)
>>> G = project(store, "actors")
>>> son, malaysia = ID + "person/bui-thanh-son", ID + "country/MYS"
>>> G.nodes[son]["label"], G.nodes[son]["type"], G.nodes[son]["country"]
('Bui Thanh Son', 'Person', 'VNM')
>>> G.edges[son, ID + "person/anwar-ibrahim"]["weight"]
1
>>> G.nodes[malaysia]["wikidata"]
'Q833'
>>> sorted(project(store, "meetings", series="amm"))  # doctest: +NORMALIZE_WHITESPACE
['https://w3id.org/aseankg/id/meeting/amm-57', 'https://w3id.org/aseankg/id/meeting/amm-58']
>>> sorted(project(store, "bipartite", since="2025-09-01", until="2025-09-30"))[:2]
['https://w3id.org/aseankg/id/country/VNM', 'https://w3id.org/aseankg/id/meeting/apt-som-2025-09-09']
>>> store.close()
>>> folder.cleanup()
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

import networkx as nx
from rdflib import Literal, URIRef

from . import settings

ID = settings.ID_NS
AKG = settings.ONTOLOGY_NS
PROJECTIONS = ("actors", "meetings", "bipartite", "full")

#: Broad type of each class (the ``type`` attribute); the first class of an entity found here wins.
TYPES = {
    "Person": "Person", "Country": "Country", "Organization": "Organization",
    "Summit": "Meeting", "MinisterialMeeting": "Meeting", "SeniorOfficialsMeeting": "Meeting",
    "Retreat": "Meeting", "WorkingGroupMeeting": "Meeting", "Forum": "Meeting", "Meeting": "Meeting",
    "MeetingSeries": "MeetingSeries", "Place": "Place", "Initiative": "Initiative", "Document": "Document",
    "Post": "Post", "Role": "Role", "Participation": "Participation", "Chairmanship": "Chairmanship",
    "Partnership": "Partnership", "PartnershipLevel": "PartnershipLevel",
}
ACTOR_TYPES = {"Person", "Country", "Organization"}
#: Literal-valued properties kept as node attributes in the ``full`` projection.
LITERAL_ATTRIBUTES = {AKG + "ordinal": "ordinal", AKG + "year": "year", AKG + "theme": "theme",
                      AKG + "established": "established", AKG + "from": "from", AKG + "until": "until"}
#: Relations not drawn as edges in ``full`` (types and provenance).
SKIPPED_RELATIONS = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/prov#wasDerivedFrom"}
_LEFT_OUT = (ID + "mention/", ID + "article/", ID + "graph/")

_PREFIXES = """PREFIX akg: <https://w3id.org/aseankg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_IN_ID = f'STRSTARTS(STR(?x), "{ID}") && !STRSTARTS(STR(?x), "{ID}mention/")'

#: _SEEN_QUERY, _LABEL_QUERY and _RELATION_QUERY count graphs (the articles naming an entity, the
#: graphs stating a label or a relation), so they read GRAPH ?g; the others read the merged default
#: graph. The first and last test which terms are entities once per distinct term, in a GROUP BY ...
#: HAVING (a FILTER would be pushed down to every quad, and each test reads the IRI's text back from
#: disk): on a million triples, 189 s and 12 s before, 7 s and 9 s after.
_SEEN_QUERY = _PREFIXES + f"""
SELECT ?x (COUNT(DISTINCT ?g) AS ?articles) (MIN(?published) AS ?first) (MAX(?published) AS ?last)
WHERE {{
  {{ SELECT ?x WHERE {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }} GROUP BY ?x
     HAVING (isIRI(?x) && {_IN_ID} && !STRSTARTS(STR(?x), "{ID}article/")) }}
  {{ SELECT DISTINCT ?x ?g WHERE {{ GRAPH ?g {{ ?g a akg:Article . {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }} }} }}
  OPTIONAL {{ SELECT ?g (STR(?date) AS ?published) WHERE {{ GRAPH ?g {{ ?g schema:datePublished ?date }} }} }}
}} GROUP BY ?x"""
_TYPE_QUERY = f"SELECT DISTINCT ?x ?class WHERE {{ ?x a ?class FILTER ({_IN_ID}) }}"
_LABEL_QUERY = _PREFIXES + f"""
SELECT ?x ?label (COUNT(DISTINCT ?g) AS ?n) (MAX(?g = <{settings.REFERENCE_GRAPH}>) AS ?reference)
WHERE {{ GRAPH ?g {{ ?x rdfs:label ?label }} FILTER ({_IN_ID}) }} GROUP BY ?x ?label"""
_MATCH_QUERY = _PREFIXES + f"""
SELECT DISTINCT ?x ?match WHERE {{ ?x skos:exactMatch ?match
  FILTER ({_IN_ID} && STRSTARTS(STR(?match), "http://www.wikidata.org/entity/")) }}"""
_COUNTRY_QUERY = _PREFIXES + f"""
SELECT DISTINCT ?x ?how ?country WHERE {{
  {{ ?x akg:nationality ?country BIND (1 AS ?how) }}
  UNION {{ ?x org:holds/org:postIn ?country BIND (2 AS ?how) }}
  UNION {{ ?x akg:hostCountry ?country BIND (1 AS ?how) }}
  UNION {{ ?x akg:location/akg:inCountry ?country BIND (2 AS ?how) }}
  FILTER (STRSTARTS(STR(?country), "{ID}country/"))
}}"""
_MEETING_CLASSES = " ".join(f"akg:{c}" for c, t in TYPES.items() if t == "Meeting")
_MEETING_QUERY = _PREFIXES + f"""
SELECT DISTINCT ?x ?start ?end ?series WHERE {{
  ?x a ?class VALUES ?class {{ {_MEETING_CLASSES} }}
  OPTIONAL {{ ?x schema:startDate ?start }} OPTIONAL {{ ?x schema:endDate ?end }}
  OPTIONAL {{ ?x akg:inSeries ?series }}
}}"""
_PARTICIPATION_QUERY = _PREFIXES + """
SELECT DISTINCT ?x ?who ?meeting ?capacity ?represents WHERE {
  ?x a akg:Participation ; akg:participant ?who ; akg:meeting ?meeting .
  OPTIONAL { ?x akg:capacity ?capacity } OPTIONAL { ?x akg:represents ?represents }
}"""
_RELATION_QUERY = f"""
SELECT ?x ?p ?o ?n WHERE {{
  {{ SELECT ?x WHERE {{ ?x ?anyP ?anyO }} GROUP BY ?x
     HAVING ({_IN_ID} && !STRSTARTS(STR(?x), "{ID}article/") && !STRSTARTS(STR(?x), "{ID}graph/")
             && !STRSTARTS(STR(?x), "{ID}claim/") && !STRSTARTS(STR(?x), "{ID}correction/")
             && !STRSTARTS(STR(?x), "{ID}analyst/")) }}
  {{ SELECT ?x ?p ?o (COUNT(DISTINCT ?g) AS ?n) WHERE {{
       GRAPH ?g {{ ?x ?p ?o }}
       FILTER (?g NOT IN (<{settings.ONTOLOGY_GRAPH}>, <{settings.INFERENCE_GRAPH}>, <{settings.CONSOLIDATED_GRAPH}>,
                          <{settings.CORRECTIONS_GRAPH}>))
       FILTER (?p NOT IN ({", ".join(f"<{p}>" for p in sorted(SKIPPED_RELATIONS))}))
     }} GROUP BY ?x ?p ?o }}
}}"""


# ---------------------------------------------------------------------------------------------- dates

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def period(value: str | date) -> tuple[date, date] | None:
    """The first and last day of an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` value.

    >>> period("2025-10")
    (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
    >>> period("2024")[1], period("2025-07-09")[0]
    (datetime.date(2024, 12, 31), datetime.date(2025, 7, 9))
    >>> period("--10-07") is None
    True
    """
    if isinstance(value, date):
        return value, value
    found = _DATE.match(str(value).strip())
    if not found:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        if day is not None:
            return date(year, month, day), date(year, month, day)
        if month is not None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------------- data

@dataclass
class Entity:
    """What the projections know of one entity."""

    iri: str
    type: str = "Thing"
    subtype: str = "Thing"
    label: str = ""
    country: str | None = None
    wikidata: str | None = None
    articles: int = 0
    seen: list[date] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    series: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)

    def attributes(self) -> dict[str, object]:
        """The node attributes (unknown values left out)."""
        out: dict[str, object] = {"label": self.label or local_name(self.iri), "type": self.type,
                                  "subtype": self.subtype, "articles": self.articles}
        if self.country:
            out["country"] = self.country
        if self.wikidata:
            out["wikidata"] = self.wikidata
        if self.seen:
            out["first_seen"], out["last_seen"] = min(self.seen).isoformat(), max(self.seen).isoformat()
        if self.start:
            out["start_date"], out["end_date"] = self.start.isoformat(), self.end.isoformat()
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class Participation:
    """One ``akg:Participation``: who, at which meeting, in which capacities, for whom."""

    iri: str
    participant: str
    meeting: str
    capacities: tuple[str, ...]
    represents: str | None


@dataclass
class NetworkData:
    """Everything the projections use, read from a store once (``network_data``)."""

    entities: dict[str, Entity]
    participations: list[Participation]
    relations: list[tuple[str, str, str, int]]

    def entity(self, iri: str) -> Entity:
        """The entity ``iri`` (an empty one, typed from its IRI folder, if unknown)."""
        if iri not in self.entities:
            folder = iri[len(ID):].split("/", 1)[0] if iri.startswith(ID) else ""
            kind = {"person": "Person", "country": "Country", "org": "Organization",
                    "meeting": "Meeting"}.get(folder, "Thing")
            self.entities[iri] = Entity(iri, type=kind, subtype=kind)
        return self.entities[iri]

    def meetings(self) -> list[str]:
        """The IRIs of all meetings, sorted."""
        return sorted(iri for iri, e in self.entities.items() if e.type == "Meeting")

    def actors_by_meeting(self, meetings: set[str]) -> dict[str, dict[str, tuple[set[str], bool]]]:
        """For each meeting in ``meetings``: its actors, each with capacities and whether it was a
        participant itself (rather than only represented)."""
        out: dict[str, dict[str, tuple[set[str], bool]]] = defaultdict(dict)
        for part in self.participations:
            if part.meeting not in meetings:
                continue
            actors = out[part.meeting]
            caps, direct = actors.get(part.participant, (set(), False))
            actors[part.participant] = (caps | set(part.capacities), True)
            if part.represents:
                actors.setdefault(part.represents, (set(), False))
        return out


def local_name(iri: str) -> str:
    """The last segment of an IRI.

    >>> local_name("https://w3id.org/aseankg/ontology#CoChair"), local_name(ID + "country/VNM")
    ('CoChair', 'VNM')
    """
    iri = iri.rstrip("/#")
    return iri[max(iri.rfind("/"), iri.rfind("#")) + 1:]


def _rows(store, sparql: str):
    return store.query(sparql, inference=False).rows


def network_data(store) -> NetworkData:
    """Read the entities, participations and relations of ``store`` (no inference)."""
    entities: dict[str, Entity] = {}
    data = NetworkData(entities, [], [])
    for x, articles, first, last in _rows(store, _SEEN_QUERY):
        e = data.entity(str(x))
        e.articles = int(articles)
        if first and last and period(first) and period(last):
            e.seen += [period(first)[0], period(last)[1]]
    classes: dict[str, set[str]] = defaultdict(set)
    for x, cls in _rows(store, _TYPE_QUERY):
        classes[str(x)].add(local_name(str(cls)))
    for iri, names in classes.items():
        e = data.entity(iri)
        for name in TYPES:
            if name in names:
                e.type, e.subtype = TYPES[name], name
                break
    labels: dict[str, list] = defaultdict(list)
    for x, label, n, reference in _rows(store, _LABEL_QUERY):
        lang = getattr(label, "language", None) or ""
        labels[str(x)].append((not bool(reference.toPython()), lang not in ("", "en"), -int(n),
                               " ".join(str(label).split())))
    for iri, options in labels.items():
        if iri in entities:
            entities[iri].label = min(options)[3]
    for x, match in sorted(_rows(store, _MATCH_QUERY), key=lambda r: str(r[1]), reverse=True):
        if str(x) in entities:
            entities[str(x)].wikidata = local_name(str(match))
    hosts: dict[str, set[str]] = defaultdict(set)
    for x, _how, country in sorted(_rows(store, _COUNTRY_QUERY), key=lambda r: (int(r[1]), str(r[2])),
                                  reverse=True):
        if str(x) in entities:
            entities[str(x)].country = local_name(str(country))
            hosts[str(x)].add(str(country))
    for iri, e in entities.items():
        if e.type == "Country":
            e.country = local_name(iri)
        elif e.type == "Meeting":
            e.hosts = tuple(sorted(hosts.get(iri, ())))
    _read_meetings(store, data)
    _read_participations(store, data)
    _read_relations(store, data)
    _spread_dates(data)
    return data


def _read_meetings(store, data: NetworkData) -> None:
    starts, ends, series = defaultdict(list), defaultdict(list), defaultdict(set)
    for x, start, end, in_series in _rows(store, _MEETING_QUERY):
        iri = str(x)
        data.entity(iri)
        if start is not None and period(start):
            starts[iri].append(period(start))
        if end is not None and period(end):
            ends[iri].append(period(end))
        if in_series is not None:
            series[iri].add(str(in_series))
    for iri, values in starts.items():
        e = data.entities[iri]
        e.start = min(p[0] for p in values)
        e.end = max(max([p[1] for p in ends.get(iri, [])] or [p[1] for p in values]), e.start)
        e.seen += [e.start, e.end]
    for iri, values in series.items():
        data.entities[iri].series = tuple(sorted(values))


def _read_participations(store, data: NetworkData) -> None:
    caps: dict[tuple, set[str]] = defaultdict(set)
    for x, who, meeting, capacity, represents in _rows(store, _PARTICIPATION_QUERY):
        key = (str(x), str(who), str(meeting), None if represents is None else str(represents))
        found = caps[key]
        if capacity is not None:
            found.add(local_name(str(capacity)))
    data.participations = [Participation(x, who, meeting, tuple(sorted(c)), rep)
                           for (x, who, meeting, rep), c in sorted(caps.items(), key=lambda kv: kv[0][:3])]
    for part in data.participations:
        e = data.entity(part.iri)
        e.extra["capacity"] = "; ".join(part.capacities)
        m = data.entity(part.meeting)
        if m.start:
            e.start, e.end = m.start, m.end
            e.seen += [m.start, m.end]


def _read_relations(store, data: NetworkData) -> None:
    enums: dict[tuple[str, str], set[str]] = defaultdict(set)
    for x, p, o, n in _rows(store, _RELATION_QUERY):
        x, p, e = str(x), str(p), data.entities.get(str(x))
        if isinstance(o, Literal):
            if e is not None and p in LITERAL_ATTRIBUTES:
                value = o.toPython()
                e.extra.setdefault(LITERAL_ATTRIBUTES[p], value if isinstance(value, int) else str(o))
        elif str(o).startswith(ID):
            data.relations.append((x, p, str(o), int(n)))
        elif (e is not None and p != AKG + "capacity" and isinstance(o, URIRef)
              and str(o).startswith((AKG, "https://schema.org/"))):
            enums[x, local_name(p)].add(local_name(str(o)))
    for (x, name), values in enums.items():
        data.entities[x].extra[name] = "; ".join(sorted(values))


def _spread_dates(data: NetworkData) -> None:
    """Give each entity linked to a dated meeting or participation that meeting's dates."""
    def dated(iri: str) -> Entity | None:
        e = data.entities.get(iri)
        return e if e is not None and e.start and e.type in ("Meeting", "Participation") else None

    for x, _p, o, _ in data.relations:
        for one, other in ((x, o), (o, x)):
            source, target = dated(one), data.entities.get(other)
            if source and target and target.type not in ("Meeting", "Participation"):
                target.seen += [source.start, source.end]


# ----------------------------------------------------------------------------------------- selection

def _as_period(value, index: int) -> date | None:
    if value is None:
        return None
    found = period(value)
    if found is None:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return found[index]


def _as_iri(value: str | None, folder: str) -> str | None:
    if value is None or value.startswith(("http://", "https://")):
        return value
    return ID + folder + (value.upper() if folder == "country/" else value)


def selected_meetings(data: NetworkData, *, since=None, until=None, country: str | None = None,
                      series: str | None = None) -> set[str]:
    """The meetings the filters keep (see the module's documentation)."""
    low, high = _as_period(since, 0), _as_period(until, 1)
    country_iri, series_iri = _as_iri(country, "country/"), _as_iri(series, "series/")
    keep = set()
    for iri in data.meetings():
        e = data.entities[iri]
        if (low or high) and not e.start:
            continue
        if (low and e.end < low) or (high and e.start > high):
            continue
        if country_iri and country_iri not in e.hosts:
            continue
        if series_iri and series_iri not in e.series:
            continue
        keep.add(iri)
    return keep


# ------------------------------------------------------------------------------------------ projections

def _finish(G: nx.Graph, name: str, filters: dict) -> nx.Graph:
    G.graph.update({"projection": name, **{k: str(v) for k, v in filters.items() if v is not None}})
    for node in G:
        G.nodes[node]["degree"] = G.degree(node)
        G.nodes[node]["strength"] = float(G.degree(node, weight="weight"))
    return G


def _dates(entities: list[Entity]) -> dict[str, object]:
    dated = [e for e in entities if e.start]
    if not dated:
        return {}
    return {"start_date": min(e.start for e in dated).isoformat(),
            "end_date": max(e.end for e in dated).isoformat(),
            "intervals": ";".join(sorted({f"{e.start.isoformat()}/{e.end.isoformat()}" for e in dated}))}


def actor_graph(data: NetworkData, **filters) -> nx.Graph:
    """People, countries and organisations linked by the meetings they shared (``actors``).

    ``data`` is a store or ``NetworkData``; ``filters`` are those of ``project``.
    """
    data = _as_data(data)
    by_meeting = data.actors_by_meeting(selected_meetings(data, **filters))
    G = nx.Graph()
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    attended: dict[str, int] = defaultdict(int)
    for meeting, actors in sorted(by_meeting.items()):
        for actor in actors:
            attended[actor] += 1
        for a, b in combinations(sorted(actors), 2):
            shared[a, b].append(meeting)
    for actor in sorted(attended):
        G.add_node(actor, **data.entity(actor).attributes(), meetings=attended[actor])
    for (a, b), meetings in sorted(shared.items()):
        entities = [data.entities[m] for m in meetings]
        G.add_edge(a, b, kind="co-attendance", weight=len(meetings),
                   meetings="; ".join(e.attributes()["label"] for e in entities), **_dates(entities))
    return _finish(G, "actors", filters)


def meeting_graph(data: NetworkData, **filters) -> nx.MultiGraph:
    """Meetings linked by shared participants and by series (``meetings``)."""
    data = _as_data(data)
    keep = selected_meetings(data, **filters)
    by_meeting = data.actors_by_meeting(keep)
    G = nx.MultiGraph()
    for meeting in sorted(keep):
        actors = by_meeting.get(meeting, {})
        G.add_node(meeting, **data.entities[meeting].attributes(), participants=len(actors))
    for a, b in combinations(sorted(keep), 2):
        common = sorted(set(by_meeting.get(a, {})) & set(by_meeting.get(b, {})))
        if common:
            G.add_edge(a, b, key="shared-participants", kind="shared-participants", weight=len(common),
                       participants="; ".join(data.entity(x).attributes()["label"] for x in common))
        same = sorted(set(data.entities[a].series) & set(data.entities[b].series))
        if same:
            G.add_edge(a, b, key="same-series", kind="same-series", weight=1,
                       series="; ".join(data.entity(s).attributes()["label"] for s in same))
    return _finish(G, "meetings", filters)


def bipartite_graph(data: NetworkData, **filters) -> nx.Graph:
    """Actors and meetings, linked by participation (``bipartite``)."""
    data = _as_data(data)
    keep = selected_meetings(data, **filters)
    by_meeting = data.actors_by_meeting(keep)
    G = nx.Graph()
    for meeting in sorted(keep):
        G.add_node(meeting, **data.entities[meeting].attributes(), bipartite=1)
    for meeting, actors in sorted(by_meeting.items()):
        for actor, (caps, direct) in sorted(actors.items()):
            if actor not in G:
                G.add_node(actor, **data.entity(actor).attributes(), bipartite=0)
            G.add_edge(actor, meeting, kind="participant" if direct else "represented", weight=1,
                       capacity="; ".join(sorted(caps)),
                       **{k: v for k, v in _dates([data.entities[meeting]]).items() if k != "intervals"})
    return _finish(G, "bipartite", filters)


def full_graph(data: NetworkData, **filters) -> nx.MultiDiGraph:
    """Every entity and relation of the article graphs, as a multigraph (``full``)."""
    data = _as_data(data)
    keep = selected_meetings(data, **filters)
    dropped = {iri for iri in data.meetings() if iri not in keep}
    dropped |= {p.iri for p in data.participations if p.meeting in dropped}
    G = nx.MultiDiGraph()
    for iri, e in sorted(data.entities.items()):
        if iri not in dropped and e.articles and not iri.startswith(_LEFT_OUT):
            G.add_node(iri, **e.attributes())
    for x, p, o, n in sorted(data.relations):
        if x in G and o in G:
            kind = local_name(p)
            ends = [data.entities[v] for v in (x, o) if data.entities[v].type in ("Meeting", "Participation")]
            dates = _dates(ends[:1]) if ends and (len(ends) == 1 or ends[0].type == "Participation") else {}
            dates.pop("intervals", None)
            G.add_edge(x, o, key=kind, kind=kind, relation=p, weight=n, **dates)
    return _finish(G, "full", filters)


def _as_data(source) -> NetworkData:
    return source if isinstance(source, NetworkData) else network_data(source)


_BUILDERS = {"actors": actor_graph, "meetings": meeting_graph, "bipartite": bipartite_graph,
             "full": full_graph}


def project(store, projection: str = "actors", *, since=None, until=None, country: str | None = None,
            series: str | None = None) -> nx.Graph | nx.MultiDiGraph:
    """The ``projection`` (``actors``, ``meetings``, ``bipartite`` or ``full``) of ``store``.

    Parameters
    ----------
    store : Store or NetworkData
        Where to read from (``network_data(store)`` is read once per call).
    projection : str
        One of ``PROJECTIONS``; see the module's documentation for each choice.
    since, until : date or str, optional
        Keep meetings whose dates overlap this range (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).
    country : str, optional
        ISO 3166 alpha-3 code or country IRI: keep meetings hosted there.
    series : str, optional
        Series key (``amm``) or IRI: keep meetings of that series.

    Returns
    -------
    nx.Graph, nx.MultiGraph or nx.MultiDiGraph

    Examples
    --------
    >>> project(NetworkData({}, [], []), "meetings").graph
    {'projection': 'meetings'}
    >>> project(NetworkData({}, [], []), "people")
    Traceback (most recent call last):
    ValueError: unknown projection 'people': use one of actors, meetings, bipartite, full
    """
    if projection not in _BUILDERS:
        raise ValueError(f"unknown projection {projection!r}: use one of {', '.join(PROJECTIONS)}")
    return _BUILDERS[projection](store, since=since, until=until, country=country, series=series)
