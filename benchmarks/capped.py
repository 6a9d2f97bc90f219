"""Run a measurement in a forked child with a time cap per run, killing the child past the cap.

Neither rdflib's SPARQL engine nor owlrl can be interrupted from inside, so a run that could go on
for hours is measured in a forked copy of this process (which shares what was loaded before the
fork) and killed, by its own pid, when it passes the cap.

>>> import time
>>> capped_runs(lambda: time.sleep(0.01), runs=2, cap=5).finished
2
>>> capped_runs(lambda: time.sleep(3), runs=1, cap=0.2).past_cap
True
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class CappedRuns:
    """Seconds of the runs that finished, whether one passed the cap, and any error."""

    seconds: list[float] = field(default_factory=list)
    past_cap: bool = False
    error: str | None = None
    value: object = None

    @property
    def finished(self) -> int:
        return len(self.seconds)


def _child(fn: Callable[[], object], runs: int, conn) -> None:
    try:
        for _ in range(runs):
            started = time.perf_counter()
            value = fn()
            conn.send(("ok", time.perf_counter() - started, value))
    except Exception as error:  # reported to the parent, which records it
        conn.send(("error", 0.0, repr(error)))
    finally:
        conn.close()


def capped_runs(fn: Callable[[], object], *, runs: int, cap: float) -> CappedRuns:
    """Call ``fn`` ``runs`` times in a forked child; stop at the first run that passes ``cap`` seconds.
    ``fn``'s return value (of the last run) must be picklable; keep it small."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(fn, runs, child), daemon=True)
    process.start()
    child.close()
    result = CappedRuns()
    try:
        for _ in range(runs):
            if not parent.poll(cap):
                result.past_cap = True
                break
            try:
                kind, seconds, value = parent.recv()
            except EOFError:
                result.error = "the measuring process died"
                break
            if kind == "error":
                result.error = value
                break
            result.seconds.append(seconds)
            result.value = value
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()
    return result
