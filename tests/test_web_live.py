"""Real clients against a live ``aseankg serve`` on the seed articles: SPARQLWrapper, rdflib's
SPARQLStore, Comunica (Node) and headless Chromium; and the limits seen from outside: a runaway
query is stopped and its worker process killed while other requests are answered, SERVICE reaches
no one, oversized bodies are refused."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import served
from rdflib import Graph, URIRef

COMUNICA = Path(__file__).parent / "js" / "comunica"
CHROMIUM = Path("/usr/bin/chromium")
AKG = "https://w3id.org/aseankg/ontology#"
AMM58 = "https://w3id.org/aseankg/id/meeting/amm-58"
PARTICIPANTS = (f"SELECT DISTINCT ?participant WHERE {{ ?p <{AKG}meeting> <{AMM58}> ; "
                f"<{AKG}participant> ?participant }} ORDER BY ?participant")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``aseankg serve`` on a new store (it builds the bundled articles first), 2 s query limit."""
    store = tmp_path_factory.mktemp("live") / "kg"
    with served(store, "--time-limit", "2", "--workers", "2", workers=2, check_stderr=False) as base:
        yield base


def _all_workers(base: str) -> set[int]:
    """The worker pids of both lanes (a runaway from a light client starts in the quick lane)."""
    health = _health(base)
    return set(health["workers"]) | set(health["quick_workers"])


def _health(base: str) -> dict:
    with urllib.request.urlopen(base + "/health", timeout=5) as r:
        return json.loads(r.read())


def _post(base: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
    request = urllib.request.Request(base + "/sparql", data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query", "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _participants(base: str) -> list[str]:
    status, body = _post(base, PARTICIPANTS)
    assert status == 200
    return [b["participant"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_sparqlwrapper(server):
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(PARTICIPANTS)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    people = [r["participant"]["value"] for r in rows]
    assert "https://w3id.org/aseankg/id/person/bui-thanh-son" in people
    client.setMethod(POST)
    client.setQuery(f"CONSTRUCT {{ <{AMM58}> ?p ?o }} WHERE {{ <{AMM58}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(AMM58), URIRef(AKG + "ordinal"), None) in graph


def test_rdflib_sparqlstore(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server + "/sparql"))
    people = [str(row.participant) for row in graph.query(PARTICIPANTS)]
    assert people == _participants(server)
    assert graph.query(f"ASK {{ <{AMM58}> ?p ?o }}").askAnswer is True


def test_comunica(server):
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("Comunica needs Node.js and npm, which are not installed")
    if not (COMUNICA / "node_modules" / "@comunica" / "query-sparql").exists():
        install = subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=COMUNICA,
                                 capture_output=True, text=True, timeout=600)
        if install.returncode != 0:
            pytest.skip(f"npm install of @comunica/query-sparql failed: {install.stderr[-500:]}")
    run = subprocess.run([node, "comunica_query.mjs", server + "/sparql", PARTICIPANTS], cwd=COMUNICA,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    people = sorted(row["participant"] for row in json.loads(run.stdout))
    assert people and people == sorted(_participants(server))


def test_runaway_query_is_stopped_and_its_worker_killed(server):
    before = _all_workers(server)
    assert len(before) == 3  # 2 general, 1 quick-lane
    answers: dict[str, tuple[int, bytes]] = {}
    runaway = threading.Thread(target=lambda: answers.update(long=_post(server, CARTESIAN)))
    runaway.start()
    time.sleep(0.5)  # let it reach a worker
    # another connection is answered while the runaway query still runs
    assert _post(server, f"ASK {{ <{AMM58}> ?p ?o }}")[0] == 200
    assert runaway.is_alive()
    runaway.join(60)
    status, body = answers["long"]
    assert status == 503 and b"limit" in body
    gone = [pid for pid in before if not Path(f"/proc/{pid}").exists()]
    assert len(gone) == 1, "the worker that ran the runaway query should be killed (no CPU burning on)"
    deadline = time.monotonic() + 30
    while len(_all_workers(server)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    after = _all_workers(server)
    assert len(after) == 3 and gone[0] not in after
    assert _participants(server)  # the replacement answers


def test_service_reaches_no_one(server):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        port = listener.getsockname()[1]
        status, body = _post(server, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        assert status == 400 and b"SERVICE" in body
        with pytest.raises(TimeoutError):
            listener.accept()


def test_oversized_body(server):
    # The server may answer 413 and close before the client has sent all 2 MB: read the answer
    # off the socket whatever happens to the rest of the upload.
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    body = ("ASK {}" + " " * 2_000_000).encode()
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: " + host.encode() + b"\r\nContent-Type: application/sparql-query"
                     b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n")
        try:
            sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer.split(b"\r\n", 1)[0].split()[1] == b"413"


def test_query_page_in_chromium(server):
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium is not installed (Debian package chromium, /usr/bin/chromium)")
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright (PyPI) is not installed")
    requests: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(server + "/sparql")
            assert "PREFIX akg:" in page.input_value("#query")
            page.fill("#query", PARTICIPANTS)
            page.click("#run")
            page.wait_for_selector("#result-table")
            assert page.locator("#result-table tbody tr").count() == len(_participants(server))
            link = page.locator('#result-table a[href^="/id/"]').first
            href = link.get_attribute("href")
            link.click()
            page.wait_for_load_state()
            assert urllib.parse.urlparse(page.url).path == href
            page.goto(server + "/sparql")
            page.locator("#saved-queries a").first.click()
            page.wait_for_selector("#results")
        finally:
            browser.close()
    off_host = [u for u in requests if not u.startswith("data:") and urllib.parse.urlparse(u).hostname != "127.0.0.1"]
    assert requests and not off_host


def test_by_default_a_busy_client_has_a_worker_for_every_core(tmp_path):
    """``--workers`` defaults to the cores + 1: clients past their light allowance hold all general
    workers but one, so they can still keep every core busy."""
    from aseankg.buildjobs import available_cores
    from aseankg.store import EmbeddedStore

    EmbeddedStore(tmp_path / "kg").close()
    cores = available_cores()
    with served(tmp_path / "kg", "--no-build", workers=cores + 1) as base:
        health = _health(base)
    assert (len(health["workers"]), len(health["quick_workers"])) == (cores + 1, 1)
