"""OWL 2 RL inference into its own named graph (``settings.INFERENCE_GRAPH``).

``entailments(graph)`` is the pure part: the OWL 2 RL closure (owlrl's ``OWLRL_Semantics``) plus
one rule OWL 2 RL lacks, for ``owl:hasSelf`` restrictions, returning only the new triples worth
keeping. ``infer(store)`` reads the ontology, the reference data and every article graph, computes
the entailments and writes them, replacing the previous inference graph in one transaction.
Article graphs are never written.

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

from owlrl import DatatypeHandling, DeductiveClosure
from owlrl.OWLRL import OWLRL_Semantics
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from . import settings
from .store import Store

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


def infer(store: Store, *, ontology: Graph | str | os.PathLike | None = None) -> InferenceReport:
    """Compute the entailments of the ontology, the reference data and all article graphs, and write
    them into ``settings.INFERENCE_GRAPH``, replacing what was there in one transaction.

    ``ontology`` defaults to ``settings.ONTOLOGY``; the store's own ontology graph, if any, is read
    with the other graphs.
    """
    started = time.perf_counter()
    data = store.union_graph(inference=False)
    for triple in load_ontology(ontology):
        data.add(triple)
    closure_started = time.perf_counter()
    errors: list[str] = []
    new = entailments(data, errors=errors)
    closure_seconds = time.perf_counter() - closure_started
    store.put_graph(settings.INFERENCE_GRAPH, new)
    return InferenceReport(len(data), len(new), time.perf_counter() - started, closure_seconds,
                           tuple(errors))
