"""Abuse and everyday concurrency against a live ``aseankg serve`` on loopback: idle and half-open
connections, clients looping runaway queries. Each simulated client binds its own loopback address
(127.0.0.N: Linux routes all of 127/8 to ``lo``), since the server tells clients apart by address.

Timings are reported (``-s``), never asserted; client timeouts are hang guards only. Each server is
started once per module and stopped by its pid.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from conftest import free_port

ASEANKG = Path(sys.executable).parent / "aseankg"
SMALL = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})


def get(port: int, path: str, *, source: str = "127.0.0.1", timeout: float = 30,
        accept: str = "application/sparql-results+json") -> tuple[int, bytes, dict]:
    """``(status, body, headers)`` of one GET from ``source`` (a loopback address)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.headers)
    finally:
        connection.close()


def timed(port: int, path: str, **options) -> tuple[int, float]:
    start = time.monotonic()
    status = get(port, path, **options)[0]
    return status, time.monotonic() - start


def start_server(store: Path, *args: str) -> tuple[subprocess.Popen, int]:
    """``aseankg serve`` on ``store`` (built from the bundled articles if empty), ready with 2 workers."""
    port = free_port()
    process = subprocess.Popen([str(ASEANKG), "serve", "--store", str(store), "--port", str(port), *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while True:
        assert process.poll() is None, "the server exited"
        try:
            status, body, _ = get(port, "/health", timeout=5)
            if status == 200 and len(json.loads(body)["workers"]) >= 2:
                return process, port
        except OSError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server with the default limits (2 workers, 10 s query limit)."""
    process, port = start_server(tmp_path_factory.mktemp("abuse") / "kg")
    try:
        yield port
    finally:
        stop(process)


def hold_connections(port: int, count: int) -> list[socket.socket]:
    """``count`` connections from 127.0.0.2, a third of each kind: idle (connected, nothing sent),
    half-open (a request begun, never finished) and idle keep-alive (one request answered)."""
    held = []
    for i in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=("127.0.0.2", 0))
        if i % 3 == 1:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        elif i % 3 == 2:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            sock.recv(65536)
        held.append(sock)
    return held


def test_idle_and_half_open_connections_lock_nobody_out(server):
    held = hold_connections(server, 1_000)
    try:
        time.sleep(1)  # let the server see them all
        answers = [timed(server, "/health", source="127.0.0.3", timeout=20) for _ in range(5)]
        answers += [timed(server, SMALL, source="127.0.0.3", timeout=20) for _ in range(5)]
        print(f"\nwith 1,000 idle, half-open and keep-alive connections held: {[round(t, 3) for _, t in answers]} s")
        assert [status for status, _ in answers] == [200] * 10
    finally:
        for sock in held:
            sock.close()


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """A server with small limits: 2 s to send a request, 1 s per query, 2 s of query time a minute."""
    process, port = start_server(tmp_path_factory.mktemp("strict") / "kg", "--request-timeout", "2",
                                 "--time-limit", "1", "--client-budget", "2")
    try:
        yield port
    finally:
        stop(process)


def test_a_trickled_request_is_closed_at_the_request_timeout(strict):
    """A request sent a byte a second never completes: the server closes it (``--request-timeout``)."""
    port = strict
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    closed = False
    for byte in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 60:
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            closed = True
            break
        sock.settimeout(1)
        try:
            if sock.recv(1) == b"":
                closed = True
                break
        except TimeoutError:
            pass
        except OSError:  # reset: closed as well
            closed = True
            break
    sock.close()
    assert closed, "the server kept a trickled request open for a minute"
    assert get(port, "/health")[0] == 200


def test_a_client_past_its_time_budget_gets_429_with_retry_after(strict):
    statuses = []
    for _ in range(6):  # each runaway costs the 1 s limit; the budget is 2 s a minute
        status, body, headers = get(strict, RUNAWAY, source="127.0.0.40")
        statuses.append(status)
        if status == 429:
            break
    assert statuses[0] == 503 and statuses[-1] == 429, statuses
    assert b"budget" in body and 1 < int(headers["Retry-After"]) <= 60
    assert get(strict, SMALL, source="127.0.0.41")[0] == 200  # another client is not held to it


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(times: list[float]) -> str:
    return (f"median {statistics.median(times):.3f} s, p99 {percentile(times, 0.99):.3f} s, "
            f"max {max(times):.3f} s over {len(times)}")



RUNAWAY = "/sparql?" + urllib.parse.urlencode(
    {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"})
ENTITY_PAGES = ["/id/country/VNM", "/id/meeting/amm-58", "/id/person/bui-thanh-son"]


class Abusers:
    """``count`` clients (127.0.0.11, .12, ...) each looping the runaway query; after a 429 or 503
    each waits 0.1 s (a client ignoring ``Retry-After``, not a flood). Records every status."""

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.stop = threading.Event()
        self.answers: list[tuple[int, str | None]] = []
        self.threads = [threading.Thread(target=self._loop, args=(f"127.0.0.{11 + i}",), daemon=True)
                        for i in range(count)]

    def _loop(self, source: str) -> None:
        while not self.stop.is_set():
            try:
                status, _, headers = get(self.port, RUNAWAY, source=source, timeout=60)
            except OSError:
                status, headers = 0, {}
            self.answers.append((status, headers.get("Retry-After")))
            if status != 200:
                self.stop.wait(0.1)

    def __enter__(self) -> Abusers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(90)


def test_abusive_clients_leave_small_queries_and_entity_pages_answering(server):
    with Abusers(server, 8) as abusers:
        # Warm-up: a new client may use the quick lane until a job of its is cut there (1 s), so each
        # abuser takes it once, then only ever the general lane, after lighter clients.
        time.sleep(15)
        small, pages = [], []
        for i in range(40):
            status, seconds = timed(server, SMALL, source="127.0.0.3", timeout=60)
            assert status == 200
            small.append(seconds)
            status, seconds = timed(server, ENTITY_PAGES[i % 3], source="127.0.0.3", timeout=60,
                                    accept="text/html")
            assert status == 200
            pages.append(seconds)
        # a client with three requests at once: the third is refused at the door
        third: list[tuple[int, bytes, dict]] = []
        greedy = [threading.Thread(target=lambda: third.append(get(server, RUNAWAY, source="127.0.0.30",
                                                                    timeout=60))) for _ in range(3)]
        for thread in greedy:
            thread.start()
        for thread in greedy:
            thread.join(90)
    print(f"\nwith 8 abusive clients: small query {summary(small)}; entity page {summary(pages)}")
    statuses = [status for status, _ in abusers.answers]
    print("abusers' answers:", {s: statuses.count(s) for s in sorted(set(statuses))})
    assert 0 not in statuses  # every abusive request got an answer, none hung
    assert all(retry for status, retry in abusers.answers if status in (429, 503))
    assert set(statuses) <= {200, 429, 503}
    assert any(status == 503 for status in statuses)  # the queue wait is capped
    refused = [(status, headers) for status, _, headers in third if status == 429]
    assert len(refused) == 1 and refused[0][1]["Retry-After"] == "1"


def test_a_job_past_the_worker_memory_cap_fails_and_the_server_goes_on(tmp_path):
    """A sort of a 45-million-row cross product: the worker (capped at 800 MiB, ``--worker-memory``)
    ends, the client gets an error naming the cap, the worker is replaced and others are answered."""
    process, port = start_server(tmp_path / "kg", "--worker-memory", "800", "--time-limit", "120")
    try:
        hog = "/sparql?" + urllib.parse.urlencode(
            {"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"})
        status, body, _ = get(port, hog, source="127.0.0.50", timeout=150)
        assert status == 503 and b"more than 800 MiB" in body, body
        assert get(port, SMALL, source="127.0.0.51")[0] == 200
        assert get(port, ENTITY_PAGES[0], source="127.0.0.51", accept="text/html")[0] == 200
    finally:
        stop(process)
