"""Round trip through a real SPARQL 1.1 server: ``aseankg build --store http://…/query`` against a live
``oxigraph serve`` gives the same answers to every saved query, the same dump and the same exports as
the embedded store, and ``aseankg serve`` over it answers pages and queries."""

from __future__ import annotations

import json
import urllib.request

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import BNode

from aseankg import settings
from aseankg.cli import main
from aseankg.queries import run_saved, saved_queries
from aseankg.stores import open_store


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


#: The separator of the saved queries' GROUP_CONCATs, whose order SPARQL leaves to the engine.
CONCAT = "; "


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, BNode):  # labels are each store's own
        return "_:"
    return CONCAT.join(sorted(str(value).split(CONCAT)))


def rows_as_text(result, *, in_order: bool = False) -> list[tuple[str, ...]]:
    """A result as sorted tuples of strings (``in_order``: a SELECT's rows in the order given); parts
    of a GROUP_CONCAT sorted (SPARQL does not define their order, and a server given an explicit
    dataset may well aggregate in another order)."""
    if result.kind == "ask":
        return [(str(result.boolean),)]
    rows = sorted(result.graph) if result.kind == "graph" else result.rows
    rows = [tuple(text(v) for v in row) for row in rows]
    return rows if in_order and result.kind == "select" else sorted(rows)


#: Saved queries with values other than their defaults, where the engines once parted: 15 on Bui Thanh
#: Son, whose posts one undated article reports (Virtuoso's MIN skipped the undated row, Oxigraph's
#: and Jena's gave no date at all); 03 and 01 with other people and places, 13 with another series.
OTHER_PARAMETERS = [("15-officials-by-country-role", {"role": "id:role/foreign-minister"}),
                    ("03-posts-of-person", {"person": "id:person/dang-hoang-giang"}),
                    ("01-meetings-in-place", {"place": "LAO"}),
                    ("13-meetings-by-series", {"series": "id:series/amm"})]


def built_side_by_side(tmp, start):
    """The seed articles built with the CLI into the server ``start(folder)`` runs and into an embedded
    store: yields the server's URL, the embedded store's folder, both build summaries and ``tmp``."""
    from conftest import stop_process

    process, url = start(tmp / "server")
    try:
        embedded = str(tmp / "embedded")
        remote_summary = run("build", str(settings.ARTICLES_DIR), "--store", url)
        embedded_summary = run("build", str(settings.ARTICLES_DIR), "--store", embedded)
        yield url, embedded, remote_summary, embedded_summary, tmp
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The seed articles built with the CLI into a live Oxigraph server and into an embedded store."""
    from conftest import start_oxigraph

    yield from built_side_by_side(tmp_path_factory.mktemp("remote-build"), start_oxigraph)


def test_the_build_reports_agree(stores):
    _, _, remote_summary, embedded_summary, _ = stores
    assert "5 added" in remote_summary and "0 quarantined" in remote_summary
    assert remote_summary.splitlines()[-3:] == embedded_summary.splitlines()[-3:]


def test_rebuilding_on_the_server_changes_nothing(stores):
    url = stores[0]
    remote = open_store(url)
    before = remote.triple_count()
    assert "5 unchanged" in run("build", str(settings.ARTICLES_DIR), "--store", url)
    assert remote.triple_count() == before > 0


@pytest.mark.parametrize("query", saved_queries(), ids=lambda q: q.name)
def test_every_saved_query_answers_the_same(stores, query):
    """The same rows in the same order: every saved query's ORDER BY is total."""
    url, embedded, *_ = stores
    remote = open_store(url)
    with open_store(embedded, read_only=True) as local:
        expected = rows_as_text(run_saved(local, query), in_order=True)
    assert rows_as_text(run_saved(remote, query), in_order=True) == expected


def test_saved_queries_return_something(stores):
    """The comparison above is not between two empty answers."""
    with open_store(stores[1], read_only=True) as local:
        answered = [q.name for q in saved_queries() if len(run_saved(local, q))]
    assert len(answered) >= len(saved_queries()) - 3


def test_the_dumps_are_identical(stores):
    url, embedded, _, _, tmp = stores
    run("dump", "--store", url, "-o", str(tmp / "remote.nq"))
    run("dump", "--store", embedded, "-o", str(tmp / "embedded.nq"))
    remote, local = (tmp / "remote.nq").read_bytes(), (tmp / "embedded.nq").read_bytes()
    assert remote == local and remote.count(b"\n") > 1000
    run("dump", "--store", url, "--format", "trig", "-o", str(tmp / "remote.trig"))
    run("dump", "--store", embedded, "--format", "trig", "-o", str(tmp / "embedded.trig"))
    assert (tmp / "remote.trig").read_bytes() == (tmp / "embedded.trig").read_bytes()


def assert_exports_agree(url: str, embedded: str, tmp) -> None:
    """``aseankg export`` from the server and from the embedded store: the same network (nodes with
    their labels and types, edges), read back by networkx, in each format."""
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml),
                      ("json", lambda path: nx.node_link_graph(json.loads(open(path).read())))):
        graphs = []
        for name, store in (("remote", url), ("embedded", embedded)):
            path = tmp / f"{name}.{fmt}"
            run("export", "--store", store, "--format", fmt, "--projection", "bipartite", "-o", str(path))
            graphs.append(read(str(path)))
        remote, local = graphs
        assert local.number_of_nodes() > 20 and local.number_of_edges() > 20, fmt
        assert dict(remote.nodes(data="label")) == dict(local.nodes(data="label")), fmt
        assert sorted(remote.edges()) == sorted(local.edges()), fmt


def assert_serves(url: str, tmp) -> None:
    """``aseankg serve --store URL``: an entity page, its ego network and a query over HTTP, read from
    the server as from the embedded store (no query workers: the remote server runs the queries)."""
    from conftest import served

    with served(url, "--no-build", workers=0, logs=tmp) as base:
        with urllib.request.urlopen(base + "/id/meeting/amm-58", timeout=30) as r:
            assert r.status == 200 and "58th ASEAN Foreign Ministers" in r.read().decode()
        with urllib.request.urlopen(base + "/id/person/bui-thanh-son/ego.json", timeout=30) as r:
            ego = json.loads(r.read())
        assert any(n["id"].endswith("/meeting/amm-58") for n in ego["nodes"])
        ask = "ASK { <https://w3id.org/aseankg/id/meeting/amm-58> a ?type }"
        request = urllib.request.Request(base + "/sparql", data=ask.encode(), method="POST",
                                         headers={"Content-Type": "application/sparql-query",
                                                  "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as r:
            assert json.loads(r.read())["boolean"] is True


def test_the_exports_agree(stores):
    url, embedded, _, _, tmp = stores
    assert_exports_agree(url, embedded, tmp)


def test_serving_the_server(stores):
    assert_serves(stores[0], stores[4])
