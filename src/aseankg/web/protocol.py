"""The SPARQL 1.1 Protocol, apart from Flask: reading an operation out of a request, choosing a
result format, and the dataset of an update.

An operation comes as ``GET ?query=``, ``POST`` form-encoded (``query=`` or ``update=``) or ``POST``
with the text as the body (``application/sparql-query`` / ``application/sparql-update``), UTF-8.
``default-graph-uri`` / ``named-graph-uri`` (and ``using-graph-uri`` / ``using-named-graph-uri`` for
updates) name graphs of this store; they are never fetched, and a graph the store lacks is empty.

>>> args = {"query": ["ASK {}"], "default-graph-uri": ["http://example.org/g"]}
>>> op = read_operation("GET", args, None, b"")
>>> op.kind, op.text, op.default_graphs, op.named_graphs
('query', 'ASK {}', ('http://example.org/g',), ())
>>> read_operation("POST", {}, "text/plain", b"ASK {}")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
aseankg.web.protocol.ProtocolError: 415: POST a query as application/sparql-query, ...; not text/plain
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs

#: Media types of SELECT and ASK results, by ``QueryResult.serialize`` format name (preferred first).
RESULT_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv", "application/json": "json"}
#: Media types of CONSTRUCT and DESCRIBE results (N-Quads and TriG hold the one default graph).
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "jsonld",
               "application/rdf+xml": "xml", "application/n-quads": "nquads", "application/trig": "trig",
               "application/x-turtle": "turtle", "text/plain": "nt"}
#: The ``format`` parameter's short names, by result kind (``n3``, as SPARQLWrapper names it, is
#: answered with Turtle, which is N3).
FORMAT_NAMES = {
    "results": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"},
    "graph": {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
              "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld", "xml": "xml", "rdfxml": "xml",
              "rdf": "xml", "nquads": "nquads", "nq": "nquads", "trig": "trig"},
}
#: The media type sent for each format name, by result kind.
MEDIA_TYPES = {
    "results": {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"},
    "graph": {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
              "xml": "application/rdf+xml", "nquads": "application/n-quads", "trig": "application/trig"},
}

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


class ProtocolError(Exception):
    """A request the protocol does not allow; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Operation:
    """A protocol operation: ``kind`` is ``query``, ``update`` or ``none`` (a bare request); ``formats``
    are the request's non-empty ``format`` parameters (in the URL or a form body), the first preferred."""

    kind: str
    text: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        """True when the request names the dataset (which then replaces the operation's own)."""
        return bool(self.default_graphs or self.named_graphs)


def read_operation(method: str, args: Mapping[str, Sequence[str]], content_type: str | None,
                   body: bytes, *, max_length: int | None = None) -> Operation:
    """The operation in a request: ``args`` are the URL's parameters (lists of values),
    ``content_type`` the full Content-Type header, ``body`` the raw body. Raises ``ProtocolError``."""
    params = {k: list(v) for k, v in args.items()}
    method = "GET" if method == "HEAD" else method  # HEAD answers as GET; the server drops the body
    mimetype, charset = _media_type(content_type)
    text_kind = None
    text = None
    if method == "POST":
        if mimetype == FORM:
            _check_charset(charset)
            for name, values in url_params(_decode(body)).items():
                params.setdefault(name, []).extend(values)
        elif mimetype in (QUERY_TYPE, UPDATE_TYPE):
            _check_charset(charset)
            text_kind = "query" if mimetype == QUERY_TYPE else "update"
            text = _decode(body)
        elif body or mimetype:
            raise ProtocolError(415, f"POST a query as {QUERY_TYPE}, an update as {UPDATE_TYPE}, or either "
                                     f"as {FORM}; not {mimetype or 'a body without a Content-Type'}")
    elif method != "GET":
        raise ProtocolError(405, f"{method} is not a SPARQL protocol method; use GET or POST")
    queries, updates = params.get("query", []), params.get("update", [])
    if text_kind == "query":
        queries = [*queries, text]
    elif text_kind == "update":
        updates = [*updates, text]
    if queries and updates:
        raise ProtocolError(400, "a request carries either a query or an update, not both")
    if len(queries) > 1 or len(updates) > 1:
        raise ProtocolError(400, "send exactly one query (or update) per request")
    if updates:
        if method != "POST":
            raise ProtocolError(400, "an update must be sent with POST")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise ProtocolError(400, "an update takes using-graph-uri / using-named-graph-uri, "
                                     "not default-graph-uri / named-graph-uri")
        op = Operation("update", updates[0], _iris(params, "using-graph-uri"),
                       _iris(params, "using-named-graph-uri"))
    elif queries:
        op = Operation("query", queries[0], _iris(params, "default-graph-uri"),
                       _iris(params, "named-graph-uri"), _formats(params))
    else:
        return Operation("none", formats=_formats(params))
    if not op.text.strip():
        raise ProtocolError(400, f"the {op.kind} is empty")
    if max_length is not None and len(op.text) > max_length:
        raise ProtocolError(413, f"the {op.kind} is {len(op.text):,} characters long; "
                                 f"the limit is {max_length:,}")
    return op


def url_params(query: str | bytes) -> dict[str, list[str]]:
    """The parameters of a URL query string or form body; ``%ff`` and other escapes that are not UTF-8
    are a ``ProtocolError`` (400), not silently U+FFFD.

    >>> url_params(b"query=ASK%7B%7D")
    {'query': ['ASK{}']}
    >>> url_params(b"query=%ff")
    Traceback (most recent call last):
    ...
    aseankg.web.protocol.ProtocolError: 400: the query string is not UTF-8 once %-decoded
    """
    text = query.decode("latin-1") if isinstance(query, bytes) else query
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the query string is not UTF-8 once %-decoded") from None


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _check_charset(charset: str | None) -> None:
    if charset not in (None, "utf-8", "utf8", "us-ascii"):
        raise ProtocolError(415, f"send the request in UTF-8, not {charset}")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"the request body is not UTF-8: {error}") from None


def _formats(params: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The ``format`` parameters that say something (SPARQLWrapper may send an empty one)."""
    return tuple(value.strip() for value in params.get("format", ()) if value.strip())


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*\Z")


def _iris(params: Mapping[str, Sequence[str]], name: str) -> tuple[str, ...]:
    values = tuple(params.get(name, ()))
    for value in values:
        if not _IRI.match(value):
            raise ProtocolError(400, f"{name} must be an absolute IRI, not {value!r}")
    return values


# ---------------------------------------------------------------------------------- negotiation

def result_group(kind: str) -> str:
    """``results`` for SELECT and ASK, ``graph`` for CONSTRUCT and DESCRIBE."""
    return "graph" if kind == "graph" else "results"


def choose_format(kind: str, accept, formats: Sequence[str] | str | None) -> str | None:
    """The format name to answer a ``kind`` query with.

    ``formats`` are the request's ``format`` parameters (short names or media types), read as a list of
    preferences: the first this server can give for the query's form wins, one it does not know (or
    not for this form) is skipped, empty ones are ignored; when none fits, ``ProtocolError`` 400.
    SPARQLWrapper, for one, sends ``format=rdf+xml&format=application/rdf+xml``. Without any, the best
    match for the Accept header (werkzeug ``MIMEAccept``), or ``None`` when nothing offered is
    acceptable (406).

    >>> from werkzeug.datastructures import MIMEAccept
    >>> choose_format("select", MIMEAccept([("text/csv", 1)]), None)
    'csv'
    >>> choose_format("graph", MIMEAccept([("*/*", 1)]), None), choose_format("ask", MIMEAccept(), "xml")
    ('turtle', 'xml')
    >>> choose_format("graph", MIMEAccept(), ["rdf+xml", "application/rdf+xml"])
    'xml'
    >>> choose_format("select", MIMEAccept(), ["turtle", "yaml"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aseankg.web.protocol.ProtocolError: 400: unknown formats 'turtle', 'yaml' for this query; use one of ...
    """
    group = result_group(kind)
    table = GRAPH_TYPES if group == "graph" else RESULT_TYPES
    named = [name.strip() for name in ([formats] if isinstance(formats, str) else formats or ()) if name.strip()]
    for name in named:
        fmt = FORMAT_NAMES[group].get(name.lower()) or table.get(name.split(";")[0].strip().lower())
        if fmt is not None:
            return fmt
    if named:
        known = sorted(FORMAT_NAMES[group]) + sorted(MEDIA_TYPES[group].values())
        listed = ", ".join(repr(name) for name in named)
        raise ProtocolError(400, f"unknown format{'s' if len(named) > 1 else ''} {listed} for this query; "
                                 f"use one of {', '.join(known)}")
    if not accept:
        return next(iter(table.values()))
    best = accept.best_match(list(table))
    return None if best is None else table[best]


def media_type(kind: str, fmt: str) -> str:
    """The Content-Type for format name ``fmt`` of a ``kind`` result."""
    return MEDIA_TYPES[result_group(kind)][fmt]


# ------------------------------------------------------------------------------- update datasets

_WORD = re.compile(r"[A-Za-z_][\w-]*")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def tokens(sparql: str) -> Iterator[tuple[str, str, int, int]]:
    """``(kind, text, position, depth)`` for the keywords and braces of ``sparql``, skipping comments,
    strings, IRIs, variables and prefixed names; ``depth`` counts the ``{`` open before the token.

    >>> [t[1] for t in tokens("PREFIX ex: <http://ex/#> WITH ex:g DELETE { ?s ex:where 'WHERE' } WHERE {}")]
    ['PREFIX', 'WITH', 'DELETE', '{', '}', 'WHERE', '{', '}']
    """
    i, n, depth = 0, len(sparql), 0
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "'\"":
            i = _string_end(sparql, i)
        elif c == "<" and (match := _IRIREF.match(sparql, i)):
            i = match.end()
        elif c in "?$":
            i += 1
            while i < n and (sparql[i].isalnum() or sparql[i] == "_"):
                i += 1
        elif c.isalpha() or c == "_":
            match = _WORD.match(sparql, i)
            end = match.end()
            if end < n and sparql[end] == ":":  # a prefixed name (or a prefix declaration)
                end += 1
                while end < n and (sparql[end].isalnum() or sparql[end] in "_-.:%"):
                    end += 1
            else:
                yield "word", match.group(0).upper(), i, depth
            i = end
        elif c == ":":  # a prefixed name with the empty prefix
            i += 1
            while i < n and (sparql[i].isalnum() or sparql[i] in "_-.:%"):
                i += 1
        elif c == "{":
            yield "brace", c, i, depth
            depth += 1
            i += 1
        elif c == "}":
            depth -= 1
            yield "brace", c, i, depth
            i += 1
        else:
            i += 1


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        j = i + 3
        while j < len(text):
            if text[j] == "\\":
                j += 2
            elif text.startswith(quote * 3, j):
                return j + 3
            else:
                j += 1
        return len(text)
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] in (quote, "\n"):
            return j + 1
        j += 1
    return j


def with_using(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """``update`` with ``USING`` / ``USING NAMED`` clauses for the protocol's ``using-graph-uri`` and
    ``using-named-graph-uri`` before the ``WHERE`` of every ``DELETE``/``INSERT`` operation.
    An update with its own ``USING`` or ``WITH`` is a conflict (``ProtocolError`` 400).

    >>> with_using("INSERT { ?s a <http://ex/C> } WHERE { ?s ?p ?o }", ["http://ex/g"], [])
    'INSERT { ?s a <http://ex/C> } USING <http://ex/g> WHERE { ?s ?p ?o }'
    """
    if not default_graphs and not named_graphs:
        return update
    clause = "".join(f"USING <{g}> " for g in default_graphs) + "".join(f"USING NAMED <{g}> "
                                                                        for g in named_graphs)
    cuts: list[int] = []
    previous = ""
    for kind, text, position, depth in tokens(update):
        if kind == "word" and depth == 0:
            if text in ("USING", "WITH"):
                raise ProtocolError(400, f"the update has its own {text} clause and the request names "
                                         "using-graph-uri / using-named-graph-uri: send one or the other")
            if text == "WHERE" and previous != "DELETE":
                cuts.append(position)
        if depth == 0:
            previous = text
    for position in reversed(cuts):
        update = update[:position] + clause + update[position:]
    return update


def without_dataset(query: str) -> str:
    """``query`` without its ``FROM`` / ``FROM NAMED`` clauses (the protocol's dataset replaces them).

    >>> without_dataset("ASK FROM <http://ex/a> FROM NAMED ex:b { ?s ?p ?o }")
    'ASK { ?s ?p ?o }'
    """
    cuts: list[tuple[int, int]] = []
    for kind, text, position, _depth in tokens(query):
        if kind == "brace":
            break
        if text == "FROM":
            end = position + 4
            rest = query[end:]
            match = re.match(r"\s+NAMED\b", rest, re.IGNORECASE)
            if match:
                end += match.end()
            match = re.match(r"\s*(<[^>]*>|[\w.-]*:[^\s{]*)", query[end:])
            if match:
                end += match.end()
            cuts.append((position, end))
    for start, end in reversed(cuts):
        query = query[:start] + query[end:].lstrip()
    return query
