"""Killable query workers: SPARQL queries over an embedded store, run in worker processes.

A query in a thread cannot be stopped: pyoxigraph evaluates it in native code that never looks at a
flag. So the web app runs every query in a small pool of worker processes, each holding the store
open read-only (``pyoxigraph.Store.read_only``). A query that outlives its time limit gets
``QueryTimeout`` at once and its worker is killed with SIGKILL (its CPU work stops) and replaced in
the background, while the other workers keep answering.

Each worker's address space is capped (``RLIMIT_AS``, ``memory`` MiB), so a query that builds huge
strings or sorts a huge product fails alone: the pool raises ``QueryOverLimit`` naming the limit
(HTTP 503) and replaces the worker. An answer over ``QueryJob.max_bytes`` is refused in the worker,
before any byte crosses to the server.

A job names the result format for each kind of query (``"select"``, ``"ask"``, ``"graph"``), so the
worker sends back bytes ready for the response. ``execute`` is the same step without a process,
for a store opened in the calling process.

>>> import tempfile
>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> from aseankg.stores import open_store
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
import heapq
import itertools
import os
import queue
import re
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

from .merge import default_dataset
from .results import QueryResult, from_oxigraph, serialized_solutions
from .safety import QuerySyntaxError
from .store import EmbeddedStore, OverLimit, QueryTimeout, StoreError
from .storefolder import generation

#: Formats a job may ask for, besides those of ``QueryResult.serialize``: ``table`` is SPARQL JSON for
#: every kind (a graph as rows of subject, predicate, object), for the HTML page; ``trig`` is Turtle
#: (a graph result has only the default graph, and Turtle is TriG).
EXTRA_FORMATS = ("table", "trig")
#: Seconds a new worker process may take to start (import the library, open the store).
READY_TIMEOUT = 60.0
#: Address space of a worker, MiB (``aseankg serve --worker-memory``): an idle worker maps ~600 MiB
#: (~85 MiB resident) on the seed store.
WORKER_MEMORY = 2048
#: Default size of one serialised answer (``aseankg serve --max-answer``).
MAX_ANSWER = 64 << 20
MIB = 1 << 20
#: Times a worker reopens the store when a read fails (the writer's compaction removed a file it read).
REOPEN_ATTEMPTS = 8


class QueryOverLimit(OverLimit):
    """A query needed more memory, or gave a bigger answer, than the pool allows."""


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
    max_bytes: int | None = None


#: The page functions a worker may run (``CallJob``): each takes a store first and returns picklable data.
PAGE_CALLS = frozenset({
    "aseankg.web.entities:describe", "aseankg.web.pages:exists", "aseankg.web.entities:entity_graph",
    "aseankg.web.ego:ego_network", "aseankg.web.graphs:person_timeline",
    "aseankg.web.graphs:meeting_timeline", "aseankg.web.home:summary", "aseankg.web.home:export_body",
})


@dataclass(frozen=True)
class CallJob:
    """Page work to run in a worker, under the same time limit as a query: ``target``
    (``module:function``, one of ``PAGE_CALLS``) called with the worker's store and ``args``."""

    target: str
    args: tuple = ()
    kwargs: Mapping = field(default_factory=dict)


def call(store, job: CallJob):
    """Run ``job`` on ``store`` (a worker's, or the app's own when there are no workers)."""
    import importlib

    if job.target not in PAGE_CALLS:
        raise StoreError(f"{job.target} is not a page function")
    module, _, name = job.target.partition(":")
    return getattr(importlib.import_module(module), name)(store, *job.args, **dict(job.kwargs))


@dataclass(frozen=True)
class Answer:
    """A query's result, serialised: ``kind`` (select, ask or graph), the ``format`` name used,
    the ``body`` bytes, the row (or triple) count and whether the row cap cut it."""

    kind: str
    format: str
    body: bytes
    rows: int = 0
    truncated: bool = False


def execute(db: ox.Store, job: QueryJob, *, datasets: dict[bool, dict] | None = None) -> Answer:
    """Run ``job`` on an open pyoxigraph store and serialise the result (in the calling process).

    ``datasets`` keeps the store's default dataset between jobs (a worker's, for the store as it
    opened it read-only: finding it reads the store, 50-90 µs once a build has deleted in the
    default graph). Raises ``QuerySyntaxError`` for a query Oxigraph cannot parse and
    ``StoreError`` if reading fails.
    """
    options: dict = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    elif not job.own_dataset:
        options = None if datasets is None else datasets.get(job.inference)
        if options is None:
            options = default_dataset(db, job.inference)
            if datasets is not None:
                datasets[job.inference] = options
    try:
        answer = db.query(job.sparql, base_iri=job.base_iri, **options)
        asked = job.formats.get("select", "json")
        if isinstance(answer, ox.QuerySolutions) and (native := _NATIVE.get(asked)):
            try:
                return _within(job, Answer("select", asked,
                                           *serialized_solutions(answer, native, max_rows=job.max_rows)))
            except MemoryError as error:  # a value past Oxigraph's result reader: rdflib's writers
                if "buffer" not in str(error):
                    raise
                answer = db.query(job.sparql, base_iri=job.base_iri, **options)
        result = from_oxigraph(answer, max_rows=job.max_rows)
    except SyntaxError as error:
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    except OSError as error:
        raise StoreError(f"querying the store failed: {error}") from error
    fmt = job.formats.get(result.kind, "json" if result.kind != "graph" else "turtle")
    return _within(job, Answer(result.kind, fmt, serialize(result, fmt), len(result), result.truncated))


#: The SELECT formats Oxigraph writes itself (``table`` is SPARQL JSON).
_NATIVE = {"json": "json", "table": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}


def _within(job: QueryJob, answer: Answer) -> Answer:
    """``answer``, unless it is over the job's byte limit."""
    if job.max_bytes is not None and len(answer.body) > job.max_bytes:
        raise QueryOverLimit(f"the answer is {len(answer.body) / MIB:,.1f} MiB; the limit is "
                             f"{job.max_bytes / MIB:,.1f} MiB: select fewer or shorter values, or add a LIMIT")
    return answer


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


def _limit_memory(mib: int) -> None:
    """Cap this process's address space at ``mib`` MiB (0: no cap): a query or page that needs more
    fails (or ends the worker, which is replaced) instead of pressing the machine into swap."""
    if mib > 0:
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (mib << 20, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _work(location: str, conn) -> None:
    """A worker's loop: receive ``(generation, job)``, answer ``("ok", Answer)`` or an error pair.

    The store is (re)opened read-only when the generation changes (after an update through the app)
    and when the writer's stamp does (a build in another process): each query sees every article
    committed before it started, and never part of one."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    db = None
    opened = None
    datasets: dict[bool, dict] = {}  # of the store as opened
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
        for attempt in range(REOPEN_ATTEMPTS):
            try:
                current = (number, generation(location))
                if db is None or current != opened:
                    db = None
                    datasets.clear()
                    db = ox.Store.read_only(location)
                    opened = current
                if isinstance(job, CallJob):
                    reply = ("ok", call(EmbeddedStore.over(db, location), job))
                else:
                    reply = ("ok", execute(db, job, datasets=datasets))
                break
            except QuerySyntaxError as error:
                reply = ("syntax", str(error))
                break
            except QueryOverLimit as error:
                reply = ("over", str(error))
                break
            except ValueError as error:  # a page's bad parameter, e.g. an unknown filter
                reply = ("value", str(error))
                break
            except MemoryError:
                # the heap may be left fragmented near the cap: answer, then let the pool replace us
                with contextlib.suppress(OSError):
                    conn.send(("memory", ""))
                return
            except Exception as error:  # reported to the caller as a StoreError
                # A read-only view can lose files to the writer's compaction: reopen and try again.
                reply = ("error", f"{type(error).__name__}: {error}")
                db = None
                time.sleep(min(0.02 * 2 ** attempt, 0.5))
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class PoolBusy(QueryTimeout):
    """No worker became free within the wait allowed: the server is busy, not the query slow."""


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection
    lane: str = "general"

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()  # SIGKILL
        self.process.wait(5)
        with contextlib.suppress(OSError):
            self.conn.close()


class QuickCut(QueryTimeout):
    """A job outran the quick lane's limit: its worker was killed; it may go on in the general lane."""


class QueryPool:
    """``size`` general worker processes and ``quick`` quick-lane ones, serving queries over the
    embedded store at ``location``.

    ``run(job, timeout)`` blocks the calling thread (waitress runs many) until a worker answers;
    past ``timeout`` seconds the worker is killed and replaced and ``QueryTimeout`` is raised.
    Callers wait for a free worker in order of ``priority`` (lowest first). Callers that pass
    ``quick=True`` (light ones) may also get a quick-lane worker, where a job is cut at
    ``quick_limit`` (``QuickCut``); the others hold at most ``size - 1`` general workers at once, so
    light callers always have a general worker and the quick lane to themselves.
    Call ``refresh()`` after writing to the store so the workers reopen it, ``close()`` at the end.
    """

    def __init__(self, location: str | os.PathLike, *, size: int = 2, quick: int = 0,
                 quick_limit: float = 1.0, memory: int = WORKER_MEMORY) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.location = str(location)
        self.memory = memory
        self.size = size
        self.quick_limit = quick_limit
        self._free: list[_Worker] = []
        self._waiting: list[tuple[float, int, bool]] = []  # (priority, arrival, may use the quick lane)
        self._turn = threading.Condition()
        self._arrivals = itertools.count()
        self._heavy = 0  # general workers held by callers not allowed the quick lane
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._generation = 0
        self._closed = False
        # Workers die with the thread that started them (PR_SET_PDEATHSIG), so one thread that lives as
        # long as the pool starts them all; an order names the lane of the worker to start.
        self._orders: queue.Queue[str | None] = queue.Queue()
        for lane in ["quick"] * quick + ["general"] * size:
            self._orders.put(lane)
        threading.Thread(target=self._starter, name="aseankg-query-pool", daemon=True).start()

    def _starter(self) -> None:
        while (lane := self._orders.get()) and not self._closed:
            try:
                worker = self._start(lane)
            except OSError:  # out of processes: try again shortly
                time.sleep(0.5)
                self._orders.put(lane)
                continue
            if not self._ready(worker):
                worker.kill()
                if not self._closed:
                    time.sleep(0.5)
                    self._orders.put(lane)
                continue
            if self._closed:
                worker.kill()
                continue
            with self._lock:
                self._workers.add(worker)
            self._release(worker)

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

    def _start(self, lane: str) -> _Worker:
        ours, theirs = socket.socketpair()
        # glibc reserves 64 MiB of address space per thread arena: two keep the cap about real memory
        env = {**os.environ, "MALLOC_ARENA_MAX": "2", "RUST_BACKTRACE": "0"}
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", "aseankg.querying", str(theirs.fileno()), self.location,
                 str(self.memory)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, close_fds=True, env=env)
        return _Worker(process, Connection(ours.detach()), lane)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in its lane (the new one starts in the background)."""
        worker.kill()
        with self._lock:
            self._workers.discard(worker)
        if not self._closed:
            self._orders.put(worker.lane)

    def pids(self, lane: str | None = None) -> list[int]:
        """The process ids of the workers (of one lane) ready to run queries (or running one)."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers if lane in (None, w.lane))

    def refresh(self) -> None:
        """Make every worker reopen the store before its next query (call after an update)."""
        with self._lock:
            self._generation += 1

    def _acquire(self, wait: float, priority: float, quick: bool) -> _Worker:
        """A free worker for a caller, given to the waiting caller of lowest ``priority`` first (then
        the earliest) that may use its lane; ``PoolBusy`` after ``wait`` seconds."""
        deadline = time.monotonic() + wait
        with self._turn:
            entry = (priority, next(self._arrivals), quick)
            heapq.heappush(self._waiting, entry)
            try:
                while True:
                    ahead = [e for e in self._waiting if e < entry]
                    # the worker freed last first: a busy client's jobs stay on as many workers as
                    # it runs at once, whose caches are warm (a join at concurrency 8 went from
                    # 0.57-0.65x to 0.62-0.79x of Oxigraph's rate)
                    for worker in reversed(self._free):
                        if self._may_take(quick, worker) and not any(self._may_take(e[2], worker) for e in ahead):
                            self._free.remove(worker)
                            if not quick:
                                self._heavy += 1
                            return worker
                    left = deadline - time.monotonic()
                    if left <= 0 or self._closed:
                        raise PoolBusy(f"every query worker stayed busy for {wait:g} s; try again shortly")
                    self._turn.wait(left)
            finally:
                self._waiting.remove(entry)
                heapq.heapify(self._waiting)
                self._turn.notify_all()

    def _may_take(self, quick: bool, worker: _Worker) -> bool:
        """Whether a caller (``quick``: a light one) may have ``worker``: the quick lane is for light
        callers only, and the others hold at most all general workers but one."""
        if worker.lane == "quick":
            return quick
        return quick or self._heavy < max(1, self.size - 1)

    def _release(self, worker: _Worker) -> None:
        with self._turn:
            self._free.append(worker)
            self._turn.notify_all()

    def run(self, job: QueryJob | CallJob, timeout: float, *, wait: float | None = None,
            priority: float = 0.0, quick: bool = False, timing: dict | None = None):
        """Run ``job`` in a free worker, waiting at most ``wait`` seconds (default ``timeout``) for one
        (``PoolBusy``) and then at most ``timeout`` seconds for the answer (``QueryTimeout``, the
        worker killed; ``QuickCut`` past ``quick_limit`` on a quick-lane worker). ``timing["ran"]`` is
        set to the seconds the worker spent, ``timing["worker"]`` to its process id. A ``QueryJob``
        gives an ``Answer``, a ``CallJob`` what its function returns."""
        if self._closed:
            raise StoreError("the query pool is closed")
        worker = self._acquire(timeout if wait is None else wait, priority, quick)
        started = time.monotonic()
        if timing is not None:
            timing["worker"] = worker.process.pid
        try:
            if worker.lane == "quick" and self.quick_limit < timeout:
                return self._run_on(worker, job, self.quick_limit, cut=QuickCut)
            return self._run_on(worker, job, timeout)
        finally:
            if timing is not None:
                timing["ran"] = time.monotonic() - started
            if not quick:
                with self._turn:
                    self._heavy -= 1
                    self._turn.notify_all()

    def _run_on(self, worker: _Worker, job, timeout: float, cut: type[QueryTimeout] = QueryTimeout):
        try:
            worker.conn.send((self._generation, job))
            if not worker.conn.poll(timeout):
                self._replace(worker)
                raise cut(f"the query ran longer than its {timeout:g} s limit and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise self._death(worker) from None
        if status == "memory":
            self._replace(worker)
            raise self._over_memory()
        self._release(worker)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "over":
            raise QueryOverLimit(payload)
        if status == "value":
            raise ValueError(payload)
        raise StoreError(without_paths(payload, self.location))

    def _over_memory(self) -> QueryOverLimit:
        return QueryOverLimit(f"the job needed more than {self.memory:,} MiB, the memory a worker may have "
                              "(--worker-memory), and was stopped; narrow it or add a LIMIT")

    def _death(self, worker: _Worker) -> StoreError:
        """Why ``worker`` died during a job: an allocation past the cap aborts it (SIGABRT)."""
        code = worker.process.poll()
        if self.memory and code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL):
            return self._over_memory()
        return StoreError(f"a query worker stopped during the query (exit status {code}); try again")

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        self._orders.put(None)
        with self._turn:  # callers waiting for a worker give up now
            self._turn.notify_all()
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


_PATH = re.compile(r"(?<![\w:/.>])/(?:[\w.+-]+/)*[\w.+-]+")


def without_paths(message: str, location: str) -> str:
    """``message`` with the store's folder and any other absolute path left out: errors go to clients.

    >>> without_paths("IO error: /srv/kg/000012.sst: No such file, see https://example.org/x", "/srv/kg")
    'IO error: <store>/000012.sst: No such file, see https://example.org/x'
    """
    message = message.replace(os.path.abspath(location), "<store>").replace(location, "<store>")
    return _PATH.sub("<path>", message)


def _main(argv: list[str]) -> None:
    """Entry point of a worker process: ``python -m aseankg.querying FD STORE_FOLDER [MEMORY_MIB]``."""
    _limit_memory(int(argv[2]) if len(argv) > 2 else 0)
    _work(argv[1], Connection(int(argv[0])))


if __name__ == "__main__":  # run as a module: use the importable one, so pickled classes match
    from aseankg.querying import _main as main

    main(sys.argv[1:])
