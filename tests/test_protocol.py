"""The W3C SPARQL 1.1 Protocol test suite, run against a live ``aseankg serve``.

The manifest (``tests/w3c/sparql11-protocol/``, an unchanged copy) lists raw HTTP requests and the status, result
format and boolean each must get back. Its data files are loaded into the named graphs the tests
name; two servers run: a read-only one (every query and bad-request test passes, every update is
refused with a 4xx) and one started with ``--allow-update --token`` (the update tests pass).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import free_port
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from aseankg import settings

W3C = settings.PROJECT_ROOT / "tests" / "w3c" / "sparql11-protocol"
MANIFEST = W3C / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "protocol-test-token"
#: The ``aseankg`` command of the environment running the tests.
ASEANKG = Path(sys.executable).parent / "aseankg"

RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}

pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason=f"W3C protocol tests absent ({W3C})")


def _manifest() -> tuple[Graph, list]:
    graph = Graph()
    if MANIFEST.exists():
        graph.parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    entries = []
    for manifest in graph.subjects(MF.entries, None):
        entries = list(Collection(graph, graph.value(manifest, MF.entries)))
    return graph, entries


GRAPH, ENTRIES = _manifest()


def _name(entry) -> str:
    return str(entry).rsplit("#", 1)[-1]


def _requests(entry) -> list[dict]:
    action = GRAPH.value(entry, MF.action)
    out = []
    for request in Collection(GRAPH, GRAPH.value(action, HT.requests)):
        body = GRAPH.value(request, HT.body)
        headers = {}
        header_list = GRAPH.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(GRAPH, header_list):
                headers[str(GRAPH.value(header, HT.fieldName))] = str(GRAPH.value(header, HT.fieldValue))
        data = None
        if body is not None:
            encoding = str(GRAPH.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(GRAPH.value(body, CNT.chars)).encode(encoding.lower())
        response = GRAPH.value(request, HT.resp)
        statuses = {str(s).rsplit("StatusCode", 1)[-1][0] for s in GRAPH.objects(response, MF.expectedStatus)}
        boolean = GRAPH.value(response, MF.expectedBoolean)
        fmt = GRAPH.value(response, MF.expectedFormat)
        out.append({"method": str(GRAPH.value(request, HT.methodName)),
                    "path": str(GRAPH.value(request, HT.absolutePath)), "headers": headers, "body": data,
                    "statuses": statuses, "boolean": None if boolean is None else boolean.toPython(),
                    "format": None if fmt is None else str(fmt)})
    return out


def _graph_data() -> dict[str, Path]:
    """Every data file the manifest loads, by the graph IRI the tests expect it in."""
    found = {}
    for entry in ENTRIES:
        for data in GRAPH.objects(entry, UT.graphData):
            found[str(GRAPH.value(data, RDFS.label))] = W3C / Path(str(GRAPH.value(data, UT.graph))).name
    return found


def _start(store: Path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([str(ASEANKG), "serve", "--store", str(store), "--no-build",
                                "--port", str(port), "--workers", "1", *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, port


def _wait(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {process.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if len(json.loads(r.read())["workers"]) >= 1:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def _stop(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def _load(folder: Path) -> None:
    store = ox.Store(str(folder))
    for iri, path in _graph_data().items():
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    store.flush()
    del store


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A read-only server and an update-enabled one, each on its own copy of the manifest's data."""
    base = tmp_path_factory.mktemp("w3c")
    _load(base / "ro")
    _load(base / "rw")
    ro = _start(base / "ro")
    rw = _start(base / "rw", "--allow-update", "--token", TOKEN)
    try:
        _wait(*ro)
        _wait(*rw)
        yield {"ro": ro[1], "rw": rw[1]}
    finally:
        _stop(ro[0])
        _stop(rw[0])


def _send(port: int, request: dict, *, token: str | None = None) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(request["headers"])
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(request["method"], request["path"], body=request["body"], headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def _boolean(content_type: str, body: bytes) -> bool:
    media = content_type.split(";")[0].strip()
    if media in ("application/sparql-results+json", "application/json"):
        return json.loads(body)["boolean"]
    assert media == "application/sparql-results+xml", media
    element = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return element.text.strip() == "true"


def _check(name: str, request: dict, status: int, content_type: str, body: bytes) -> None:
    assert str(status)[0] in request["statuses"], f"{name}: status {status}: {body[:300]!r}"
    media = content_type.split(";")[0].strip()
    if request["format"] == "boolean":
        assert media in ("application/sparql-results+json", "application/sparql-results+xml"), media
    elif request["format"] == "tabular":
        assert media in RESULT_TYPES, media
        if media == "application/sparql-results+json":
            assert json.loads(body)["head"]["vars"]
    elif request["format"] == "RDF":
        assert media in RDF_TYPES, media
        Graph().parse(data=body, format=RDF_TYPES[media])
    if request["boolean"] is not None:
        assert _boolean(content_type, body) is request["boolean"], name


UPDATES = [e for e in ENTRIES if _name(e).startswith(("update_", "bad_update_"))]


@pytest.mark.parametrize("entry", ENTRIES, ids=_name)
def test_read_only_server(servers, entry):
    """Every test passes on the read-only server, except that updates are refused there (4xx)."""
    name = _name(entry)
    for n, request in enumerate(_requests(entry)):
        status, content_type, body = _send(servers["ro"], request)
        if name.startswith("update_") and n == 0:
            assert status == 403, f"{name}: an update on a read-only server got {status}"
            return
        _check(name, request, status, content_type, body)


@pytest.mark.parametrize("entry", UPDATES, ids=_name)
def test_update_server(servers, entry):
    """The update tests pass on a server started with --allow-update and a token."""
    for request in _requests(entry):
        status, content_type, body = _send(servers["rw"], request, token=TOKEN)
        _check(_name(entry), request, status, content_type, body)


def test_update_needs_the_token(servers):
    request = {"method": "POST", "path": "/sparql", "headers": {"Content-Type": "application/sparql-update"},
               "body": b"CLEAR ALL"}
    assert _send(servers["rw"], request)[0] == 403
    assert _send(servers["rw"], request, token="wrong")[0] == 403
    load = dict(request, body=b"LOAD <http://127.0.0.1:9/data.ttl>")
    status, _, body = _send(servers["rw"], load, token=TOKEN)
    assert status == 400 and b"LOAD is refused" in body
