"""OWL 2 RL inference into its own named graph (``settings.INFERENCE_GRAPH``).

Two engines compute the same entailments for the constructs the ontology uses:

- ``"rules"`` (the default): rules generated from the ontology (``compile_rules``) as SPARQL
  ``CONSTRUCT`` queries, run to a fixpoint in an in-memory pyoxigraph store (``rule_entailments``):
  subclass and equivalent class, domain and range, sub- and equivalent property, inverse,
  symmetric and transitive properties, ``owl:hasValue``, ``owl:hasSelf``, ``owl:unionOf`` and
  ``owl:intersectionOf`` in their OWL 2 RL positions, and property chains (as SPARQL paths). It
  leaves out the equality rules (``owl:sameAs``), cardinality and value restrictions
  (``someValuesFrom``, ``allValuesFrom``, ``maxCardinality``), datatype reasoning, schema-level
  entailments (``C rdfs:subClassOf E`` by transitivity) and consistency checks.
- ``"owlrl"``: the full OWL 2 RL closure of owlrl (``entailments``) plus the hasSelf rules, 20 to 40
  times slower.

``infer(store)`` reads the ontology, the reference data and every article graph, computes the
entailments and writes them, replacing the previous inference graph in one transaction. Article
graphs are never written.

The extra rule is what lets the ontology define ``akg:chaired`` by the property chain
``( [ owl:inverseOf akg:participant ] akg:chairingSelf akg:meeting )``, where ``akg:chairingSelf``
comes from a ``hasSelf`` restriction on the class of chairing participations:

>>> from rdflib import Graph, URIRef
>>> ontology = '''
... @prefix : <https://w3id.org/aseankg/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... :ChairingParticipation owl:equivalentClass [ owl:onProperty :capacity ; owl:hasValue :Chair ] ;
...     rdfs:subClassOf [ owl:onProperty :chairingSelf ; owl:hasSelf true ] .
... :chaired owl:propertyChainAxiom ( [ owl:inverseOf :participant ] :chairingSelf :meeting ) .
... <https://w3id.org/aseankg/id/p1> :participant <https://w3id.org/aseankg/id/person/an> ;
...     :meeting <https://w3id.org/aseankg/id/meeting/amm-58> ; :capacity :Chair .
... '''
>>> chaired = URIRef("https://w3id.org/aseankg/ontology#chaired")
>>> [str(m) for m in entailments(Graph().parse(data=ontology, format="turtle")).objects(None, chaired)]
['https://w3id.org/aseankg/id/meeting/amm-58']
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from owlrl import DatatypeHandling, DeductiveClosure
from owlrl.OWLRL import OWLRL_Semantics
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from . import settings
from .results import TermCache, graph_from_triples
from .store import EmbeddedStore, Store

#: Namespaces whose own terms never get inferred statements written about them (owlrl's axiomatic
#: typing of datatypes, annotation properties and the like).
_W3C = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")
#: Properties whose reflexive statements (``x owl:sameAs x``, ``C rdfs:subClassOf C``) say nothing.
_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
#: Properties whose statements with object ``owl:Thing`` say nothing (everything is a Thing).
_TO_THING = {RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range}


@dataclass(frozen=True)
class InferenceReport:
    """What one run of ``infer`` did: triples read, new triples written, and the time taken."""

    triples_in: int
    triples_inferred: int
    seconds: float
    closure_seconds: float = 0.0
    #: Inconsistencies found by the rules (e.g. an individual in two disjoint classes).
    errors: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = (f"{self.triples_inferred} triples inferred from {self.triples_in} "
                f"in {self.seconds:.1f} s (closure {self.closure_seconds:.1f} s)")
        return text + (f"; {len(self.errors)} inconsistencies" if self.errors else "")


class OWLRLWithSelf(OWLRL_Semantics):
    """OWL 2 RL plus the two ``owl:hasSelf`` rules (as owlrl's ``OWLRL_Extension`` has them, without
    that class's RDFS and datatype-restriction work):

    - ``?z owl:hasSelf ?x . ?z owl:onProperty ?p . ?y a ?z  →  ?y ?p ?y``
    - ``?z owl:hasSelf ?x . ?z owl:onProperty ?p . ?y ?p ?y  →  ?y a ?z``

    The equality rules (eq-*) are left out: the vocabulary uses ``skos:exactMatch``, never
    ``owl:sameAs``, and has no functional or inverse-functional properties, so all they would add is
    ``x owl:sameAs x`` for every term, which more than doubles the work.
    """

    def _equality(self, triple, cycle_num):
        pass

    def store_triple(self, t):
        # Core.store_triple looks the triple up twice (destination and graph are one graph here).
        if not isinstance(t[1], Literal) and t not in self.graph:
            self.added_triples.add(t)

    def rules(self, t, cycle_num):
        super().rules(t, cycle_num)
        z, q, _ = t
        if q == OWL.hasSelf:
            for p in self.graph.objects(z, OWL.onProperty):
                for y in self.graph.subjects(RDF.type, z):
                    self.store_triple((y, p, y))
                for y1, y2 in self.graph.subject_objects(p):
                    if y1 == y2:
                        self.store_triple((y1, RDF.type, z))


def worth_keeping(triple: tuple) -> bool:
    """False for entailments that are noise to a reader of the graph: anything with a blank node
    (restrictions, list cells, inverse-property helpers), generalised RDF (a literal subject, a
    blank-node predicate), reflexive ``sameAs``/``subClassOf``/... statements, ``x a owl:Thing``
    and the like, and statements about the RDF, RDFS, OWL and XSD vocabularies themselves."""
    s, p, o = triple
    if not isinstance(s, URIRef) or not isinstance(p, URIRef) or isinstance(o, BNode):
        return False
    if (s == o and p in _REFLEXIVE) or (o == OWL.Thing and p in _TO_THING):
        return False
    return not str(s).startswith(_W3C)


def entailments(graph: Graph, *, errors: list[str] | None = None) -> Graph:
    """The new triples of the OWL 2 RL (+ hasSelf) closure of ``graph``, filtered by
    ``worth_keeping``. ``graph`` itself is not changed. Inconsistencies the rules find (an
    individual in two disjoint classes, say) are appended to ``errors`` if given."""
    closure = Graph(store="SimpleMemory")  # no per-triple context bookkeeping: about 2x faster
    add = closure.add
    for t in graph:
        add(t)
    semantics = OWLRLWithSelf(closure, False, False, rdfs=False)
    # As owlrl.DeductiveClosure.expand does: owlrl's lexical conversions while it runs.
    if not DeductiveClosure.improved_datatype_generic:
        DatatypeHandling.use_Alt_lexical_conversions()
    try:
        semantics.closure()
    finally:
        if not DeductiveClosure.improved_datatype_generic:
            DatatypeHandling.use_RDFLib_lexical_conversions()
    if errors is not None:
        errors.extend(semantics.error_messages)
    new = Graph()
    for prefix, namespace in graph.namespaces():
        new.bind(prefix, namespace, override=False)
    for triple in closure:
        if triple not in graph and worth_keeping(triple):
            new.add(triple)
    return new


def load_ontology(ontology: Graph | str | os.PathLike | None = None) -> Graph:
    """The ontology graph: the one given, a file, or ``settings.ONTOLOGY`` (empty if missing)."""
    if isinstance(ontology, Graph):
        return ontology
    path = Path(ontology) if ontology is not None else settings.ONTOLOGY
    if ontology is None and not path.exists():
        return Graph()
    return Graph().parse(path, format="turtle")


# ------------------------------------------------------------------------------------- rules engine

@dataclass(frozen=True)
class Rule:
    """One generated rule: a SPARQL ``CONSTRUCT`` query and what it implements."""

    name: str
    sparql: str


def _n3(term: Node) -> str:
    return f"<{term}>" if isinstance(term, URIRef) else term.n3()


def _list(graph: Graph, head: Node) -> list[Node]:
    return list(Collection(graph, head)) if head is not None else []


def _closure(edges: dict[Node, set[Node]], start: Node) -> set[Node]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _class_edges(ontology: Graph) -> dict[Node, set[Node]]:
    """Class expression → the class expressions it is a subclass of (told, equivalent, a union it is
    a member of, the members of an intersection it is)."""
    edges: dict[Node, set[Node]] = {}

    def edge(a: Node, b: Node) -> None:
        edges.setdefault(a, set()).add(b)

    for c, d in ontology.subject_objects(RDFS.subClassOf):
        edge(c, d)
    for c, d in ontology.subject_objects(OWL.equivalentClass):
        edge(c, d)
        edge(d, c)
    for u, head in ontology.subject_objects(OWL.unionOf):
        for member in _list(ontology, head):
            edge(member, u)
    for i, head in ontology.subject_objects(OWL.intersectionOf):
        for member in _list(ontology, head):
            edge(i, member)
    return edges


def _property_supers(ontology: Graph) -> dict[Node, set[Node]]:
    supers: dict[Node, set[Node]] = {}
    for p, q in ontology.subject_objects(RDFS.subPropertyOf):
        supers.setdefault(p, set()).add(q)
    for p, q in ontology.subject_objects(OWL.equivalentProperty):
        supers.setdefault(p, set()).add(q)
        supers.setdefault(q, set()).add(p)
    return supers


def schema_entailments(ontology: Graph) -> set[tuple]:
    """The schema-level statements OWL 2 RL derives (scm-sco, scm-eqc1, scm-uni, scm-int, scm-spo,
    scm-dom1/2, scm-rng1/2) between named terms: subclasses, sub-properties, domains and ranges."""
    edges, supers = _class_edges(ontology), _property_supers(ontology)
    out: set[tuple] = set()
    for c in [n for n in edges if isinstance(n, URIRef)]:
        out |= {(c, RDFS.subClassOf, d) for d in _closure(edges, c) if isinstance(d, URIRef)}
    for p in [n for n in supers if isinstance(n, URIRef)]:
        out |= {(p, RDFS.subPropertyOf, q) for q in _closure(supers, p) if isinstance(q, URIRef)}
    subs: dict[Node, set[Node]] = {}
    for p in list(supers):
        for q in _closure(supers, p):
            subs.setdefault(q, set()).add(p)
    for relation in (RDFS.domain, RDFS.range):
        for p, d in ontology.subject_objects(relation):
            for sub in subs.get(p, {p}) | {p}:
                out |= {(sub, relation, e) for e in _closure(edges, d) if isinstance(e, URIRef)}
    return {t for t in out if t not in ontology and isinstance(t[0], URIRef) and worth_keeping(t)}


def compile_rules(ontology: Graph) -> list[Rule]:
    """The rules of the ``"rules"`` engine for ``ontology``, as SPARQL ``CONSTRUCT`` queries.

    Class expressions are nodes of one graph: ``C rdfs:subClassOf D`` and ``owl:equivalentClass``
    are edges, a union's members point to the union (cls-uni), an intersection to its members
    (cls-int2). Reaching a named class adds ``?x a C``; reaching a ``hasValue`` restriction adds
    ``?x p v`` (cls-hv1), a ``hasSelf`` one ``?x p ?x``. Entering a class expression: ``?x a C``,
    ``?x p v`` (cls-hv2), ``?x p ?x`` (hasSelf), a domain or range (prp-dom, prp-rng).

    >>> onto = Graph().parse(data='''@prefix : <http://e.org/#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... :Summit rdfs:subClassOf :Meeting . :Meeting rdfs:subClassOf :Event .''', format="turtle")
    >>> print(compile_rules(onto)[-1].sparql)
    CONSTRUCT { ?x a <http://e.org/#Event> . ?x a <http://e.org/#Meeting> . } WHERE { ?x a <http://e.org/#Summit> }
    """
    edges = _class_edges(ontology)

    def effects(node: Node, var: str) -> list[str]:
        out = []
        for d in sorted(_closure(edges, node), key=str):
            if isinstance(d, URIRef) and d != node and d != OWL.Thing and (d, RDF.type, RDFS.Datatype) not in ontology:
                out.append(f"{var} a {_n3(d)} .")
            for p in ontology.objects(d, OWL.onProperty):
                for v in ontology.objects(d, OWL.hasValue):
                    out.append(f"{var} {_n3(p)} {_n3(v)} .")
                if (d, OWL.hasSelf, None) in ontology:
                    out.append(f"{var} {_n3(p)} {var} .")
        return out

    rules: list[Rule] = []

    def add(name: str, template: list[str], where: str) -> None:
        if template:
            rules.append(Rule(name, f"CONSTRUCT {{ {' '.join(template)} }} WHERE {{ {where} }}"))

    for c in sorted({n for n in edges if isinstance(n, URIRef)}, key=str):
        add(f"type {c}", effects(c, "?x"), f"?x a {_n3(c)}")
    for r, p in sorted(ontology.subject_objects(OWL.onProperty), key=str):
        if not isinstance(p, URIRef):
            continue
        for v in ontology.objects(r, OWL.hasValue):
            add(f"hasValue {p} {v}", effects(r, "?x") + [f"?x a {_n3(r)} ."] * isinstance(r, URIRef),
                f"?x {_n3(p)} {_n3(v)}")
        if (r, OWL.hasSelf, None) in ontology:
            add(f"hasSelf {p}", effects(r, "?x") + [f"?x a {_n3(r)} ."] * isinstance(r, URIRef),
                f"?x {_n3(p)} ?x")

    # properties: sub-/equivalent properties, inverses, symmetric, transitive, domains and ranges
    supers = _property_supers(ontology)
    inverses: dict[Node, set[Node]] = {}
    for p, q in ontology.subject_objects(OWL.inverseOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            inverses.setdefault(p, set()).add(q)
            inverses.setdefault(q, set()).add(p)
    properties = {p for p in set(supers) | set(inverses) | set(ontology.subjects(RDFS.domain))
                  | set(ontology.subjects(RDFS.range)) if isinstance(p, URIRef)}
    for p in sorted(properties, key=str):
        template = [f"?x {_n3(q)} ?y ." for q in sorted(_closure(supers, p) - {p}, key=str)
                    if isinstance(q, URIRef)]
        template += [f"?y {_n3(q)} ?x ." for q in sorted(inverses.get(p, ()), key=str)]
        for d in ontology.objects(p, RDFS.domain):
            template += effects(d, "?x") + [f"?x a {_n3(d)} ."] * (isinstance(d, URIRef) and d != OWL.Thing)
        for r in ontology.objects(p, RDFS.range):
            if isinstance(r, URIRef) and (r.startswith(str(RDFS)) or r.startswith("http://www.w3.org/2001/XMLSchema#")
                                          or (r, RDF.type, RDFS.Datatype) in ontology):
                continue  # a datatype: its values are literals
            template += effects(r, "?y") + [f"?y a {_n3(r)} ."] * (isinstance(r, URIRef) and r != OWL.Thing)
        add(f"property {p}", template, f"?x {_n3(p)} ?y")
    for p in sorted(set(ontology.subjects(RDF.type, OWL.SymmetricProperty)), key=str):
        add(f"symmetric {p}", [f"?y {_n3(p)} ?x ."], f"?x {_n3(p)} ?y")
    for p in sorted(set(ontology.subjects(RDF.type, OWL.TransitiveProperty)), key=str):
        add(f"transitive {p}", [f"?x {_n3(p)} ?y ."], f"?x {_n3(p)}/{_n3(p)} ?y")
    # property chains, as SPARQL property paths (``[ owl:inverseOf q ]`` is ``^q``)
    for p, head in sorted(ontology.subject_objects(OWL.propertyChainAxiom), key=str):
        steps = []
        for step in _list(ontology, head):
            inverse = ontology.value(step, OWL.inverseOf) if isinstance(step, BNode) else None
            steps.append(f"^{_n3(inverse)}" if inverse is not None else _n3(step))
        if steps and isinstance(p, URIRef) and all("_:" not in step for step in steps):
            add(f"chain {p}", [f"?x {_n3(p)} ?y ."], f"?x {'/'.join(steps)} ?y")
    return rules


def rule_entailments(triples, ontology: Graph, *, rules: list[Rule] | None = None) -> Graph:
    """The new triples the rules derive from ``triples`` (pyoxigraph ``Triple``/``Quad`` objects, or
    rdflib triples) and ``ontology``, to a fixpoint, filtered by ``worth_keeping``.

    >>> from rdflib import Namespace
    >>> E = Namespace("http://e.org/#")
    >>> onto = Graph().parse(data='''@prefix : <http://e.org/#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... :Summit rdfs:subClassOf :Meeting . :attended rdfs:range :Meeting .''', format="turtle")
    >>> sorted(rule_entailments([(E.a, E.attended, E.m), (E.s, RDF.type, E.Summit)], onto))
    ... # doctest: +NORMALIZE_WHITESPACE
    [(rdflib.term.URIRef('http://e.org/#m'), rdflib.term.URIRef('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'),
      rdflib.term.URIRef('http://e.org/#Meeting')),
     (rdflib.term.URIRef('http://e.org/#s'), rdflib.term.URIRef('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'),
      rdflib.term.URIRef('http://e.org/#Meeting'))]
    """
    cache = TermCache()
    memory = ox.Store()
    default = ox.DefaultGraph()

    def quads(source):
        for t in source:
            if isinstance(t, ox.Quad | ox.Triple):
                yield ox.Quad(t.subject, t.predicate, t.object, default)
            else:
                yield ox.Quad(cache.ox(t[0]), cache.ox(t[1]), cache.ox(t[2]), default)

    memory.bulk_extend(quads(triples))
    memory.bulk_extend(quads(ontology))
    rules = compile_rules(ontology) if rules is None else rules
    derived: set[ox.Quad] = set()
    while True:
        fresh = set()
        for rule in rules:
            for t in memory.query(rule.sparql):
                quad = ox.Quad(t.subject, t.predicate, t.object, default)
                if quad not in derived and quad not in fresh and quad not in memory:
                    fresh.add(quad)
        if not fresh:
            break
        memory.extend(fresh)
        derived |= fresh
    new = graph_from_triples(())
    for triple in schema_entailments(ontology):
        new.add(triple)
    for quad in derived:
        triple = (cache.rdflib(quad.subject), cache.rdflib(quad.predicate), cache.rdflib(quad.object))
        if worth_keeping(triple):
            new.add(triple)
    return new


ENGINES = ("rules", "owlrl")


def _stored_triples(store: Store):
    """Every stored triple but the inferences, each once: the merged default graph straight from
    pyoxigraph for the embedded store, through ``union_graph`` for others."""
    if isinstance(store, EmbeddedStore):
        return store.merged_quads(inference=False)
    return list(store.union_graph(inference=False))


def infer(store: Store, *, ontology: Graph | str | os.PathLike | None = None,
          engine: str = "rules") -> InferenceReport:
    """Compute the entailments of the ontology, the reference data and all article graphs, and write
    them into ``settings.INFERENCE_GRAPH``, replacing what was there in one transaction.

    ``ontology`` defaults to ``settings.ONTOLOGY``; the store's own ontology graph, if any, is read
    with the other graphs. ``engine`` is ``"rules"`` (default) or ``"owlrl"``; see the module
    documentation for what each covers.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown reasoning engine {engine!r}: use one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    schema = load_ontology(ontology)
    errors: list[str] = []
    if engine == "rules":
        stored = store.graph(settings.ONTOLOGY_GRAPH)  # rules come from every ontology the data holds
        if len(stored):
            schema, given = Graph(), schema
            for triple in (*given, *stored):
                schema.add(triple)
        data = _stored_triples(store)
        triples_in = len(data) + len(schema)
        closure_started = time.perf_counter()
        new = rule_entailments(data, schema)
    else:
        data = store.union_graph(inference=False)
        for triple in schema:
            data.add(triple)
        triples_in = len(data)
        closure_started = time.perf_counter()
        new = entailments(data, errors=errors)
    closure_seconds = time.perf_counter() - closure_started
    store.put_graph(settings.INFERENCE_GRAPH, new)
    return InferenceReport(triples_in, len(new), time.perf_counter() - started, closure_seconds,
                           tuple(errors))
