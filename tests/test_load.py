"""A bounded load test on loopback: 400 requests at concurrency 16 (threads and http.client) against a live
``aseankg serve`` on the seed articles — the saved queries with their default parameters, ad hoc ``/sparql``
queries in several result formats, the query page and (when the app has them) entity pages ``/id/...``.
Each of the 16 clients has its own loopback address (the server tells clients apart by address).

Next to this normal mix, all the while: 4 abusive clients loop a runaway query (each stopped at the
10 s limit) and 300 idle or half-open connections are held (``test_abuse``). No response of the normal
mix may be a 5xx (or fail to arrive). The latencies are written to ``benchmarks/results/load.json``.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import statistics
import threading
import time
import urllib.parse
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import served
from test_abuse import Abusers, hold_connections

from aseankg.queries import saved_queries
from aseankg.safety import bind_values

RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "load.json"
REQUESTS = 400
CONCURRENCY = 16
ABUSERS = 4
IDLE_CONNECTIONS = 300
AKG = "https://w3id.org/aseankg/ontology#"
AD_HOC = [
    ("ASK { ?s ?p ?o }", "application/sparql-results+json"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv"),
    (f"SELECT ?m ?label WHERE {{ ?m a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{AKG}Meeting> ; "
     "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label", "application/sparql-results+xml"),
    (f"SELECT DISTINCT ?person WHERE {{ ?p a <{AKG}Participation> ; <{AKG}participant> ?person }}",
     "text/tab-separated-values"),
    ("CONSTRUCT { <https://w3id.org/aseankg/id/meeting/amm-58> ?p ?o } "
     "WHERE { <https://w3id.org/aseankg/id/meeting/amm-58> ?p ?o }", "text/turtle"),
    ("SELECT * WHERE { ?s ?p }", "application/sparql-results+json"),  # a 400, on purpose
]
ENTITIES = ["/id/country/VNM", "/id/meeting/amm-58", "/id/person/bui-thanh-son", "/id/country/MYS"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The port of ``aseankg serve`` (2 workers) on a new store; its stderr must hold no traceback."""
    with served(tmp_path_factory.mktemp("load") / "kg", "--workers", "2", workers=2) as base:
        yield int(base.rsplit(":", 1)[1])


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict | None = None, source: str = "127.0.0.1") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def workload(port: int) -> list[tuple[str, str, str, bytes | None, dict]]:
    """The mix, in a fixed order: (kind, method, path, body, headers)."""
    saved = []
    for query in saved_queries():
        bindings = query.bindings()
        text = bind_values(query.text, bindings) if bindings else query.text
        saved.append(("saved", "POST", "/sparql", urllib.parse.urlencode({"query": text}).encode(),
                      {"Content-Type": "application/x-www-form-urlencoded",
                       "Accept": "application/sparql-results+json, text/turtle;q=0.9"}))
    ad_hoc = [("sparql", "GET", "/sparql?" + urllib.parse.urlencode({"query": q}), None, {"Accept": accept})
              for q, accept in AD_HOC]
    page = [("page", "GET", "/sparql?" + urllib.parse.urlencode({"query": AD_HOC[2][0]}), None,
             {"Accept": "text/html"})]
    entities = []
    if request(port, "GET", ENTITIES[0], headers={"Accept": "text/html"})[0] != 404:
        entities = [("entity", "GET", path, None, {"Accept": "text/html"}) for path in ENTITIES]
    mix = saved * 2 + ad_hoc * 2 + page + entities * 2
    return [mix[i % len(mix)] for i in range(REQUESTS)]


@pytest.fixture(scope="module")
def load(server) -> list[tuple[str, int, float]]:
    """Run the workload once: ``(kind, status, seconds)`` per request; writes ``benchmarks/results/load.json``."""
    jobs = workload(server)
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    queue = iter(jobs)

    def client(source: str) -> None:
        while True:
            with lock:
                job = next(queue, None)
            if job is None:
                return
            kind, method, path, body, headers = job
            started = time.perf_counter()
            try:
                status, answer = request(server, method, path, body, headers, source=source)
                if status >= 500:
                    print(f"{kind} {path[:60]}: {status} {answer[:200]!r}")
            except OSError as error:  # no answer at all counts as a failure
                status = 599
                print(f"{kind} {path[:80]}: {error}")
            elapsed = time.perf_counter() - started
            with lock:
                results.append((kind, status, elapsed))

    held = hold_connections(server, IDLE_CONNECTIONS)
    try:
        with Abusers(server, ABUSERS) as abusers:
            time.sleep(15)  # warm-up: each abuser has its one turn in the quick lane (see test_abuse)
            began = time.perf_counter()
            threads = [threading.Thread(target=client, args=(f"127.0.0.{100 + i}",)) for i in range(CONCURRENCY)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(300)
            duration = time.perf_counter() - began
    finally:
        for sock in held:
            sock.close()

    statuses = Counter(status for _, status, _ in results)
    failures = [(kind, status) for kind, status, _ in results if status >= 500]
    latencies = sorted(elapsed for _, _, elapsed in results)
    quantiles = statistics.quantiles(latencies, n=100)
    report = {
        "test": "tests/test_load.py",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.system()},
        "server": {"command": "aseankg serve --workers 2 (--threads 32)", "store": "the five seed articles"},
        "requests": REQUESTS,
        "concurrency": CONCURRENCY,
        "alongside": {"abusive_clients": ABUSERS, "idle_half_open_or_keep_alive_connections": IDLE_CONNECTIONS,
                      "abusive_statuses": {str(k): v for k, v in
                                           sorted(Counter(status for status, _ in abusers.answers).items())}},
        "mix": dict(Counter(kind for kind, _, _ in results)),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": len(failures),
        "valid_queries_refused": sum(status == 400 for kind, status, _ in results if kind == "saved"),
        "duration_s": round(duration, 2),
        "throughput_rps": round(REQUESTS / duration, 1),
        "latency_ms": {"p50": round(1000 * quantiles[49], 1), "p90": round(1000 * quantiles[89], 1),
                       "p99": round(1000 * quantiles[98], 1), "max": round(1000 * latencies[-1], 1)},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    temporary = RESULTS.with_suffix(".tmp")
    temporary.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, RESULTS)
    return results


def test_load_without_server_errors(load):
    assert len(load) == REQUESTS
    failures = Counter((kind, status) for kind, status, _ in load if status >= 500)
    assert not failures, f"server errors: {failures}"
    assert {status for kind, status, _ in load if kind == "sparql"} <= {200, 400}  # one ad hoc query is bad
    assert all(status == 200 for kind, status, _ in load if kind in ("page", "entity"))


def test_load_every_valid_query_is_answered(load):
    refused = Counter(status for kind, status, _ in load if kind == "saved" and status != 200)
    assert not refused, f"saved queries refused under load: {refused}"
