"""Round trip through a real Virtuoso 7 (Debian's ``virtuoso-opensource``, started here on loopback
with its own data folder and ini, stopped by its pid): ``aseankg build --store http://…/sparql``
(updates to the query URL itself, graphs written with SPARQL Update; then again through Virtuoso's
Graph Store at ``/sparql-graph-crud``), a rebuild that changes nothing, every saved query with the
embedded store's rows, and the dump, whose blank nodes Virtuoso labels ``nodeID://b…``."""

from __future__ import annotations

import pytest
from test_remote_build import OTHER_PARAMETERS, built_side_by_side, rows_as_text, run

from aseankg import settings
from aseankg.queries import run_saved, saved_queries
from aseankg.stores import open_store


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The seed articles built with the CLI into a live Virtuoso and into an embedded store."""
    from conftest import start_virtuoso

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
