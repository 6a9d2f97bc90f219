"""Exports read back by real clients: the GEXF 1.3 RELAX NG schema, networkx, graphology (Node),
python-igraph and Cytoscape.js (Node), plus the CLI command."""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from lxml import etree

from aseankg import exports, settings
from aseankg.cli import main
from aseankg.ingest import build_articles
from aseankg.projections import PROJECTIONS, network_data, project
from aseankg.stores import open_store

ID = settings.ID_NS
SCHEMA_DIR = settings.PROJECT_ROOT / "tests" / "gexf-1.3"
JS_DIR = Path(__file__).parent / "js"
GEXF = "{http://gexf.net/1.3}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="session")
def seed_location(tmp_path_factory):
    location = tmp_path_factory.mktemp("exports") / "kg"
    store = open_store(location)
    build_articles([settings.ARTICLES_DIR], store)
    store.close()
    return location


@pytest.fixture(scope="session")
def graphs(seed_location):
    store = open_store(seed_location, read_only=True)
    try:
        data = network_data(store)
    finally:
        store.close()
    return {name: project(data, name) for name in PROJECTIONS}


@pytest.fixture(scope="session")
def gexf_schema():
    if not (SCHEMA_DIR / "gexf.rng").exists():
        pytest.skip(f"no GEXF 1.3 schema at {SCHEMA_DIR}")
    return etree.RelaxNG(etree.parse(str(SCHEMA_DIR / "gexf.rng")))


def js_reader(script: str, package: str, what: str):
    """``read(path, *node_ids) -> dict``: tests/js/``script`` run by Node on an export; npm installs
    tests/js/package.json's packages once (again when ``package`` is missing)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip(f"node and npm are needed to read {what} (install Node.js)")
    if not (JS_DIR / "node_modules" / package).exists():
        command = "ci" if (JS_DIR / "package-lock.json").exists() else "install"
        done = subprocess.run([npm, command, "--no-audit", "--no-fund"], cwd=JS_DIR, capture_output=True,
                              text=True, timeout=300)
        if done.returncode != 0:
            pytest.skip(f"npm {command} failed in {JS_DIR}: {done.stderr[-500:]}")

    def read(path: Path, *ids: str) -> dict:
        done = subprocess.run([node, str(JS_DIR / script), str(path), *ids], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return read


@pytest.fixture(scope="session")
def graphology():
    """GEXF read with graphology-gexf (tests/js/read_gexf.js)."""
    return js_reader("read_gexf.js", "graphology-gexf", "GEXF with graphology")


@pytest.fixture(scope="session")
def cytoscape_js():
    """Node-link JSON loaded into Cytoscape.js (tests/js/read_cytoscape.js)."""
    return js_reader("read_cytoscape.js", "cytoscape", "node-link JSON with Cytoscape.js")


@pytest.mark.parametrize("dynamic", [False, True], ids=["static", "dynamic"])
@pytest.mark.parametrize("projection", PROJECTIONS)
def test_gexf_validates_and_networkx_reads_it_back(graphs, gexf_schema, tmp_path, projection, dynamic):
    G = graphs[projection]
    path = exports.write_gexf(G, tmp_path / "graph.gexf", dynamic=dynamic)
    doc = etree.parse(str(path))
    assert gexf_schema.validate(doc), gexf_schema.error_log
    graph = doc.getroot().find(GEXF + "graph")
    assert graph.get("mode") == ("dynamic" if dynamic else "static")
    H = nx.read_gexf(path)
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert H.is_directed() == G.is_directed()
    node = next(iter(G))
    assert H.nodes[node]["label"] == G.nodes[node]["label"]
    assert H.nodes[node]["type"] == G.nodes[node]["type"]
    columns = {a.get("title"): a.get("type") for a in graph.iter(GEXF + "attribute")}
    assert columns["type"] == "string" and columns["degree"] == "integer" and columns["strength"] == "double"


def test_dynamic_gexf_dates_meetings_and_spells_edges(graphs, tmp_path):
    G = graphs["actors"]
    doc = etree.parse(str(exports.write_gexf(G, tmp_path / "actors.gexf", dynamic=True)))
    assert doc.getroot().find(GEXF + "graph").get("timeformat") == "date"
    edges = {frozenset((e.get("source"), e.get("target"))): e for e in doc.iter(GEXF + "edge")}
    son_vnm = edges[frozenset((ID + "person/bui-thanh-son", ID + "country/VNM"))]
    spells = [(s.get("start"), s.get("end")) for s in son_vnm.iter(GEXF + "spell")]
    assert spells == [("2025-01-01", "2025-01-31"), ("2025-07-08", "2025-07-11")]
    meetings = etree.parse(str(exports.write_gexf(graphs["bipartite"], tmp_path / "b.gexf", dynamic=True)))
    nodes = {n.get("id"): n for n in meetings.iter(GEXF + "node")}
    amm58 = nodes[ID + "meeting/amm-58"]
    assert (amm58.get("start"), amm58.get("end")) == ("2025-07-08", "2025-07-11")
    edge = next(e for e in meetings.iter(GEXF + "edge") if e.get("target") == ID + "meeting/amm-58"
                or e.get("source") == ID + "meeting/amm-58")
    assert (edge.get("start"), edge.get("end")) == ("2025-07-08", "2025-07-11")


def test_parallel_relations_carry_their_kind(graphs, tmp_path, gexf_schema):
    doc = etree.parse(str(exports.write_gexf(graphs["meetings"], tmp_path / "m.gexf")))
    pair = {ID + "meeting/amm-57", ID + "meeting/amm-58"}
    kinds = sorted(e.get("kind") for e in doc.iter(GEXF + "edge") if {e.get("source"), e.get("target")} == pair)
    assert kinds == ["same-series", "shared-participants"]
    ids = [e.get("id") for e in doc.iter(GEXF + "edge")]
    assert len(ids) == len(set(ids))
    colors = {n.get("id"): n.find("{http://gexf.net/1.3/viz}color").attrib for n in doc.iter(GEXF + "node")}
    assert colors[ID + "meeting/amm-57"] == {"r": "255", "g": "127", "b": "14"}


@pytest.mark.parametrize("projection", ["actors", "full"])
def test_graphology_reads_the_static_gexf(graphs, graphology, tmp_path, projection):
    G = graphs[projection]
    path = exports.write_gexf(G, tmp_path / "graph.gexf")
    son, vnm = ID + "person/bui-thanh-son", ID + "country/VNM"
    seen = graphology(path, son, vnm)
    assert (seen["order"], seen["size"]) == (G.number_of_nodes(), G.number_of_edges())
    assert seen["type"] == ("directed" if G.is_directed() else "undirected")
    for node in (son, vnm):
        attributes = seen["nodes"][node]
        for key in ("label", "type", "country", "articles", "degree"):
            assert attributes[key] == G.nodes[node][key], key
    if projection == "actors":
        (edge,) = seen["edges"]
        assert edge["attributes"]["weight"] == G.edges[son, vnm]["weight"] == 5
        assert edge["attributes"]["kind"] == "co-attendance"
        assert seen["nodes"][vnm]["wikidata"] == G.nodes[vnm]["wikidata"]


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_graphml_read_by_networkx_and_igraph(graphs, tmp_path, projection):
    G = graphs[projection]
    path = exports.write_graphml(G, tmp_path / "graph.graphml")
    H = nx.read_graphml(path)
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    node = next(iter(G))
    assert H.nodes[node]["label"] == G.nodes[node]["label"] == H.nodes[node]["name"]
    assert H.nodes[node]["degree"] == G.nodes[node]["degree"]
    doc = etree.parse(str(path))
    ids = [e.get("id") for e in doc.iter(GRAPHML + "edge")]
    assert len(ids) == len(set(ids)) == G.number_of_edges()
    # every key typed as GraphML allows, yEd's graphics key too (graph-tool refuses one without)
    keys = {k.get("id"): k.get("attr.type") for k in doc.iter(GRAPHML + "key")}
    assert "graphics" in keys and set(keys.values()) <= {"boolean", "int", "long", "float", "double", "string"}
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert sorted(g.vs["label"]) == sorted(d["label"] for _, d in G.nodes(data=True))


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_json_is_read_by_networkx_with_its_defaults(graphs, tmp_path, projection):
    """``nx.node_link_graph(data)``, no keyword: networkx 3.6 reads the edges from ``edges``."""
    assert inspect.signature(nx.node_link_graph).parameters["edges"].default == "edges"
    G = graphs[projection]
    data = json.loads(exports.write_json(G, tmp_path / "g.json").read_text(encoding="utf-8"))
    assert "links" not in data
    H = nx.node_link_graph(data)
    assert (H.number_of_nodes(), H.number_of_edges()) == (len(G), G.number_of_edges())
    assert (H.is_directed(), H.is_multigraph()) == (G.is_directed(), G.is_multigraph())
    node = next(iter(G))
    assert H.nodes[node] == G.nodes[node]
    assert sorted(map(repr, H.edges(data=True))) == sorted(map(repr, G.edges(data=True)))


@pytest.mark.parametrize("projection", ["actors", "meetings", "full"])
def test_cytoscape_js_shows_the_labels_of_the_json(graphs, cytoscape_js, tmp_path, projection):
    """The node-link JSON's nodes and edges, each an element's data, load into Cytoscape.js whole, and a
    node styled ``label: data(label)`` shows its label."""
    G = graphs[projection]
    path = exports.write_json(G, tmp_path / "g.json")
    son, amm58 = ID + "person/bui-thanh-son", ID + "meeting/amm-58"
    wanted = [n for n in (son, amm58) if n in G]
    seen = cytoscape_js(path, *wanted)
    assert (seen["nodes"], seen["edges"]) == (G.number_of_nodes(), G.number_of_edges())
    assert wanted and seen["labels"] == {n: G.nodes[n]["label"] for n in wanted}
    assert seen["kinds"] == sorted({d["kind"] for *_, d in G.edges(data=True)})


def test_awkward_text_is_escaped_and_still_valid(gexf_schema, tmp_path):
    G = nx.MultiDiGraph()
    G.add_node('a&<b>"', label="Tom & Jerry <\"quoted\">\x07  spaced\nout", type="Person", flag=True)
    G.add_node("c", label="ASEAN", type="Organization", score=2**40)
    G.add_edge('a&<b>"', "c", kind="holds", weight=2)
    G.add_edge('a&<b>"', "c", kind="party")
    doc = etree.parse(str(exports.write_gexf(G, tmp_path / "odd.gexf")))
    assert gexf_schema.validate(doc), gexf_schema.error_log
    H = nx.read_gexf(tmp_path / "odd.gexf")
    assert H.nodes['a&<b>"']["label"] == 'Tom & Jerry <"quoted"> spaced out'
    columns = {a.get("title"): a.get("type") for a in doc.iter(GEXF + "attribute")}
    assert columns["flag"] == "boolean" and columns["score"] == "long"


def test_writes_replace_the_file_only_when_complete(tmp_path):
    target = tmp_path / "graph.gexf"
    target.write_text("old", encoding="utf-8")

    def broken():
        yield "<gexf>"
        raise RuntimeError("generator failed")

    with pytest.raises(RuntimeError):
        exports.write_lines(broken(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.gexf"]


def test_cli_export(seed_location, tmp_path, gexf_schema):
    runner = CliRunner()
    out = tmp_path / "actors.gexf"
    result = runner.invoke(main, ["export", "--store", str(seed_location), "--projection", "bipartite",
                                  "--dynamic", "--series", "amm", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = etree.parse(str(out))
    assert gexf_schema.validate(doc), gexf_schema.error_log
    meetings = {n.get("id") for n in doc.iter(GEXF + "node") if n.get("id").startswith(ID + "meeting/")}
    assert meetings == {ID + "meeting/amm-57", ID + "meeting/amm-58"}
    result = runner.invoke(main, ["export", "--store", str(seed_location), "--format", "graphml", "--dynamic",
                                  "-o", str(tmp_path / "x.graphml")])
    assert result.exit_code != 0 and "--dynamic" in result.output
    result = runner.invoke(main, ["export", "--store", str(seed_location), "--format", "json", "--since", "soon",
                                  "-o", str(tmp_path / "x.json")])
    assert result.exit_code != 0 and "not a date" in result.output
