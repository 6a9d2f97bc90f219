"""Output files (``export -o``, ``dump -o``): the old code renamed a temporary file over the target, so a
FIFO and a symlink were each replaced by a regular file (as root ``-o /dev/null`` would replace the
system's), and exports were created ``0600`` whatever the umask."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import threading
from xml.etree import ElementTree

import pytest
from rdflib import Literal, URIRef

from aseankg.dumps import dump_to_path
from aseankg.exports import write_lines
from aseankg.outputs import OutputError
from aseankg.store import EmbeddedStore

ID = "https://w3id.org/aseankg/id/"


@pytest.fixture()
def store(tmp_path):
    with EmbeddedStore(tmp_path / "kg") as kg:
        kg.write_article(f"{ID}article/00000000000000aa", [(URIRef(f"{ID}x"), URIRef(f"{ID}p"), Literal("v"))])
        yield kg


def test_fifo_is_written_not_replaced(tmp_path, store):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_lines(["<gexf/>"], fifo)
    reader.join(30)
    assert received == [b"<gexf/>\n"] and stat.S_ISFIFO(fifo.stat().st_mode)
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert dump_to_path(store, fifo) >= 1
    reader.join(30)
    assert b"<https://w3id.org/aseankg/id/x>" in received[1] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_character_device_is_written_not_replaced(tmp_path, store):
    # as root, a null device of our own: a regression must not replace the system's /dev/null
    device = tmp_path / "null" if os.geteuid() == 0 else "/dev/null"
    if os.geteuid() == 0:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    write_lines(["x"], device)
    dump_to_path(store, device, "nquads")
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_symlink_is_followed(tmp_path, store):
    real = tmp_path / "real" / "out.gexf"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.gexf"
    link.symlink_to(real)
    write_lines(["new"], link)
    assert link.is_symlink() and real.read_text() == "new\n"
    nq_real, nq_link = tmp_path / "real" / "all.nq", tmp_path / "all.nq"
    nq_real.write_text("")
    nq_link.symlink_to(nq_real)
    dump_to_path(store, nq_link)
    assert nq_link.is_symlink() and "aseankg/id/x" in nq_real.read_text()
    assert not [p for p in (tmp_path / "real").iterdir() if p.name.endswith(".tmp")]


def test_new_files_follow_the_umask_and_folders_are_refused(tmp_path, store):
    old = os.umask(0o027)
    try:
        write_lines(["x"], tmp_path / "new.gexf")
        dump_to_path(store, tmp_path / "new.nq")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.gexf").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "new.nq").stat().st_mode) == 0o640
    existing = tmp_path / "kept.gexf"
    existing.write_text("")
    existing.chmod(0o600)
    write_lines(["x"], existing)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    with pytest.raises(OutputError, match="folder"):
        write_lines(["x"], tmp_path)


@pytest.fixture(scope="module")
def seed_folder(tmp_path_factory):
    from conftest import seed_store_folder

    return seed_store_folder(tmp_path_factory.mktemp("umask") / "kg")


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_the_commands_create_files_and_folders_with_the_umask(seed_folder, tmp_path, mask, mode):
    """``aseankg export``, ``dump`` and ``review export`` run as processes of their own under a user's umask:
    new files get ``0666 & ~umask``, new folders for them ``0777 & ~umask``, whatever the temporary file
    they were written to had."""
    from conftest import ASEANKG

    out = tmp_path / "out" / "new"  # folders -o creates
    commands = {f"actors.{fmt}": ["export", "--projection", "actors", "--format", fmt] for fmt in
                ("gexf", "graphml", "json")}
    commands |= {f"kg.{fmt}": ["dump", "--format", fmt] for fmt in ("nquads", "trig")}
    for name, args in commands.items():
        done = subprocess.run([str(ASEANKG), *args, "--store", seed_folder, "-o", str(out / name)],
                              capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(mask))
        assert done.returncode == 0, done.stderr
    done = subprocess.run([str(ASEANKG), "review", "export", str(out / "fixes.ttl"), "--store", seed_folder],
                          capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(mask))
    assert done.returncode == 0, done.stderr
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {name: mode for name in [*commands, "fixes.ttl"]}
    for folder in (out, out.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~mask
    assert (out / "kg.trig").stat().st_size > 10_000 and (out / "actors.gexf").stat().st_size > 1_000


# ---------------------------------------------------------------------------------- well formed

NASTY = "ASEAN\x01 Summit \x1b[31mopens\ufffe\x85"


def test_reading_strips_what_xml_forbids():
    from aseankg.reading import parse_record

    article = parse_record({"headline": NASTY, "publisher": "VNA\x01\x1b", "url": "https://e.org/a\x7f",
                            "text": "The ASEAN Foreign Ministers' Meeting\x01 opened\ufffe in Kuala Lumpur on "
                                    "Tuesday.\x1b[0m It\x85 discussed trade."})
    for text in (article.headline, article.publisher, article.url, article.body):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", text), text
    assert article.headline == "ASEAN Summit [31mopens" and article.publisher == "VNA"
    assert "opened in Kuala Lumpur" in article.body


def test_every_xml_writer_is_well_formed():
    """Literals holding what XML 1.0 forbids (stored before the reader stripped it, or by an update):
    SPARQL XML results, RDF/XML, GEXF, GraphML and the ego SVG each parse."""
    import networkx as nx
    from rdflib import Graph

    from aseankg.exports import generate
    from aseankg.results import QueryResult
    from aseankg.web.ego import EgoEdge, EgoNetwork, EgoNode, render_ego_svg

    literal = Literal(NASTY)
    ElementTree.fromstring(QueryResult("select", ["h"], [(literal,)]).serialize("xml"))
    graph = Graph()
    graph.add((URIRef(f"{ID}s"), URIRef(f"{ID}headline"), literal))
    ElementTree.fromstring(QueryResult("graph", graph=graph).serialize("xml"))
    G = nx.Graph()
    G.add_node("a", label=NASTY, type="Meeting")
    G.add_node("b", label="Viet Nam", type="Country")
    G.add_edge("a", "b", label=NASTY)
    for fmt in ("gexf", "graphml"):
        ElementTree.fromstring("\n".join(generate(G, fmt)))
    edge = EgoEdge(f"{ID}meeting/m", f"{ID}country/VNM", NASTY)
    ego = EgoNetwork(f"{ID}meeting/m", [EgoNode(f"{ID}meeting/m", NASTY, "Meeting", center=True),
                                        EgoNode(f"{ID}country/VNM", "Viet\x01Nam", "Country")], [edge])
    ElementTree.fromstring(str(render_ego_svg(ego)))


def test_entity_rdf_xml_is_well_formed():
    """An entity page as RDF/XML (``.rdf``) with a label holding what XML 1.0 forbids still parses."""
    from rdflib.namespace import RDFS

    from aseankg.web import close_app, create_app

    with EmbeddedStore(None) as store:
        store.write_article(f"{ID}article/00000000000000bb", [(URIRef(f"{ID}country/XXX"), RDFS.label, Literal(NASTY))])
        app = create_app(store, workers=0)
        try:
            body = app.test_client().get("/id/country/XXX.rdf").data
        finally:
            close_app(app)
    label = ElementTree.fromstring(body).find(".//{http://www.w3.org/2000/01/rdf-schema#}label")
    assert label.text.startswith("ASEAN\ufffd Summit")


def test_csv_download_neutralises_formulas(tmp_path):
    from aseankg.web import close_app, create_app

    with EmbeddedStore(tmp_path / "kg") as store:
        app = create_app(store, workers=0)
        query = "SELECT ?v WHERE { VALUES ?v { \"=HYPERLINK(1)\" \"+1\" \"@SUM(A1)\" \"-2\" \"plain\" } }"
        client = app.test_client()
        download = client.get("/sparql", query_string={"query": query, "format": "csv", "download": 1})
        api = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
        close_app(app)
    assert download.data.decode().split("\r\n")[1:6] == ["'=HYPERLINK(1)", "'+1", "'@SUM(A1)", "'-2", "plain"]
    assert api.data.decode().split("\r\n")[1] == "=HYPERLINK(1)"  # the API gives the data as it is
