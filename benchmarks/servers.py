"""The servers compared: ``aseankg serve`` and ``oxigraph serve``, started on 127.0.0.1 and stopped by pid,
and an HTTP client for timing queries and for load at a given concurrency (bounded in count and time).

>>> free_port() > 1024
True
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from aseankg import settings

ACCEPT = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> Path | None:
    """The ``oxigraph`` server of the PyPI package ``oxigraph``: next to this Python, else on PATH."""
    here = Path(os.environ.get("OXIGRAPH_BIN") or Path(sys.executable).parent / "oxigraph")
    if here.exists():
        return here
    found = shutil.which("oxigraph")
    return Path(found) if found else None


@dataclass
class Server:
    """A server process this harness started, and the URL of its SPARQL query endpoint."""

    name: str
    process: subprocess.Popen
    url: str
    started: float = field(default_factory=time.perf_counter)
    ready_seconds: float | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """Stop the process by its own pid (SIGTERM, then SIGKILL after 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def query(url: str, sparql: str, *, timeout: float = 300.0, conn: http.client.HTTPConnection | None = None
          ) -> tuple[int, bytes]:
    """GET ``sparql`` from the endpoint ``url`` (SPARQL JSON); returns (status, body)."""
    parts = urllib.parse.urlsplit(url)
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("GET", parts.path + "?" + urllib.parse.urlencode({"query": sparql}),
                     headers={"Accept": ACCEPT})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def rows_of(body: bytes) -> int | None:
    """The number of rows of a SPARQL JSON result (``None`` if it is not one)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if "boolean" in data:
        return 1
    return len(data.get("results", {}).get("bindings", []))


def wait_until_answered(server: Server, sparql: str, *, limit: float = 300.0) -> float:
    """Poll until ``sparql`` is answered with 200; returns seconds since the process started."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            err = server.process.stderr.read().decode(errors="replace") if server.process.stderr else ""
            raise RuntimeError(f"{server.name} exited: {err[-2000:]}")
        try:
            status, _ = query(server.url, sparql, timeout=limit)
            if status == 200:
                server.ready_seconds = time.perf_counter() - server.started
                return server.ready_seconds
        except (OSError, http.client.HTTPException):  # not listening yet (or a self-connected socket)
            pass
        time.sleep(0.02)
    server.stop()
    raise RuntimeError(f"{server.name} did not answer within {limit:g} s")


def start_aseankg(store: str | os.PathLike, *, workers: int | None = None, threads: int = 8, time_limit: float = 300.0,
                  max_rows: int = 10_000_000) -> Server:
    """``aseankg serve`` on ``store`` (no build), read-only, on a free loopback port. The harness is one
    client standing for many users, so the per-client limits (2 requests at once, 30 s of worker time
    a minute: 429 past them) are lifted; the server's own capacity, with its default workers, is
    what is measured."""
    port = free_port()
    code = "from aseankg.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--store", str(store), "--no-build", "--host", "127.0.0.1",
         "--port", str(port), *(["--workers", str(workers)] if workers is not None else []), "--threads", str(threads),
         "--time-limit", str(time_limit), "--max-rows", str(max_rows),
         "--client-concurrency", "1000", "--client-budget", "1000000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return Server("aseankg serve", process, f"http://127.0.0.1:{port}/sparql")


def start_oxigraph(location: str | os.PathLike, *, timeout: float | None = None) -> Server:
    """``oxigraph serve`` on ``location``, whose default graph ``oxigraph_load`` made the merge of the
    named graphs (as aseankg's)."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("no oxigraph server binary (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return Server("oxigraph serve", process, f"http://127.0.0.1:{port}/query")


def oxigraph_load(location: str | os.PathLike, dump: str | os.PathLike) -> None:
    """Load an N-Quads dump into a new Oxigraph folder with ``oxigraph load``, then fill its default
    graph with the merge of the named graphs but the inferences (``oxigraph update``), the layout
    ``aseankg build`` keeps."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("no oxigraph server binary (pip install oxigraph)")
    subprocess.run([str(binary), "load", "--location", str(location), "--file", str(dump)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    merge = (f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
             f"FILTER (?g != <{settings.INFERENCE_GRAPH}>) }}")
    subprocess.run([str(binary), "update", "--location", str(location), "--update", merge],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@dataclass
class Load:
    """What a load run did: requests answered, errors, seconds, requests per second."""

    requests: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load(url: str, sparql: str, *, concurrency: int = 8, seconds: float = 5.0, max_requests: int = 100_000) -> Load:
    """Send ``sparql`` from ``concurrency`` threads with keep-alive connections for ``seconds``
    (at most ``max_requests`` in all); every answer must be 200 with a SPARQL JSON body."""
    parts = urllib.parse.urlsplit(url)
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        ok = errors = 0
        while time.perf_counter() < stop_at:
            with lock:
                if counts["ok"] + counts["errors"] + ok + errors >= max_requests:
                    break
            try:
                status, body = query(url, sparql, conn=conn)
                if status == 200 and rows_of(body) is not None:
                    ok += 1
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Load(counts["ok"], counts["errors"], time.perf_counter() - started)
