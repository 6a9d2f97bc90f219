"""The web app in process (Flask test client): content negotiation, errors, CORS, limits, the page."""

from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from aseankg.stores import open_store
from aseankg.web import close_app, create_app

AKG = Namespace("https://w3id.org/aseankg/ontology#")
ID = "https://w3id.org/aseankg/id/"
ARTICLE = ID + "article/0123456789abcdef"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
COUNTRIES = {"VNM": "Viet Nam", "MYS": "Malaysia", "SGP": "Singapore"}
SELECT = "SELECT ?c ?name WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name"
CONSTRUCT = "CONSTRUCT { ?c ?p ?o } WHERE { ?c ?p ?o }"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    kg = open_store(tmp_path_factory.mktemp("web") / "kg")
    triples = []
    for code, name in COUNTRIES.items():
        country = URIRef(ID + f"country/{code}")
        triples += [(country, RDF.type, AKG.Country), (country, RDFS.label, Literal(name, lang="en"))]
    kg.write_article(ARTICLE, triples)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def app(store):
    app = create_app(store, workers=1, max_rows=4, max_body=10_000, max_query_length=2_000)
    yield app
    close_app(app)


@pytest.fixture()
def client(app):
    return app.test_client()


def get(client, query, accept=None, **params):
    return client.get("/sparql", query_string={"query": query, **params},
                      headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_negotiation(client, accept, media):
    r = get(client, SELECT, accept)
    assert r.status_code == 200
    assert r.mimetype == media
    assert "Accept" in r.headers["Vary"]
    assert b"Viet Nam" in r.data


def test_select_formats_parse(client):
    data = get(client, SELECT, "application/sparql-results+json").json
    assert [b["name"]["value"] for b in data["results"]["bindings"]] == sorted(COUNTRIES.values())
    assert data["results"]["bindings"][0]["name"]["xml:lang"] == "en"
    root = ET.fromstring(get(client, SELECT, "application/sparql-results+xml").data)
    assert len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 3
    assert get(client, SELECT, "text/csv").data.decode().splitlines()[0] == "c,name"
    assert get(client, SELECT, "text/tab-separated-values").data.decode().splitlines()[0] == "?c\t?name"


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/n-quads", "nquads"), ("application/trig", "trig"),
])
def test_construct_negotiation(client, accept, rdflib_format):
    r = get(client, CONSTRUCT, accept)
    assert r.status_code == 200 and r.mimetype == accept
    graph = Graph().parse(data=r.data, format=rdflib_format)
    assert (URIRef(ID + "country/VNM"), RDFS.label, Literal("Viet Nam", lang="en")) in graph


def test_format_parameter_overrides_accept(client):
    assert get(client, SELECT, "text/csv", format="json").mimetype == "application/sparql-results+json"
    assert get(client, CONSTRUCT, "text/turtle", format="nt").mimetype == "application/n-triples"
    assert get(client, "ASK {}", None, format="xml").mimetype == "application/sparql-results+xml"
    r = get(client, SELECT, None, format="yaml")
    assert r.status_code == 400 and b"unknown format" in r.data


def test_repeated_format_parameters_are_preferences(client):
    """SPARQLWrapper sends ``format`` up to twice (a short name, then a media type, sometimes empty):
    the first the server can give for the query's form wins, the others are skipped."""
    def ask(query, *formats, accept=None):
        params = [("query", query), *(("format", f) for f in formats)]
        return client.get("/sparql", query_string=params, headers={"Accept": accept} if accept else {})

    assert ask(SELECT, "json", "application/sparql-results+json").mimetype == "application/sparql-results+json"
    assert ask(SELECT, "yaml", "text/csv").mimetype == "text/csv"  # unknown: skipped
    assert ask(SELECT, "turtle", "tsv").mimetype == "text/tab-separated-values"  # not for SELECT: skipped
    assert ask(CONSTRUCT, "rdf+xml", "application/rdf+xml").mimetype == "application/rdf+xml"
    assert ask(CONSTRUCT, "n3").mimetype == "text/turtle"  # Turtle is N3
    assert ask(SELECT, "", accept="text/csv").mimetype == "text/csv"  # empty: the Accept header decides
    r = ask(SELECT, "yaml", "turtle")
    assert r.status_code == 400 and b"unknown formats 'yaml', 'turtle' for this query" in r.data
    # in a form body too, where SPARQLWrapper puts them when it POSTs
    body = urllib.parse.urlencode([("query", CONSTRUCT), ("format", "rdf+xml"), ("format", "nt")])
    r = client.post("/sparql", data=body, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200 and r.mimetype == "application/n-triples"
    # a format asked for is the answer, not the browser's query page
    assert ask(SELECT, "yaml", "csv", accept="text/html").mimetype == "text/csv"


def test_not_acceptable(client):
    assert get(client, SELECT, "image/png").status_code == 406
    assert get(client, CONSTRUCT, "application/sparql-results+json").status_code == 406


def test_post_forms(client):
    r = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and r.json["boolean"] is True
    r = client.post("/sparql", data="ASK { ?s ?p ?o }", content_type="application/sparql-query")
    assert r.status_code == 200 and r.json["boolean"] is True


def test_protocol_dataset_names_store_graphs(client):
    r = get(client, "ASK { ?s ?p ?o }", "application/sparql-results+json", **{"default-graph-uri": ARTICLE})
    assert r.json["boolean"] is True
    r = get(client, "ASK { ?s ?p ?o }", "application/sparql-results+json",
            **{"default-graph-uri": ID + "graph/none"})
    assert r.json["boolean"] is False
    r = get(client, "ASK { ?s ?p ?o }", None, **{"default-graph-uri": "not an iri"})
    assert r.status_code == 400


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * WHERE { ?s ?p }", b"syntax"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", b"SERVICE"),
    ("ASK FROM <file:///etc/passwd> { ?s ?p ?o }", b"FROM <file:///etc/passwd> is refused"),
    ("CLEAR ALL", b"updates are refused"),
])
def test_bad_queries_get_400_with_the_reason(client, query, message):
    r = get(client, query)
    assert r.status_code == 400
    assert r.mimetype == "text/plain"
    assert message in r.data


def test_protocol_errors(client):
    assert client.put("/sparql", data="ASK {}").status_code == 405
    assert client.post("/sparql", data="ASK {}", content_type="text/plain").status_code == 415
    r = client.post("/sparql", data="ASK {}".encode("utf-16"),
                    content_type="application/sparql-query; charset=UTF-16")
    assert r.status_code == 415
    assert client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400
    assert client.get("/sparql", query_string={"update": "CLEAR ALL"}).status_code == 400


def test_updates_refused_when_read_only(client, store):
    r = client.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update",
                    headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403
    assert store.has_graph(ARTICLE)


def test_updates_with_token(tmp_path):
    kg = open_store(tmp_path / "kg")
    app = create_app(kg, workers=1, allow_update=True, token="s3cret")
    try:
        client = app.test_client()
        insert = f"INSERT DATA {{ GRAPH <{ID}graph/x> {{ <{ID}country/LAO> a <{AKG.Country}> }} }}"
        assert client.post("/sparql", data={"update": insert}).status_code == 403
        r = client.post("/sparql", data={"update": insert}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 204
        # the worker processes see the update
        assert get(client, f"ASK {{ <{ID}country/LAO> a ?t }}", "application/json").json["boolean"] is True
    finally:
        close_app(app)
        kg.close()
    with pytest.raises(ValueError):
        create_app(kg, allow_update=True)


def test_cors(client):
    r = get(client, "ASK {}")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.options("/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 200
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "Authorization" not in r.headers["Access-Control-Allow-Headers"]


def test_limits(client):
    r = get(client, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "application/json")
    assert r.status_code == 200
    assert len(r.json["results"]["bindings"]) == 4 and "X-Result-Truncated" in r.headers
    r = client.post("/sparql", data=b"ASK {}" + b" " * 20_000, content_type="application/sparql-query")
    assert r.status_code == 413
    r = client.post("/sparql", data="ASK {}" + "#" * 3_000, content_type="application/sparql-query")
    assert r.status_code == 413 and b"characters" in r.data


def test_service_description(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    graph = Graph().parse(data=r.data, format="turtle")
    endpoint = URIRef("http://localhost/sparql")
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Update) not in graph
    assert client.get("/sparql").mimetype == "text/turtle"
    assert client.get("/sparql", headers={"Accept": "application/rdf+xml"}).mimetype == "application/rdf+xml"


def test_query_page(client):
    html = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    page = html.get_data(as_text=True)
    assert "PREFIX akg: &lt;https://w3id.org/aseankg/ontology#&gt;" in page
    assert 'id="saved-queries"' in page and "Who took part in a meeting" in page
    assert "http://" not in page.replace("http://www.w3.org", "").split("<textarea")[0]  # no CDN
    r = get(client, SELECT, "text/html")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="result-table"' in page
    assert '<a href="/id/country/VNM">country:VNM</a>' in page  # a name that pastes back into a query
    assert "format=csv" in page and "format=json" in page
    r = get(client, "SELECT * WHERE { ?s ?p }", "text/html")
    assert r.status_code == 400 and 'id="error"' in r.get_data(as_text=True)


def test_static_assets_are_local(client):
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/query.js").status_code == 200


def test_health_and_openapi(client):
    health = client.get("/health").json
    assert health["status"] == "ok" and health["read_only"] is True and len(health["workers"]) == 1
    spec = client.get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert {"get", "post"} <= set(spec["paths"]["/sparql"])
    json.dumps(spec)
