"""The tools users already run, against a live ``aseankg serve`` on the seed articles (issue 18):
SPARQLWrapper in every return format it has (it repeats ``format``), the same requests by hand over
HTTP, and entity pages as RDF/XML."""

from __future__ import annotations

import json
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
