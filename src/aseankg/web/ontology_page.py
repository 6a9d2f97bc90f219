"""The ontology page (``/ontology``): every class, property and individual of ``ontology/aseankg.ttl``
and every shape of ``ontology/shapes.ttl``, with definitions, domains, ranges, constraints and an
example from the data (one instance or usage, found by a bounded query).

>>> vocabulary = read_vocabulary()
>>> person = next(t for t in vocabulary.classes if t.name == "akg:Person")
>>> person.label, person.anchor
('person', 'akg-Person')
>>> shape = next(s for s in read_shapes() if s.name == "akgsh:PersonShape")
>>> shape.targets
['akg:Person']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, current_app, render_template
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .. import settings
from .pages import ID, Reader, page_href, reader, short_name

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES_NS = "https://w3id.org/aseankg/shapes#"
PROPERTY_KINDS = {OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property",
                  OWL.AnnotationProperty: "annotation property"}


def name(term) -> str:
    """A term as the page names it: prefixed (``akg:Person``, ``akgsh:PersonShape``) or as it is."""
    text = str(term)
    if text.startswith(SHAPES_NS):
        return "akgsh:" + text[len(SHAPES_NS):]
    return short_name(text)


def anchor(term) -> str:
    return name(term).replace(":", "-")


@dataclass(frozen=True)
class Link:
    """A term shown with its prefixed name and, when the page has it, a link."""

    text: str
    href: str | None = None


def _link(term, local: set[str]) -> Link:
    text = name(term)
    if str(term) in local:
        return Link(text, "#" + anchor(term))
    return Link(text, page_href(str(term)) if str(term).startswith(ID) else None)


def expression(graph: Graph, node, local: set[str]) -> list[Link]:
    """A class expression as links: a named class, a union (``A``, ``∪``, ``B``), a restriction."""
    if isinstance(node, URIRef):
        return [_link(node, local)]
    if isinstance(node, Literal):
        return [Link(str(node))]
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        parts: list[Link] = []
        for item in Collection(graph, union):
            if parts:
                parts.append(Link(" ∪ "))
            parts += expression(graph, item, local)
        return parts
    on = graph.value(node, OWL.onProperty)
    if on is not None:
        return [Link("restriction on "), _link(on, local)]
    one_of = graph.value(node, OWL.oneOf)
    if one_of is not None:
        return [Link("one of ")] + [_link(i, local) for i in Collection(graph, one_of)]
    return [Link("(anonymous)")]


@dataclass
class Term:
    """A class, property or individual of the ontology."""

    iri: str
    name: str
    kind: str
    label: str = ""
    definition: str = ""
    comment: str = ""
    parents: list[list[Link]] = field(default_factory=list)
    domains: list[list[Link]] = field(default_factory=list)
    ranges: list[list[Link]] = field(default_factory=list)
    types: list[Link] = field(default_factory=list)
    example: list[Link] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return anchor(self.iri)


@dataclass
class Vocabulary:
    classes: list[Term]
    properties: list[Term]
    individuals: list[Term]

    def terms(self) -> list[Term]:
        return [*self.classes, *self.properties, *self.individuals]


@functools.lru_cache(maxsize=4)
def _parse(path: str, mtime: float) -> Graph:
    return Graph().parse(path, format="turtle")


def _graph(path: Path) -> Graph:
    return _parse(str(path), path.stat().st_mtime)


def _text(graph: Graph, subject, predicate) -> str:
    found = sorted(graph.objects(subject, predicate), key=lambda o: (getattr(o, "language", None) not in
                                                                     (None, "en"), str(o)))
    return str(found[0]) if found else ""


def read_vocabulary(path: Path | None = None) -> Vocabulary:
    """The classes, properties and individuals declared in the ontology file, sorted by name."""
    graph = _graph(path or settings.ONTOLOGY)
    classes = sorted({c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}, key=name)
    properties = sorted({p for kind in PROPERTY_KINDS for p in graph.subjects(RDF.type, kind)
                         if isinstance(p, URIRef)}, key=name)
    individuals = sorted({i for i in graph.subjects(RDF.type, OWL.NamedIndividual) if isinstance(i, URIRef)},
                         key=name)
    local = {str(t) for t in [*classes, *properties, *individuals]}

    def term(iri: URIRef, kind: str) -> Term:
        found = Term(str(iri), name(iri), kind, _text(graph, iri, RDFS.label), _text(graph, iri, SKOS.definition),
                     _text(graph, iri, RDFS.comment))
        parent_property = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
        found.parents = [expression(graph, p, local) for p in sorted(graph.objects(iri, parent_property),
                                                                    key=lambda n: (isinstance(n, BNode), str(n)))
                         if not isinstance(p, BNode) or graph.value(p, OWL.unionOf) is not None]
        found.domains = [expression(graph, d, local) for d in graph.objects(iri, RDFS.domain)]
        found.ranges = [expression(graph, r, local) for r in graph.objects(iri, RDFS.range)]
        found.types = [_link(t, local) for t in sorted(graph.objects(iri, RDF.type), key=str)
                       if t not in (OWL.NamedIndividual, OWL.Class) and t not in PROPERTY_KINDS]
        return found

    return Vocabulary(
        [term(c, "class") for c in classes],
        [term(p, PROPERTY_KINDS[next(k for k in PROPERTY_KINDS if (p, RDF.type, k) in graph)]) for p in properties],
        [term(i, "individual") for i in individuals])


@dataclass
class Constraint:
    """One property constraint of a shape, as readable parts."""

    path: list[Link]
    rules: list[str]
    message: str = ""


@dataclass
class Shape:
    iri: str
    name: str
    kind: str
    targets: list[str]
    rules: list[str]
    constraints: list[Constraint]
    message: str = ""

    @property
    def anchor(self) -> str:
        return anchor(self.iri)


_COUNTS = {SH.minCount: "at least {}", SH.maxCount: "at most {}", SH.minInclusive: "≥ {}",
           SH.maxInclusive: "≤ {}", SH.minLength: "length ≥ {}", SH.maxLength: "length ≤ {}"}


def _rules(graph: Graph, node) -> list[str]:
    rules = []
    for predicate, template in _COUNTS.items():
        for value in graph.objects(node, predicate):
            rules.append(template.format(value))
    for value in graph.objects(node, SH.datatype):
        rules.append(f"datatype {name(value)}")
    for value in graph.objects(node, SH["class"]):
        rules.append(f"class {name(value)}")
    for value in graph.objects(node, SH.nodeKind):
        rules.append(f"node kind {name(value).split(':')[-1].split('#')[-1]}")
    for value in graph.objects(node, SH.pattern):
        rules.append(f"pattern {value}")
    for value in graph.objects(node, SH["in"]):
        rules.append("one of " + ", ".join(name(v) for v in Collection(graph, value)))
    for value in graph.objects(node, SH["or"]):
        options = [" and ".join(_rules(graph, item)) or "(other)" for item in Collection(graph, value)]
        rules.append("either " + " or ".join(options))
    for value in graph.objects(node, SH.hasValue):
        rules.append(f"has value {name(value)}")
    for value in graph.objects(node, SH.node):
        rules.append(f"conforms to {name(value)}")
    for _ in graph.objects(node, SH.sparql):
        rules.append("a SPARQL constraint")
    return rules


def _path(graph: Graph, path, local: set[str]) -> list[Link]:
    if isinstance(path, URIRef):
        return [_link(path, local)]
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return [Link("^")] + _path(graph, inverse, local)
    if graph.value(path, RDF.first) is not None:
        parts: list[Link] = []
        for item in Collection(graph, path):
            if parts:
                parts.append(Link("/"))
            parts += _path(graph, item, local)
        return parts
    return [Link("(path)")]


def read_shapes(path: Path | None = None, *, local: set[str] | None = None) -> list[Shape]:
    """Every named shape of the shapes file (node and property shapes), sorted by name."""
    graph = _graph(path or settings.SHAPES)
    local = local or set()
    shapes = []
    named = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in graph.subjects(RDF.type, kind)
             if isinstance(s, URIRef)}
    for shape in sorted(named, key=name):
        kind = "node shape" if (shape, RDF.type, SH.NodeShape) in graph else "property shape"
        targets = sorted(name(t) for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                                                    SH.targetObjectsOf) for t in graph.objects(shape, predicate))
        constraints = []
        for node in graph.objects(shape, SH.property):
            constraints.append(Constraint(_path(graph, graph.value(node, SH.path), local), _rules(graph, node),
                                          _text(graph, node, SH.message)))
        constraints.sort(key=lambda c: "".join(link.text for link in c.path))
        own_path = graph.value(shape, SH.path)
        rules = _rules(graph, shape)
        if own_path is not None:
            rules.insert(0, "path " + "".join(link.text for link in _path(graph, own_path, local)))
        shapes.append(Shape(str(shape), name(shape), kind, targets, rules, constraints,
                            _text(graph, shape, SH.message)))
    return shapes


#: One instance of class ?c, and one use of property ?p, among the entities (the texts stay the same,
#: so the query is checked once).
CLASS_EXAMPLE = f"""SELECT ?x ?label WHERE {{ ?x a ?c FILTER (STRSTARTS(STR(?x), "{ID}"))
  OPTIONAL {{ ?x rdfs:label ?label }} }} LIMIT 1"""
PROPERTY_EXAMPLE = f"""SELECT ?s ?sl ?o ?ol WHERE {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), "{ID}"))
  OPTIONAL {{ ?s rdfs:label ?sl }} OPTIONAL {{ ?o rdfs:label ?ol }} }} LIMIT 1"""


def add_examples(vocabulary: Vocabulary, read: Reader) -> None:
    """One instance of each class and one usage of each property from the data (``LIMIT 1`` each)."""
    for term in vocabulary.classes:
        rows = read.rows(CLASS_EXAMPLE, c=URIRef(term.iri))
        if rows:
            x, label = rows[0]
            term.example = [Link(str(label) if label is not None else short_name(str(x)), page_href(str(x)))]
    for term in vocabulary.properties:
        rows = read.rows(PROPERTY_EXAMPLE, p=URIRef(term.iri))
        if rows:
            s, s_label, o, o_label = rows[0]
            subject = Link(str(s_label) if s_label is not None else short_name(str(s)), page_href(str(s)))
            if isinstance(o, URIRef):
                value = Link(str(o_label) if o_label is not None else short_name(str(o)), page_href(str(o)))
            else:
                text = str(o)
                value = Link(f"“{text[:80]}{'…' if len(text) > 80 else ''}”")
            term.example = [subject, Link(f" {term.name} "), value]


bp = Blueprint("ontology", __name__)
bp.add_app_template_filter(anchor, "term_anchor")


@bp.get("/ontology")
def ontology():
    """Every class, property, individual and shape, with an example from the data."""
    vocabulary = read_vocabulary()
    add_examples(vocabulary, Reader(current_app.config["STORE"], timeout=reader().timeout))
    local = {t.iri for t in vocabulary.terms()}
    shapes = read_shapes(local=local)
    return render_template("ontology.html", vocabulary=vocabulary, shapes=shapes)
