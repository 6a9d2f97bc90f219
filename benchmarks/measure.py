"""Timing and memory: a median with min and max over repeated runs, and resident sizes from /proc.

>>> s = Stats.of([3.0, 1.0, 2.0])
>>> s.median, s.min, s.max, s.runs
(2.0, 1.0, 3.0, 3)
>>> Stats.of([]).as_dict()
{'median': None, 'min': None, 'max': None, 'runs': 0}
>>> ratio(Stats.of([2.0]), Stats.of([1.0]))
2.0
>>> rss_kib(os.getpid()) > 0
True
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    """The median, min and max of repeated measurements (``None`` when nothing was measured)."""

    median: float | None
    min: float | None
    max: float | None
    runs: int

    @classmethod
    def of(cls, values: Iterable[float]) -> Stats:
        values = list(values)
        if not values:
            return cls(None, None, None, 0)
        return cls(statistics.median(values), min(values), max(values), len(values))

    def as_dict(self, digits: int = 6) -> dict:
        def r(x):
            return None if x is None else round(x, digits)
        return {"median": r(self.median), "min": r(self.min), "max": r(self.max), "runs": self.runs}

    def scaled(self, factor: float) -> Stats:
        """The same figures times ``factor`` (seconds to milliseconds, ...)."""
        def s(x):
            return None if x is None else x * factor
        return Stats(s(self.median), s(self.min), s(self.max), self.runs)


def ratio(a: Stats, b: Stats) -> float | None:
    """``a``'s median over ``b``'s (``None`` if either is missing or ``b`` is zero)."""
    if a.median is None or not b.median:
        return None
    return round(a.median / b.median, 3)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Run ``fn`` once; returns (seconds, its result)."""
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def repeat(fn: Callable[[], object], runs: int) -> Stats:
    """Seconds per call of ``fn``, over ``runs`` calls."""
    return Stats.of(timed(fn)[0] for _ in range(runs))


def _status(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid: int) -> int:
    """The resident size of process ``pid`` in KiB (0 if it is gone)."""
    return _status(pid, "VmRSS")


def peak_rss_kib(pid: int | None = None) -> int:
    """The peak resident size (high-water mark) of process ``pid`` (default: this one) in KiB."""
    return _status(os.getpid() if pid is None else pid, "VmHWM")


def descendants(pid: int) -> list[int]:
    """The process ids of ``pid``'s children, grandchildren, ... (from /proc)."""
    found: list[int] = []
    stack = [pid]
    while stack:
        parent = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            found.extend(kids)
            stack.extend(kids)
    return found


def tree_rss_kib(pid: int) -> int:
    """The resident size of ``pid`` and all its descendants, in KiB (shared pages count once per process)."""
    return sum(rss_kib(p) for p in [pid, *descendants(pid)])
