"""Entity pages: ``/id/<type>/<slug>`` as Linked Data.

The IRIs minted under ``https://w3id.org/aseankg/id/`` resolve here (the path after ``/id/`` is
the same). Browsers get HTML: the label, types, aliases, Wikidata links, every fact grouped by
property with the entity on either side, and for each fact the articles that state it (headline,
outlet, date and the sentence); RDF clients get the entity's description as Turtle, JSON-LD,
N-Triples or RDF/XML by ``Accept`` (``Vary: Accept``), or by the explicit addresses ``.ttl``,
``.jsonld``, ``.nt`` and ``.rdf``. Unknown entities are a readable 404.

``describe(store, iri)`` reads what a page shows (a few small queries bound to one entity) and
``entity_graph(store, iri)`` the RDF; both are plain functions over a store.

>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import RDF, RDFS
>>> from aseankg.store import EmbeddedStore
>>> store = EmbeddedStore(None)
>>> vnm = URIRef(ID + "country/VNM")
>>> store.write_article(ID + "article/0123456789abcdef", [
...     (vnm, RDF.type, URIRef(AKG + "Country")), (vnm, RDFS.label, Literal("Viet Nam", lang="en"))])
>>> view = describe(store, vnm)
>>> view.label, view.kind, [g.label for g in view.groups]
('Viet Nam', 'Country', ['label'])
>>> len(entity_graph(store, vnm))
2
>>> describe(store, ID + "country/XXX") is None
True
>>> store.close()
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .. import settings
from ..results import graph_from_triples
from ..xmltext import xml_safe_bytes
from .cors import shared
from .fairness import page
from .pages import (
    AKG,
    ID,
    NARY_TYPES,
    Reader,
    broad_type,
    entity_iri,
    labels_and_kinds,
    local_name,
    not_found,
    page_href,
    reader,
    short_name,
    values,
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
REFERS_TO = AKG + "refersTo"

#: Provenance links into an entity, counted on its page rather than listed (mentions of it, mentions in it).
HIDDEN_INCOMING = (REFERS_TO, AKG + "inArticle")
#: Properties shown in the page header rather than among the facts.
HEADER_PROPERTIES = {RDF_TYPE, ALT_LABEL, EXACT_MATCH}
#: What the named graphs that are not articles are called on a page.
GRAPH_NAMES = {settings.REFERENCE_GRAPH: "reference data (gazetteer)",
               settings.INFERENCE_GRAPH: "inferred (OWL RL)", settings.ONTOLOGY_GRAPH: "ontology"}
#: RDF forms of an entity: media type → (rdflib format, extension, name on the page).
RDF_FORMATS = {"text/turtle": ("turtle", "ttl", "Turtle"), "application/ld+json": ("json-ld", "jsonld", "JSON-LD"),
               "application/n-triples": ("nt", "nt", "N-Triples"),
               "application/rdf+xml": ("xml", "rdf", "RDF/XML")}
EXTENSIONS = {ext: media for media, (_, ext, _) in RDF_FORMATS.items()}
#: Most sentences shown per fact and article.
MAX_SENTENCES = 2


# ------------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Value:
    """One side of a fact as a page shows it: text, link, a note (language, datatype or prefixed
    IRI), and for entities their IRI and broad type."""

    text: str
    href: str | None = None
    note: str = ""
    iri: str | None = None
    kind: str = ""


@dataclass
class Evidence:
    """Where a fact is stated: an article (headline, outlet, date, url, sentences) or another graph."""

    graph: str
    headline: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    sentences: list[str] = field(default_factory=list)

    @property
    def is_article(self) -> bool:
        return self.graph.startswith(ID + "article/")

    @property
    def name(self) -> str:
        return GRAPH_NAMES.get(self.graph, self.headline or short_name(self.graph))

    @property
    def href(self) -> str | None:
        return page_href(self.graph) if self.is_article else None


@dataclass
class Fact:
    """One statement about the entity: the value on the other side, the n-ary node's own values
    (``details``: property label, value) and the evidence, one entry per graph stating it."""

    value: Value
    evidence: list[Evidence] = field(default_factory=list)
    details: list[tuple[str, Value]] = field(default_factory=list)


@dataclass
class FactGroup:
    """The facts of one property in one direction (``out``: entity → value; ``in``: value → entity)."""

    property: str
    label: str
    direction: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.direction}-{short_name(self.property).replace(':', '-')}"


@dataclass
class EntityView:
    """Everything an entity page shows."""

    iri: str
    label: str
    kind: str
    classes: list[Value]
    aliases: list[str]
    wikidata: list[str]
    groups: list[FactGroup]
    mentions: int
    articles: list[Evidence]

    @property
    def path(self) -> str:
        return self.iri[len(ID):]


def term_value(term: Node, labels: dict[str, str], kinds: dict[str, str]) -> Value:
    """The ``Value`` of an rdflib term, with entity labels and types looked up."""
    if isinstance(term, URIRef):
        iri = str(term)
        label = labels.get(iri)
        return Value(label or short_name(iri), page_href(iri) or (iri if iri.startswith("http") else None),
                     short_name(iri) if label else "", iri, kinds.get(iri) or broad_type(iri))
    if isinstance(term, BNode):
        return Value(f"_:{term}")
    assert isinstance(term, Literal)
    note = f"@{term.language}" if term.language else ""
    if not note and term.datatype is not None:
        note = short_name(str(term.datatype))
    return Value(str(term), note=note)


def _articles(read: Reader, graphs) -> dict[str, Evidence]:
    """Article metadata for each graph IRI (non-article graphs get a bare ``Evidence``)."""
    graphs = sorted({str(g) for g in graphs})
    found = {g: Evidence(g) for g in graphs}
    articles = [g for g in graphs if g.startswith(ID + "article/")]
    if articles:
        # an article without a headline is named by its graph's label: its file name or address
        rows = read.rows(f"""SELECT ?g ?headline ?publisher ?date ?url ?label WHERE {{ {values('g', articles)}
          GRAPH ?g {{ OPTIONAL {{ ?g schema:headline ?headline }} OPTIONAL {{ ?g schema:publisher ?publisher }}
                     OPTIONAL {{ ?g schema:datePublished ?date }} OPTIONAL {{ ?g schema:url ?url }}
                     OPTIONAL {{ ?g rdfs:label ?label }} }} }}""")
        for g, headline, publisher, date, url, label in rows:
            evidence = found[str(g)]
            evidence.headline = evidence.headline or str(headline or label or "")
            evidence.publisher = evidence.publisher or str(publisher or "")
            evidence.date = evidence.date or str(date or "")
            evidence.url = evidence.url or str(url or "")
    return found


def _evidence_for(key: tuple[str, str, object, str], article: Evidence, derived: dict, mentioned: dict) -> Evidence:
    """The evidence of fact ``(subject, property, object, graph)`` in one graph: the sentences of the
    n-ary node's ``prov:wasDerivedFrom`` mentions, else sentences naming both ends, else (for a
    literal) sentences naming the subject that contain the literal's text."""
    s, _, o, g = key
    sentences: list[str] = []
    for node in (s, o):
        sentences += sorted(derived.get((node, g), ()))
    if not sentences and isinstance(o, str):
        both = mentioned.get((s, g), set()) & mentioned.get((o, g), set())
        sentences = sorted(both)
    if not sentences and isinstance(o, Literal) and len(str(o)) > 2:
        text = str(o).lower()
        sentences = sorted(x for x in mentioned.get((s, g), ()) if text in x.lower())
    unique = list(dict.fromkeys(sentences))[:MAX_SENTENCES]
    return Evidence(g, article.headline, article.publisher, article.date, article.url, unique)


def describe(store, iri: str, *, timeout: float = 10.0) -> EntityView | None:
    """What the page of entity ``iri`` shows, or ``None`` when the store says nothing about it."""
    read = Reader(store, timeout=timeout)
    entity = URIRef(str(iri))
    out = read.rows("SELECT DISTINCT ?p ?o ?g WHERE { GRAPH ?g { ?e ?p ?o } }", e=entity)
    hidden = ", ".join(f"<{p}>" for p in HIDDEN_INCOMING)
    into = read.rows(f"SELECT DISTINCT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p ?e }} FILTER (?p NOT IN ({hidden})) }}",
                     e=entity)
    mention_rows = read.rows(f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m ?p ?e FILTER (?p IN ({hidden})) }}",
                             e=entity)
    mentions = int(mention_rows[0][0]) if mention_rows else 0
    if not out and not into and not mentions:
        return None
    # the n-ary nodes on either side, and their own values
    linked = {str(o) for _, o, _ in out if isinstance(o, URIRef)} | {str(s) for s, _, _ in into
                                                                     if isinstance(s, URIRef)}
    names = linked | {str(p) for p, _, _ in out} | {str(p) for _, p, _ in into} | {str(iri)}
    labels, kinds = labels_and_kinds(read, names)
    nary = sorted(x for x in linked if kinds.get(x) in NARY_TYPES)
    details: dict[str, list[tuple[str, Node]]] = defaultdict(list)
    if nary:
        rows = read.rows(f"""SELECT DISTINCT ?n ?p ?o WHERE {{ {values('n', nary)} ?n ?p ?o
            FILTER (?p NOT IN (rdf:type, rdfs:label, prov:wasDerivedFrom)) }}""")
        for n, p, o in rows:
            details[str(n)].append((str(p), o))
        more = {str(o) for rows_ in details.values() for _, o in rows_ if isinstance(o, URIRef)}
        more |= {p for rows_ in details.values() for p, _ in rows_}
        extra_labels, extra_kinds = labels_and_kinds(read, more - set(labels))
        labels.update(extra_labels)
        kinds.update(extra_kinds)
    # evidence: the articles, the n-ary nodes' own mentions and the sentences naming each end
    graphs = {str(g) for *_, g in out} | {str(g) for *_, g in into}
    articles = _articles(read, graphs)
    derived: dict[tuple[str, str], set[str]] = defaultdict(set)
    mentioned: dict[tuple[str, str], set[str]] = defaultdict(set)
    if nary:
        for n, g, sentence in read.rows(f"""SELECT DISTINCT ?n ?g ?sentence WHERE {{ {values('n', nary)}
                GRAPH ?g {{ ?n prov:wasDerivedFrom ?m . ?m akg:sentence ?sentence }} }}"""):
            derived[(str(n), str(g))].add(str(sentence))
    targets = sorted({str(iri)} | {x for x in linked if x.startswith(ID)})
    for start in range(0, len(targets), 300):
        chunk = targets[start:start + 300]
        for x, g, sentence in read.rows(f"""SELECT DISTINCT ?x ?g ?sentence WHERE {{ {values('x', chunk)}
                GRAPH ?g {{ ?m akg:refersTo ?x ; akg:sentence ?sentence }} }}""", max_rows=20_000):
            mentioned[(str(x), str(g))].add(str(sentence))

    groups: dict[tuple[str, str], dict[object, Fact]] = defaultdict(dict)

    def add(direction: str, prop: str, other: Node, key: tuple) -> None:
        facts = groups[(direction, prop)]
        token = other
        if token not in facts:
            fact = Fact(term_value(other, labels, kinds))
            if isinstance(other, URIRef) and str(other) in details:
                fact.details = [(labels.get(p) or local_name(p), term_value(o, labels, kinds))
                                for p, o in sorted(details[str(other)], key=lambda d: (d[0], str(d[1])))
                                if not (isinstance(o, URIRef) and str(o) == str(iri))]
            facts[token] = fact
        facts[token].evidence.append(_evidence_for(key, articles[key[3]], derived, mentioned))

    here = str(iri)
    for p, o, g in out:
        if str(p) not in HEADER_PROPERTIES:
            add("out", str(p), o, (here, str(p), str(o) if isinstance(o, URIRef) else o, str(g)))
    for s, p, g in into:
        add("in", str(p), s, (str(s), str(p), here, str(g)))

    result = []
    for (direction, prop), facts in groups.items():
        name = labels.get(prop) or local_name(prop)
        group = FactGroup(prop, name if direction == "out" else f"{name} of", direction)
        for fact in sorted(facts.values(), key=lambda f: (f.value.text.lower(), f.value.note)):
            fact.evidence.sort(key=lambda e: (not e.is_article, e.date, e.headline, e.graph))
            group.facts.append(fact)
        result.append(group)
    result.sort(key=lambda grp: (grp.direction != "out", grp.property != RDFS_LABEL, grp.label.lower()))

    classes = sorted({str(o) for p, o, _ in out if str(p) == RDF_TYPE})
    aliases = sorted({str(o) for p, o, _ in out if str(p) == ALT_LABEL}, key=str.lower)
    wikidata = sorted({str(o) for p, o, _ in out if str(p) == EXACT_MATCH and isinstance(o, URIRef)})
    class_labels, _ = labels_and_kinds(read, classes) if classes else ({}, {})
    sources = sorted((e for e in articles.values() if e.is_article), key=lambda e: (e.date, e.headline))
    return EntityView(
        iri=here, label=labels.get(here) or local_name(here), kind=kinds.get(here) or broad_type(here),
        classes=[Value(class_labels.get(c) or local_name(c), page_href(c), short_name(c), c) for c in classes],
        aliases=aliases, wikidata=wikidata, groups=result, mentions=mentions, articles=sources)


#: The entity's RDF: its own triples, the triples pointing at it (mentions left out), the n-ary facts it
#: takes part in (participations, chairmanships, partnerships) and the labels of the things on the other side.
ENTITY_GRAPH_QUERY = f"""CONSTRUCT {{ ?e ?p ?o . ?s ?q ?e . ?n ?r ?v . ?x rdfs:label ?label }} WHERE {{
  {{ ?e ?p ?o }} UNION {{ ?s ?q ?e FILTER (?q != <{REFERS_TO}>) }}
  UNION {{ ?n ?q3 ?e ; a ?nary ; ?r ?v VALUES ?nary {{ akg:Participation akg:Chairmanship akg:Partnership }} }}
  UNION {{ {{ ?e ?p2 ?x }} UNION {{ ?x ?q2 ?e FILTER (?q2 != <{REFERS_TO}>) }}
          FILTER (isIRI(?x) && STRSTARTS(STR(?x), "{ID}")) ?x rdfs:label ?label }}
}}"""


def entity_graph(store, iri: str, *, timeout: float = 10.0) -> Graph:
    """The RDF description of ``iri`` (see ``ENTITY_GRAPH_QUERY``), with the project's prefixes."""
    graph = Reader(store, timeout=timeout, max_rows=50_000).graph(ENTITY_GRAPH_QUERY, e=URIRef(str(iri)))
    described = graph_from_triples(())
    for triple in graph:
        described.add(triple)
    return described


# ----------------------------------------------------------------------------------------- the views

bp = Blueprint("entities", __name__)
bp.add_app_template_filter(short_name, "short_name")


def preferred_media() -> str:
    """The representation the client asked for: ``text/html`` or one of ``RDF_FORMATS``."""
    offered = ["text/html", *RDF_FORMATS]
    accept = request.accept_mimetypes
    if not accept:
        return "text/html"
    best = accept.best_match(offered)
    return best or ""


def rdf_response(iri: str, media: str) -> Response:
    fmt = RDF_FORMATS[media][0]
    graph = page("aseankg.web.entities:entity_graph", iri, timeout=reader().timeout)
    if fmt == "nt":
        body = "".join(sorted(line for line in graph.serialize(format="nt").splitlines(keepends=True)
                              if line.strip())).encode()
    else:
        body = graph.serialize(format=fmt, encoding="utf-8")
        if fmt == "xml":  # a control character stored in a literal would make the document unreadable
            body = xml_safe_bytes(body)
    return Response(body, 200, mimetype=media)


@bp.get("/id/<path:path>")
@shared
def entity(path: str):
    """An entity page: HTML or RDF by ``Accept``, or RDF by extension (``.ttl``, ``.jsonld``, ``.nt``,
    ``.rdf``)."""
    from .ego import render_ego_svg
    from .home import export_filters, export_links

    stem, dot, extension = path.rpartition(".")
    media = EXTENSIONS.get(extension) if dot and "/" in stem else None
    if media is not None:
        path = stem
    iri = entity_iri(path)
    read = reader()
    if iri is None:
        return not_found(f"/id/{path}")
    if media is None:
        media = preferred_media()
        if not media:
            response = Response("this entity is available as text/html, " + ", ".join(RDF_FORMATS) + "\n",
                                406, mimetype="text/plain")
            response.vary.add("Accept")
            return response
        negotiated = True
    else:
        negotiated = False
    view = page("aseankg.web.entities:describe", iri, timeout=read.timeout)
    if view is None:
        response = not_found(f"/id/{path}")
        if negotiated:
            response.vary.add("Accept")
        return response
    if media == "text/html":
        ego = page("aseankg.web.ego:ego_network", iri, timeout=read.timeout)
        timeline = (page("aseankg.web.graphs:person_timeline", iri, timeout=read.timeout)
                    if view.kind == "Person" else None)
        from .review import review_panel

        html = render_template("entity.html", view=view, ego=ego, ego_svg=render_ego_svg(ego),
                               review=review_panel(current_app.config["STORE"], iri), path=f"/id/{path}",
                               exports=export_links(**export_filters(view)),
                               timeline=timeline, rdf_links=[(name, f"/id/{path}.{ext}")
                                                             for _, ext, name in RDF_FORMATS.values()])
        response = Response(html, 200, mimetype="text/html")
    else:
        response = rdf_response(iri, media)
        if negotiated:
            response.headers["Content-Location"] = f"/id/{path}.{RDF_FORMATS[media][1]}"
    if negotiated:
        response.vary.add("Accept")
    return response
