"""OWL 2 RL inference (+ hasSelf) into the inference graph, never into article graphs."""

from __future__ import annotations

import io

import pytest
from owlrl import DeductiveClosure
from owlrl.OWLRL import OWLRL_Semantics
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF

from aseankg import settings
from aseankg.reasoning import InferenceReport, entailments, infer, worth_keeping
from aseankg.store import EmbeddedStore

AKG = Namespace("https://w3id.org/aseankg/ontology#")
ARTICLES = 12


@pytest.fixture
def store(tmp_path, make_article):
    with EmbeddedStore(tmp_path / "kg") as db:
        for i in range(ARTICLES):
            db.write_article(*make_article(i))
        yield db


def expected_shortcuts(make_article, indices=range(ARTICLES)) -> tuple[set, set]:
    """``(attended, chaired)`` pairs read straight from the synthetic participations."""
    attended, chaired = set(), set()
    for i in indices:
        graph = Graph()
        for t in make_article(i)[1]:
            graph.add(t)
        for part in graph.subjects(RDF.type, AKG.Participation):
            person, meeting = graph.value(part, AKG.participant), graph.value(part, AKG.meeting)
            attended.add((person, meeting))
            if graph.value(part, AKG.capacity) in (AKG.Chair, AKG.CoChair):
                chaired.add((person, meeting))
    return attended, chaired


def article_graphs_dump(store) -> bytes:
    out = io.BytesIO()
    store.dump(out)
    inferred = f"<{settings.INFERENCE_GRAPH}> .".encode()
    return b"\n".join(line for line in out.getvalue().splitlines() if not line.endswith(inferred))


def test_infer_derives_attended_and_chaired(store, tiny_ontology, make_article):
    attended, chaired = expected_shortcuts(make_article)
    assert chaired and attended > chaired  # the synthetic corpus has both kinds
    report = infer(store, ontology=tiny_ontology)
    assert isinstance(report, InferenceReport)
    pairs = "SELECT ?who ?m WHERE {{ ?who <{p}> ?m }}"
    got_chaired = {tuple(r) for r in store.query(pairs.format(p=AKG.chaired)).rows}
    got_attended = {tuple(r) for r in store.query(pairs.format(p=AKG.attended)).rows}
    assert got_chaired == chaired
    assert got_attended == attended
    inferred = store.graph(settings.INFERENCE_GRAPH)
    assert report.triples_inferred == len(inferred) > len(attended)
    assert report.triples_in >= sum(len(make_article(i)[1]) for i in range(3))
    assert report.seconds >= report.closure_seconds > 0
    # the hasSelf helper and the class membership that feeds it are there too
    assert (URIRef(next(iter(chaired))[1]), RDF.type, AKG.Meeting) in inferred


def test_inferences_live_only_in_the_inference_graph(store, tiny_ontology):
    before = article_graphs_dump(store)
    count = store.triple_count()
    report = infer(store, ontology=tiny_ontology)
    assert article_graphs_dump(store) == before
    assert store.triple_count() == count + report.triples_inferred
    ask = f"ASK {{ ?who <{AKG.chaired}> ?m }}"
    assert store.query(ask).boolean is True
    assert store.query(ask, inference=False).boolean is False
    where = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?w <{AKG.chaired}> ?m }} }}"
    graphs = {r[0] for r in store.query(where).rows}
    assert graphs == {URIRef(settings.INFERENCE_GRAPH)}


def test_rerunning_replaces_the_inference_graph(store, tiny_ontology, make_article):
    first = infer(store, ontology=tiny_ontology)
    again = infer(store, ontology=tiny_ontology)
    assert again.triples_inferred == first.triples_inferred
    assert len(store.graph(settings.INFERENCE_GRAPH)) == first.triples_inferred
    # replace the articles with Chair participations by another one: their chaired triples must go
    dropped = [i for i in range(ARTICLES) if i % 3 == 0]
    replacement, triples = make_article(1001)
    store.write_article(replacement, triples, replaces=[make_article(i)[0] for i in dropped])
    infer(store, ontology=tiny_ontology)
    remaining = {tuple(r) for r in store.query(f"SELECT ?w ?m WHERE {{ ?w <{AKG.chaired}> ?m }}").rows}
    kept = [i for i in range(ARTICLES) if i not in dropped] + [1001]
    assert remaining == expected_shortcuts(make_article, kept)[1]
    assert remaining != expected_shortcuts(make_article)[1]


def test_the_inference_graph_has_no_noise(store, tiny_ontology):
    infer(store, ontology=tiny_ontology)
    inferred = store.graph(settings.INFERENCE_GRAPH)
    assert all(worth_keeping(t) for t in inferred)
    assert not any(isinstance(term, BNode) for t in inferred for term in t)
    assert not list(inferred.triples((None, OWL.sameAs, None)))
    assert not list(inferred.triples((None, RDF.type, OWL.Thing)))
    assert not [s for s in inferred.subjects() if str(s).startswith("http://www.w3.org/")]


def test_plain_owl_rl_cannot_derive_chaired(tiny_ontology, make_article):
    """Why the extra hasSelf rule exists: without it, no akg:chaired at all."""
    data = Graph()
    for t in tiny_ontology:
        data.add(t)
    for t in make_article(0)[1]:
        data.add(t)
    plain = Graph()
    for t in data:
        plain.add(t)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(plain)
    assert not list(plain.triples((None, AKG.chaired, None)))
    assert list(plain.triples((None, AKG.attended, None)))
    assert list(entailments(data).triples((None, AKG.chaired, None)))


def test_the_project_ontology_derives_chaired(tmp_path, make_article):
    if not settings.ONTOLOGY.exists():
        pytest.skip("ontology/aseankg.ttl is not there yet")
    with EmbeddedStore(tmp_path / "kg") as db:
        for i in range(3):
            db.write_article(*make_article(i))
        report = infer(db)
        chaired = db.query(f"SELECT ?w ?m WHERE {{ ?w <{AKG.chaired}> ?m }}").rows
        assert chaired and report.triples_inferred > 0
        assert db.query(f"ASK {{ ?p a <{AKG.ChairingParticipation}> }}").boolean


# ------------------------------------------------------------------------------ the rules engine

def _inferred(store) -> set:
    return set(store.graph(settings.INFERENCE_GRAPH))


def _both_engines(store, **options) -> tuple[set, set]:
    infer(store, engine="owlrl", **options)
    by_owlrl = _inferred(store)
    infer(store, engine="rules", **options)
    return by_owlrl, _inferred(store)


def test_rules_engine_is_the_default_and_matches_owlrl_on_synthetic_data(store, tiny_ontology):
    by_owlrl, by_rules = _both_engines(store, ontology=tiny_ontology)
    assert by_rules == by_owlrl and len(by_rules) > 50
    assert infer(store, ontology=tiny_ontology).triples_inferred == len(by_rules)  # default: rules


@pytest.mark.slow
def test_rules_engine_matches_owlrl_on_the_seeds_and_synthetic_data(tmp_path, make_article):
    """With the project ontology, the seeds (built, so with the gazetteer) and synthetic articles, both
    engines derive the same: rdf:type through subclasses, unions and hasValue, domain and range types,
    sub-properties, the attended / chaired chains through hasSelf, and the schema-level statements
    owlrl adds (subclass, domain and range closure). owlrl takes most of the time here."""
    from aseankg.ingest import build_articles

    with EmbeddedStore(tmp_path / "kg") as db:
        build_articles([settings.ARTICLES_DIR], db)
        for i in range(12):
            db.write_article(*make_article(i))
        before = article_graphs_dump(db)
        by_owlrl, by_rules = _both_engines(db)
        assert article_graphs_dump(db) == before  # article graphs untouched by either engine
        graphs = {r[0] for r in db.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?w <{AKG.attended}> ?m }} }}")}
        assert graphs == {URIRef(settings.INFERENCE_GRAPH)}
    assert by_rules == by_owlrl
    predicates = {p for _, p, _ in by_rules}
    assert {AKG.attended, AKG.chaired, RDF.type} <= predicates
    types = {o for _, p, o in by_rules if p == RDF.type}
    assert {AKG.Meeting, AKG.ChairingParticipation, URIRef("https://schema.org/Person")} <= types
    seed_chairs = {m for _, p, m in by_rules if p == AKG.chaired and "asean-som" in str(m)}
    assert seed_chairs  # the seeds' own chaired meeting, through the hasSelf rule


def test_rules_for_inverse_symmetric_and_transitive_properties():
    from aseankg.reasoning import rule_entailments

    ontology = Graph().parse(data="""
        @prefix : <http://e.org/#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        :hasPart owl:inverseOf :partOf . :near a owl:SymmetricProperty . :within a owl:TransitiveProperty .
        :Capital owl:equivalentClass [ owl:intersectionOf ( :City [ owl:onProperty :seatOf ; owl:hasValue :gov ] ) ] .
    """, format="turtle")
    E = Namespace("http://e.org/#")
    data = [(E.a, E.hasPart, E.b), (E.x, E.near, E.y), (E.p, E.within, E.q), (E.q, E.within, E.r),
            (E.c, RDF.type, E.Capital)]
    new = rule_entailments(data, ontology)
    owlrl = Graph()
    for t in (*data, *ontology):
        owlrl.add(t)
    expected = entailments(owlrl)
    assert {(E.b, E.partOf, E.a), (E.y, E.near, E.x), (E.p, E.within, E.r), (E.c, RDF.type, E.City),
            (E.c, E.seatOf, E.gov)} <= set(new)
    assert set(new) == set(expected)


def test_unknown_engine_is_refused(store):
    with pytest.raises(ValueError, match="rules, owlrl"):
        infer(store, engine="fast")
