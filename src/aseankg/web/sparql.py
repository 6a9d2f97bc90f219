"""The ``/sparql`` blueprint: the SPARQL 1.1 Protocol (query and update operations, content
negotiation, service description, CORS) and, for browsers, the query page."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request, url_for

from .. import settings
from ..results import ID_PREFIXES, PREFIXES, compact
from ..safety import QueryRefused, QuerySyntaxError
from ..store import OverLimit, QueryTimeout, StoreError
from ..xmltext import neutralise_csv
from .cors import HEADERS as READ_ONLY_CORS
from .cors import add_headers
from .describe import service_description
from .endpoint import Endpoint
from .fairness import TooBusy, client, refusal
from .protocol import (
    GRAPH_TYPES,
    RESULT_TYPES,
    Operation,
    ProtocolError,
    choose_format,
    media_type,
    read_operation,
    url_params,
)

bp = Blueprint("sparql", __name__)

#: Media types a service description is offered in (rdflib format names).
DESCRIPTION_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                     "application/ld+json": "json-ld", "application/trig": "trig"}
#: CORS of the endpoint: as every shared view's (``cors``), and queries may be POSTed with a Content-Type.
CORS_HEADERS = {**READ_ONLY_CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Accept, Content-Type"}
#: The prefixes the query editor starts with.
EDITOR_PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", **PREFIXES, **ID_PREFIXES}


def endpoint() -> Endpoint:
    return current_app.extensions["aseankg"]


def _plain(message: str, status: int, **headers) -> Response:
    return Response(f"{message}\n", status, mimetype="text/plain", headers=headers)


@bp.after_request
def cors(response: Response) -> Response:
    """Read-only CORS: any origin may run queries (no credentials, no Authorization header)."""
    add_headers(response, CORS_HEADERS)
    response.vary.add("Accept")
    return response


def wants_html() -> bool:
    """True when the client prefers HTML to every result format (a browser)."""
    if "html" not in request.headers.get("Accept", "").lower():
        # without HTML named, a wildcard picks a result format first: skip the negotiation (~0.1 ms)
        return False
    offered = [*RESULT_TYPES, *GRAPH_TYPES, "text/html"]
    accept = request.accept_mimetypes
    return accept.best_match(offered) == "text/html" and accept["text/html"] > 0


@bp.route("/sparql", methods=["GET", "POST"], strict_slashes=False)
def sparql():
    """The SPARQL 1.1 Protocol endpoint (and, for browsers, the query page)."""
    ep = endpoint()
    limits = ep.limits
    if request.content_length is not None and request.content_length > limits.max_body:
        return _plain(f"the request body is {request.content_length:,} bytes; "
                      f"the limit is {limits.max_body:,}", 413)
    body = request.stream.read(limits.max_body + 1) if request.method == "POST" else b""
    if len(body) > limits.max_body:
        return _plain(f"the request body is over the {limits.max_body:,} byte limit", 413)
    try:
        params = url_params(request.query_string)
        op = read_operation(request.method, params, request.headers.get("Content-Type"), body,
                            max_length=limits.max_query_length)
    except ProtocolError as error:
        return _plain(error.message, error.status)
    html = wants_html() and not op.formats
    if op.kind == "none":
        return query_page() if html else describe()
    if op.kind == "update":
        return run_update(ep, op)
    if html:
        return query_page(op)
    return run_query(ep, op, download=bool((params.get("download") or [""])[0]))


def describe() -> Response:
    """The service description, in the RDF format the client accepts best (Turtle by default)."""
    accept = request.accept_mimetypes
    best = accept.best_match(list(DESCRIPTION_TYPES)) if accept else "text/turtle"
    if best is None:
        return _plain(f"the service description is available as {', '.join(DESCRIPTION_TYPES)}", 406)
    graph = service_description(request.base_url, allow_update=endpoint().allow_update)
    return Response(graph.serialize(format=DESCRIPTION_TYPES[best], encoding="utf-8"), 200, mimetype=best)


def base_url() -> str:
    """``request.base_url`` (the base IRI of a query sent here), remembered per host and path:
    werkzeug builds it with IRI decoding each time, a tenth of a cheap request's Flask time."""
    environ = request.environ
    key = (request.scheme, request.host, environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""))
    found = _BASE_URLS.get(key)
    if found is None:
        if len(_BASE_URLS) >= 256:  # bounded: a client may send any Host header
            _BASE_URLS.clear()
        found = _BASE_URLS[key] = request.base_url
    return found


_BASE_URLS: dict[tuple[str, str, str, str], str] = {}


def _failure(error: Exception) -> Response:
    if isinstance(error, TooBusy):
        return refusal(error)
    if isinstance(error, ProtocolError):
        return _plain(error.message, error.status)
    if isinstance(error, QueryRefused | QuerySyntaxError):
        return _plain(str(error), 400)
    if isinstance(error, QueryTimeout):
        return refusal(error)
    if isinstance(error, OverLimit):  # time, memory or answer bytes
        return _plain(str(error), 503)
    return _plain(str(error), 500)


def run_query(ep: Endpoint, op: Operation, *, download: bool = False) -> Response:
    try:
        kind = ep.check(op)
        fmt = choose_format(kind, request.accept_mimetypes, op.formats)
        if fmt is None:
            table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
            return _plain(f"no acceptable format for this result; offered: {', '.join(table)}", 406)
        answer = ep.query(op, fmt, base_iri=base_url(), client=client())
    except (ProtocolError, QueryRefused, QuerySyntaxError, StoreError, TooBusy) as error:
        return _failure(error)
    headers = {}
    body = answer.body
    if answer.truncated:
        headers["X-Result-Truncated"] = f"cut at {ep.limits.max_rows} rows"
    if download:
        extension = {"json": "json", "jsonld": "jsonld", "turtle": "ttl", "nt": "nt", "nquads": "nq"}
        headers["Content-Disposition"] = f'attachment; filename="results.{extension.get(fmt, fmt)}"'
        if fmt in ("csv", "tsv"):  # a download is for spreadsheets: no cell may run as a formula
            body = neutralise_csv(body, fmt)
    headers["Content-Length"] = str(len(body))
    return Response(chunks(body), 200, mimetype=media_type(answer.kind, fmt), headers=headers)


def chunks(body: bytes, size: int = 1 << 18):
    """``body`` in pieces: waitress then buffers about 16 MB for a client that does not read (the thread
    waits, and the connection is dropped after waitress's channel timeout) instead of spooling it all."""
    for start in range(0, len(body), size):
        yield body[start:start + size]


def run_update(ep: Endpoint, op: Operation) -> Response:
    if not ep.allow_update:
        return _failure(ProtocolError(403, "this endpoint is read-only: updates are refused"))
    token = current_app.config.get("UPDATE_TOKEN")
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return _plain("updates need the bearer token the endpoint was started with "
                      "(Authorization: Bearer ...)", 403, **{"WWW-Authenticate": 'Bearer realm="aseankg"'})
    try:
        ep.update(op, base_iri=request.base_url)
    except (ProtocolError, QueryRefused, QuerySyntaxError, StoreError) as error:
        return _failure(error)
    return Response(status=204)


# ---------------------------------------------------------------------------------------- the page

@dataclass(frozen=True)
class Example:
    """A saved query as the page offers it: name, title, question and runnable text."""

    name: str
    title: str
    question: str
    text: str


def examples() -> list[Example]:
    """The saved queries in ``queries/``, with their parameters bound to their defaults."""
    try:
        from ..queries import saved_queries
        from ..safety import bind_values
    except ImportError:  # pragma: no cover - the module arrives with the saved queries
        return [Example(p.stem, p.stem, "", p.read_text(encoding="utf-8"))
                for p in sorted(settings.QUERIES_DIR.glob("*.rq"))]
    found = []
    for saved in saved_queries():
        text = saved.text
        try:
            bindings = saved.bindings()
            if bindings:
                text = bind_values(saved.text, bindings)
        except Exception:  # an unbindable default: offer the query as written
            text = saved.text
        found.append(Example(saved.name, saved.title, saved.question, text))
    return found


def default_query() -> str:
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in EDITOR_PREFIXES.items())
    body = ("SELECT DISTINCT ?meeting ?label ?start WHERE {\n"
            "  ?meeting a/rdfs:subClassOf* akg:Meeting ; rdfs:label ?label .\n"
            "  OPTIONAL { ?meeting schema:startDate ?start }\n}\n")
    return f"{prefixes}\n{body}ORDER BY ?start ?label\nLIMIT 50\n"


def cell(term: dict | None) -> dict:
    """How the page shows one SPARQL JSON term: text, an optional link, and a note (language or datatype)."""
    if term is None:
        return {"text": "", "href": None, "note": ""}
    value = term["value"]
    if term["type"] == "uri":
        if value.startswith(settings.ID_NS):
            return {"text": compact(value), "href": "/id/" + value[len(settings.ID_NS):], "note": ""}
        for prefix, namespace in EDITOR_PREFIXES.items():
            if value.startswith(namespace) and len(value) > len(namespace):
                return {"text": f"{prefix}:{value[len(namespace):]}", "href": None, "note": value}
        return {"text": value, "href": None, "note": ""}
    if term["type"] == "bnode":
        return {"text": "_:" + value, "href": None, "note": ""}
    note = term.get("xml:lang") and "@" + term["xml:lang"]
    if not note and term.get("datatype"):
        datatype = term["datatype"]
        note = "xsd:" + datatype.split("#", 1)[1] if datatype.startswith(PREFIXES["xsd"]) else datatype
    return {"text": value, "href": None, "note": note or ""}


def query_page(op: Operation | None = None) -> Response:
    """The HTML query page; with ``op``, the query is run and its result shown as a table."""
    ep = endpoint()
    context = {"query": op.text if op else default_query(), "examples": examples(), "error": None,
               "result": None, "limits": ep.limits, "downloads": []}
    status = 200
    if op is not None:
        try:
            kind = ep.check(op)
            answer = ep.query(op, "table", base_iri=request.base_url, client=client())
        except (ProtocolError, QueryRefused, QuerySyntaxError, StoreError, TooBusy) as error:
            response = _failure(error)
            context["error"] = response.get_data(as_text=True).strip()
            status = response.status_code
        else:
            data = json.loads(answer.body)
            if "boolean" in data:
                result = {"boolean": data["boolean"]}
            else:
                names = data["head"]["vars"]
                rows = [[cell(b.get(n)) for n in names] for b in data["results"]["bindings"]]
                result = {"vars": names, "rows": rows}
            result.update(kind=kind, count=answer.rows, truncated=answer.truncated)
            context["result"] = result
            formats = ["csv", "json"] if kind != "graph" else ["turtle", "jsonld", "nt"]
            params = {"query": op.text, "default-graph-uri": list(op.default_graphs),
                      "named-graph-uri": list(op.named_graphs)}
            context["downloads"] = [(fmt.upper() if len(fmt) < 5 else fmt.title(),
                                     url_for("sparql.sparql", format=fmt, download=1, **params))
                                    for fmt in formats]
    return Response(render_template("sparql.html", **context), status, mimetype="text/html")
