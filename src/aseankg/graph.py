"""``KnowledgeGraph``: the one object a script, the CLI and the web app share.

It wraps a store (embedded or remote, see ``stores.open_store``) and offers the library's verbs:
build, query, the typed answers to the common competency questions, reasoning, networkx
projections, dumps, and an rdflib ``Dataset`` view of the same data.

>>> import tempfile, aseankg
>>> tmp = tempfile.TemporaryDirectory()
>>> kg = aseankg.open(tmp.name + "/kg")
>>> kg.build([settings.ARTICLES_DIR]).added
5
>>> [(m.label, m.start) for m in kg.meetings(country="MYS", year=2025)][1]
("58th ASEAN Foreign Ministers' Meeting", '2025-07-08')
>>> [(p.name, p.capacity, p.country_name) for p in kg.participants("id:meeting/amm-58")][:2]
[('Anwar Ibrahim', 'Speaker', 'Malaysia'), ('Bui Thanh Son', 'Delegate', 'Viet Nam')]
>>> chair = kg.chair_of(2025)
>>> chair.country_name, chair.theme
('Malaysia', 'Inclusive and Sustainable')
>>> kg.chair_of(1990) is None
True
>>> q = "SELECT DISTINCT ?name WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
>>> kg.query(q, bindings={"p": URIRef("https://w3id.org/aseankg/id/person/bui-thanh-son")}).dicts()
[{'name': 'Bui Thanh Son'}]
>>> view = kg.graph  # an rdflib Dataset over the same pyoxigraph store: nothing is copied
>>> len(view.default_graph) == len(kg.store.union_graph())  # its default graph is the store's: the merge
True
>>> [str(r.name) for r in view.query(q, initBindings={"p": URIRef(naming.person_iri("Bui Thanh Son"))})]
['Bui Thanh Son']
>>> kg.reason().triples_inferred > 0
True
>>> kg.close(); tmp.cleanup()
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, URIRef
from rdflib.term import Node

from . import naming, settings
from .dumps import dump_to_path
from .ingest import BuildReport, build_articles
from .queries import run_saved
from .results import QueryResult, python_value
from .safety import QueryRefused, bind_values, check_query
from .store import DEFAULT_TIME_LIMIT, Store
from .stores import open_store

if TYPE_CHECKING:
    import networkx as nx

    from .reasoning import InferenceReport


@dataclass(frozen=True)
class Meeting:
    """A meeting as the store knows it: dates are text (``2025-07-08``, ``2025-07`` or ``2025``)."""

    iri: str
    label: str | None
    series: str | None
    ordinal: int | None
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Participant:
    """One participant of a meeting, in one capacity (``Chair``, ``HeadOfDelegation``, ...)."""

    iri: str
    name: str | None
    capacity: str
    country: str | None
    country_name: str | None


@dataclass(frozen=True)
class Chairmanship:
    """Who chaired an organisation in a year, and the year's theme if reported."""

    iri: str
    year: int
    country: str
    country_name: str | None
    theme: str | None


#: Meetings (any subclass of akg:Meeting), optionally in a place, in date order; see queries/01.
_MEETINGS = """
PREFIX akg: <https://w3id.org/aseankg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT ?meeting (SAMPLE(?meetingLabel) AS ?label) (SAMPLE(?seriesLabel) AS ?series) (MIN(?n) AS ?ordinal)
       (MIN(STR(?startDate)) AS ?start) (MAX(STR(?endDate)) AS ?end)
WHERE {
  ?meeting a ?type .
  VALUES ?type { %s }
  %s
  OPTIONAL { ?meeting rdfs:label ?meetingLabel }
  OPTIONAL { ?meeting akg:inSeries/rdfs:label ?seriesLabel }
  OPTIONAL { ?meeting akg:ordinal ?n }
  OPTIONAL { ?meeting schema:startDate ?startDate }
  OPTIONAL { ?meeting schema:endDate ?endDate }
}
GROUP BY ?meeting
ORDER BY (!BOUND(?start)) ?start ?meeting
"""
_IN_PLACE = """FILTER EXISTS { { ?meeting akg:hostCountry ?place } UNION { ?meeting akg:location ?place }
                 UNION { ?meeting akg:location/akg:inCountry ?place } }"""


class KnowledgeGraph:
    """The knowledge graph in one store: build it, ask it, reason over it, export it.

    Parameters
    ----------
    store : Store
        An ``EmbeddedStore`` or a ``RemoteStore``; ``aseankg.open(location)`` makes one from a folder
        or a SPARQL query URL.

    Examples
    --------
    >>> from aseankg.store import EmbeddedStore
    >>> with KnowledgeGraph(EmbeddedStore(None)) as kg:  # in memory
    ...     kg.meetings(), kg.chair_of(2025)
    ([], None)
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._graph: Dataset | None = None

    @classmethod
    def open(cls, location: str | os.PathLike | None = None, **kwargs: Any) -> KnowledgeGraph:
        """The knowledge graph at ``location``: a folder (created if need be), an ``http(s)://``
        SPARQL query URL, or ``None`` for ``$ASEANKG_STORE`` / ``./aseankg-store``. ``kwargs`` go
        to ``stores.open_store`` (``read_only``, ``update_url``, ``gsp_url``)."""
        return cls(open_store(location, **kwargs))

    @property
    def location(self) -> str:
        """Where the data lives: a folder, ``:memory:`` or a query URL."""
        return self.store.location

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.store!r})"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (and the ``graph`` view); the object cannot be used afterwards."""
        self._graph = None
        self.store.close()

    # ------------------------------------------------------------------------------ writing
    def build(self, paths: Iterable[str | os.PathLike], *, progress: Callable[[str], None] | None = None,
              quarantine_dir: str | os.PathLike | None = None) -> BuildReport:
        """Ingest the articles under ``paths``, as ``aseankg build`` does.

        Returns
        -------
        ingest.BuildReport
            Articles added, replaced, unchanged and quarantined (with reasons).
        """
        return build_articles(paths, self.store, progress=progress, quarantine_dir=quarantine_dir)

    def reason(self, **options: Any) -> InferenceReport:
        """Write the inferences (``akg:attended``, ``akg:chaired``, class memberships, ...) into
        ``settings.INFERENCE_GRAPH``; ``options`` go to ``reasoning.infer`` (``engine``, ``ontology``)."""
        from .reasoning import infer

        return infer(self.store, **options)

    # ------------------------------------------------------------------------------ reading
    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, inference: bool = True,
              timeout: float | None = DEFAULT_TIME_LIMIT, max_rows: int | None = None) -> QueryResult:
        """Run a read-only SPARQL query over the union of the named graphs.

        Parameters
        ----------
        sparql : str
            The query; ``SERVICE``, ``LOAD`` and non-local ``FROM`` are refused (``safety``).
        bindings : mapping of str to rdflib term, optional
            Values for variables, passed as a ``VALUES`` block, never pasted into the text.
        inference : bool
            Include the inference graph (default) or not.
        timeout, max_rows : optional
            Time limit in seconds (default ``store.DEFAULT_TIME_LIMIT``, 60; None for none): past it
            ``QueryTimeout``. Row cap (the result's ``truncated`` tells if it was cut). A query past
            ``sparqlscan.Bounds`` raises ``safety.QueryTooComplex`` before it runs.

        Examples
        --------
        >>> from aseankg.store import EmbeddedStore
        >>> kg = KnowledgeGraph(EmbeddedStore(None))
        >>> kg.query("ASK { ?s ?p ?o }").boolean
        False
        >>> kg.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        aseankg.safety.QueryRefused: SERVICE <http://example.org/sparql> is refused: ...
        """
        return self.store.query(sparql, bindings=bindings, inference=inference, timeout=timeout,
                                max_rows=max_rows)

    def meetings(self, *, country: str | None = None, place: str | None = None,
                 year: int | str | None = None) -> list[Meeting]:
        """Meetings in date order (undated last), optionally held in a country or place and a year.

        Parameters
        ----------
        country : str, optional
            An ISO 3166-1 alpha-3 code (``MYS``) or a country IRI: the host country, the location,
            or the country of the location.
        place : str, optional
            A place IRI (``id:place/kuala-lumpur`` or the full IRI), matched the same way.
        year : int or str, optional
            Keep meetings whose reported start or end falls in that year.
        """
        where = place if place is not None else country
        bindings = {}
        if where is not None:
            bindings["place"] = _country(where) if place is None else _iri(where)
        text = _MEETINGS % (" ".join(f"<{c}>" for c in meeting_classes()), _IN_PLACE if bindings else "")
        rows = self.store.query(text, bindings=bindings or None, inference=False).dicts()
        meetings = [Meeting(str(r["meeting"]), _opt(r["label"]), _opt(r["series"]),
                            None if r["ordinal"] is None else int(r["ordinal"]),
                            _opt(r["start"]), _opt(r["end"])) for r in rows]
        if year is not None:
            meetings = [m for m in meetings if _in_year(m, int(year))]
        return meetings

    def participants(self, meeting: str) -> list[Participant]:
        """Who took part in ``meeting`` (an IRI, or ``id:meeting/amm-58``), in which capacity and for
        which country: the saved query ``02-meeting-participants``."""
        rows = run_saved(self.store, "meeting-participants", {"meeting": str(meeting)}).dicts()
        return [Participant(str(r["participant"]), _opt(r["name"]), str(r["capacity"]), _opt(r["country"]),
                            _opt(r["countryName"])) for r in rows]

    def chair_of(self, year: int | str, organization: str = "id:org/asean") -> Chairmanship | None:
        """The chairmanship of ``organization`` (ASEAN by default) in ``year``, or ``None`` if no
        article reports one: the saved query ``06-chair-of-year``."""
        rows = run_saved(self.store, "chair-of-year",
                         {"year": str(year), "organization": str(organization)}).dicts()
        if not rows:
            return None
        themed = [r for r in rows if r["theme"] is not None] or rows
        r = themed[0]
        return Chairmanship(str(r["chairmanship"]), int(year), str(r["country"]), _opt(r["countryName"]),
                            _opt(r["theme"]))

    # ------------------------------------------------------------------------------ other views
    def to_networkx(self, projection: str = "actors", **filters: Any) -> nx.Graph:
        """A networkx projection of the graph (``actors``, ``meetings``, ``bipartite``, ``full``);
        ``filters`` (``since``, ``until``, ``country``, ``series``) go to ``projections.project``."""
        from .projections import project

        return project(self.store, projection, **filters)

    @property
    def graph(self) -> Dataset:
        """An rdflib ``Dataset`` over the same data, nothing copied, default graph = the merge of the
        named graphs (as in ``query``).

        For the embedded store it is oxrdflib's rdflib store over the very ``pyoxigraph.Store``
        the ``EmbeddedStore`` holds, so SPARQL runs in Oxigraph; for a remote store it is rdflib's
        ``SPARQLUpdateStore`` on the same endpoints. Queries pass the ``safety`` checks; SPARQL
        Update through the view is refused (use ``build``).
        """
        if self._graph is None:
            embedded = getattr(self.store, "db", None) is not None  # its default graph is the merge
            self._graph = Dataset(store=_view_store(self.store), default_union=not embedded)
        return self._graph

    def dump(self, path: str | os.PathLike, format: str | None = None) -> int:
        """Write every quad to ``path`` (``nquads`` or ``trig``, else by suffix), sorted, through a
        temporary file renamed into place; returns the quad count."""
        return dump_to_path(self.store, path, format)


@functools.cache
def meeting_classes() -> tuple[str, ...]:
    """``akg:Meeting`` and its subclasses, read from the ontology (so a store without the ontology
    graph, or one that was never reasoned over, still lists its meetings).

    >>> "https://w3id.org/aseankg/ontology#Summit" in meeting_classes()
    True
    """
    from rdflib import Graph
    from rdflib.namespace import RDFS

    meeting = URIRef(settings.ONTOLOGY_NS + "Meeting")
    ontology = Graph().parse(settings.ONTOLOGY, format="turtle")
    found = set(ontology.transitive_subjects(RDFS.subClassOf, meeting)) | {meeting}
    return tuple(sorted(str(c) for c in found if isinstance(c, URIRef)))


# ---------------------------------------------------------------------------------- rdflib view

def _safe_query(query: object) -> None:
    if not isinstance(query, str):
        raise QueryRefused("pass SPARQL text: parsed queries would run in rdflib's engine, unchecked")
    check_query(query)


def _view_store(store: Store):
    """An rdflib ``Store`` over ``store``'s data whose queries are checked by ``safety``."""
    db = getattr(store, "db", None)
    if db is not None:
        from oxrdflib import OxigraphStore

        class CheckedOxigraphStore(OxigraphStore):
            def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803
                _safe_query(query)
                if kwargs:  # oxrdflib would raise NotImplementedError, and rdflib fall back to its engine
                    raise QueryRefused(f"options {sorted(kwargs)} are not supported by the store view")
                if initBindings:  # as a VALUES block: oxrdflib binds only projected variables
                    query = bind_values(query, initBindings)
                return super().query(query, initNs, {}, queryGraph)

            def update(self, *args, **kwargs):
                raise QueryRefused("SPARQL Update through kg.graph is refused: add articles with kg.build")

        return CheckedOxigraphStore(store=db)
    query_url = getattr(store, "query_url", None)
    if query_url is None:
        raise TypeError(f"no rdflib view for {store!r}: it is neither embedded nor a SPARQL endpoint")
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    class CheckedSPARQLStore(SPARQLUpdateStore):
        def query(self, query, *args, **kwargs):
            _safe_query(query)
            return super().query(query, *args, **kwargs)

        def update(self, *args, **kwargs):
            raise QueryRefused("SPARQL Update through kg.graph is refused: add articles with kg.build")

    return CheckedSPARQLStore(query_url, store.update_url)


# ---------------------------------------------------------------------------------- terms

def _iri(value: str) -> URIRef:
    text = str(value)
    if text.startswith("id:"):
        return URIRef(settings.ID_NS + text[3:])
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if not text.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not an IRI: give <https://…> or a prefixed id such as id:place/hanoi")
    return URIRef(text)


def _country(value: str) -> URIRef:
    text = str(value).strip()
    if len(text) == 3 and text.isalpha():
        return URIRef(naming.country_iri(text))
    return _iri(text)


def _opt(value: object) -> str | None:
    return None if value is None else str(python_value(value) if isinstance(value, Node) else value)


def _in_year(meeting: Meeting, year: int) -> bool:
    years = {int(d[:4]) for d in (meeting.start, meeting.end) if d and d[:4].isdigit()}
    return bool(years) and min(years) <= year <= max(years)
