"""The floor under ``aseankg serve``: a server that only hands each query to a killable worker.

``floor_app`` is a WSGI app that takes the ``query`` parameter, runs it in aseankg's worker pool
(``querying.QueryPool``, the processes that let a runaway query be killed at its time limit) and
returns the worker's bytes. It is served by waitress, as ``aseankg serve`` is. It has no Flask, no
protocol checks, no safety check, no fairness and no headers beyond the content type, so it is
faster than any version of the app can be while each query runs in a process that can be killed
(pyoxigraph cannot cancel a query in the process that runs it). A target this server misses is out
of reach of changes to the app.

Run it alone with ``python -m benchmarks.floor STORE PORT``.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from pathlib import Path

from . import servers

#: The result formats the floor asks its workers for (those the harness reads).
FORMATS = {"select": "json", "ask": "json", "graph": "ntriples"}


def floor_app(location: str, *, workers: int = 2):
    """The WSGI app over the embedded store at ``location`` (its pool starts at once)."""
    from aseankg.querying import QueryJob, QueryPool, wait_for_workers

    pool = QueryPool(location, size=workers)
    wait_for_workers(pool, workers)

    def app(environ, start_response):
        text = (urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("query") or [""])[0]
        try:
            answer = pool.run(QueryJob(text, FORMATS, max_rows=10_000), 10.0)
            status, body = "200 OK", answer.body
            kind = "application/n-triples" if answer.kind == "graph" else "application/sparql-results+json"
        except Exception as error:  # noqa: BLE001 - the harness only counts a failure
            status, body, kind = "400 Bad Request", str(error).encode(), "text/plain"
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]

    return app


def start_floor(store: str | Path, *, threads: int = 8) -> servers.Server:
    """The floor server on ``store``, on a free loopback port, in a process of its own."""
    port = servers.free_port()
    root = str(Path(__file__).resolve().parents[1])
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.floor", str(store), str(port), str(threads)],
                               cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return servers.Server("floor", process, f"http://127.0.0.1:{port}/sparql")


def main(argv: list[str]) -> None:
    from waitress import serve

    store, port = argv[0], int(argv[1])
    threads = int(argv[2]) if len(argv) > 2 else 8
    serve(floor_app(store), host="127.0.0.1", port=port, threads=threads, _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
