"""The remote store against a real ``oxigraph serve`` on 127.0.0.1: the same answers as the
embedded store for the same data, Graph Store writes, clear errors, and the safety rules."""

from __future__ import annotations

import io
import socket
import uuid

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from aseankg import settings
from aseankg.remote import RemoteStore, derive_endpoints
from aseankg.safety import QueryRefused
from aseankg.store import EmbeddedStore, StoreError

AKG = Namespace("https://w3id.org/aseankg/ontology#")

#: Queries whose answers do not depend on how often a triple is stated: the embedded store's default
#: graph is a merge (each triple once), a remote Oxigraph's union of named graphs a bag (see below).
QUERIES = [
    "SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT DISTINCT ?person ?label WHERE { ?part <https://w3id.org/aseankg/ontology#participant> ?person . "
    "?person <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?person ?label",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT DISTINCT ?m WHERE { ?m <https://w3id.org/aseankg/ontology#hostCountry> ?c } ORDER BY ?m",
    "ASK { ?p <https://w3id.org/aseankg/ontology#chaired> ?m }",
]


def fill(store, make_article, n: int = 6) -> list[str]:
    iris = []
    for i in range(n):
        iri, triples = make_article(i)
        store.write_article(iri, triples)
        iris.append(iri)
    inferred = Graph()
    inferred.add((URIRef("https://w3id.org/aseankg/id/person/x"), AKG.chaired,
                  URIRef("https://w3id.org/aseankg/id/meeting/amm-58")))
    store.put_graph(settings.INFERENCE_GRAPH, inferred)
    return iris


@pytest.fixture
def remote(oxigraph_server):
    store = RemoteStore(oxigraph_server)
    # the session server is shared: start each test from an empty dataset
    store._update("DROP ALL")
    return store


@pytest.fixture
def embedded(tmp_path):
    with EmbeddedStore(tmp_path / "kg") as db:
        yield db


def answers(store, query: str, **options):
    result = store.query(query, **options)
    return result.kind, result.variables, result.rows, result.boolean


def test_endpoint_conventions():
    assert derive_endpoints("http://h:7878/query") == ("http://h:7878/query", "http://h:7878/update",
                                                       "http://h:7878/store")
    # Nothing rewritten: a root URL, Virtuoso's /sparql and RDF4J's /repositories/X work as given.
    assert derive_endpoints("http://h:7878") == ("http://h:7878", "http://h:7878", None)
    assert derive_endpoints("http://h:8890/sparql") == ("http://h:8890/sparql", "http://h:8890/sparql", None)
    assert derive_endpoints("http://h/rdf4j-server/repositories/kg") == (
        "http://h/rdf4j-server/repositories/kg", "http://h/rdf4j-server/repositories/kg/statements",
        "http://h/rdf4j-server/repositories/kg/rdf-graphs/service")
    assert derive_endpoints("http://h:7878/query", gsp_url="none")[2] is None
    assert derive_endpoints("http://h:3030/ds/query") == (
        "http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data")
    assert derive_endpoints("https://h/fuseki/kg/sparql")[1:] == ("https://h/fuseki/kg/update",
                                                                 "https://h/fuseki/kg/data")
    assert derive_endpoints("http://h/ds/query", update_url="http://u/up", gsp_url="http://g/gsp")[1:] == (
        "http://u/up", "http://g/gsp")


def test_same_answers_as_the_embedded_store(remote, embedded, make_article):
    iris = fill(remote, make_article)
    assert fill(embedded, make_article) == iris
    assert remote._union_is_default() is False  # the session server is the explicit-dataset case
    for query in QUERIES:
        for inference in (True, False):
            expected = answers(embedded, query, inference=inference)
            assert answers(remote, query, inference=inference) == expected
    bound = "SELECT ?m WHERE { ?m <https://w3id.org/aseankg/ontology#hostCountry> ?c } ORDER BY ?m"
    country = URIRef("https://w3id.org/aseankg/id/country/LAO")
    expected = embedded.query(bound, bindings={"c": country}).rows
    assert expected and remote.query(bound, bindings={"c": country}).rows == expected
    construct = f"CONSTRUCT {{ ?s <https://w3id.org/aseankg/id/label> ?l }} WHERE {{ ?s <{RDFS.label}> ?l }}"
    assert set(remote.query(construct).graph) == set(embedded.query(construct).graph)
    assert remote.article_records() == embedded.article_records()
    assert remote.triple_count() == embedded.triple_count()
    for iri in iris[:2]:
        assert set(remote.graph(iri)) == set(embedded.graph(iri))
    assert set(remote.union_graph()) == set(embedded.union_graph())
    remote_dump, embedded_dump = io.BytesIO(), io.BytesIO()
    assert remote.dump(remote_dump) == embedded.dump(embedded_dump)
    assert remote_dump.getvalue() == embedded_dump.getvalue()


def test_a_remote_union_repeats_what_several_graphs_state(remote, embedded, make_article):
    fill(remote, make_article, 3)
    fill(embedded, make_article, 3)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    per_graph = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    distinct = "SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?s ?p ?o }"
    assert answers(embedded, count) == answers(embedded, distinct) != answers(embedded, per_graph)
    assert answers(remote, count) == answers(remote, per_graph) == answers(embedded, per_graph)


def test_a_union_default_graph_server_is_detected(oxigraph_factory, embedded, make_article):
    remote = RemoteStore(oxigraph_factory("--union-default-graph"))
    assert remote._union_is_default() is None  # nothing to tell by yet
    fill(remote, make_article, 3)
    fill(embedded, make_article, 3)
    for query in QUERIES:
        for inference in (True, False):
            expected = answers(embedded, query, inference=inference)
            assert answers(remote, query, inference=inference) == expected
    assert remote.union_default_graph is True


def test_graph_store_writes_are_idempotent_and_replace_old_versions(remote, make_article):
    iri, triples = make_article(0)
    remote.write_article(iri, triples)
    remote.write_article(iri, triples)
    assert remote.triple_count() == len(set(triples))
    assert remote.has_graph(iri)
    new_iri, new_triples = make_article(1)
    remote.write_article(new_iri, new_triples, replaces=[iri])
    assert not remote.has_graph(iri)
    assert set(remote.article_records()) == {new_iri}
    missing = "https://w3id.org/aseankg/id/article/ffffffffffffffff"
    assert len(remote.graph(missing)) == 0 and not remote.has_graph(missing)
    with_literals = Graph()
    tricky = Literal('quote " brace } newline \n tab \t backslash \\ ✓', lang="en")
    with_literals.add((URIRef(new_iri), RDFS.comment, tricky))
    remote.put_graph(settings.REFERENCE_GRAPH, with_literals)
    assert set(remote.graph(settings.REFERENCE_GRAPH)) == {(URIRef(new_iri), RDFS.comment, tricky)}


def test_the_safety_rules_hold_for_the_remote_store(remote, make_article):
    fill(remote, make_article, 1)
    before = remote.triple_count()
    for query, clause in (("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
                          ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
                          ("LOAD <file:///etc/passwd>", "LOAD"),
                          ("DROP ALL", "updates")):
        with pytest.raises(QueryRefused, match=clause):
            remote.query(query)
    assert remote.triple_count() == before


def test_unreachable_and_failing_endpoints_give_clear_errors(oxigraph_server):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = RemoteStore(f"http://127.0.0.1:{port}/query", timeout=5)
    with pytest.raises(StoreError, match=f"127.0.0.1:{port}/query"):
        dead.query("ASK { ?s ?p ?o }")
    wrong = RemoteStore(oxigraph_server.replace("/query", f"/{uuid.uuid4().hex}/query"))
    with pytest.raises(StoreError, match="HTTP 404"):
        wrong.triple_count()


def test_types_and_inference_switch_on_the_remote(remote):
    inferred = Graph()
    inferred.add((URIRef("https://w3id.org/aseankg/id/country/VNM"), RDF.type, AKG.Country))
    remote.put_graph(settings.INFERENCE_GRAPH, inferred)
    vnm = URIRef("https://w3id.org/aseankg/id/country/VNM")
    remote.write_article("https://w3id.org/aseankg/id/article/00000000000000a1",
                         [(vnm, RDFS.label, Literal("Viet Nam"))])
    ask = "ASK { ?c a <https://w3id.org/aseankg/ontology#Country> }"
    assert remote.query(ask).boolean is True
    assert remote.query(ask, inference=False).boolean is False
    row = remote.query("SELECT ?l (1 + 1 AS ?n) WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert row.dicts() == [{"l": "Viet Nam", "n": 2}]


def test_answers_are_read_leniently_where_the_standards_allow():
    """An extra top-level member (Comunica's), Virtuoso's blank-node labels and typed-literal parse."""
    import json

    from aseankg.lenient import lenient_json
    from aseankg.remote import _parse_for_test

    body = json.dumps({"head": {"vars": ["s", "o"], "link": []}, "metadata": {"x": 1},
                       "results": {"distinct": False, "bindings": [
                           {"s": {"type": "bnode", "value": "nodeID://b10069"},
                            "o": {"type": "typed-literal", "value": "1",
                                  "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()
    assert b"metadata" not in lenient_json(body, "http://h/sparql")
    rows = _parse_for_test(body)
    assert len(rows) == 1 and str(rows[0]["o"].value) == "1" and rows[0]["s"].value.startswith("x")


def test_virtuosos_numeric_booleans_are_read_as_written():
    """Virtuoso keeps an xsd:boolean as a number and answers "1"/"0": read as "true"/"false" (the same
    values, in the form the project wrote), in results and in triples, so its dump is ours."""
    import json

    from aseankg.remote import RemoteStore, _parse_for_test

    boolean = "http://www.w3.org/2001/XMLSchema#boolean"
    body = json.dumps({"head": {"vars": ["o"]}, "results": {"bindings": [
        {"o": {"type": "typed-literal", "value": v, "datatype": boolean}} for v in ("1", "0", "true")]}}).encode()
    assert [row["o"].value for row in _parse_for_test(body)] == ["true", "false", "true"]
    triples = f'<urn:a> <urn:b> "0"^^<{boolean}> .\n<urn:a> <urn:c> "0" .\n'.encode()
    parsed = RemoteStore("http://127.0.0.1:1/query")._parse(triples, "http://127.0.0.1:1/query", graph=True)
    assert [q.object.value for q in parsed] == ["false", "0"]


def test_graphs_written_with_sparql_update_keep_blank_nodes_apart():
    """Triples with blank nodes go to ``INSERT {…} WHERE {}`` templates (Virtuoso refuses them in
    ``INSERT DATA``), all others to ``INSERT DATA``: Virtuoso merges a template's constants it finds
    equal, and wrote "2025"^^xsd:gYear as "2025-01"^^xsd:gYearMonth when both were in one template."""
    from aseankg.remote import _insert_parts

    graph = "<https://w3id.org/aseankg/id/article/a>"
    lines = ['<urn:m> <urn:start> "2025-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .\n',
             "_:b1 <urn:first> <urn:x> .\n", '<urn:c> <urn:year> "2025"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n',
             "<urn:x> <urn:list> _:b1 .\n", f"{graph} <urn:headline> \"h\" .\n"]
    parts = _insert_parts(lines, graph)
    assert parts == [([lines[1], lines[3]], True), ([lines[0], lines[2]], False), ([lines[4]], False)]


def test_virtuosos_ask_answer_is_a_boolean():
    """Virtuoso 7 answers ASK in JSON as a solution binding ``__ASK_RETVAL`` (none when false)."""
    import json

    from aseankg.remote import RemoteStore

    def parsed(body):
        return RemoteStore("http://127.0.0.1:1/query")._parse(body, "http://127.0.0.1:1/query", graph=False)

    def answer(bindings):
        return json.dumps({"head": {"link": [], "vars": ["__ASK_RETVAL"]}, "results": {"bindings": bindings}}).encode()

    one = {"__ASK_RETVAL": {"type": "typed-literal", "value": "1",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
    assert bool(parsed(answer([one]))) is True
    assert bool(parsed(answer([]))) is False
