"""The home page (``/``), search by name (``/search?q=``) and export downloads (``/export``).

Search compares ``naming.fold`` forms, so case and diacritics do not matter: "Bui Thanh Son" and
"Bùi Thanh Sơn" find the same person. Labels and ``skos:altLabel``s are kept in a small in-memory
``NameIndex``, built on first use and rebuilt when the store's size changes.

>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import RDF, RDFS
>>> from aseankg.store import EmbeddedStore
>>> store = EmbeddedStore(None)
>>> son = URIRef(ID + "person/bui-thanh-son")
>>> person = URIRef("https://w3id.org/aseankg/ontology#Person")
>>> store.write_article(ID + "article/0123456789abcdef", [
...     (son, RDF.type, person), (son, RDFS.label, Literal("Bùi Thanh Sơn"))])
>>> [hit.label for hit in NameIndex(store).search("bui thanh son")]
['Bùi Thanh Sơn']
>>> store.close()
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from ..naming import fold
from .cors import shared
from .downloads import export_cache, store_version
from .drawing import TYPE_ORDER
from .fairness import page
from .pages import ID, Reader, broad_type, meeting_details, page_href, reader, told_apart

#: Entities left out of search results (provenance and n-ary nodes have their own pages, found
#: through the entities they join).
UNSEARCHED = tuple(ID + folder for folder in ("article/", "mention/", "participation/", "graph/", "claim/",
                                              "correction/"))
NAMES_QUERY = f"""SELECT DISTINCT ?x ?name ?alias ?class WHERE {{
  {{ ?x rdfs:label ?name BIND (false AS ?alias) }} UNION {{ ?x skos:altLabel ?name BIND (true AS ?alias) }}
  FILTER (isIRI(?x) && STRSTARTS(STR(?x), "{ID}"))
  OPTIONAL {{ ?x a ?class }}
}}"""
#: What tells two meetings of one label apart: their first day and place.
#: Export downloads: format → (media type, file extension).
EXPORT_TYPES = {"gexf": ("application/gexf+xml", "gexf"), "graphml": ("application/graphml+xml", "graphml"),
                "json": ("application/json", "json")}


@dataclass(frozen=True)
class Hit:
    """A search result: the entity, its label, the name that matched and how well (0 is best)."""

    iri: str
    label: str
    matched: str
    kind: str
    score: int

    @property
    def href(self) -> str | None:
        return page_href(self.iri)


@dataclass(frozen=True)
class _Name:
    folded: str
    iri: str
    name: str
    alias: bool


class NameIndex:
    """Folded labels and aliases of every entity, searched in memory.

    The index is read from ``store`` on first use and again when ``store.triple_count()`` changes,
    checked at most every ``check_every`` seconds.
    """

    def __init__(self, store, *, timeout: float = 30.0, check_every: float = 2.0) -> None:
        self.store = store
        self.timeout = timeout
        self.check_every = check_every
        self._lock = threading.Lock()
        self._names: list[_Name] = []
        self._labels: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        self._details: dict[str, str] = {}  # meeting -> "day, place"
        self._stamp: int | None = None
        self._checked = 0.0

    def _refresh(self) -> None:
        now = time.monotonic()
        if self._stamp is not None and now - self._checked < self.check_every:
            return
        self._checked = now
        stamp = self.store.triple_count()
        if stamp == self._stamp:
            return
        rows = Reader(self.store, timeout=self.timeout, max_rows=500_000).rows(NAMES_QUERY)
        names: dict[tuple[str, str], _Name] = {}
        classes: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        for x, name, alias, cls in rows:
            iri = str(x)
            if iri.startswith(UNSEARCHED):
                continue
            text = str(name)
            is_alias = str(alias) == "true"
            key = (iri, text)
            if key not in names or (names[key].alias and not is_alias):
                names[key] = _Name(fold(text), iri, text, is_alias)
            if not is_alias and (iri not in labels or (len(text), text) < (len(labels[iri]), labels[iri])):
                labels[iri] = text
            if cls is not None:
                classes.setdefault(iri, []).append(str(cls))
        self._names = sorted(names.values(), key=lambda n: (n.folded, n.iri))
        self._labels = labels
        self._kinds = {iri: broad_type(iri, sorted(classes.get(iri, []))) for iri in {n.iri for n in self._names}}
        self._details = meeting_details(Reader(self.store, timeout=self.timeout))
        self._stamp = stamp

    def search(self, query: str, *, limit: int = 50) -> list[Hit]:
        """Entities whose label or alias matches ``query`` (folded): whole name, then name start, then
        a whole word, then any part; persons, meetings and countries before other types."""
        wanted = fold(query)
        if not wanted:
            return []
        with self._lock:
            self._refresh()
            names, labels, kinds, details = self._names, self._labels, self._kinds, self._details
        best: dict[str, tuple[int, str]] = {}
        padded = f" {wanted} "
        for name in names:
            folded = name.folded
            if folded == wanted:
                score = 0 if not name.alias else 1
            elif folded.startswith(wanted):
                score = 2
            elif padded in f" {folded} ":
                score = 3
            elif wanted in folded:
                score = 4
            else:
                continue
            if name.iri not in best or score < best[name.iri][0]:
                best[name.iri] = (score, name.name)
        hits = [Hit(iri, labels.get(iri) or matched, matched, kinds.get(iri, ""), score)
                for iri, (score, matched) in best.items()]
        # two meetings of one label ("ASEAN Summit") are told apart by their day and place
        apart = told_apart({h.iri: h.label for h in hits}, lambda iris: details)
        hits = [Hit(h.iri, apart[h.iri], h.matched, h.kind, h.score) for h in hits]
        order = {kind: i for i, kind in enumerate(TYPE_ORDER)}
        hits.sort(key=lambda h: (h.score, order.get(h.kind, len(order)), h.label.lower(), h.iri))
        return hits[:limit]


def name_index() -> NameIndex:
    """The app's ``NameIndex`` (made on first use)."""
    views = current_app.extensions.setdefault("aseankg-views", {})
    if "names" not in views:
        views["names"] = NameIndex(current_app.config["STORE"])
    return views["names"]


# --------------------------------------------------------------------------------------- what it holds

@dataclass
class Summary:
    """What the graph holds: entities per class, articles and their date range."""

    classes: list[tuple[str, str, int]]
    articles: int
    first: str
    last: str
    quads: int


#: The kinds of meeting, listed first on the home page; then people and countries; bookkeeping last.
MEETING_KINDS = ("Meeting", "Summit", "MinisterialMeeting", "SeniorOfficialsMeeting", "Retreat",
                 "WorkingGroupMeeting", "Forum")
BOOKKEEPING = ("Article", "Participation", "Claim", "Mention")


def holding_rank(local: str) -> int:
    """Where a class goes in "what the graph holds": meetings, people, countries, the other kinds of
    entity, then the records that explain them (articles, participations, claims, mentions).

    >>> sorted(["Mention", "Place", "Country", "Summit", "Person"], key=holding_rank)
    ['Summit', 'Person', 'Country', 'Place', 'Mention']
    """
    if local in MEETING_KINDS:
        return 0
    if local in ("Person", "Country"):
        return 1 + (local == "Country")
    if local in BOOKKEEPING:
        return 4 + BOOKKEEPING.index(local)
    return 3


def summary(store, *, timeout: float = 10.0) -> Summary:
    """Counts by class (entities under the ``id/`` namespace), articles and their publication dates."""
    read = Reader(store, timeout=timeout)
    rows = read.rows(f"""SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a ?class
                         FILTER (STRSTARTS(STR(?x), "{ID}")) }} GROUP BY ?class""")
    classes = sorted(((str(c).rsplit("#", 1)[-1].rsplit("/", 1)[-1], str(c), int(n)) for c, n in rows),
                     key=lambda row: (holding_rank(row[0]), -row[2], row[0]))
    count = read.rows("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a akg:Article }")
    dates = read.rows("""SELECT (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last)
                         WHERE { ?a a akg:Article ; schema:datePublished ?d }""")
    n = count[0][0] if count else 0
    first, last = dates[0] if dates else (None, None)
    return Summary(classes, int(n or 0), str(first or ""), str(last or ""), store.triple_count())


def export_body(store, projection: str, fmt: str, *, dynamic: bool = False, **filters) -> bytes:
    """A projection of ``store`` written as ``fmt`` (the ``/export`` download; run in a worker)."""
    from ..exports import generate
    from ..projections import project

    graph = project(store, projection, **filters)
    return ("\n".join(generate(graph, fmt, dynamic=dynamic)) + "\n").encode("utf-8")


def export_filters(view) -> dict[str, str]:
    """Export filters that fit an entity page: a country's meetings, or a series' meetings."""
    folder, _, key = view.path.partition("/")
    if folder == "country" and view.kind == "Country":
        return {"country": key}
    if folder == "series":
        return {"series": key}
    return {}


def export_links(**filters) -> list[tuple[str, str, str]]:
    """(projection, format, href) for every export download."""
    from ..projections import PROJECTIONS

    return [(projection, fmt, url_for("home.export", projection=projection, format=fmt, **filters))
            for projection in PROJECTIONS for fmt in EXPORT_TYPES]


# ----------------------------------------------------------------------------------------- the views

bp = Blueprint("home", __name__)


@bp.get("/")
def home():
    """What the graph holds, search, recent meetings and links to everything else."""
    from .sparql import examples

    read = reader()
    held = page("aseankg.web.home:summary", timeout=read.timeout)
    marks = [m for row in page("aseankg.web.graphs:meeting_timeline", timeout=read.timeout).rows
             for m in row.marks]
    recent = sorted(marks, key=lambda m: (m.when, m.label), reverse=True)[:12]
    return render_template("home.html", summary=held, recent=recent, examples=examples(),
                           exports=export_links())


@bp.get("/search")
@bp.get("/search.json", endpoint="search_json")
def search():
    """Entities by name: labels and aliases, case- and diacritic-insensitive."""
    query = (request.args.get("q") or "").strip()[:200]
    hits = name_index().search(query) if query else []
    if request.path.endswith(".json"):
        return jsonify(query=query, results=[{"iri": h.iri, "label": h.label, "matched": h.matched,
                                              "type": h.kind, "href": h.href} for h in hits])
    return render_template("search.html", query=query, hits=hits)


@bp.get("/export")
@shared
def export():
    """A projection (``actors``, ``meetings``, ``bipartite``, ``full``) as a GEXF, GraphML or JSON
    download; ``dynamic``, ``since``, ``until``, ``country`` and ``series`` as in ``aseankg export``.
    Bodies are kept per store version (``downloads``): identical requests build the file once."""
    from ..projections import PROJECTIONS

    projection = request.args.get("projection", "actors")
    fmt = request.args.get("format", "gexf")
    if projection not in PROJECTIONS:
        return Response(f"unknown projection {projection!r}: use one of {', '.join(PROJECTIONS)}\n", 400,
                        mimetype="text/plain")
    if fmt not in EXPORT_TYPES:
        return Response(f"unknown format {fmt!r}: use one of {', '.join(EXPORT_TYPES)}\n", 400,
                        mimetype="text/plain")
    filters = {k: request.args.get(k) or None for k in ("since", "until", "country", "series")}
    dynamic = request.args.get("dynamic", "").lower() in ("1", "true", "yes")
    version = store_version(current_app)
    key = None if version is None else (version, projection, fmt, dynamic, tuple(sorted(filters.items())))
    try:
        body = export_cache(current_app).get(
            key, lambda: page("aseankg.web.home:export_body", projection, fmt, dynamic=dynamic, **filters))
    except ValueError as error:
        return Response(f"{error}\n", 400, mimetype="text/plain")
    media, extension = EXPORT_TYPES[fmt]
    name = f"aseankg-{projection}{'-dynamic' if dynamic and fmt == 'gexf' else ''}.{extension}"
    return Response(body, 200, mimetype=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

