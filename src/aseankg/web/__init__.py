"""The web app: an app factory over the library's store.

``/sparql`` is a SPARQL 1.1 Protocol endpoint (read-only unless enabled, with time, row, body and
query-length limits; queries run in killable worker processes) and, for browsers, a query page;
``/health`` answers liveness probes and ``/openapi.json`` describes the HTTP interface.

>>> import tempfile
>>> from aseankg.stores import open_store
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = open_store(tmp + "/kg")
...     app = create_app(store, workers=0)
...     r = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
...                               headers={"Accept": "application/sparql-results+json"})
...     close_app(app)
...     store.close()
>>> r.status_code, r.json["boolean"]
(200, False)
"""

from __future__ import annotations

from flask import Flask

from ..querying import MAX_ANSWER
from ..store import QueryTimeout, Store
from .endpoint import Endpoint, Limits
from .fairness import ClientLimits, TooBusy, refusal

__all__ = ["create_app", "close_app", "Limits", "ClientLimits"]


def create_app(store: Store, *, time_limit: float = 10.0, max_rows: int = 10_000, workers: int = 2,
               allow_update: bool = False, token: str | None = None, max_body: int = 1_000_000,
               max_query_length: int = 100_000, max_answer: int = MAX_ANSWER, clients: ClientLimits | None = None,
               worker_memory: int = 2048) -> Flask:
    """The Flask app serving ``store``.

    ``time_limit`` (seconds) and ``max_rows`` bound every query; ``max_body`` (bytes) and
    ``max_query_length`` (characters) bound every request, ``max_answer`` (bytes) every answer. With an
    embedded store, queries and page work run in ``workers`` processes of ``worker_memory`` MiB address
    space at most, killed past the time limit (``workers=0``: in this process, unbounded; for tests),
    each client held to ``clients`` (``fairness.ClientLimits``: 429 and 503 with ``Retry-After``).
    Updates need ``allow_update`` and a bearer ``token``. Call ``close_app`` when done.
    """
    if allow_update and not token:
        raise ValueError("updates need a bearer token: pass token= (aseankg serve --token)")
    from . import cors, entities, graphs, home, meta, ontology_page, review, security, sparql

    app = Flask(__name__)
    limits = Limits(time_limit=time_limit, max_rows=max_rows, max_body=max_body,
                    max_query_length=max_query_length, max_answer=max_answer)
    app.config.update(STORE=store, UPDATE_TOKEN=token, MAX_CONTENT_LENGTH=max_body,
                      TIME_LIMIT=time_limit, MAX_ROWS=max_rows)
    app.extensions["aseankg"] = Endpoint(store, limits=limits, workers=workers, allow_update=allow_update,
                                         clients=clients, worker_memory=worker_memory)
    app.register_error_handler(TooBusy, refusal)
    app.register_error_handler(QueryTimeout, refusal)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(meta.bp)
    for views in (home.bp, entities.bp, graphs.bp, ontology_page.bp, review.bp):
        app.register_blueprint(views)
    security.init_app(app)
    cors.init_app(app)
    return app


def close_app(app: Flask) -> None:
    """Stop the app's query worker processes (the store is the caller's to close)."""
    app.extensions["aseankg"].close()
