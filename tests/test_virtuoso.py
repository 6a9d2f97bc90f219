"""Round trip through a real Virtuoso 7 (Debian's ``virtuoso-opensource``, started here on loopback
with its own data folder and ini, stopped by its pid): ``aseankg build --store http://…/sparql``
(updates to the query URL itself, graphs written with SPARQL Update; then again through Virtuoso's
Graph Store at ``/sparql-graph-crud``), a rebuild that changes nothing, every saved query with the
embedded store's rows, and the dump, whose blank nodes Virtuoso labels ``nodeID://b…``; and the TriG dump
loaded into a new Virtuoso by its bulk loader, read back as the embedded store's quads."""

from __future__ import annotations

import io
import json
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from conftest import seed_store_folder, start_virtuoso, stop_process, virtuoso_sql
from rdflib import Dataset
from test_remote_build import (
    OTHER_PARAMETERS,
    assert_exports_agree,
    assert_serves,
    built_side_by_side,
    rows_as_text,
    run,
)

from aseankg import settings
from aseankg.dumps import write_quads
from aseankg.queries import run_saved, saved_queries
from aseankg.stores import open_store


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The seed articles built with the CLI into a live Virtuoso and into an embedded store."""
    yield from built_side_by_side(tmp_path_factory.mktemp("virtuoso"), start_virtuoso)


def test_the_build_reports_agree(stores):
    _, _, remote_summary, embedded_summary, _ = stores
    assert "5 added" in remote_summary and "0 quarantined" in remote_summary
    assert remote_summary.splitlines()[-3:] == embedded_summary.splitlines()[-3:]


def test_only_the_projects_graphs_count(stores):
    url, embedded, *_ = stores
    remote = open_store(url)
    with open_store(embedded, read_only=True) as local:
        assert remote.named_graphs() == local.named_graphs()
        assert remote.triple_count() == local.triple_count()
    # Virtuoso's own graphs are there, and its default graph is the union of all: not ours alone.
    assert remote._select("ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }").boolean
    remote.query("ASK { ?s ?p ?o }")
    assert remote.union_default_graph is False


def test_rebuilding_changes_nothing(stores):
    url = stores[0]
    remote = open_store(url)
    before = remote.triple_count()
    assert "5 unchanged" in run("build", str(settings.ARTICLES_DIR), "--store", url)
    assert remote.triple_count() == before > 0


@pytest.mark.parametrize("query", saved_queries(), ids=lambda q: q.name)
def test_every_saved_query_answers_the_same(stores, query):
    """The same rows in the same order (see queries/README.md for the portable subset they keep to)."""
    url, embedded, *_ = stores
    remote = open_store(url)
    with open_store(embedded, read_only=True) as local:
        expected = rows_as_text(run_saved(local, query), in_order=True)
    assert rows_as_text(run_saved(remote, query), in_order=True) == expected


@pytest.mark.parametrize(("name", "params"), OTHER_PARAMETERS, ids=lambda v: v if isinstance(v, str) else "")
def test_other_parameters_answer_the_same(stores, name, params):
    url, embedded, *_ = stores
    with open_store(embedded, read_only=True) as local:
        expected = rows_as_text(run_saved(local, name, params), in_order=True)
    assert expected and rows_as_text(run_saved(open_store(url), name, params), in_order=True) == expected


def test_the_dumps_are_identical(stores):
    """Byte for byte: Virtuoso once had 7 quads more (a template's "2025"^^xsd:gYear written as the
    "2025-01"^^xsd:gYearMonth beside it, so consolidation saw two values) and sent booleans as 1/0."""
    url, embedded, _, _, tmp = stores
    run("dump", "--store", url, "-o", str(tmp / "remote.nq"))
    run("dump", "--store", embedded, "-o", str(tmp / "embedded.nq"))
    remote, local = (tmp / "remote.nq").read_bytes(), (tmp / "embedded.nq").read_bytes()
    assert remote == local and remote.count(b"\n") > 1000



def test_the_exports_agree(stores):
    url, embedded, _, _, tmp = stores
    assert_exports_agree(url, embedded, tmp)


def test_serving_virtuoso(stores):
    assert_serves(stores[0], stores[4])

def test_building_through_the_graph_store(stores, tmp_path, monkeypatch):
    """The same build through Virtuoso's Graph Store Protocol endpoint, given by its real URL."""
    url, embedded, *_ = stores
    gsp = url.removesuffix("/sparql") + "/sparql-graph-crud"
    monkeypatch.setenv("ASEANKG_GRAPH_STORE_URL", gsp)  # what --graph-store-url sets; undone after
    remote = open_store(url)
    assert remote.gsp_url == gsp
    graph = remote.named_graphs()[0]
    triples = set(remote.graph(graph))
    remote.put_graph(graph, remote.graph(graph))
    assert set(remote.graph(graph)) == triples
    assert "5 unchanged" in run("build", str(settings.ARTICLES_DIR), "--store", url, "--graph-store-url", gsp)


def _graphs(url: str) -> set[str]:
    """Every graph Virtuoso holds a triple in (its own system graphs too)."""
    query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    request = urllib.request.Request(f"{url}?{query}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return {row["g"]["value"] for row in json.loads(answer.read())["results"]["bindings"]}


def _booleans_spelled_out(nquads: bytes) -> bytes:
    """The dump with ``"1"``/``"0"^^xsd:boolean`` written ``true``/``false``, relabelled and sorted again:
    Virtuoso stores a boolean as an integer and answers with ``1`` or ``0`` (the same value, another
    spelling), and the spelling of ``owl:hasSelf true`` moves the ontology's canonical blank node labels."""
    boolean = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    spelled = {"1": "true", "0": "false"}

    def fix(term):
        if isinstance(term, ox.Literal) and term.datatype == boolean and term.value in spelled:
            return ox.Literal(spelled[term.value], datatype=boolean)
        return term

    quads = [ox.Quad(q.subject, q.predicate, fix(q.object), q.graph_name)
             for q in ox.parse(nquads, ox.RdfFormat.N_QUADS)]
    out = io.BytesIO()
    write_quads(quads, out)
    return out.getvalue()


def test_the_trig_dump_loads_unchanged_with_the_bulk_loader(tmp_path):
    """``aseankg dump --format trig`` into a new Virtuoso with its bulk loader (``ld_dir`` +
    ``rdf_loader_run``, the file as written), read back through its SPARQL endpoint: the embedded store's
    quads, in the same graphs. pyoxigraph's TriG wrote ``id:article\\/…``, which Virtuoso read with the
    backslash in the IRI. rdflib reads the same TriG back to the same quads."""
    embedded = seed_store_folder(tmp_path / "kg")
    server = tmp_path / "server"
    loads = server / "load"  # inside the folder the ini's DirsAllowed names
    loads.mkdir(parents=True)
    run("dump", "--store", embedded, "--format", "trig", "-o", str(loads / "kg.trig"))
    run("dump", "--store", embedded, "-o", str(tmp_path / "embedded.nq"))
    expected = (tmp_path / "embedded.nq").read_bytes()
    trig = (loads / "kg.trig").read_text(encoding="utf-8")
    assert "\\/" not in trig and "meeting:amm-58 " in trig

    process, url = start_virtuoso(server)
    try:
        before = _graphs(url)  # Virtuoso's own graphs, left out of the comparison
        virtuoso_sql(server, f"ld_dir('{loads}', '*.trig', 'urn:aseankg:unnamed');\nrdf_loader_run();\n")
        report = virtuoso_sql(server, "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST "
                                      "WHERE ll_state <> 2 OR ll_error IS NOT NULL;\n")
        assert "0 Rows." in report, report
        ours = {line.split()[-2] for line in expected.decode().splitlines()}
        assert _graphs(url) - before == {g.strip("<>") for g in ours}
        run("dump", "--store", url, "-o", str(tmp_path / "virtuoso.nq"))
    finally:
        stop_process(process)
    loaded = (tmp_path / "virtuoso.nq").read_bytes()
    assert loaded.count(b"\n") == expected.count(b"\n") > 1000
    assert _booleans_spelled_out(loaded) == expected

    dataset = Dataset()
    dataset.parse(data=trig, format="trig")
    out = io.BytesIO()
    write_quads(ox.parse(dataset.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS), out)
    assert out.getvalue() == expected
