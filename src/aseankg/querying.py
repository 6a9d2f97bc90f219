"""Killable query workers: SPARQL queries over an embedded store, run in worker processes.

A query in a thread cannot be stopped: pyoxigraph evaluates it in native code that never looks at a
flag. So the web app runs every query in a small pool of worker processes, each holding the store
open read-only (``pyoxigraph.Store.read_only``). A query that outlives its time limit gets
``QueryTimeout`` at once and its worker is killed with SIGKILL (its CPU work stops) and replaced in
the background, while the other workers keep answering.

A job names the result format for each kind of query (``"select"``, ``"ask"``, ``"graph"``), so the
worker sends back bytes ready for the response. ``execute`` is the same step without a process,
for a store opened in the calling process.

>>> import tempfile
>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> from aseankg.store import open_store
>>> folder = tempfile.TemporaryDirectory()
>>> store = open_store(folder.name + "/kg")
>>> vnm = URIRef("https://w3id.org/aseankg/id/country/VNM")
>>> store.write_article("https://w3id.org/aseankg/id/article/0123456789abcdef",
...                     [(vnm, RDFS.label, Literal("Viet Nam"))])
>>> job = QueryJob("SELECT ?name WHERE { ?c ?p ?name }", formats={"select": "csv"})
>>> execute(store.db, job).body
b'name\\r\\nViet Nam\\r\\n'
>>> store.close()
>>> folder.cleanup()
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph as ox

from .results import QueryResult, from_oxigraph
from .safety import QuerySyntaxError
from .store import QueryTimeout, StoreError, default_dataset, generation

#: Formats a job may ask for, besides those of ``QueryResult.serialize``: ``table`` is SPARQL JSON for
#: every kind (a graph as rows of subject, predicate, object), for the HTML page; ``trig`` is Turtle
#: (a graph result has only the default graph, and Turtle is TriG).
EXTRA_FORMATS = ("table", "trig")
#: Seconds a new worker process may take to start (import the library, open the store).
READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class QueryJob:
    """One query to run: its text (already checked by ``safety``), a format per result kind, and
    its dataset.

    ``default_graphs`` / ``named_graphs`` (graph IRIs, as the protocol's ``default-graph-uri`` and
    ``named-graph-uri``) replace the query's own dataset when either is given. Otherwise a query
    without ``FROM`` sees the store's merged default graph (without the inference graph when
    ``inference`` is false) and a query with ``FROM`` exactly what it names (``own_dataset``).
    """

    sparql: str
    formats: Mapping[str, str] = field(default_factory=lambda: {"select": "json", "ask": "json",
                                                               "graph": "turtle"})
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    own_dataset: bool = False
    inference: bool = True
    base_iri: str | None = None
    max_rows: int | None = None


@dataclass(frozen=True)
class Answer:
    """A query's result, serialised: ``kind`` (select, ask or graph), the ``format`` name used,
    the ``body`` bytes, the row (or triple) count and whether the row cap cut it."""

    kind: str
    format: str
    body: bytes
    rows: int = 0
    truncated: bool = False


def execute(db: ox.Store, job: QueryJob) -> Answer:
    """Run ``job`` on an open pyoxigraph store and serialise the result (in the calling process).

    Raises ``QuerySyntaxError`` for a query Oxigraph cannot parse and ``StoreError`` if reading fails.
    """
    options: dict = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    elif not job.own_dataset:
        options = default_dataset(db, job.inference)
    try:
        result = from_oxigraph(db.query(job.sparql, base_iri=job.base_iri, **options), max_rows=job.max_rows)
    except SyntaxError as error:
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    except OSError as error:
        raise StoreError(f"querying the store failed: {error}") from error
    fmt = job.formats.get(result.kind, "json" if result.kind != "graph" else "turtle")
    return Answer(result.kind, fmt, serialize(result, fmt), len(result), result.truncated)


def serialize(result: QueryResult, fmt: str) -> bytes:
    """``result`` in format ``fmt``: a ``QueryResult.serialize`` name or one of ``EXTRA_FORMATS``."""
    if fmt == "table":
        if result.kind == "graph":
            rows = sorted(result.graph or ())
            result = QueryResult("select", ["subject", "predicate", "object"], rows,
                                 truncated=result.truncated)
        return result.serialize("json")
    if fmt == "trig":
        fmt = "turtle"
    return result.serialize(fmt)


# ------------------------------------------------------------------------------------------ workers

def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no orphans burning CPU)."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _work(location: str, conn) -> None:
    """A worker's loop: receive ``(generation, job)``, answer ``("ok", Answer)`` or an error pair.

    The store is (re)opened read-only when the generation changes (after an update through the app)
    and when the writer's stamp does (a build in another process): each query sees every article
    committed before it started, and never part of one."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    db = None
    opened = None
    with contextlib.suppress(Exception):  # open now, so the first query does not pay for it
        stamp = generation(location)
        db = ox.Store.read_only(location)
        opened = (0, stamp)
    try:
        conn.send(("ready", os.getpid()))
    except OSError:
        return
    while True:
        try:
            number, job = conn.recv()
        except (EOFError, OSError):
            return
        for attempt in range(3):
            try:
                current = (number, generation(location))
                if db is None or current != opened:
                    db = None
                    db = ox.Store.read_only(location)
                    opened = current
                reply = ("ok", execute(db, job))
                break
            except QuerySyntaxError as error:
                reply = ("syntax", str(error))
                break
            except Exception as error:  # reported to the caller as a StoreError
                # A read-only view can lose files to the writer's compaction: reopen and try again.
                reply = ("error", f"{type(error).__name__}: {error}")
                db = None
                time.sleep(0.05 * (attempt + 1))
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()  # SIGKILL
        self.process.wait(5)
        with contextlib.suppress(OSError):
            self.conn.close()


class QueryPool:
    """``size`` worker processes serving queries over the embedded store at ``location``.

    ``run(job, timeout)`` blocks the calling thread (waitress runs many) until a worker answers;
    past ``timeout`` seconds the worker is killed and replaced and ``QueryTimeout`` is raised.
    Call ``refresh()`` after writing to the store so the workers reopen it, ``close()`` at the end.
    """

    def __init__(self, location: str | os.PathLike, *, size: int = 2) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.location = str(location)
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._generation = 0
        self._closed = False
        # Workers die with the thread that started them (PR_SET_PDEATHSIG), so one thread that lives as
        # long as the pool starts them all.
        self._orders: queue.Queue[bool] = queue.Queue()
        for _ in range(size):
            self._orders.put(True)
        threading.Thread(target=self._starter, name="aseankg-query-pool", daemon=True).start()

    def _starter(self) -> None:
        while self._orders.get() and not self._closed:
            try:
                worker = self._start()
            except OSError:  # out of processes: try again shortly
                time.sleep(0.5)
                self._orders.put(True)
                continue
            if not self._ready(worker):
                worker.kill()
                if not self._closed:
                    time.sleep(0.5)
                    self._orders.put(True)
                continue
            if self._closed:
                worker.kill()
                continue
            with self._lock:
                self._workers.add(worker)
            self._idle.put(worker)

    @staticmethod
    def _ready(worker: _Worker) -> bool:
        """Wait for a new worker's first message: it has imported everything and opened the store."""
        try:
            return worker.conn.poll(READY_TIMEOUT) and worker.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> _Worker:
        ours, theirs = socket.socketpair()
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", "aseankg.querying", str(theirs.fileno()), self.location],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, close_fds=True)
        return _Worker(process, Connection(ours.detach()))

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in the pool (the new one starts in the background)."""
        worker.kill()
        with self._lock:
            self._workers.discard(worker)
        if not self._closed:
            self._orders.put(True)

    def pids(self) -> list[int]:
        """The process ids of the workers ready to run queries (or running one)."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers)

    def refresh(self) -> None:
        """Make every worker reopen the store before its next query (call after an update)."""
        with self._lock:
            self._generation += 1

    def run(self, job: QueryJob, timeout: float) -> Answer:
        """Run ``job`` in a free worker, waiting at most ``timeout`` seconds for one and then at most
        ``timeout`` seconds for the answer."""
        if self._closed:
            raise StoreError("the query pool is closed")
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for {timeout:g} s; try again later") from None
        try:
            worker.conn.send((self._generation, job))
            if not worker.conn.poll(timeout):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than its {timeout:g} s limit and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as error:
            self._replace(worker)
            raise StoreError(f"a query worker failed: {error}") from error
        self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        raise StoreError(payload)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        self._orders.put(False)
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.kill()


def wait_for_workers(pool: QueryPool, count: int, timeout: float = 30.0) -> bool:
    """True once ``pool`` has ``count`` live workers (a killed one is replaced in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(pool.pids()) >= count:
            return True
        time.sleep(0.05)
    return False


def _main(argv: list[str]) -> None:
    """Entry point of a worker process: ``python -m aseankg.querying FD STORE_FOLDER``."""
    _work(argv[1], Connection(int(argv[0])))


if __name__ == "__main__":  # run as a module: use the importable one, so pickled classes match
    from aseankg.querying import _main as main

    main(sys.argv[1:])
