"""A store behind any SPARQL 1.1 server, over the standard protocols and the standard library only.

Queries go over the SPARQL 1.1 Protocol, updates over SPARQL 1.1 Update, and article graphs are
written with the Graph Store Protocol (one idempotent ``PUT`` per graph) where the store has one,
else with one SPARQL Update request per graph (``DROP SILENT GRAPH``, then ``INSERT DATA``, and
``INSERT {...} WHERE {}`` for triples with blank nodes).
Every query is checked by ``safety.check_query`` before it leaves the process.

A store is configured by its real URLs, used as given: the query URL, and optionally the update
and Graph Store URLs; what is not given follows the known layouts of Oxigraph, Fuseki and RDF4J,
else updates go to the query URL and graphs are written with SPARQL Update (Virtuoso's ``/sparql``):

>>> derive_endpoints("http://127.0.0.1:7878/query")
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> derive_endpoints("http://localhost:3030/aseankg/sparql")[1:]
('http://localhost:3030/aseankg/update', 'http://localhost:3030/aseankg/data')
>>> derive_endpoints("http://127.0.0.1:8890/sparql")
('http://127.0.0.1:8890/sparql', 'http://127.0.0.1:8890/sparql', None)
>>> derive_endpoints("http://127.0.0.1:8890/sparql", gsp_url="http://127.0.0.1:8890/sparql-graph-crud")[2]
'http://127.0.0.1:8890/sparql-graph-crud'

Answers are read leniently where the standards allow it (``lenient``): unknown members of a JSON
answer are ignored, any blank-node label (Virtuoso's ``nodeID://b10069``) is accepted, the SPARQL 2008
``typed-literal`` type is read as ``literal``, Virtuoso's ``1``/``0`` booleans and ``__ASK_RETVAL``
answers as what they are; and strictly where safety needs it (size and time caps, no XML DOCTYPE or
entities). Only graphs under ``https://w3id.org/aseankg/`` are the knowledge graph's data.

Union of named graphs: a remote store writes only the named graphs, and queries see the union the
server computes. A server started that way (``oxigraph serve --union-default-graph``, Fuseki's
``tdb2:unionDefaultGraph true``) is detected and used as is; otherwise each query carries its
dataset explicitly (``default-graph-uri``/``named-graph-uri`` parameters listing the graphs),
which works everywhere but costs more with many graphs. Unlike the embedded store's merged
default graph, Oxigraph's union is a bag: a triple that five articles state matches five times,
so counts without ``DISTINCT`` can differ (Fuseki's union is a set).
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from . import settings
from .dumps import write_quads
from .lenient import boolean_as_written, lenient_json, shorten
from .records import ARTICLE_RECORDS_QUERY, ArticleRecord, article_records_from
from .results import QueryResult, from_oxigraph, graph_from_triples, ntriples_lines, to_oxigraph
from .safety import bind_values, inspect_query
from .store import QueryTimeout, StoreError, _iri

RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
#: The default cap on the size of one answer, in bytes (``RemoteStore(max_response=...)``): what is
#: read is held in memory, and parsing it takes about as much again.
MAX_RESPONSE_BYTES = 64 << 20
#: The cap for the answers that are the whole dataset by design (``dump``, ``union_graph``).
MAX_DUMP_BYTES = 1 << 30
#: Redirects followed, each to the same scheme, host and port only.
MAX_REDIRECTS = 3
#: What an answer may be written in, by media type (a server may ignore Accept).
RESULT_PARSERS = {RESULTS_JSON: ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
                  "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                  "application/xml": ox.QueryResultsFormat.XML, "text/xml": ox.QueryResultsFormat.XML}
GRAPH_PARSERS = {NTRIPLES: ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                 "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
                 "application/xml": ox.RdfFormat.RDF_XML, "text/xml": ox.RdfFormat.RDF_XML}


class _Body(bytes):
    """An answer's bytes, with the media type the server said they are in."""

    media_type: str = ""


def derive_endpoints(query_url: str, update_url: str | None = None,
                     gsp_url: str | None = None) -> tuple[str, str, str | None]:
    """``(query, update, graph store)`` URLs of a store whose query endpoint is ``query_url``.

    The query URL is used exactly as given. Explicit update and Graph Store URLs are used as given
    too; ``gsp_url=""`` (or ``"none"``) means no Graph Store: graphs are written with SPARQL Update.
    What is not given follows the server's known layout, read from the query URL's path:

    - ``/query`` at the root: Oxigraph (``/update``, ``/store``);
    - ``/<dataset>/query`` or ``/<dataset>/sparql``: Fuseki (``/<dataset>/update``, ``/<dataset>/data``);
    - ``/repositories/<id>``: RDF4J and GraphDB (``.../statements``, ``.../rdf-graphs/service``);
    - anything else (Virtuoso's ``/sparql``, a root URL, ...): updates to the query URL itself
      (the SPARQL 1.1 Protocol allows one URL for both) and no Graph Store.
    """
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    segments = [s for s in path.split("/") if s]

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit(parts._replace(path=new_path, query="", fragment=""))

    if last == "query" and not head:  # Oxigraph
        update, store = at("/update"), at("/store")
    elif last in ("query", "sparql") and head:  # Fuseki
        update, store = at(f"{head}/update"), at(f"{head}/data")
    elif len(segments) >= 2 and segments[-2] == "repositories":  # RDF4J, GraphDB
        update, store = at(f"{path}/statements"), at(f"{path}/rdf-graphs/service")
    else:
        update, store = query_url, None
    if gsp_url is not None:
        store = None if gsp_url.strip().lower() in ("", "none") else gsp_url
    return query_url, update_url or update, store


#: Only graphs under this IRI are the knowledge graph's data: a store's own graphs (Virtuoso's system
#: graphs, other projects' data in a shared store) are neither counted, dumped nor queried as ours.
PROJECT_GRAPHS = "https://w3id.org/aseankg/"
#: What stands for the default graph in Virtuoso's updates (see ``RemoteStore._update``).
VIRTUOSO_DEFAULT_GRAPH = "urn:aseankg:default-graph"
OURS = f'FILTER (STRSTARTS(STR(?g), "{PROJECT_GRAPHS}"))'


class RemoteStore:
    """The ``Store`` interface over a SPARQL 1.1 server.

    ``union_default_graph``: ``True`` if the server's default graph is the union of its named
    graphs, ``False`` if not, ``None`` to find out (once there is data to tell by).
    ``timeout`` is the default time limit in seconds for each HTTP request, ``max_response`` the
    most bytes an answer may have. Answers are parsed by pyoxigraph in the format the server says
    they are in; XML that declares a DOCTYPE is refused before any parser sees it (entity
    expansion, external entities).
    """

    def __init__(self, query_url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 union_default_graph: bool | None = None, timeout: float = 60.0,
                 max_response: int = MAX_RESPONSE_BYTES) -> None:
        self.query_url, self.update_url, self.gsp_url = derive_endpoints(query_url, update_url, gsp_url)
        self.location = self.query_url
        self.union_default_graph = union_default_graph
        #: The graph that stands for the default graph in updates, on a server without a plain one.
        self.update_default_graph: str | None = None
        self.timeout = timeout
        self.max_response = max_response

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------------------------ HTTP
    def _request(self, url: str, *, method: str = "GET", data: bytes | None = None,
                 headers: Mapping[str, str] | None = None, timeout: float | None = None,
                 missing_ok: bool = False, cap: int | None = None) -> bytes | None:
        """One HTTP exchange, whole within ``timeout`` seconds (connecting, headers and body together:
        a server trickling a byte at a time is cut off at the deadline) and ``cap`` bytes (default
        ``max_response``).

        A redirect is followed only to the same scheme, host and port (at most ``MAX_REDIRECTS``),
        so neither the query nor any credential goes to a host the caller did not name."""
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        for _ in range(MAX_REDIRECTS + 1):
            status, reason, response_headers, body = self._exchange(url, method, data, headers, limit, deadline,
                                                                    cap or self.max_response)
            if status in (301, 302, 303, 307, 308) and response_headers.get("Location"):
                target = urllib.parse.urljoin(url, response_headers["Location"])
                if _origin(target) != _origin(url):
                    raise StoreError(f"{method} {shorten(url)} redirected to another server "
                                     f"({shorten(_origin(target))}): refused, so that the query and any "
                                     "credential stay with the server named; use the final address")
                if status == 303 or (status in (301, 302) and method == "POST"):
                    method, data = "GET", None
                url = target
                continue
            break
        else:
            raise StoreError(f"{shorten(url)} redirected more than {MAX_REDIRECTS} times")
        if status == 404 and missing_ok:
            return None
        if status >= 400:
            detail = body[:500].decode("utf-8", "replace").strip()
            raise StoreError(f"{method} {shorten(url)} answered HTTP {status} {reason}"
                             + (f": {detail}" if detail else ""))
        answer = _Body(body)
        answer.media_type = response_headers.get_content_type()
        return answer

    def _exchange(self, url: str, method: str, data: bytes | None, headers: Mapping[str, str] | None,
                  limit: float, deadline: float, cap: int):
        """``(status, reason, headers, body)`` of one request, without following redirects.

        A watchdog shuts the socket at ``deadline``, which ends any read at once; each read also
        has the time left as its socket timeout."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"{shorten(url)} is not an http(s) URL")
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        left = deadline - time.monotonic()
        if left <= 0:
            raise QueryTimeout(f"{method} {shorten(url)} got no answer within {limit:g} s")
        connection = kind(parts.hostname, parts.port, timeout=left)
        path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        expired = threading.Event()

        def cut() -> None:
            expired.set()
            with contextlib.suppress(OSError, AttributeError):
                connection.sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(left, cut)
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.request(method, path, body=data, headers=dict(headers or {}))
            response = connection.getresponse()
            chunks, size = [], 0
            while size <= cap:
                chunk = response.read1(min(1 << 20, cap + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > deadline:
                    expired.set()
                    break
            if expired.is_set():
                raise TimeoutError
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            if expired.is_set() or isinstance(error, TimeoutError):
                raise QueryTimeout(f"{method} {shorten(url)} did not answer in full within {limit:g} s "
                                   "(the time limit; RemoteStore(timeout=...))") from None
            if isinstance(error, http.client.HTTPException):  # the connection broke off mid-answer
                raise StoreError(f"the SPARQL store at {shorten(url)} broke off its answer to {method} "
                                 f"({type(error).__name__}); is it still running?") from error
            raise StoreError(f"cannot reach the SPARQL store at {shorten(url)}: {error}") from error
        finally:
            watchdog.cancel()
            connection.close()
        if size > cap:
            raise StoreError(f"{method} {shorten(url)} answered more than {cap:,} bytes, "
                             f"the limit (RemoteStore(max_response=...))")
        return response.status, response.reason, response.headers, b"".join(chunks)

    def _parse(self, body: bytes, url: str, *, graph: bool):
        """``body`` parsed as query results (``graph=False``) or triples, in the format the server
        named, whole (a syntax error anywhere is a ``StoreError`` naming ``url`` and the position)."""
        media = getattr(body, "media_type", "")
        if media in ("text/html", "application/xhtml+xml"):  # an error page sent with 200
            raise StoreError(f"{shorten(url)} answered with an HTML page, not SPARQL results or RDF "
                             f"(it begins {bytes(body[:80]).decode('utf-8', 'replace')!r}); is this the query URL?")
        if media not in (GRAPH_PARSERS if graph else RESULT_PARSERS):
            media = NTRIPLES if graph else RESULTS_JSON  # what was asked for
        if "xml" in media and (b"<!DOCTYPE" in body or b"<!ENTITY" in body):
            raise StoreError(f"{shorten(url)} sent an XML answer that declares a DOCTYPE or entities: "
                             "refused (entities could expand without bound or read local files)")
        if not graph and RESULT_PARSERS[media] == ox.QueryResultsFormat.JSON:
            body = lenient_json(body, url)
        try:
            if graph:
                return [boolean_as_written(q) for q in ox.parse(bytes(body), GRAPH_PARSERS[media])]
            answer = ox.parse_query_results(bytes(body), format=RESULT_PARSERS[media])
            if isinstance(answer, ox.QuerySolutions):
                variables = answer.variables
                return _Solutions(variables, list(answer))
            return answer
        except (SyntaxError, ValueError) as error:
            answer = None  # pyoxigraph's reader may not be dropped on another thread (a traceback's)
            raise StoreError(f"{shorten(url)} sent an answer ({media}) that does not parse: {error}") from None

    def _graph_url(self, iri: str) -> str:
        if not self.gsp_url:
            raise StoreError("this store has no Graph Store URL (RemoteStore(gsp_url=...))")
        return f"{self.gsp_url}?{urllib.parse.urlencode({'graph': str(iri)})}"

    def _post_query(self, sparql: str, accept: str, *, dataset: list[str] | None = None,
                    timeout: float | None = None, cap: int | None = None):
        """Send a query; returns pyoxigraph's parsed answer (solutions, boolean or triples)."""
        fields = [("query", sparql)]
        if dataset is not None:
            fields += [("default-graph-uri", g) for g in dataset]
            fields += [("named-graph-uri", g) for g in dataset]
        body = self._request(self.query_url, method="POST", data=urllib.parse.urlencode(fields).encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                             timeout=timeout, cap=cap)
        return self._parse(body, self.query_url, graph=accept == NTRIPLES)

    def _select(self, sparql: str) -> QueryResult:
        """Run one of the library's own queries (over all named graphs via ``GRAPH``)."""
        return from_oxigraph(self._post_query(sparql, RESULTS_JSON))

    def _update(self, update: str) -> None:
        """One SPARQL Update request (form-encoded ``update=``, which every server reads).

        Virtuoso has no plain default graph to write: an update that touches the default graph is
        refused at compile time (SP031, nothing done) and sent once more with Virtuoso's preamble
        naming ``VIRTUOSO_DEFAULT_GRAPH`` as the default graph (outside the project's graphs, so
        neither counted nor dumped, as a default graph is not elsewhere)."""
        for _ in range(2):
            text = update if not self.update_default_graph else (
                f"DEFINE input:default-graph-uri <{self.update_default_graph}>\n{update}")
            try:
                self._request(self.update_url, method="POST",
                              data=urllib.parse.urlencode({"update": text}).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
                return
            except StoreError as error:
                if self.update_default_graph or "No plain default graph specified" not in str(error):
                    raise
                self.update_default_graph = VIRTUOSO_DEFAULT_GRAPH

    # --------------------------------------------------------------------------------- writing
    def update(self, update: str) -> None:
        """Run one SPARQL Update of the library's own (consolidation) at the update endpoint."""
        self._update(update)

    def write_article(self, iri: str, triples: Iterable[tuple], *, replaces: Iterable[str] = ()) -> None:
        """``PUT`` graph ``iri`` (Graph Store Protocol), then drop the graphs in ``replaces``.

        The ``PUT`` replaces the graph in one request on the server, so it is atomic and
        idempotent; the older versions are dropped afterwards, so a failure in between leaves
        both versions rather than neither.
        """
        self.put_graph(iri, triples)
        old = [_iri(g) for g in replaces if str(g) != str(iri)]
        if old:
            self._update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in old))

    def writing_in_batches(self, size: int = 0) -> contextlib.AbstractContextManager:
        """Nothing to batch: each article is one ``PUT``, as outside a build."""
        return contextlib.nullcontext()

    def put_graph(self, iri: str, graph: Graph | Iterable[tuple]) -> None:
        """Replace the whole named graph ``iri`` (Graph Store Protocol ``PUT``; without a Graph Store
        URL, one SPARQL Update request: ``DROP SILENT GRAPH``, then ``INSERT DATA`` for the triples
        without blank nodes and ``INSERT {...} WHERE {}`` for those with them, which Virtuoso refuses
        in ``INSERT DATA``)."""
        name = _iri(iri)
        lines = list(ntriples_lines(graph))
        if not self.gsp_url:
            # Not a template for all: Virtuoso 7 compiles a template's constants into one list and
            # merges those it finds equal, so "2025"^^xsd:gYear after "2025-01"^^xsd:gYearMonth in
            # the same template was written as "2025-01"^^xsd:gYearMonth (issue 18).
            inserts = (f"INSERT {{ GRAPH {name} {{\n{''.join(part)}}} }} WHERE {{}}" if blank
                       else f"INSERT DATA {{ GRAPH {name} {{\n{''.join(part)}}} }}"
                       for part, blank in _insert_parts(lines, name))
            self._update(" ;\n".join([f"DROP SILENT GRAPH {name}", *inserts]))
            return
        body = "".join(lines).encode()
        self._request(self._graph_url(iri), method="PUT", data=body,
                      headers={"Content-Type": NTRIPLES})

    # --------------------------------------------------------------------------------- reading
    def has_graph(self, iri: str) -> bool:
        return bool(self._select(f"ASK {{ GRAPH {_iri(iri)} {{ ?s ?p ?o }} }}").boolean)

    def graph(self, iri: str) -> Graph:
        """A copy of named graph ``iri`` (Graph Store Protocol ``GET``, else a ``CONSTRUCT``; empty if
        there is none)."""
        if not self.gsp_url:
            return graph_from_triples(self._post_query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(iri)} {{ ?s ?p ?o }} }}", NTRIPLES,
                cap=max(self.max_response, MAX_DUMP_BYTES)), identifier=str(iri))
        url = self._graph_url(iri)
        body = self._request(url, headers={"Accept": NTRIPLES}, missing_ok=True)
        triples = self._parse(body, url, graph=True) if body else ()
        return graph_from_triples(triples, identifier=str(iri))

    def union_graph(self, *, inference: bool = False) -> Graph:
        """All triples of all named graphs as one rdflib graph, with or without inferences."""
        keep = OURS + ("" if inference else f" FILTER (?g != {_iri(settings.INFERENCE_GRAPH)})")
        return graph_from_triples(self._post_query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {keep} }}", NTRIPLES,
            cap=max(self.max_response, MAX_DUMP_BYTES)))

    def article_records(self) -> dict[str, ArticleRecord]:
        return article_records_from(self._select(ARTICLE_RECORDS_QUERY).rows)

    def named_graphs(self) -> list[str]:
        """The IRIs of all named graphs, sorted."""
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }}").rows
        return sorted(str(g) for (g,) in rows)

    def _union_is_default(self) -> bool | None:
        """Whether the server's default graph is the union of its named graphs (``None``: no data yet)."""
        if self.union_default_graph is None:
            sample = self._select("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                                  f"FILTER (isIRI(?s) && !isBlank(?o)) {OURS} }} LIMIT 1").rows
            if not sample:
                return None
            s, p, o = (str(to_oxigraph(term)) for term in sample[0])
            union = bool(self._select(f"ASK {{ {s} {p} {o} }}").boolean)
            # A union that also holds other graphs (Virtuoso's system graphs) is not ours alone.
            foreign = union and bool(self._select(
                f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (!STRSTARTS(STR(?g), \"{PROJECT_GRAPHS}\")) }}").boolean)
            self.union_default_graph = union and not foreign
        return self.union_default_graph

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, inference: bool = True,
              timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
        """Run a read-only SPARQL query (checked by ``safety.check_query`` before it is sent).

        Same meaning as ``EmbeddedStore.query``: the default graph is the union of the named
        graphs, ``inference=False`` leaves out the inference graph, bindings are sent as a
        ``VALUES`` block with the terms serialised as in N-Triples.
        """
        info = inspect_query(sparql)  # cached by text; the VALUES block adds only serialised terms
        text = bind_values(sparql, bindings) if bindings else sparql
        dataset = None
        if not info.has_dataset:
            if not inference:
                dataset = [g for g in self.named_graphs() if g != settings.INFERENCE_GRAPH]
            elif self._union_is_default() is False:
                dataset = self.named_graphs()
        accept = NTRIPLES if info.kind == "graph" else RESULTS_JSON
        answer = self._post_query(text, accept, dataset=dataset, timeout=timeout)
        if info.kind == "graph":
            triples = list(answer)
            truncated = max_rows is not None and len(triples) > max_rows
            graph = graph_from_triples(triples[:max_rows] if truncated else triples)
            return QueryResult("graph", graph=graph, truncated=truncated)
        return from_oxigraph(answer, max_rows=max_rows)

    def dump(self, out: BinaryIO, format: str = "nquads") -> int:
        """Write every quad of every named graph to ``out`` (``nquads`` or ``trig``), sorted."""
        body = self._request(self.query_url, method="POST", data=urllib.parse.urlencode(
            {"query": f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }}"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS_JSON},
            cap=max(self.max_response, MAX_DUMP_BYTES))
        solutions = self._parse(body, self.query_url, graph=False)
        quads = (ox.Quad(row[0], row[1], row[2], row[3]) for row in solutions)
        return write_quads(quads, out, format)

    def triple_count(self) -> int:
        """The number of quads in all named graphs."""
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }}").rows
        return int(rows[0][0]) if rows else 0

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""



def _origin(url: str) -> str:
    """``scheme://host:port`` of ``url`` (the port spelled out), to compare redirect targets."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


#: Triples per ``INSERT`` operation when a graph is written with SPARQL Update (Virtuoso refuses
#: one operation whose SQL would exceed 10,000 lines: about a thousand triples).
INSERT_PART = 200
_SUBJECT_BLANK = re.compile(r"^(_:\S+)")
_OBJECT_BLANK = re.compile(r"(_:\S+) \.\s*$")


def _insert_parts(lines: list[str], graph: str) -> list[tuple[list[str], bool]]:
    """N-Triples ``lines`` in parts of about ``INSERT_PART`` for one ``INSERT`` operation each, with
    whether the part holds blank nodes: the triples that share blank nodes in one part (a blank node
    in a template is new in each operation), parts with blank nodes apart from those without, the
    graph's own triples (its article record) in the last part, so that a write cut off midway leaves
    no record and the next build writes the graph again."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    blanks = []
    for line in lines:
        found = [m.group(1) for m in (_SUBJECT_BLANK.match(line), _OBJECT_BLANK.search(line)) if m]
        blanks.append(found)
        if len(found) == 2:
            parent[root(found[0])] = root(found[1])
    groups: dict[str, list[str]] = {}
    plain, own = [], []
    for line, found in zip(lines, blanks, strict=True):
        if line.startswith(graph + " "):
            own.append(line)
        elif found:
            groups.setdefault(root(found[0]), []).append(line)
        else:
            plain.append(line)
    parts: list[tuple[list[str], bool]] = []
    for blank, run in ((True, list(groups.values())), (False, [[line] for line in plain])):
        part: list[str] = []
        for group in run:
            if part and len(part) + len(group) > INSERT_PART:
                parts.append((part, blank))
                part = []
            part.extend(group)
        if part:
            parts.append((part, blank))
    if own:
        parts.append((own, any(_SUBJECT_BLANK.match(x) or _OBJECT_BLANK.search(x) for x in own)))
    return parts


class _Solutions(list):
    """Parsed solutions with their variables, standing in for ``pyoxigraph.QuerySolutions``."""

    def __init__(self, variables, rows) -> None:
        super().__init__(rows)
        self.variables = variables


def _parse_for_test(body: bytes) -> list:
    """``body`` (SPARQL JSON) parsed as ``RemoteStore`` parses an answer (for the tests)."""
    return list(RemoteStore("http://127.0.0.1:1/query")._parse(body, "http://127.0.0.1:1/query", graph=False))
