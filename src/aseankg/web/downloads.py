"""Export downloads kept per store version, so identical ``/export`` requests build the file once.

A large export (a 2,000-article store's full projection is about 75 MB) took 9-14 s of a worker;
eight requests at once each built their own copy and held the server's memory and workers. Here a
body is kept under its *key*: the store's version (the writer's generation stamp, see
``storefolder.generation``, plus the number of updates made through the app) and the request's
parameters. While one request builds a body, identical requests wait for it instead of building
their own; a write to the store gives a new version, and bodies of older versions are dropped.

>>> cache = ExportCache(max_bytes=100)
>>> cache.get(("v1", "actors"), lambda: b"body"), cache.get(("v1", "actors"), lambda: b"other")
(b'body', b'body')
>>> cache.builds, cache.get(("v2", "actors"), lambda: b"new"), cache.builds
(1, b'new', 2)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

#: Bytes of export bodies kept at most (the least recently used go first; a larger body is not kept).
MAX_CACHED = 256 << 20


class ExportCache:
    """Bodies by key (``key[0]`` is the store version), built once even when asked for at once."""

    def __init__(self, max_bytes: int = MAX_CACHED) -> None:
        self.max_bytes = max_bytes
        #: Bodies built (a count for tests and logs: a cached answer does not add to it).
        self.builds = 0
        self._lock = threading.Lock()
        self._bodies: OrderedDict[Hashable, bytes] = OrderedDict()
        self._building: dict[Hashable, threading.Event] = {}

    def get(self, key: tuple | None, build: Callable[[], bytes]) -> bytes:
        """The body under ``key``, from ``build()`` if it is not kept yet (``key`` None: never kept).
        ``build``'s errors reach the caller; a caller that waited then builds in its turn."""
        if key is None:
            with self._lock:
                self.builds += 1
            return build()
        while True:
            with self._lock:
                if key in self._bodies:
                    self._bodies.move_to_end(key)
                    return self._bodies[key]
                gate = self._building.get(key)
                mine = gate is None
                if mine:
                    gate = self._building[key] = threading.Event()
            if mine:
                break
            gate.wait()
        try:
            body = build()
            with self._lock:
                self.builds += 1
                self._keep(key, body)
            return body
        finally:
            with self._lock:
                del self._building[key]
            gate.set()

    def _keep(self, key: tuple, body: bytes) -> None:
        for old in [k for k in self._bodies if k[0] != key[0]]:  # an older store version
            del self._bodies[old]
        if len(body) > self.max_bytes:
            return
        self._bodies[key] = body
        while sum(len(b) for b in self._bodies.values()) > self.max_bytes:
            self._bodies.popitem(last=False)


def store_version(app) -> str | None:
    """The version of ``app``'s store: the writer's generation stamp and the updates made through the
    app, or None for a store without a folder (in memory, remote), whose exports are not kept."""
    from ..store import EmbeddedStore
    from ..storefolder import generation

    store = app.config["STORE"]
    if not isinstance(store, EmbeddedStore) or store.location == ":memory:":
        return None
    return f"{generation(store.location)}#{app.extensions['aseankg'].updates}"


def export_cache(app) -> ExportCache:
    """The app's ``ExportCache`` (made on first use)."""
    views = app.extensions.setdefault("aseankg-views", {})
    if "exports" not in views:
        views["exports"] = ExportCache()
    return views["exports"]
