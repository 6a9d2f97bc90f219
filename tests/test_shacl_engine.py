"""The project's SHACL engine (aseankg.shacl) agrees with pyshacl.

Both engines validate the same data graphs (an article graph with its reference slice and the
ontology, as the SHACL gate builds them) and must agree on conformance and on the set of
(focus node, result path, constraint component, value) results: on the shapes' own test fixtures
(tests/test_shapes.py), on real articles, and on article graphs broken in the ways extraction bugs
would break them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SH, SKOS

from aseankg import settings
from aseankg.extraction import extract
from aseankg.rdf import article_graph
from aseankg.reading import article_files, read_file
from aseankg.shacl import DataGraph, TripleIndex, UnsupportedShapeError, compile_shapes
from aseankg.validation import load_validator

AKG = Namespace(settings.ONTOLOGY_NS)
SCHEMA = Namespace("https://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

_spec = importlib.util.spec_from_file_location("shape_cases", Path(__file__).parent / "test_shapes.py")
shape_cases = sys.modules.setdefault("shape_cases", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(shape_cases)


@pytest.fixture(scope="module")
def validator():
    return load_validator()


def graphs_of(folder: Path) -> list[Graph]:
    return [article_graph(extract(a)) for p in article_files([folder]) for a in read_file(p)]


@pytest.fixture(scope="module")
def seed_graphs() -> list[Graph]:
    return graphs_of(settings.ARTICLES_DIR)


def agree(validator, graph: Graph) -> set:
    """Validate ``graph`` with both engines, assert they agree, and return the results."""
    ours, theirs = validator.validate(graph), validator.validate(graph, engine="pyshacl")
    key = {(v.focus, v.path, v.constraint, v.value) for v in ours.violations}
    assert key == {(v.focus, v.path, v.constraint, v.value) for v in theirs.violations}
    assert ours.conforms == theirs.conforms == (not key)
    return key


def engine_results(shapes, data: Graph, ontology: Graph) -> set:
    return {(r.focus, r.path, r.component, r.value) for r in shapes.validate(data + ontology)}


def pyshacl_results(shapes_graph, data: Graph, ontology: Graph) -> set:
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, ont_graph=ontology, inference="none")
    return {(report.value(r, SH.focusNode), report.value(r, SH.resultPath),
             report.value(r, SH.sourceConstraintComponent), report.value(r, SH.value))
            for r in report.subjects(RDF.type, SH.ValidationResult)}


# ------------------------------------------------------------------------------------------------
# Compiling shapes
# ------------------------------------------------------------------------------------------------

def test_project_shapes_compile(validator):
    node_shapes = {s for s in validator.shapes.subjects(RDF.type, SH.NodeShape)}
    assert {s.node for s in validator.engine.shapes} == node_shapes
    assert validator.engine.sparql_predicates == {SCHEMA.startDate, SCHEMA.endDate, AKG["from"], AKG.until,
                                                  AKG.contentHash}


@pytest.mark.parametrize("snippet", [
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:languageIn ( \"en\" ) ] .",
    "ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"SELECT ?this WHERE { ?this ?p ?o }\" ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:ask \"ASK { $this ?p ?o }\" ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path [ sh:somePath ex:p ] ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:nodeKind ex:NotAKind .",
])
def test_unsupported_constructs_raise(snippet):
    g = Graph().parse(format="turtle", data="@prefix sh: <http://www.w3.org/ns/shacl#> . "
                                            "@prefix ex: <http://example.org/> . " + snippet)
    with pytest.raises(UnsupportedShapeError):
        compile_shapes(g)


# ------------------------------------------------------------------------------------------------
# The fixtures of test_shapes.py
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def case_graphs():
    base = Graph().parse(shape_cases.FIXTURE)
    violating, conforming = Graph() + base, Graph() + base
    for _, snippet, _ in shape_cases.VIOLATIONS:
        violating += shape_cases.snippet_graph(snippet)
    for _, snippet in shape_cases.CONFORMING:
        conforming += shape_cases.snippet_graph(snippet)
    return {"valid": base, "violating": violating, "conforming": conforming}


@pytest.mark.parametrize("name", ["valid", "violating", "conforming"])
def test_shape_fixtures_agree_with_pyshacl(name, case_graphs, validator):
    data = case_graphs[name]
    ours = engine_results(validator.engine, data, validator.ontology)
    assert ours == pyshacl_results(validator.shapes, data, validator.ontology)
    assert bool(ours) == (name == "violating")


def test_every_violation_case_is_found(case_graphs, validator):
    """Each case of test_shapes.VIOLATIONS yields exactly its expected results."""
    ours = engine_results(validator.engine, case_graphs["violating"], validator.ontology)
    base = case_graphs["valid"]
    for _, _, expected in shape_cases.VIOLATIONS:
        for focus, path, component, value, *_ in expected:
            key = (shape_cases.term(focus, base), shape_cases.term(path, base),
                   SH[component + "ConstraintComponent"], shape_cases.term(value, base))
            assert key in ours


# ------------------------------------------------------------------------------------------------
# Real articles and broken copies of them
# ------------------------------------------------------------------------------------------------

def test_seed_articles_agree(seed_graphs, validator):
    for graph in seed_graphs:
        assert agree(validator, graph) == set()


def _first(g: Graph, p, o=None):
    return next(iter(sorted(g.subjects(p, o))), None)


def drop(p):
    def mutate(g):
        s = _first(g, p)
        return s is not None and [g.remove((s, p, o)) for o in list(g.objects(s, p))]
    mutate.__name__ = f"drop {p.n3()}"
    return mutate


def add_value(p, value):
    def mutate(g):
        s = _first(g, p)
        return s is not None and g.add((s, p, value))
    mutate.__name__ = f"second {p.n3()}"
    return mutate


def replace_object(p, new):
    """Replace the (first subject's) value of ``p`` with ``new(old_value, graph)``."""
    def mutate(g):
        s = _first(g, p)
        if s is None:
            return False
        old = sorted(g.objects(s, p))[0]
        g.remove((s, p, old))
        g.add((s, p, new(old, g)))
        return True
    mutate.__name__ = f"replace {p.n3()}"
    return mutate


def swap_dates(g):
    for s in sorted(g.subjects(SCHEMA.startDate, None)):
        start, end = g.value(s, SCHEMA.startDate), g.value(s, SCHEMA.endDate)
        if end is not None and str(start) != str(end):
            g.set((s, SCHEMA.startDate, end))
            g.set((s, SCHEMA.endDate, start))
            return True
    return False


def untype(g):
    s = _first(g, RDF.type, AKG.Mention) or _first(g, RDF.type, ORG.Post)
    return s is not None and g.remove((s, RDF.type, None))


def article_iri(g):
    return _first(g, RDF.type, AKG.Article)


MUTATIONS = [
    drop(AKG.contentHash), drop(AKG.refersTo), drop(AKG.start), drop(AKG.meeting), drop(AKG.capacity),
    drop(ORG.role), drop(AKG.participant), drop(AKG.chairCountry), drop(AKG.inArticle),
    add_value(AKG.contentHash, Literal("0" * 64)), add_value(AKG.start, Literal(99999)),
    add_value(SCHEMA.startDate, Literal("1999-01-01", datatype=XSD.date)), add_value(ORG.role, AKG.Chair),
    add_value(AKG.meeting, URIRef(settings.ID_NS + "meeting/nowhere-1")),
    add_value(AKG.participant, URIRef(settings.ID_NS + "country/VNM")),
    add_value(SCHEMA.datePublished, Literal("2001-01-01", datatype=XSD.date)),
    replace_object(AKG.start, lambda o, g: Literal(str(o))),
    replace_object(AKG.end, lambda o, g: Literal(str(o), datatype=XSD.decimal)),
    replace_object(AKG.start, lambda o, g: Literal(-1)),
    replace_object(AKG.end, lambda o, g: Literal(0)),
    replace_object(AKG.text, lambda o, g: Literal("")),
    replace_object(SCHEMA.startDate, lambda o, g: Literal(str(o))),
    replace_object(SCHEMA.startDate, lambda o, g: Literal("2025-13-45", datatype=XSD.date)),
    replace_object(AKG.ordinal, lambda o, g: Literal(0)),
    replace_object(AKG.ordinal, lambda o, g: Literal(str(o))),
    replace_object(AKG.meeting, lambda o, g: article_iri(g)),
    replace_object(AKG.participant, lambda o, g: article_iri(g)),
    replace_object(ORG.holds, lambda o, g: URIRef(settings.ID_NS + "country/VNM")),
    replace_object(PROV.wasDerivedFrom, lambda o, g: article_iri(g)),
    replace_object(AKG.inArticle, lambda o, g: URIRef(settings.ID_NS + "org/asean")),
    replace_object(AKG.refersTo, lambda o, g: Literal(str(o))),
    replace_object(AKG.capacity, lambda o, g: AKG.Held),
    replace_object(AKG.location, lambda o, g: URIRef(settings.ID_NS + "country/MYS")),
    replace_object(AKG.contentHash, lambda o, g: Literal(str(o).upper())),
    replace_object(AKG.contentHash, lambda o, g: Literal("f" * 64)),
    replace_object(AKG.sourceFile, lambda o, g: Literal("data/" + str(o))),
    replace_object(RDFS.label, lambda o, g: Literal(7)),
    replace_object(SKOS.altLabel, lambda o, g: BNode()),
    replace_object(AKG.inSeries, lambda o, g: URIRef(settings.ID_NS + "series/not-in-the-gazetteer")),
    replace_object(AKG.hostCountry, lambda o, g: URIRef(settings.ID_NS + "place/kuala-lumpur")),
    replace_object(AKG.chairCountry, lambda o, g: URIRef(settings.ID_NS + "org/asean")),
    replace_object(AKG.year, lambda o, g: Literal(int(str(o)))),
    swap_dates, untype,
    add_value(AKG.reportedStatus, AKG.Chair),
    lambda g: g.add((_first(g, RDF.type, AKG.Person) or article_iri(g), AKG.attended,
                     URIRef(settings.ID_NS + "meeting/amm-58"))) or True,
    lambda g: g.add((URIRef(settings.ID_NS + "person/Bad-Name"), RDF.type, AKG.Person)) or True,
    lambda g: g.add((article_iri(g), SCHEMA.url, Literal("https://example.org/x"))) or True,
    lambda g: g.add((article_iri(g), SKOS.exactMatch, URIRef("https://www.wikidata.org/wiki/Q1"))) or True,
    lambda g: g.add((URIRef(settings.ID_NS + "meeting/m-x"), RDF.type, AKG.Official)) or True,
]


def mutated(graph: Graph, mutation) -> Graph | None:
    copy = Graph(identifier=graph.identifier)
    for t in graph:
        copy.add(t)
    return copy if mutation(copy) else None


@pytest.fixture(scope="module")
def mutants(seed_graphs) -> list[Graph]:
    """Each mutation applied to the first seed article it applies to."""
    found = []
    for mutation in MUTATIONS:
        for graph in seed_graphs:
            copy = mutated(graph, mutation)
            if copy is not None:
                found.append(copy)
                break
    return found


def test_mutations_apply(mutants):
    assert len(mutants) >= 45


def test_mutants_fail_the_gate(mutants, validator):
    """Every mutation breaks a shape (checked with the project engine only: quick)."""
    assert sum(not validator.validate(m).conforms for m in mutants) >= len(mutants) - 2


@pytest.mark.slow
def test_mutants_agree(mutants, validator):
    failing = 0
    for graph in mutants:
        failing += bool(agree(validator, graph))
    assert failing >= len(mutants) - 2


@pytest.mark.parametrize("index", [0, 5, 17, 25, 36, 40])
def test_some_mutants_agree(index, mutants, validator):
    assert agree(validator, mutants[index])


# ------------------------------------------------------------------------------------------------
# Data graph plumbing
# ------------------------------------------------------------------------------------------------

def test_index_of_a_graph_matches_its_triples(seed_graphs):
    graph = seed_graphs[0]
    def triples(index):
        return {(s, p, o) for s, ps in index.spo.items() for p, os_ in ps.items() for o in os_}

    fast, slow = TripleIndex.of_graph(graph), TripleIndex(graph)
    assert triples(fast) == triples(slow) == set(graph)
    copy = Graph(identifier=graph.identifier) + graph
    shared = Graph(store=copy.store, identifier=URIRef("urn:x-other"))  # two graphs, one store
    shared.add((URIRef("urn:x"), RDFS.label, Literal("x")))
    assert triples(TripleIndex.of_graph(shared)) == set(shared)


def test_layers_restricted_to_subjects():
    a, b, p = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:p")
    index = TripleIndex([(a, p, Literal(1)), (b, p, Literal(2)), (a, p, b)])
    data = DataGraph((index, {a}), TripleIndex([(a, p, Literal(1)), (b, p, Literal(3))]))
    assert set(data.objects(a, p)) == {Literal(1), b}
    assert set(data.objects(b, p)) == {Literal(3)}
    assert set(data.subjects(p, b)) == {a}
    assert data.subjects_of(p) == {a, b}


def test_other_constructs_agree_with_pyshacl():
    """Constructs the project's shapes do not use yet, against pyshacl on a small example."""
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ( ex:p ex:q ) ; sh:maxLength 3 ; sh:maxInclusive 10 ] ;
            sh:property [ sh:path [ sh:inversePath ex:r ] ; sh:class ex:D ; sh:hasValue ex:d1 ] ;
            sh:property [ sh:path [ sh:alternativePath ( ex:p ex:s ) ] ; sh:minCount 2 ] ;
            sh:property [ sh:path [ sh:oneOrMorePath ex:next ] ; sh:not [ sh:hasValue ex:bad ] ] ;
            sh:property [ sh:path ex:low ; sh:lessThanOrEquals ex:high ; sh:disjoint ex:p ] ;
            sh:property [ sh:path ex:name ; sh:pattern "^a" ; sh:flags "i" ; sh:equals ex:alias ] ;
            sh:xone ( [ sh:class ex:D ] [ sh:class ex:E ] ) ;
            sh:and ( [ sh:nodeKind sh:IRI ] [ sh:node ex:Named ] ) ;
            sh:closed true ; sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ex:r
                ex:s ex:next ex:alias ex:high ) .
        ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
        ex:T a sh:NodeShape ; sh:targetNode ex:x1 ; sh:severity sh:Warning ; sh:maxExclusive 3 .
        ex:U a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:deactivated true ; sh:minLength 99 .
    """)
    data = Graph().parse(format="turtle", data="""
        @prefix ex: <http://example.org/> .
        ex:c1 a ex:C, ex:D ; ex:p ex:i1 ; ex:name "Abe" ; ex:alias "Abe" ; ex:low 3 ; ex:high 2 ; ex:next ex:n1 .
        ex:i1 ex:q "long", 12 . ex:n1 ex:next ex:bad . ex:d1 a ex:D ; ex:r ex:c1 .
        ex:c2 a ex:C, ex:D, ex:E ; ex:name "bob" ; ex:s ex:c1, ex:c2 ; ex:extra 1 ; ex:low 1 ; ex:high 2 .
        ex:c3 a ex:C ; ex:p ex:i1 ; ex:low ex:i1 .
    """)
    compiled = compile_shapes(shapes)
    empty = Graph()
    ours = {(r.focus, r.path, r.component, r.value) for r in compiled.validate(data)}
    assert ours == pyshacl_results(shapes, data, empty)
    assert {r.severity for r in compiled.validate(data)} == {SH.Violation, SH.Warning}  # ex:T is a warning
    assert len(ours) > 10
