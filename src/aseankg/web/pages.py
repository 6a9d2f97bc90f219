"""The helpers every page uses: namespaces and broad types, the ``Reader`` of the small bounded
queries, IRI names and page links, labels, and the 404 page.

The views (:mod:`.entities`, :mod:`.graphs`, :mod:`.home`, :mod:`.ontology_page`) import these
from here, below all of them, so no view imports another for a helper.

>>> page_href(ID + "person/bui-thanh-son"), page_href(AKG + "Summit")
('/id/person/bui-thanh-son', '/ontology#akg-Summit')
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from flask import Response, current_app, render_template
from rdflib import Graph, URIRef
from rdflib.term import Node

from .. import settings
from ..results import ID_PREFIXES, PREFIXES, compact

ID = settings.ID_NS
AKG = settings.ONTOLOGY_NS

#: Broad type of each class, as the projections and exports name them (legend, colours).
BROAD_TYPES = {
    "Person": "Person", "Country": "Country", "Organization": "Organization",
    "Summit": "Meeting", "MinisterialMeeting": "Meeting", "SeniorOfficialsMeeting": "Meeting",
    "Retreat": "Meeting", "WorkingGroupMeeting": "Meeting", "Forum": "Meeting", "Meeting": "Meeting",
    "MeetingSeries": "MeetingSeries", "Place": "Place", "Initiative": "Initiative", "Document": "Document",
    "Post": "Post", "Role": "Role", "Participation": "Participation", "Chairmanship": "Chairmanship",
    "Partnership": "Partnership", "PartnershipLevel": "PartnershipLevel", "Article": "Article",
    "Mention": "Mention",
}
#: Broad type from the IRI's folder, when no class says it (``id/person/...`` → Person).
FOLDER_TYPES = {
    "country": "Country", "org": "Organization", "person": "Person", "post": "Post", "role": "Role",
    "meeting": "Meeting", "series": "MeetingSeries", "place": "Place", "initiative": "Initiative",
    "document": "Document", "participation": "Participation", "chairmanship": "Chairmanship",
    "partnership": "Partnership", "level": "PartnershipLevel", "article": "Article", "mention": "Mention",
}
#: N-ary relation nodes: on a page they are shown with their own values, and collapsed in ego networks.
NARY_TYPES = {"Participation", "Chairmanship", "Partnership"}

_PREFIX_TEXT = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in
                       {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", **PREFIXES, **ID_PREFIXES}.items())


class Reader:
    """Runs the small, bounded queries of the pages on a store (time limit and row cap each)."""

    def __init__(self, store, *, timeout: float = 10.0, max_rows: int = 5_000) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows

    def rows(self, sparql: str, *, max_rows: int | None = None, **bindings: Node) -> list[tuple]:
        result = self.store.query(_PREFIX_TEXT + sparql, bindings=bindings or None, timeout=self.timeout,
                                  max_rows=max_rows or self.max_rows)
        return result.rows

    def graph(self, sparql: str, **bindings: Node) -> Graph:
        result = self.store.query(_PREFIX_TEXT + sparql, bindings=bindings or None, timeout=self.timeout,
                                  max_rows=self.max_rows)
        return result.graph if result.graph is not None else Graph()


def reader() -> Reader:
    """The ``Reader`` of the current app (its store and time limit)."""
    config = current_app.config
    return Reader(config["STORE"], timeout=float(config.get("TIME_LIMIT") or 10.0))


def values(var: str, iris) -> str:
    """A ``VALUES`` block over IRIs, each checked (``ValueError`` for an invalid one).

    >>> values("x", ["https://w3id.org/aseankg/id/country/VNM"])
    'VALUES ?x { <https://w3id.org/aseankg/id/country/VNM> }'
    """
    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(str(i))) for i in iris)} }}"


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``: ``'https://w3id.org/aseankg/ontology#Summit'`` → ``'Summit'``."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def short_name(iri: str) -> str:
    """``iri`` with a known prefix (``akg:Summit``, ``id:person/bui-thanh-son``), else as it is."""
    short = compact(iri)  # a prefixed name a query accepts (meeting:amm-58), if there is one
    if not short.startswith("<"):
        return short
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def page_href(iri: str) -> str | None:
    """Where the app shows ``iri``: ``/id/...`` for entities, ``/ontology#...`` for vocabulary terms."""
    if iri.startswith(ID):
        return "/id/" + iri[len(ID):]
    if iri.startswith(AKG):
        return "/ontology#" + short_name(iri).replace(":", "-")
    return None


def broad_type(iri: str, classes=()) -> str:
    """The broad type of an entity from its classes, else from its IRI's folder ('' if unknown).

    >>> broad_type("https://w3id.org/aseankg/id/meeting/amm-58", [AKG + "MinisterialMeeting"])
    'Meeting'
    >>> broad_type("https://w3id.org/aseankg/id/person/bui-thanh-son")
    'Person'
    """
    for cls in classes:
        found = BROAD_TYPES.get(local_name(str(cls)))
        if found:
            return found
    if iri.startswith(ID):
        return FOLDER_TYPES.get(iri[len(ID):].split("/", 1)[0], "")
    return ""


def _first_labels(rows) -> dict[str, str]:
    """IRI → label, preferring English and untagged labels and, among those, the shortest."""
    best: dict[str, tuple] = {}
    for iri, label in rows:
        if label is None:
            continue
        rank = (0 if (label.language or "en").startswith("en") else 1, len(str(label)), str(label))
        key = str(iri)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {k: v[2] for k, v in best.items()}


def labels_and_kinds(read: Reader, iris) -> tuple[dict[str, str], dict[str, str]]:
    """Labels and broad types of ``iris`` (entities and vocabulary terms)."""
    iris = sorted({str(i) for i in iris})
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for start in range(0, len(iris), 400):
        chunk = iris[start:start + 400]
        rows = read.rows(f"SELECT DISTINCT ?x ?label ?class WHERE {{ {values('x', chunk)} "
                         "OPTIONAL { ?x rdfs:label ?label } OPTIONAL { ?x a ?class } }", max_rows=20_000)
        labels.update(_first_labels((x, label) for x, label, _ in rows))
        classes: dict[str, list] = defaultdict(list)
        for x, _, cls in rows:
            if cls is not None:
                classes[str(x)].append(cls)
        for iri in chunk:
            kinds[iri] = broad_type(iri, sorted(classes.get(iri, []), key=str))
    return labels, kinds



#: a meeting's first start date and place, what tells two meetings of one label apart
MEETING_DETAILS = f"""SELECT ?x (MIN(STR(?start)) AS ?day) (MIN(?where) AS ?place) WHERE {{{{
  {{values}} ?x <https://schema.org/startDate> ?start
  OPTIONAL {{{{ ?x <{AKG}location>/<http://www.w3.org/2000/01/rdf-schema#label> ?where }}}}
  FILTER (STRSTARTS(STR(?x), "{ID}meeting/"))
}}}} GROUP BY ?x"""


def meeting_details(read: Reader, iris=None) -> dict[str, str]:
    """IRI → "day, place" of meetings (of ``iris``, or all), for telling same-label meetings apart."""
    if iris is not None and not iris:
        return {}
    query = MEETING_DETAILS.format(values=values("x", sorted(iris)) if iris is not None else "")
    return {str(x): ", ".join(str(v) for v in (day, place) if v is not None)
            for x, day, place in read.rows(query, max_rows=500_000)}


def told_apart(labels: dict[str, str], details) -> dict[str, str]:
    """``labels`` where two IRIs share one label, each followed by its details (day and place, from
    ``details(iris)``), else by its IRI's last segment.

    >>> told_apart({"m/a": "ASEAN Summit", "m/b": "ASEAN Summit", "p/c": "Lee"}, lambda iris: {"m/a": "2023-05-10"})
    {'m/a': 'ASEAN Summit (2023-05-10)', 'm/b': 'ASEAN Summit (b)', 'p/c': 'Lee'}
    """
    seen: dict[str, int] = defaultdict(int)
    for label in labels.values():
        seen[label] += 1
    shared = {iri for iri, label in labels.items() if seen[label] > 1}
    if not shared:
        return dict(labels)
    found = details(shared)
    return {iri: f"{label} ({found.get(iri) or iri.rsplit('/', 1)[-1]})" if iri in shared else label
            for iri, label in labels.items()}

def exists(store, iri: str, *, timeout: float = 10.0) -> bool:
    """True when the store has a triple with ``iri`` on either side."""
    result = store.query("ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }", bindings={"e": URIRef(str(iri))},
                         timeout=timeout)
    return bool(result.boolean)


def entity_iri(path: str) -> str | None:
    """The entity IRI for the path after ``/id/`` (``None`` if it cannot be an IRI).

    >>> entity_iri("person/bui-thanh-son")
    'https://w3id.org/aseankg/id/person/bui-thanh-son'
    >>> entity_iri("person/a b") is None
    True
    """
    try:
        return ox.NamedNode(ID + path).value
    except ValueError:
        return None


def not_found(what: str, status: int = 404) -> Response:
    html = render_template("not_found.html", what=what)
    return Response(html, status, mimetype="text/html")
