"""``querying.execute``: SELECT answers written by Oxigraph give the rows the rdflib terms gave."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from aseankg.querying import QueryJob, execute, serialize
from aseankg.results import from_oxigraph

EX = "http://example.org/"

VALUES = [
    ox.Literal("line\nbreak\ttab \"quoted\" back\\slash\r"),
    ox.Literal("Hà Nội", language="vi"),
    ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("2025-10-26", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal(""),
    ox.BlankNode("b1"),
    ox.NamedNode(EX + "caf%C3%A9?x=1#y"),
]

QUERIES = [
    "SELECT ?s ?o ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?missing } } ORDER BY ?s",
    "SELECT * WHERE {}",
    "SELECT ?x WHERE { FILTER(false) }",
    "SELECT (COUNT(*) AS ?n) (SAMPLE(?o) AS ?one) WHERE { ?s ?p ?o }",
    "SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 UNDEF) (UNDEF 'two') (3 3) } }",
]


@pytest.fixture(scope="module")
def db():
    store = ox.Store()
    for i, value in enumerate(VALUES):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:02}"), ox.NamedNode(EX + "p"), value))
    return store


def _through_rdflib(db, sparql: str, fmt: str, max_rows: int | None):
    result = from_oxigraph(db.query(sparql), max_rows=max_rows)
    return serialize(result, fmt), len(result), result.truncated


@pytest.mark.parametrize("fmt", ["json", "table", "xml", "csv", "tsv"])
@pytest.mark.parametrize("max_rows", [None, 0, 1, 4, 100])
@pytest.mark.parametrize("sparql", QUERIES)
def test_oxigraph_writes_the_rows_rdflib_terms_gave(db, sparql, fmt, max_rows):
    answer = execute(db, QueryJob(sparql, formats={"select": fmt}, own_dataset=True, max_rows=max_rows))
    body, rows, truncated = _through_rdflib(db, sparql, fmt, max_rows)
    assert (answer.kind, answer.format, answer.rows, answer.truncated) == ("select", fmt, rows, truncated)
    if fmt in ("json", "table"):  # the same document; rdflib's writer spaced it differently
        assert json.loads(answer.body) == json.loads(body)
    else:
        assert answer.body == body


def test_the_row_cap_cuts_between_rows(db):
    """Oxigraph writes in blocks that end anywhere; the answer still ends after the last whole row."""
    sparql = ("SELECT ?n ?text WHERE { VALUES ?n { " + " ".join(map(str, range(3000)))
              + ' } BIND(SUBSTR("' + "x" * 3000 + '", 1, ?n) AS ?text) }')
    answer = execute(db, QueryJob(sparql, formats={"select": "tsv"}, own_dataset=True, max_rows=1234))
    lines = answer.body.decode().split("\n")
    assert (answer.rows, answer.truncated) == (1234, True)
    assert lines[-1] == "" and len(lines) == 1 + 1234 + 1
    assert lines[-2] == f'1233\t"{"x" * 1233}"'


def test_rdf_1_2_values_that_rdflib_terms_cannot_hold_are_answered(db):
    """Quoted triples and directional language strings (pyoxigraph 0.5): rdflib terms hold neither."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"),
                      ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("quoted"))))
    store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"),
                      ox.Literal("مرحبا", language="ar", direction=ox.BaseDirection.RTL)))
    answer = execute(store, QueryJob("SELECT ?o WHERE { ?s ?p ?o }", own_dataset=True))
    values = [b["o"] for b in json.loads(answer.body)["results"]["bindings"]]
    assert {v["type"] for v in values} == {"triple", "literal"}
    assert any(v.get("xml:lang") == "ar" for v in values)



def test_the_pool_hands_out_the_worker_freed_last(tmp_path):
    """A client's jobs stay on as many workers as it runs at once, whose caches are warm, instead of
    cycling through every worker: one at a time, they all go to one worker of three."""
    from rdflib import Literal, URIRef

    from aseankg.querying import QueryPool, wait_for_workers
    from aseankg.store import EmbeddedStore

    with EmbeddedStore(tmp_path / "kg") as store:
        store.write_article("https://w3id.org/aseankg/id/article/00000000000000aa",
                            [(URIRef(EX + "s"), URIRef(EX + "p"), Literal("v"))])
    with QueryPool(tmp_path / "kg", size=3) as pool:
        assert wait_for_workers(pool, 3)
        used = []
        for _ in range(6):
            timing = {}
            assert pool.run(QueryJob("SELECT (1 AS ?x) {}", {"select": "csv"}), 30, timing=timing).body
            used.append(timing["worker"])
        assert len(set(used)) == 1 and used[0] in pool.pids()
