"""Descriptions of the service: the SPARQL 1.1 Service Description graph and the OpenAPI document.

>>> graph = service_description("http://127.0.0.1:8000/sparql")
>>> (URIRef("http://127.0.0.1:8000/sparql"), SD.endpoint, URIRef("http://127.0.0.1:8000/sparql")) in graph
True
>>> sorted(openapi()["paths"])
['/health', '/openapi.json', '/sparql']
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from .. import settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: W3C format IRIs of the result formats the endpoint writes.
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG")


def service_description(endpoint: str, *, allow_update: bool = False) -> Graph:
    """The service description of the endpoint at URL ``endpoint`` (SPARQL 1.1 Service Description)."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, RDFS.label, Literal("aseankg SPARQL endpoint", lang="en")))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if allow_update:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDFS.comment, Literal("The RDF merge of all named graphs (each triple once): one per "
                                              "article, plus the reference data, the ontology and the "
                                              "inferences.", lang="en")))
    for iri in (settings.REFERENCE_GRAPH, settings.ONTOLOGY_GRAPH, settings.INFERENCE_GRAPH):
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(iri)))
    return graph


_OPERATION_PARAMS = [
    {"name": "query", "in": "query", "schema": {"type": "string"},
     "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE)."},
    {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Graphs of this store forming the default graph (replaces the query's FROM)."},
    {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Graphs of this store available to GRAPH (replaces the query's FROM NAMED)."},
    {"name": "format", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Result format, overriding Accept: json, xml, csv, tsv; turtle, nt, jsonld, xml, "
                    "nquads, trig; or a media type. Repeated, a list of preferences: the first that fits "
                    "the query's form wins, unknown ones are skipped."},
]
_RESULTS = {
    "200": {"description": "Query results", "content": {t: {} for t in (
        "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
        "text/tab-separated-values", "text/turtle", "application/n-triples", "application/ld+json",
        "application/rdf+xml", "text/html")}},
    "400": {"description": "Malformed or refused query (the message says why)"},
    "406": {"description": "No acceptable result format"},
    "413": {"description": "Request body or query too long"},
    "415": {"description": "Unsupported request media type or charset"},
    "503": {"description": "The query ran past its time limit and was stopped"},
}


_CONVERTER = re.compile(r"<(?:[a-z]+:)?(\w+)>")


def openapi_path(rule: str) -> str:
    """A Flask route as an OpenAPI path: ``/id/<path:path>/ego.svg`` → ``/id/{path}/ego.svg``."""
    return _CONVERTER.sub(r"{\1}", rule)


def route_paths(app) -> dict:
    """OpenAPI path items for every route of ``app``: each method's summary is the first line of its
    view's docstring, each ``<...>`` part of the route a path parameter."""
    paths: dict = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        doc = (view.__doc__ or f"Files under {rule.rule.split('<')[0]}").strip()
        summary = " ".join(doc.split("\n\n")[0].split())
        params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in _CONVERTER.findall(rule.rule)]
        item = paths.setdefault(openapi_path(rule.rule), {})
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            item[method.lower()] = {"summary": summary, "parameters": params,
                                    "responses": {"200": {"description": "OK"}}}
    return paths


def openapi(*, allow_update: bool = False, app=None) -> dict:
    """The OpenAPI 3.1 description of the HTTP interface: the SPARQL endpoint in full and, given the
    Flask ``app``, every other route it serves (``route_paths``)."""
    post_body = {"content": {
        "application/sparql-query": {"schema": {"type": "string"}},
        "application/sparql-update": {"schema": {"type": "string"}},
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "update": {"type": "string"}}}},
    }}
    post_responses = dict(_RESULTS)
    post_responses["204"] = {"description": "Update done"}
    post_responses["403"] = {"description": "Updates are disabled, or the bearer token is missing or wrong"}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "aseankg", "version": "0.1.0",
                 "description": "SPARQL 1.1 Protocol endpoint over the ASEAN knowledge graph"
                                + ("" if allow_update else " (read-only)") + "."},
        "paths": {
            "/sparql": {
                "get": {"summary": "Run a query; without one, the service description (RDF) or the query "
                                   "page (HTML)", "parameters": _OPERATION_PARAMS, "responses": _RESULTS},
                "post": {"summary": "Run a query, or an update when enabled (Authorization: Bearer)",
                         "parameters": _OPERATION_PARAMS[1:], "requestBody": post_body,
                         "responses": post_responses},
            },
            "/health": {"get": {"summary": "Liveness", "responses": {"200": {"description": "Alive",
                                "content": {"application/json": {}}}}}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {
                "description": "OpenAPI document", "content": {"application/json": {}}}}}},
        },
    }
    if app is not None:
        for path, item in route_paths(app).items():
            document["paths"].setdefault(path, item)
    return document
