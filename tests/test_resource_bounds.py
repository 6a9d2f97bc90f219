"""Resource bounds of the query path: memory per query worker, bytes per answer, updates beside readers,
and odd requests.

Each test stood for a failure of the old code: a query doubling a string with CONCAT took its worker
to gigabytes (no cap; at the machine's limit the client got an empty 500); a one-row answer of any size
was serialised and sent; readers got ``500 RuntimeError: Corruption: ... .sst: No such file`` naming the
store's path while updates ran (each update ran a full ``optimize()``); ``HEAD /sparql`` was a 405 and
``%ff`` in a GET query string became U+FFFD instead of a 400. The allocating queries run in worker
processes capped with ``RLIMIT_AS``, so the test process never holds their memory.
"""

from __future__ import annotations

import threading

import pytest
from rdflib import Literal, URIRef

from aseankg.querying import QueryJob, QueryOverLimit, QueryPool, wait_for_workers
from aseankg.store import EmbeddedStore
from aseankg.web import close_app, create_app

ID = "https://w3id.org/aseankg/id/"
MIB = 1 << 20
SPARQL_JSON = {"Accept": "application/sparql-results+json"}


def doubling(times: int, *, length: bool = True) -> str:
    """A query building a 1 KiB string doubled ``times`` times (2**times KiB)."""
    binds = 'BIND("' + "x" * 1024 + '" AS ?s0) ' + " ".join(
        f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    select = f"(STRLEN(?s{times}) AS ?n)" if length else f"(?s{times} AS ?n)"
    return f"SELECT {select} WHERE {{ {binds} }}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("resources") / "kg"
    with EmbeddedStore(path) as store:
        store.write_article(f"{ID}article/00000000000000aa", [(URIRef(f"{ID}x"), URIRef(f"{ID}p"), Literal("v"))])
    return path


def test_worker_memory_is_capped(folder):
    """A 2 GiB string (2**21 KiB) in a worker capped at 1,024 MiB of address space: ``QueryOverLimit``
    naming the cap, the worker replaced, and the next query answered."""
    with QueryPool(folder, size=1, memory=1024) as pool:
        assert wait_for_workers(pool, 1)
        before = pool.pids()
        with pytest.raises(QueryOverLimit, match="more than 1,024 MiB"):
            pool.run(QueryJob(doubling(21)), 60)
        assert wait_for_workers(pool, 1)
        assert pool.pids() != before
        assert pool.run(QueryJob("SELECT (1 AS ?x) {}", {"select": "csv"}), 30).body == b"x\r\n1\r\n"
        # a query that fits (1 MiB) still runs under the cap
        assert b"1048576" in pool.run(QueryJob(doubling(10), {"select": "csv"}), 30).body


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("app") / "kg")
    store.write_article(f"{ID}article/00000000000000aa", [(URIRef(f"{ID}x"), URIRef(f"{ID}p"), Literal("v"))])
    application = create_app(store, workers=1, time_limit=30, worker_memory=1024, max_answer=1 * MIB,
                             allow_update=True, token="secret")
    assert wait_for_workers(application.extensions["aseankg"].pool, 1)
    yield application
    close_app(application)
    store.close()


def test_http_memory_and_answer_caps(app):
    """Over HTTP both caps are a 503 saying why; an answer under the cap arrives whole."""
    client = app.test_client()
    r = client.get("/sparql", query_string={"query": doubling(21)}, headers=SPARQL_JSON)
    assert r.status_code == 503 and b"more than 1,024 MiB" in r.data
    assert wait_for_workers(app.extensions["aseankg"].pool, 1)
    r = client.get("/sparql", query_string={"query": doubling(11, length=False)}, headers=SPARQL_JSON)
    assert r.status_code == 503 and b"the answer is 2.0 MiB; the limit is 1.0 MiB" in r.data
    r = client.get("/sparql", query_string={"query": doubling(9, length=False)}, headers=SPARQL_JSON)
    assert r.status_code == 200 and len(r.data) > 512 * 1024
    assert int(r.headers["Content-Length"]) == len(r.data)


def test_head_and_bad_escapes(app):
    client = app.test_client()
    get = client.get("/sparql?query=ASK%7B%7D", headers=SPARQL_JSON)
    head = client.head("/sparql?query=ASK%7B%7D", headers=SPARQL_JSON)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    bad = client.get("/sparql?query=ASK%7B%7D%ff", headers=SPARQL_JSON)
    assert bad.status_code == 400 and b"not UTF-8" in bad.data
    form = client.post("/sparql", data=b"query=ASK%7B%7D%ff", headers={**SPARQL_JSON,
                       "Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400


def test_readers_never_fail_during_updates(app, monkeypatch):
    """Sixty one-triple updates while another thread queries: every query answers 200, no update
    runs ``optimize()``, and no error names a path."""
    endpoint = app.extensions["aseankg"]
    calls: list[str] = []

    class Recording:  # the store's pyoxigraph handle, recording what the endpoint calls
        def __init__(self, db):
            self._db = db

        def __getattr__(self, name):
            calls.append(name)
            return getattr(self._db, name)

    monkeypatch.setattr(endpoint.store, "_db", Recording(endpoint.store.db))
    statuses: list[tuple[int, bytes]] = []
    stop = threading.Event()

    def read() -> None:
        client = app.test_client()
        while not stop.is_set():
            r = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                           headers=SPARQL_JSON)
            statuses.append((r.status_code, r.data))

    reader = threading.Thread(target=read)
    reader.start()
    client = app.test_client()
    try:
        for i in range(60):
            r = client.post("/sparql", data=f"INSERT DATA {{ GRAPH <{ID}g> {{ <{ID}s{i}> <{ID}p> {i} }} }}",
                            headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer secret"})
            assert r.status_code == 204, r.data
    finally:
        stop.set()
        reader.join(60)
    assert "optimize" not in calls and "update" in calls
    failures = [(s, d) for s, d in statuses if s != 200]
    assert statuses and not failures, failures[:3]


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values", "application/sparql-results+xml",
                                    "application/sparql-results+json"])
def test_a_big_literal_in_every_result_format(tmp_path, accept):
    """A one-row answer holding a 32 MiB literal (2**15 KiB) in CSV, TSV, XML or JSON: whole, not
    ``500 MemoryError`` (Oxigraph's result parser, which answers go through, buffers one value in at
    most 16 MiB)."""
    store = EmbeddedStore(tmp_path / "kg")
    store.write_article(f"{ID}article/00000000000000aa", [(URIRef(f"{ID}x"), URIRef(f"{ID}p"), Literal("v"))])
    application = create_app(store, workers=1, time_limit=60, max_answer=64 * MIB)
    try:
        assert wait_for_workers(application.extensions["aseankg"].pool, 1)
        r = application.test_client().get("/sparql", query_string={"query": doubling(15, length=False)},
                                          headers={"Accept": accept})
        assert r.status_code == 200, r.data[:200]
        assert len(r.data) > 32 * MIB
        head = {"text/csv": b"n\r\n", "text/tab-separated-values": b"?n\n",
                "application/sparql-results+json": b'{"head"'}.get(accept, b"<?xml")
        assert r.data.startswith(head)
    finally:
        close_app(application)
        store.close()
