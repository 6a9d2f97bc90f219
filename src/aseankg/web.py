"""The web app: an app factory over the library's store (read-only SPARQL and a health check).

>>> import tempfile
>>> from aseankg.store import open_store
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = open_store(tmp + "/kg")
...     client = create_app(store).test_client()
...     r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
...                    headers={"Accept": "application/sparql-results+json"})
...     store.close()
>>> r.status_code, r.json["boolean"]
(200, False)
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

from .safety import QueryRefused, QuerySyntaxError
from .store import QueryTimeout, Store, StoreError

#: Media types for SELECT/ASK results and for graphs, by the name ``QueryResult.serialize`` takes.
RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "text/csv": "csv",
                "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "jsonld",
               "application/rdf+xml": "xml"}
FORMAT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "nt": "application/n-triples", "jsonld": "application/ld+json"}


def create_app(store: Store, *, time_limit: float = 10.0, max_rows: int = 10_000) -> Flask:
    """The Flask app serving ``store``: ``/sparql`` (SPARQL 1.1 Protocol query operation) and
    ``/health``."""
    app = Flask(__name__)
    app.config.update(STORE=store, TIME_LIMIT=time_limit, MAX_ROWS=max_rows)

    @app.get("/health")
    def health():
        return jsonify(status="ok", store=store.location)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql():
        if request.method == "POST" and request.mimetype == "application/sparql-query":
            query = request.get_data(as_text=True)
        else:
            query = request.values.get("query")
        if not query:
            return Response("Send a SPARQL query in the 'query' parameter.\n", 400, mimetype="text/plain")
        try:
            result = store.query(query, timeout=time_limit, max_rows=max_rows)
        except (QueryRefused, QuerySyntaxError) as exc:
            return Response(f"{exc}\n", 400, mimetype="text/plain")
        except QueryTimeout as exc:
            return Response(f"{exc}\n", 503, mimetype="text/plain")
        except StoreError as exc:
            return Response(f"{exc}\n", 500, mimetype="text/plain")
        table = GRAPH_TYPES if result.kind == "graph" else RESULT_TYPES
        fmt = request.values.get("format")
        if fmt not in FORMAT_TYPES:
            best = request.accept_mimetypes.best_match(list(table)) or next(iter(table))
            fmt = table[best]
        body = result.serialize(fmt)
        return Response(body, 200, mimetype=FORMAT_TYPES[fmt], headers={"Vary": "Accept"})

    return app
