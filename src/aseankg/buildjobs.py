"""A build on several cores: extraction, RDF and the SHACL gate (``ingest.prepare``) run ahead in
worker processes while the building process writes each article, in input order.

The store is written by one process only, in the order the articles were read, with the same
triples a one-core build writes: the store's bytes do not depend on the number of jobs. Workers are
forked once the set-up (lexicon, shapes, reference index) is loaded, so they share it and start at
once; they ignore Ctrl-C (the building process decides when to stop) and are ended with the build.
At most ``AHEAD`` articles per worker are read before they are written: memory stays bounded.

>>> import tempfile
>>> from aseankg import settings
>>> from aseankg.stores import open_store
>>> from aseankg.ingest import build_articles
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = open_store(tmp + "/store")
...     report = build_articles([settings.ARTICLES_DIR], store, jobs=2)
...     store.close()
>>> report.added
5
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterable, Iterator

from . import naming
from .reading import ArticleError

#: Articles read ahead of the writer, per worker: enough to keep the workers busy while the writer
#: bulk-loads a batch (1.7 s for 500 articles; with 8, builds of 1,000 took 8.2-9.0 s, with 256
#: 7.7-7.9 s); an article ahead holds its text and its N-Triples, some 50 kB.
AHEAD = 256

# what the forked workers inherit from the building process: its SHACL gate and its preparing step
# (``ingest.prepare``, handed in: this module sits below ``ingest`` and does not import it)
_validator = None
_step = None


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def worker_signals() -> None:
    """In a forked worker: Ctrl-C is the building process's to handle; SIGTERM ends it (the build's own SIGTERM
    handler, inherited by the fork, would only set a flag while the worker waits for work)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _prepare(task):
    """A worker's step: ``None`` for an article the writer will not need (an error, or one stored)."""
    if task is None:
        return None
    item, key = task
    return _step(_validator, item, key)


class Ahead:
    """``items`` (``(path, file key, article or error)``) prepared by ``jobs`` forked workers.

    Iterate :meth:`items` in the writer; :meth:`get` gives the article just yielded its ``Prepared``
    (``None`` when no worker made it: the writer then prepares it itself). ``known`` are the
    article IRIs already stored, which the workers skip. Call :meth:`close` at the end."""

    def __init__(self, items: Iterable[tuple], jobs: int, *, validator, known: set[str], prepare,
                 article_key) -> None:
        global _validator, _step
        _validator, _step = validator, prepare
        self._article_key = article_key
        self._source = items
        self._known = known
        self._pending: collections.deque = collections.deque()
        self._room = threading.Semaphore(AHEAD * jobs)
        self._closed = False
        self._current = None
        self._finished = False
        self._pool = multiprocessing.get_context("fork").Pool(jobs, initializer=worker_signals)

    def _feed(self) -> Iterator:
        """The tasks, read in the pool's feeding thread, never more than the room left ahead."""
        for entry in self._source:
            while not self._room.acquire(timeout=0.2):
                if self._closed:
                    return
            if self._closed:
                return
            self._pending.append(entry)
            _path, file_key, item = entry
            if isinstance(item, ArticleError) or naming.article_iri(item.id) in self._known:
                yield None
            else:
                yield item, self._article_key(item, file_key)

    def items(self) -> Iterator[tuple]:
        for done in self._pool.imap(_prepare, self._feed(), chunksize=1):
            entry = self._pending.popleft()
            self._room.release()
            self._current = (entry[2], done)
            yield entry
        self._finished = True

    def get(self, item):
        """The ``Prepared`` of ``item`` if it is the article just yielded and a worker made it."""
        current = self._current
        return current[1] if current is not None and current[0] is item else None

    def close(self) -> None:
        """End the workers: after the last article, when they are done; after a stop or an error, at
        once (what they prepared past it is not needed)."""
        self._closed = True
        if self._finished:
            self._pool.close()
        else:
            self._pool.terminate()
        self._pool.join()
