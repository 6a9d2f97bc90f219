"""Opening a store: :func:`open_store` picks the implementation from a location string.

The factory sits above both stores (``store.EmbeddedStore`` and ``remote.RemoteStore``), which
share the ``store.Store`` interface and records; neither imports it.
"""

from __future__ import annotations

import os

from . import settings
from .store import EmbeddedStore, Store


def open_store(location: str | os.PathLike | None = None, *, update_url: str | None = None,
               gsp_url: str | None = None, read_only: bool = False, create: bool = True) -> Store:
    """The store at ``location``: ``None`` means ``settings.store_location()``; an ``http(s)://``
    URL is a remote SPARQL store's query endpoint (``remote.RemoteStore``, with optional explicit
    update and Graph Store endpoints, by default from ``$ASEANKG_UPDATE_URL`` and
    ``$ASEANKG_GRAPH_STORE_URL``, as the CLI's ``--update-url`` and ``--graph-store-url`` set them);
    anything else is a folder for an ``EmbeddedStore``.
    ``create=False`` raises ``StoreError`` ("no store at ...") where a folder holds no store yet,
    instead of making an empty one."""
    where = settings.store_location(location)
    if where.startswith(("http://", "https://")):
        from .remote import RemoteStore

        update_url = update_url or os.environ.get("ASEANKG_UPDATE_URL") or None
        gsp_url = gsp_url if gsp_url is not None else os.environ.get("ASEANKG_GRAPH_STORE_URL")
        return RemoteStore(where, update_url=update_url, gsp_url=gsp_url)
    if update_url or gsp_url:
        raise ValueError("update_url and gsp_url apply to a remote store (an http(s):// location)")
    return EmbeddedStore(where, read_only=read_only, create=create)

