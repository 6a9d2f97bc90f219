"""Hostile queries and requests, on the library and on the web app (in process, real worker processes):
deeply nested groups and expressions, results far over the row cap, a cartesian product stopped by
``timeout=``; HTML escaping of values taken from articles; security headers; no write without the token.

What exists already is not repeated here: SERVICE/FROM/LOAD refusals (test_safety.py), the runaway
query killed over HTTP and the 413 (test_web_live.py), the W3C protocol and token tests (test_protocol.py).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from aseankg.extraction import extract
from aseankg.rdf import article_graph
from aseankg.reading import parse_text
from aseankg.safety import QuerySyntaxError
from aseankg.store import EmbeddedStore, QueryTimeout
from aseankg.stores import open_store
from aseankg.validation import load_validator
from aseankg.web import close_app, create_app

SCHEMA_HEADLINE = "https://schema.org/headline"
ID = "https://w3id.org/aseankg/id/"
SCRIPT = "<script>alert('headline')</script>"
HOSTILE_HEADLINE = f"ASEAN ministers meet {SCRIPT} & \"agree\" <b>x</b>"
STORY = ("KUALA LUMPUR (VNA) – Foreign Minister Bui Thanh Son led the Vietnamese delegation to the 58th "
         "ASEAN Foreign Ministers' Meeting in Kuala Lumpur on July 8, 2025. The ministers discussed "
         "regional cooperation and the situation in the East Sea.")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MAX_ROWS = 50


def nested_groups(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth


def nested_expression(depth: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER (" + "(" * depth + "?o" + ")" * depth + ") }"


def nested_subqueries(depth: int) -> str:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    for _ in range(depth):
        query = f"SELECT ?s WHERE {{ {query} }}"
    return query


HOSTILE = {
    "5,000 nested groups": nested_groups(5_000),
    "20,000 nested groups": nested_groups(20_000),
    "5,000 nested parentheses": nested_expression(5_000),
    "1,000 nested subqueries": nested_subqueries(1_000),
    "3,000 nested OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3_000 + "}" * 3_000 + " }",
    "unbalanced braces": "SELECT * WHERE " + "{" * 5_000,
}


@pytest.fixture(scope="module")
def hostile_article():
    """An article whose headline carries markup and a script, through the real reader, extractor and RDF stage."""
    article = parse_text(STORY, headline=HOSTILE_HEADLINE, url="https://example.org/news?q=%3Cscript%3E")
    graph = article_graph(extract(article))
    assert load_validator().validate(graph).conforms
    return article, graph


@pytest.fixture(scope="module")
def store(tmp_path_factory, hostile_article):
    """A store with the hostile article and 1,200 extra triples (so that a cartesian product is huge)."""
    kg = open_store(tmp_path_factory.mktemp("hostile") / "kg")
    article, graph = hostile_article
    kg.write_article(f"{ID}article/{article.id[:16]}", graph)
    filler = [(URIRef(f"{ID}thing/{i}"), RDF.value, Literal(i)) for i in range(1_200)]
    kg.write_article(f"{ID}article/filler", filler)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def app(store):
    app = create_app(store, workers=1, time_limit=5, max_rows=MAX_ROWS)
    yield app
    close_app(app)


@pytest.fixture()
def client(app):
    return app.test_client()


# ------------------------------------------------------------------------------------- the library

@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_nesting_is_a_syntax_error_in_the_library(store, name):
    """pyoxigraph alone crashes the process (stack overflow) on a few thousand nested groups; the
    checker in front of it refuses them with a ``QuerySyntaxError`` and the store goes on answering."""
    with pytest.raises(QuerySyntaxError) as error:
        store.query(HOSTILE[name])
    assert str(error.value).startswith("SPARQL")
    assert store.query("ASK { ?s ?p ?o }").boolean is True


def test_moderate_nesting_still_runs(store):
    assert store.query(nested_groups(12)).rows
    assert store.query(nested_subqueries(5)).rows


def test_cartesian_product_stops_at_the_timeout(store):
    with pytest.raises(QueryTimeout) as error:
        store.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.5)
    assert "limit" in str(error.value)
    assert store.query("ASK { ?s ?p ?o }", timeout=5).boolean is True


def test_a_huge_result_is_cut_at_max_rows(store):
    result = store.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", max_rows=1_000, timeout=30)
    assert len(result.rows) == 1_000 and result.truncated


# ------------------------------------------------------------------------------------------- HTTP

@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_nesting_gets_400_over_http(client, name):
    r = client.post("/sparql", data=HOSTILE[name], content_type="application/sparql-query",
                    headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 400 and r.get_data(as_text=True).startswith("SPARQL")
    ask = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/json"})
    assert ask.json["boolean"] is True  # the server and its worker go on


def test_a_huge_result_is_capped_with_a_clear_message(client):
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # over a million rows
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert len(r.json["results"]["bindings"]) == MAX_ROWS
    assert r.headers["X-Result-Truncated"] == f"cut at {MAX_ROWS} rows"
    csv = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert csv.get_data(as_text=True).count("\r\n") == MAX_ROWS + 1  # header + capped rows
    page = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "cut at the row limit" in page.get_data(as_text=True)


def test_cartesian_product_over_http_is_stopped(client):
    r = client.post("/sparql", data=CARTESIAN, content_type="application/sparql-query")
    assert r.status_code == 503 and "limit" in r.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                      headers={"Accept": "application/json"}).json["boolean"] is True


# ------------------------------------------------------------------------------------ web safety

def test_values_from_articles_are_escaped_on_the_query_page(client, hostile_article):
    query = f"SELECT ?headline ?url WHERE {{ ?a <{SCHEMA_HEADLINE}> ?headline ; <https://schema.org/url> ?url }}"
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/html"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="result-table"' in page
    assert "&lt;script&gt;alert(&#39;headline&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "&amp; &#34;agree&#34;" in page
    # the only script element on the page is the app's own file
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="/static/query.js">']
    assert "<b>x</b>" not in page


def test_the_query_text_and_errors_are_escaped(client):
    sneaky = "SELECT * WHERE { ?s ?p '</textarea><script>alert(1)</script>' }"
    page = client.get("/sparql", query_string={"query": sneaky}, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "</textarea><script>" not in page and "&lt;/textarea&gt;&lt;script&gt;" in page
    broken = "SELECT * WHERE { ?s ?p <script>alert(1)</script> }"
    r = client.get("/sparql", query_string={"query": broken}, headers={"Accept": "text/html"})
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="error"' in page
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="/static/query.js">']


@pytest.mark.parametrize("path", ["/sparql", "/health", "/openapi.json", "/static/query.js", "/no-such-page",
                                  "/sparql?query=SELECT"])
def test_security_headers_on_every_response(client, path):
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "no-referrer"


def test_no_write_without_the_token(tmp_path):
    """Every way of sending an update is refused without the right token; the store is unchanged."""
    kg = EmbeddedStore(tmp_path / "kg")
    kg.write_article(f"{ID}article/kept", [(URIRef(f"{ID}country/VNM"), RDF.type, URIRef(f"{ID}x"))])
    app = create_app(kg, workers=1, allow_update=True, token="right-token")
    try:
        client = app.test_client()
        drop = "DROP ALL"
        attempts = [
            client.post("/sparql", data=drop, content_type="application/sparql-update"),
            client.post("/sparql", data={"update": drop}),
            client.post("/sparql", data={"update": drop, "access_token": "right-token"}),
            client.post(f"/sparql?update={drop}&token=right-token", data=b"", content_type=""),
            client.post("/sparql", data=drop, content_type="application/sparql-update",
                        headers={"Authorization": "Bearer wrong-token"}),
            client.post("/sparql", data=drop, content_type="application/sparql-update",
                        headers={"Authorization": "Basic cmlnaHQtdG9rZW46"}),
            client.post("/sparql", data=drop, content_type="application/sparql-update",
                        headers={"Authorization": "Bearer right-token "}),
            client.post("/sparql", data=drop, content_type="application/sparql-update",
                        headers={"Authorization": "bearer right-token\x00"}),
        ]
        assert [r.status_code for r in attempts] == [403] * len(attempts)
        assert client.get(f"/sparql?update={drop}").status_code == 400  # never with GET
        for method in ("put", "delete", "patch"):
            assert getattr(client, method)("/sparql", data=drop).status_code == 405
        assert kg.has_graph(f"{ID}article/kept")
        assert client.post("/sparql", data=drop, content_type="application/sparql-update",
                           headers={"Authorization": "Bearer right-token"}).status_code == 204  # control
    finally:
        close_app(app)
    assert kg.named_graphs() == []  # the control update ran; nothing before it did
    kg.close()


CONCURRENT_PARSING = """
import threading
from aseankg.queries import saved_queries
from aseankg.safety import bind_values, inspect_query

texts = [bind_values(q.text, q.bindings()) if q.bindings() else q.text for q in saved_queries()]
errors = []

def check(k):
    for n, text in enumerate(texts):
        try:
            inspect_query(f"{text}\\n# thread {k} query {n}")  # distinct texts: no cache hits
        except Exception as error:
            errors.append(str(error))

threads = [threading.Thread(target=check, args=(k,)) for k in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
try:
    inspect_query("ASK { ?s ?p ?o }")
except Exception as error:
    errors.append("afterwards: " + str(error))
print(len(errors), errors[:1])
"""


def test_concurrent_parsing():
    """Eight threads check distinct valid queries at once (in a fresh process: the failure is permanent)."""
    run = subprocess.run([sys.executable, "-c", CONCURRENT_PARSING], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("0 "), run.stdout
