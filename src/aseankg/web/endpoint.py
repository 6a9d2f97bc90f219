"""The SPARQL endpoint's work, apart from HTTP: checking and running queries and updates within the
limits, over an embedded store (in killable worker processes) or a remote one (HTTP time limit).

>>> import tempfile
>>> from aseankg.stores import open_store
>>> from aseankg.web.protocol import Operation
>>> folder = tempfile.TemporaryDirectory()
>>> store = open_store(folder.name + "/kg")
>>> endpoint = Endpoint(store, workers=0)
>>> kind = endpoint.check(Operation("query", "SELECT (1 AS ?one) {}"))
>>> endpoint.query(Operation("query", "SELECT (1 AS ?one) {}"), "csv").body
b'one\\r\\n1\\r\\n'
>>> endpoint.close(); store.close(); folder.cleanup()
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from pyparsing import ParseException
from rdflib.plugins.sparql.parserutils import CompValue

from ..querying import (
    MAX_ANSWER,
    WORKER_MEMORY,
    Answer,
    CallJob,
    PoolBusy,
    QueryJob,
    QueryPool,
    QuickCut,
    call,
    execute,
    serialize,
    without_paths,
)
from ..safety import QueryRefused, QuerySyntaxError, QueryTooComplex, inspect_query, parse_update
from ..sparqlscan import TooComplex, check_bounds
from ..store import EmbeddedStore, Store, StoreError
from .fairness import ClientLimits, Ledger, TooBusy
from .protocol import Operation, ProtocolError, with_using, without_dataset


@dataclass(frozen=True)
class Limits:
    """What one request may cost: seconds per query, result rows, request body bytes, query characters
    and answer bytes."""

    time_limit: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    max_query_length: int = 100_000
    max_answer: int = MAX_ANSWER


class Endpoint:
    """Runs protocol operations on ``store``.

    With an embedded store, queries and page work run in ``workers`` worker processes
    (``querying.QueryPool``) that are killed past the time limit, plus ``clients.quick_workers`` in
    a quick lane for light clients (``fairness``); ``workers=0`` runs them in this process, where the limit cannot
    stop them (for tests and examples only). With a remote store the limit is the HTTP timeout.
    Every client is held to ``clients`` (``fairness.ClientLimits``). Updates are refused unless
    ``allow_update``.
    """

    def __init__(self, store: Store, *, limits: Limits | None = None, workers: int = 2,
                 allow_update: bool = False, clients: ClientLimits | None = None,
                 worker_memory: int = WORKER_MEMORY) -> None:
        self.store = store
        self.limits = limits or Limits()
        self.allow_update = allow_update
        self.embedded = isinstance(store, EmbeddedStore)
        self.ledger = Ledger(clients)
        lanes = self.ledger.limits
        self.pool = QueryPool(store.location, size=workers, quick=lanes.quick_workers,
                              quick_limit=lanes.quick_limit, memory=worker_memory) \
            if self.embedded and workers > 0 else None
        self._write = threading.Lock()
        #: Updates run through this endpoint (part of the store version that cached exports follow).
        self.updates = 0

    def close(self) -> None:
        """Stop the worker processes (the store itself is the caller's to close)."""
        if self.pool is not None:
            self.pool.close()

    def call(self, client: str, target: str, *args, **kwargs):
        """Page work (``querying.PAGE_CALLS``): ``target(store, *args, **kwargs)`` in a worker, under
        the query time limit and ``client``'s limits (``TooBusy`` past them)."""
        job = CallJob(target, args, kwargs)
        if self.pool is None:  # a remote store or no workers: here, charged by the clock
            with self.ledger.admit(client):
                started = time.monotonic()
                try:
                    return call(self.store, job)
                finally:
                    self.ledger.charge(client, time.monotonic() - started)
        return self._dispatch(job, client)

    def _dispatch(self, job: QueryJob | CallJob, client: str):
        """Run ``job`` for ``client`` in the pool: the lightest clients first, the quick lane open to
        light ones; a job cut in the quick lane goes on in the general lane with the time it has left,
        and its client is kept out of the quick lane for a while."""
        clients = self.ledger.limits
        left = self.limits.time_limit
        spent = 0.0
        with self.ledger.admit(client):
            try:
                quick = self.ledger.light(client)
                while True:
                    timing: dict = {}
                    try:
                        # light clients in order of arrival (none starves another), then the rest
                        # by the time each used
                        priority = 0.0 if quick else self.ledger.used(client) + spent
                        return self.pool.run(job, left, wait=clients.queue_wait, quick=quick,
                                             priority=priority, timing=timing)
                    except QuickCut:
                        self.ledger.strike(client)
                        quick = False
                        left -= timing.get("ran", 0.0)
                    except PoolBusy as busy:
                        raise TooBusy(503, str(busy), clients.queue_wait) from None
                    finally:
                        spent += timing.get("ran", 0.0)
            finally:
                self.ledger.charge(client, spent)

    def check(self, op: Operation) -> str:
        """The kind of query ``op`` holds (``select``, ``ask`` or ``graph``), after the safety rules.

        The protocol's dataset replaces the query's own ``FROM`` clauses, which are then not checked.
        Raises ``QueryRefused`` or ``QuerySyntaxError``."""
        return inspect_query(self._text(op)).kind

    def _text(self, op: Operation) -> str:
        return without_dataset(op.text) if op.has_dataset else op.text

    def query(self, op: Operation, fmt: str, *, base_iri: str | None = None,
              inference: bool = True, client: str = "") -> Answer:
        """Run the query of ``op`` for ``client`` (its address) and serialise its result as ``fmt``."""
        text = self._text(op)
        info = inspect_query(text)
        if not self.embedded:
            if op.has_dataset:
                raise ProtocolError(400, "default-graph-uri / named-graph-uri are not supported with a "
                                         "remote store; use GRAPH in the query")
            with self.ledger.admit(client):
                started = time.monotonic()
                try:
                    result = self.store.query(text, inference=inference, timeout=self.limits.time_limit,
                                              max_rows=self.limits.max_rows)
                finally:
                    self.ledger.charge(client, time.monotonic() - started)
            return Answer(result.kind, fmt, serialize(result, fmt), len(result), result.truncated)
        job = QueryJob(text, {info.kind: fmt},
                       default_graphs=op.default_graphs if op.has_dataset else None,
                       named_graphs=op.named_graphs if op.has_dataset else None,
                       own_dataset=info.has_dataset, inference=inference, base_iri=base_iri,
                       max_rows=self.limits.max_rows, max_bytes=self.limits.max_answer)
        if self.pool is not None:
            return self._dispatch(job, client)
        with self.ledger.admit(client):
            return execute(self.store.db, job)

    def update(self, op: Operation, *, base_iri: str | None = None) -> None:
        """Run the update of ``op`` (``LOAD`` and ``SERVICE`` refused), then let the workers see it."""
        if not self.allow_update:
            raise ProtocolError(403, "this endpoint is read-only: start it with --allow-update and a --token "
                                     "to accept updates")
        if not self.embedded:
            raise ProtocolError(501, "updates through the web app need an embedded store")
        check_update(op.text)
        text = with_using(op.text, op.default_graphs, op.named_graphs)
        with self._write:
            try:
                self.store.db.update(text, base_iri=base_iri)
                # Flush so the read-only workers see the write; no optimize(): a full compaction cost
                # over a second per update and deleted the very files the workers were reading.
                self.store.db.flush()
            except SyntaxError as error:
                raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
            except OSError as error:
                raise StoreError(f"the update failed: {without_paths(str(error), self.store.location)}") from None
            finally:
                self.updates += 1
                if self.pool is not None:
                    self.pool.refresh()


def check_update(sparql: str) -> None:
    """Raise ``QuerySyntaxError`` for an update that does not parse, ``QueryRefused`` for ``LOAD`` or
    ``SERVICE`` (an update may not read from the network or files either).

    >>> check_update("LOAD <http://example.org/data.ttl>")
    Traceback (most recent call last):
    ...
    aseankg.safety.QueryRefused: LOAD is refused: updates may not read from the network or files
    """
    try:
        check_bounds(sparql)  # before rdflib's parser, whose cost grows far faster than the text
    except TooComplex as error:
        raise QueryTooComplex(f"SPARQL update refused: {error}") from None
    try:
        parsed = parse_update(sparql)
    except ParseException as error:
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    except Exception as error:  # the parser raises assorted errors on odd input
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    stack = [parsed]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "Load":
                raise QueryRefused("LOAD is refused: updates may not read from the network or files")
            if item.name == "ServiceGraphPattern":
                raise QueryRefused("SERVICE is refused: updates may not call other endpoints")
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
