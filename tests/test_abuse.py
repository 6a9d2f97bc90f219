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
import time
import urllib.parse
from pathlib import Path

import pytest

ASEANKG = Path(sys.executable).parent / "aseankg"
SMALL = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    """``count`` connections: half idle (connected, nothing sent), half half-open (a request begun,
    never finished), from 127.0.0.2."""
    held = []
    for i in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=("127.0.0.2", 0))
        if i % 2:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        held.append(sock)
    return held


def test_idle_and_half_open_connections_lock_nobody_out(server):
    held = hold_connections(server, 1_000)
    try:
        time.sleep(1)  # let the server see them all
        answers = [timed(server, "/health", source="127.0.0.3", timeout=20) for _ in range(5)]
        answers += [timed(server, SMALL, source="127.0.0.3", timeout=20) for _ in range(5)]
        print(f"\nwith 1,000 idle/half-open connections held: {[round(t, 3) for _, t in answers]} s")
        assert [status for status, _ in answers] == [200] * 10
    finally:
        for sock in held:
            sock.close()


def test_a_trickled_request_is_closed_at_the_request_timeout(tmp_path):
    """A request sent a byte a second never completes: the server closes it (``--request-timeout``)."""
    process, port = start_server(tmp_path / "kg", "--request-timeout", "2", "--workers", "2")
    try:
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
        sock.close()
        assert closed, "the server kept a trickled request open for a minute"
        assert get(port, "/health")[0] == 200
    finally:
        stop(process)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(times: list[float]) -> str:
    return (f"median {statistics.median(times):.3f} s, p99 {percentile(times, 0.99):.3f} s, "
            f"max {max(times):.3f} s over {len(times)}")

