"""The tools users already run, against a live ``aseankg serve`` on the seed articles (issue 18):
SPARQLWrapper in every return format it has (it repeats ``format``), the same requests by hand over
HTTP, entity pages as RDF/XML, and reads from a page of another origin: the CORS headers and
preflights over HTTP, then ``fetch`` in headless Chromium from a page on another loopback port."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from xml.dom.minidom import Document

import pytest
from conftest import served
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

AKG = "https://w3id.org/aseankg/ontology#"
ID = "https://w3id.org/aseankg/id/"
AMM58 = ID + "meeting/amm-58"
SELECT = f"SELECT ?p ?o WHERE {{ <{AMM58}> ?p ?o }} ORDER BY ?p ?o"
CONSTRUCT = f"CONSTRUCT {{ <{AMM58}> ?p ?o }} WHERE {{ <{AMM58}> ?p ?o }}"
#: The Accept header Comunica sends for RDF: over 128 bytes, so a browser preflights a cross-origin GET.
LONG_ACCEPT = ("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
               "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,text/n3;q=0.35")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``aseankg serve`` on a new store (it builds the bundled articles first), one worker."""
    with served(tmp_path_factory.mktemp("clients") / "kg", "--workers", "1") as base:
        yield base


def fetch(url: str, *, method: str = "GET", headers: dict | None = None,
          data: bytes | None = None) -> tuple[int, dict, bytes]:
    """Status, headers and body of one plain HTTP request (errors are answers too)."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# ------------------------------------------------------------------------------ format preferences

@pytest.mark.parametrize(("formats", "query", "media"), [
    (["json", "application/sparql-results+json"], SELECT, "application/sparql-results+json"),
    (["tsv", "text/tab-separated-values"], SELECT, "text/tab-separated-values"),
    (["rdf+xml", "application/rdf+xml"], CONSTRUCT, "application/rdf+xml"),  # the first unknown
    (["turtle", "csv"], SELECT, "text/csv"),  # the first is for CONSTRUCT only
    (["", "nt"], CONSTRUCT, "application/n-triples"),  # an empty one says nothing
])
def test_repeated_format_parameters_over_http(server, formats, query, media):
    params = urllib.parse.urlencode([("query", query), *(("format", f) for f in formats)])
    status, headers, body = fetch(f"{server}/sparql?{params}", headers={"Accept": "*/*"})
    assert status == 200 and headers["Content-Type"].startswith(media)
    if media.startswith("application/sparql-results+json"):
        assert json.loads(body)["results"]["bindings"]
    elif media == "application/rdf+xml":
        assert (URIRef(AMM58), URIRef(AKG + "ordinal"), None) in Graph().parse(data=body, format="xml")


def test_no_format_that_fits_is_a_400_naming_them(server):
    params = urllib.parse.urlencode([("query", SELECT), ("format", "rdf+xml"), ("format", "application/rdf+xml")])
    status, _, body = fetch(f"{server}/sparql?{params}")
    assert status == 400
    assert b"unknown formats 'rdf+xml', 'application/rdf+xml' for this query; use one of" in body
    # SPARQLWrapper's RDFXML when its Accept is */*: the empty one is ignored, the other does not fit
    params = urllib.parse.urlencode([("query", CONSTRUCT), ("format", "rdf+xml"), ("format", "")])
    status, _, body = fetch(f"{server}/sparql?{params}")
    assert status == 400 and b"unknown format 'rdf+xml' for this query" in body
    status, _, body = fetch(f"{server}/sparql?{urllib.parse.urlencode({'query': SELECT})}",
                            headers={"Accept": "image/png"})
    assert status == 406 and b"no acceptable format" in body


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("form", "name", "media"), [
    ("select", "JSON", "application/sparql-results+json"), ("select", "XML", "application/sparql-results+xml"),
    ("select", "CSV", "text/csv"), ("select", "TSV", "text/tab-separated-values"),
    ("construct", "RDFXML", "application/rdf+xml"), ("construct", "XML", "application/rdf+xml"),
    ("construct", "TURTLE", "text/turtle"), ("construct", "N3", "text/turtle"),
    ("construct", "JSONLD", "application/ld+json"),
])
def test_sparqlwrapper_in_every_return_format(server, method, form, name, media):
    """SPARQLWrapper's own requests (``format=rdf+xml&format=application/rdf+xml`` and the like, in the
    URL for GET, in the form body for POST) get the format asked for, and its ``convert()`` reads it."""
    import SPARQLWrapper

    client = SPARQLWrapper.SPARQLWrapper(server + "/sparql")
    client.setMethod(getattr(SPARQLWrapper, method))
    client.setQuery(SELECT if form == "select" else CONSTRUCT)
    client.setReturnFormat(getattr(SPARQLWrapper, name))
    result = client.query()
    assert result.info()["content-type"].split(";")[0] == media
    converted = result.convert()
    if isinstance(converted, Graph):  # RDF/XML and JSON-LD
        assert (URIRef(AMM58), RDF.type, None) in converted
    elif isinstance(converted, dict):
        assert converted["results"]["bindings"]
    elif isinstance(converted, Document):
        assert converted.getElementsByTagName("result")
    else:
        text = converted.decode() if isinstance(converted, bytes) else converted
        assert "amm-58" in text or AKG + "ordinal" in text


# ---------------------------------------------------------------------------- entity pages as RDF/XML

@pytest.mark.parametrize(("path", "headers"), [
    ("/id/meeting/amm-58", {"Accept": "application/rdf+xml"}),
    ("/id/meeting/amm-58.rdf", {"Accept": "text/html"}),
])
def test_entity_as_rdf_xml(server, path, headers):
    status, answer, body = fetch(server + path, headers=headers)
    assert status == 200 and answer["Content-Type"].startswith("application/rdf+xml")
    graph = Graph().parse(data=body, format="xml")
    assert (URIRef(AMM58), URIRef(AKG + "inSeries"), URIRef(ID + "series/amm")) in graph
    if path.endswith(".rdf"):
        assert "Vary" not in answer or "Accept" not in answer["Vary"]
    else:
        assert answer["Content-Location"] == "/id/meeting/amm-58.rdf" and "Accept" in answer["Vary"]


# ------------------------------------------------------------------------------------------- CORS

#: What a page of another origin reads, with the Accept header it sends.
SHARED = [("/id/meeting/amm-58", "text/html"), ("/id/meeting/amm-58", "application/rdf+xml"),
          ("/id/meeting/amm-58.ttl", LONG_ACCEPT), ("/id/meeting/amm-58/ego.json", "application/json"),
          ("/export?projection=actors&format=graphml", "*/*"), ("/openapi.json", "application/json")]


@pytest.mark.parametrize(("path", "accept"), SHARED, ids=[f"{path} {accept[:20]}" for path, accept in SHARED])
def test_cors_headers_and_preflight(server, path, accept):
    status, headers, _ = fetch(server + path, headers={"Origin": "http://127.0.0.1:9", "Accept": accept})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = fetch(server + path, method="OPTIONS", headers={
        "Origin": "http://127.0.0.1:9", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in headers["Access-Control-Allow-Methods"]
    assert "accept" in headers["Access-Control-Allow-Headers"].lower()


def test_errors_of_shared_views_carry_cors_too(server):
    status, headers, _ = fetch(server + "/id/meeting/no-such-meeting/ego.json")
    assert status == 404 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = fetch(server + "/export?format=csv")
    assert status == 400 and headers["Access-Control-Allow-Origin"] == "*"


class _OtherOrigin(http.server.BaseHTTPRequestHandler):
    """A blank page on another loopback port: the origin the browser fetches from."""

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        body = b"<!doctype html><title>another site</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


#: Run in the page of the other origin: each fetch's status, type and first bytes, or its error.
FETCH_ALL = """async ([base, asks]) => {
  const out = {};
  for (const [name, path, init] of asks) {
    try {
      const r = await fetch(base + path, init);
      out[name] = [r.status, r.headers.get('content-type'), (await r.text()).slice(0, 400)];
    } catch (error) {
      out[name] = String(error);
    }
  }
  return out;
}"""


def test_cross_origin_fetch_in_chromium(server):
    """A page on another port of 127.0.0.1 reads the entity page (HTML and RDF/XML), Turtle with
    Comunica's long Accept (preflighted), the ego network, an export and a POSTed query; a page without
    CORS (``/timeline``) and a header nobody allowed are refused, so the browser did check."""
    from test_views_browser import CHROMIUM, launch

    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OtherOrigin)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    asks = [
        ("html", "/id/meeting/amm-58", {"headers": {"Accept": "text/html"}}),
        ("rdfxml", "/id/meeting/amm-58", {"headers": {"Accept": "application/rdf+xml"}}),
        ("turtle", "/id/meeting/amm-58.ttl", {"headers": {"Accept": LONG_ACCEPT}}),
        ("ego", "/id/meeting/amm-58/ego.json", {}),
        ("export", "/export?projection=actors&format=graphml", {}),
        ("query", "/sparql", {"method": "POST", "body": SELECT, "headers": {
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}}),
        ("no-cors", "/timeline.json", {}),
        ("not-allowed", "/id/meeting/amm-58/ego.json", {"headers": {"X-Requested-By": "test"}}),
    ]
    try:
        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{other.server_address[1]}/")
                seen = page.evaluate(FETCH_ALL, [server, asks])
            finally:
                browser.close()
    finally:
        other.shutdown()
        other.server_close()
    assert seen["html"][0] == 200 and "text/html" in seen["html"][1] and "<!doctype html>" in seen["html"][2].lower()
    assert seen["rdfxml"][0] == 200 and seen["rdfxml"][1].startswith("application/rdf+xml")
    assert "rdf:RDF" in seen["rdfxml"][2]
    assert seen["turtle"][0] == 200 and seen["turtle"][1].startswith("text/turtle") and "@prefix" in seen["turtle"][2]
    assert seen["ego"][0] == 200 and AMM58 in seen["ego"][2]
    assert seen["export"][0] == 200 and "<graphml" in seen["export"][2]
    assert seen["query"][0] == 200 and "bindings" in seen["query"][2]
    assert seen["no-cors"] == seen["not-allowed"] == "TypeError: Failed to fetch"
