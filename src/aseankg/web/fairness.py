"""Sharing the query workers fairly between clients, as public endpoints do (Wikidata's query service:
a budget of query time per client per minute, a few concurrent queries per client, 429 past them).

A client is its remote address (behind a reverse proxy, every client is the proxy). Per client:

- ``concurrency`` requests that run queries or page work at once; one more gets 429 (``Retry-After: 1``);
- ``budget`` seconds of worker time within the last ``window`` seconds; past it, 429 with
  ``Retry-After`` saying when enough of it is back;
- clients wait for a free worker in order of the seconds each used in the window (lightest first);
- a client that used less than ``light`` seconds in the window is *light*: it may also use the
  quick lane (``quick_workers`` processes that heavier clients never get). A job there is cut at
  ``quick_limit`` and goes on in the general lane with the time it has left, and its client is kept
  out of the quick lane for ``strike`` seconds, so a runaway takes the quick lane once, briefly;
- nobody waits for a worker longer than ``queue_wait`` seconds: 503 with ``Retry-After``.

So a client looping runaway queries spends its budget, is served after everyone else, and never
gets the quick lane, while small queries and entity pages keep answering.

>>> ledger = Ledger(ClientLimits(concurrency=1, budget=5.0, light=2.0))
>>> with ledger.admit("192.0.2.1"):
...     ledger.charge("192.0.2.1", 6.0)
>>> ledger.used("192.0.2.1") >= 6.0, ledger.light("192.0.2.1")
(True, False)
>>> try:
...     ledger.admit("192.0.2.1").__enter__()
... except TooBusy as refusal:
...     print(refusal.status, 0 < refusal.retry_after <= 60)
429 True
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass

#: Clients remembered at most (the least recently seen are forgotten first): bounded memory.
MAX_CLIENTS = 100_000


@dataclass(frozen=True)
class ClientLimits:
    """What one client may use; see the module docstring. ``aseankg serve --help`` names the flags."""

    concurrency: int = 2
    budget: float = 30.0
    window: float = 60.0
    light: float = 10.0
    queue_wait: float = 5.0
    quick_workers: int = 1
    quick_limit: float = 1.0
    strike: float = 600.0


class TooBusy(Exception):
    """A request refused for its client's limits (429) or because no worker was free in time (503)."""

    def __init__(self, status: int, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = max(1, math.ceil(retry_after))


class Ledger:
    """Per client: the requests running now and the worker seconds spent in the last window."""

    def __init__(self, limits: ClientLimits | None = None) -> None:
        self.limits = limits or ClientLimits()
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._spent: dict[str, deque[tuple[float, float]]] = {}
        # the sum of each client's window, kept as charges come and go: summing the window at every
        # request cost time growing with the request rate (36,000 charges a minute at 600 req/s)
        self._totals: dict[str, float] = {}
        self._struck: dict[str, float] = {}

    def _recent(self, client: str, now: float) -> deque[tuple[float, float]]:
        spent = self._spent.get(client)
        if spent is None:
            if len(self._spent) >= MAX_CLIENTS:
                oldest = next(iter(self._spent))
                del self._spent[oldest]
                self._totals.pop(oldest, None)
            spent = self._spent[client] = deque()
            self._totals[client] = 0.0
        horizon = now - self.limits.window
        while spent and spent[0][0] < horizon:
            self._totals[client] -= spent.popleft()[1]
        if not spent:  # start again from zero, so rounding errors cannot build up
            self._totals[client] = 0.0
        return spent

    def _used(self, client: str, now: float) -> float:
        self._recent(client, now)
        return self._totals[client]

    def used(self, client: str) -> float:
        """Worker seconds ``client`` spent within the window."""
        with self._lock:
            return self._used(client, time.monotonic())

    def light(self, client: str) -> bool:
        """Whether ``client`` may use the quick lane: under ``light`` seconds used in the window, and
        no job of its cut there in the last ``strike`` seconds."""
        struck = self._struck.get(client)
        if struck is not None and time.monotonic() - struck < self.limits.strike:
            return False
        return self.used(client) < self.limits.light

    def strike(self, client: str) -> None:
        """Keep ``client`` out of the quick lane for ``strike`` seconds (a job of its was cut there)."""
        with self._lock:
            if len(self._struck) >= MAX_CLIENTS:
                del self._struck[next(iter(self._struck))]
            self._struck[client] = time.monotonic()

    def charge(self, client: str, seconds: float) -> None:
        """Count ``seconds`` of worker time against ``client``."""
        with self._lock:
            now = time.monotonic()
            self._recent(client, now).append((now, seconds))
            self._totals[client] += seconds

    @contextmanager
    def admit(self, client: str):
        """Hold one of ``client``'s concurrent slots for a request, or raise ``TooBusy`` (429)."""
        limits = self.limits
        with self._lock:
            now = time.monotonic()
            spent = self._recent(client, now)
            used = self._totals[client]
            if used >= limits.budget:
                back, over = now, used - limits.budget
                for when, seconds in spent:  # the time at which enough has left the window
                    back = when + limits.window
                    over -= seconds
                    if over < 0:
                        break
                raise TooBusy(429, f"this client ({client}) used {used:.1f} s of query time in the last "
                                   f"{limits.window:g} s; the budget is {limits.budget:g} s", back - now)
            if self._running.get(client, 0) >= limits.concurrency:
                raise TooBusy(429, f"this client ({client}) already has {limits.concurrency} requests "
                                   "running; the limit is that many at once", 1)
            self._running[client] = self._running.get(client, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._running[client] - 1
                if left:
                    self._running[client] = left
                else:
                    del self._running[client]


def client() -> str:
    """The current request's client: its remote address."""
    from flask import request

    return request.remote_addr or "unknown"


def page(target: str, *args, **kwargs):
    """Page work for the current request (``Endpoint.call``): in a worker, within the client's limits."""
    from flask import current_app

    return current_app.extensions["aseankg"].call(client(), target, *args, **kwargs)


def refusal(error: Exception):
    """The response for ``TooBusy`` (429 or 503) or a page past its time limit (503), with ``Retry-After``."""
    from flask import Response

    if isinstance(error, TooBusy):
        return Response(f"{error.message}\n", error.status, mimetype="text/plain",
                        headers={"Retry-After": str(error.retry_after)})
    return Response(f"{error}\n", 503, mimetype="text/plain", headers={"Retry-After": "10"})
