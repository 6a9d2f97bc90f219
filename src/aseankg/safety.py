"""Query safety (DESIGN.md, "Safety rules"): no query reaches the network or the file system.

Queries are checked on their tokens (``sparqlscan``: IRIs, strings, comments, prefixed names and
keywords told apart as SPARQL's grammar does), never with a regular expression over the whole text,
so a keyword inside a comment or a string literal is not mistaken for a clause and a clause cannot
hide behind a comment, a prefixed name, ``BASE`` or a ``\\u`` escape. The scan is linear in the
query's length and takes no lock: rdflib's parser took 39 s (under a process-wide lock) on a
100,000-character ``1+1+…`` and cannot parse 200 triple patterns. ``sparqlscan.Bounds`` are checked
first (``QueryTooComplex``). Refused:

- ``SERVICE`` anywhere, with an IRI or a variable (federated queries reach the network);
- ``FROM`` and ``FROM NAMED`` with any IRI outside ``https://w3id.org/aseankg/`` (rdflib's
  ``Dataset`` dereferences ``FROM <file:…>``);
- updates of any kind through a query entry point, ``LOAD`` above all.

>>> check_query("SELECT ?s WHERE { ?s ?p 'SERVICE <http://example.org/>' }  # SERVICE in a comment")
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
aseankg.safety.QueryRefused: SERVICE <http://example.org/> is refused: queries may not call other endpoints
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql import parser as _parser
from rdflib.term import Node

from .results import to_oxigraph
from .sparqlscan import Token, TooComplex, check_bounds, unescape

#: Graph IRIs a query may name in ``FROM`` / ``FROM NAMED``.
LOCAL_PREFIX = "https://w3id.org/aseankg/"


class QueryRefused(ValueError):
    """A query that the safety rules forbid; the message names the clause."""


class QuerySyntaxError(ValueError):
    """A query that does not parse; the message is the parser's."""


class QueryTooComplex(QuerySyntaxError):
    """A query past one of ``sparqlscan.Bounds`` (too long an expression or path, too deep): refused
    before any parser runs; the message names the bound."""


#: rdflib's SPARQL parser (pyparsing) is not thread-safe (rdflib#1282): concurrent first parses can
#: leave it broken for the life of the process, so every parse in the project takes this lock.
PARSER_LOCK = threading.Lock()


def parse_query(sparql: str):
    """rdflib's parse of a SPARQL query, one thread at a time."""
    with PARSER_LOCK:
        return _parser.parseQuery(sparql)


def parse_update(sparql: str):
    """rdflib's parse of a SPARQL update, one thread at a time."""
    with PARSER_LOCK:
        return _parser.parseUpdate(sparql)


@dataclass(frozen=True)
class QueryInfo:
    """What the checker learnt about a query: its kind and its own dataset clauses."""

    kind: str  # select | ask | graph
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        """True when the query names its own dataset with ``FROM`` or ``FROM NAMED``."""
        return bool(self.from_graphs or self.from_named_graphs)


def check_query(sparql: str) -> None:
    """Raise ``QueryRefused`` unless ``sparql`` is one read-only query that stays in the store,
    ``QuerySyntaxError`` (also a ``ValueError``) if it does not parse."""
    inspect_query(sparql)


@functools.lru_cache(maxsize=512)
def inspect_query(sparql: str) -> QueryInfo:
    """Check a query (as ``check_query``) and return its ``QueryInfo``.

    The check reads the query's tokens (``sparqlscan``), in time linear in its length and without
    the parser lock: first the ``Bounds`` (``QueryTooComplex``), then the clauses. The text is read
    as written and with its ``\\u`` escapes applied (SPARQL applies them before parsing); either
    reading may refuse it. Syntax is Oxigraph's to judge when the query runs.

    >>> inspect_query("SELECT * FROM <https://w3id.org/aseankg/id/graph/reference> { ?s ?p ?o }").from_graphs
    ('https://w3id.org/aseankg/id/graph/reference',)
    >>> inspect_query("ASK FROM <file:///etc/passwd> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    aseankg.safety.QueryRefused: FROM <file:///etc/passwd> is refused: a query may only name graphs under https://w3id.org/aseankg/
    """
    if not isinstance(sparql, str):
        raise TypeError("a SPARQL query must be a str")
    unescaped = unescape(sparql)
    readings = [unescaped, sparql] if unescaped != sparql else [sparql]
    info = None
    for text in readings:
        try:
            found = check_bounds(text)
        except TooComplex as error:
            raise QueryTooComplex(f"SPARQL query refused: {error}") from None
        try:
            checked = _inspect_tokens(found)
        except QuerySyntaxError:
            if info is None and text is readings[-1]:
                raise
            continue
        info = info or checked
    return info


#: Words that begin an update operation; none of them can appear in a query.
_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_FORM_WORDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def _inspect_tokens(found: list[Token]) -> QueryInfo:
    """The safety rules over a query's tokens: SERVICE, FROM and updates, wherever they appear."""
    prefixes: dict[str, str] = {}
    base = ""
    kind = None
    froms: list[str] = []
    named: list[str] = []
    if any(t.kind == "word" and t.text.upper() == "LOAD" for t in found):
        raise QueryRefused("LOAD is refused: queries may not read from the network or files")
    for i, token in enumerate(found):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "BASE" and _kind(found, i + 1) == "iri":
            base = _resolve(found[i + 1].text[1:-1], base)
        elif word == "PREFIX" and _kind(found, i + 1) == "pname" and _kind(found, i + 2) == "iri":
            prefixes[found[i + 1].text.rstrip(":")] = _resolve(found[i + 2].text[1:-1], base)
        elif kind is None and word in _FORM_WORDS:
            kind = _FORM_WORDS[word]
        elif word in _UPDATE_WORDS:
            raise QueryRefused("updates are refused here: only SELECT, ASK, CONSTRUCT and DESCRIBE queries run")
        elif word == "SERVICE":
            at = i + 2 if _upper(found, i + 1) == "SILENT" else i + 1
            target = found[at] if at < len(found) else None
            shown = f"?{target.text[1:]}" if target is not None and target.kind == "var" else \
                f"<{_iri(target, prefixes, base)}>"
            raise QueryRefused(f"SERVICE {shown} is refused: queries may not call other endpoints")
        elif word == "FROM":
            clause, at = ("FROM NAMED", i + 2) if _upper(found, i + 1) == "NAMED" else ("FROM", i + 1)
            iri = _iri(found[at] if at < len(found) else None, prefixes, base)
            if not iri.startswith(LOCAL_PREFIX):
                raise QueryRefused(f"{clause} <{iri}> is refused: a query may only name graphs under "
                                   f"{LOCAL_PREFIX}")
            (named if clause == "FROM NAMED" else froms).append(iri)
    if kind is None:
        near = next((t.text for t in found if t.kind == "word" and t.text.upper() not in ("BASE", "PREFIX")), "")
        raise QuerySyntaxError("SPARQL syntax error: expected SELECT, ASK, CONSTRUCT or DESCRIBE"
                               + (f", found {near[:40]!r}" if near else ""))
    return QueryInfo(kind, tuple(froms), tuple(named))


def _kind(found: list[Token], i: int) -> str | None:
    return found[i].kind if i < len(found) else None


def _upper(found: list[Token], i: int) -> str | None:
    return found[i].text.upper() if i < len(found) and found[i].kind == "word" else None


def _resolve(iri: str, base: str) -> str:
    return urljoin(base, iri) if base else iri


def _iri(token: Token | None, prefixes: dict[str, str], base: str) -> str:
    """The IRI a token names (an IRI reference or a prefixed name), or a syntax error."""
    if token is not None and token.kind == "iri":
        return _resolve(token.text[1:-1], base)
    if token is not None and token.kind == "pname" and not token.text.startswith("_:"):
        prefix, _, local = token.text.partition(":")
        if prefix not in prefixes:
            raise QuerySyntaxError(f"SPARQL error: undeclared prefix {prefix!r}")
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    shown = token.text[:40] if token is not None else "the end"
    raise QuerySyntaxError(f"SPARQL syntax error: expected an IRI, found {shown!r}")


# ------------------------------------------------------------------------------------------ bindings

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"\w+")


def values_clause(bindings: Mapping[str, Node]) -> str:
    """A ``VALUES`` block binding each variable to one term, terms written as in N-Triples.

    >>> values_clause({"country": URIRef("https://w3id.org/aseankg/id/country/VNM"), "name": Literal("x")})
    'VALUES (?country ?name) { (<https://w3id.org/aseankg/id/country/VNM> "x") }'
    """
    names, terms = [], []
    for name, term in bindings.items():
        name = name.lstrip("?$")
        if not _VARNAME.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if isinstance(term, BNode) or not isinstance(term, URIRef | Literal):
            raise TypeError(f"binding for ?{name} must be an rdflib URIRef or Literal, not {term!r}")
        names.append(f"?{name}")
        terms.append(str(to_oxigraph(term)))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """``sparql`` with the variables in ``bindings`` bound by a ``VALUES`` block placed first in the
    query's WHERE clause, so the bound values join everything else (a pre-binding that also works
    for variables the query does not project), and first in the WHERE clause of each subquery that
    uses them: a subquery is evaluated on its own, so the outer block would neither bind a variable
    it does not project nor keep it from computing its answer for every value first. Terms are
    serialised, never pasted as text.

    >>> bind_values("SELECT ?m WHERE { ?m <http://example.org/host> ?c }", {"c": URIRef("http://example.org/MY")})
    'SELECT ?m WHERE { VALUES (?c) { (<http://example.org/MY>) } ?m <http://example.org/host> ?c }'
    >>> bind_values("SELECT * { ?c ?p ?o { SELECT ?n { ?c ?q ?n } } }", {"c": URIRef("x:c")})
    'SELECT * { VALUES (?c) { (<x:c>) } ?c ?p ?o { SELECT ?n { VALUES (?c) { (<x:c>) } ?c ?q ?n } } }'
    """
    if not bindings:
        return sparql
    block = values_clause(bindings)
    at, *subqueries = _where_braces(sparql)
    inserts = [(at, block)]
    for brace in subqueries:
        try:
            body = sparql[brace:_group_end(sparql, brace)]
        except ValueError:  # unbalanced: the engine names the syntax error
            body = sparql[brace:]
        used = {name: term for name, term in bindings.items()
                if re.search(rf"[?$]{re.escape(name.lstrip('?$'))}(?![\w\u00b7])", body)}
        if used:
            inserts.append((brace, values_clause(used)))
    for brace, values in sorted(inserts, reverse=True):  # from the end, so earlier indices hold
        sparql = f"{sparql[:brace + 1]} {values}{sparql[brace + 1:]}"
    return sparql


def _where_braces(sparql: str) -> list[int]:
    """The indices of the ``{`` opening the query's WHERE clause, then those opening the WHERE
    clauses of its subqueries, skipping comments, strings, IRIs, parenthesised expressions and a
    CONSTRUCT template."""
    i, n = 0, len(sparql)
    parens = 0
    form = None
    template_pending = False
    braces: list[int] = []
    subquery_pending = False
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "'\"":
            i = _string_end(sparql, i)
            continue
        if c == "<":
            match = _IRIREF.match(sparql, i)
            if match:
                i = match.end()
                continue
        if c in "?$":  # a variable: skip its name so that it is not read as a keyword
            i += 1
            while i < n and (sparql[i].isalnum() or sparql[i] == "_"):
                i += 1
            continue
        if c.isalpha():
            word = _WORD.match(sparql, i).group(0)
            upper = word.upper()
            if sparql.startswith(":", i + len(word)):  # a prefixed name, not a keyword
                upper = ""
            if form is None and parens == 0 and upper in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                form = upper
                template_pending = upper == "CONSTRUCT"
            elif template_pending and upper == "WHERE":
                raise ValueError("bindings need an explicit CONSTRUCT template: "
                                 "write CONSTRUCT { … } WHERE { … }")
            elif braces and upper == "SELECT":
                subquery_pending = True
            i += len(word)
            while i < n and (sparql[i].isalnum() or sparql[i] in "_-.:"):
                i += 1
            continue
        if c == "(":
            parens += 1
        elif c == ")":
            parens -= 1
        elif c == "{" and parens == 0 and form is not None:
            if template_pending:
                i = _group_end(sparql, i)
                template_pending = False
                continue
            if not braces or subquery_pending:
                braces.append(i)
                subquery_pending = False
        i += 1
    if not braces:
        raise ValueError("bindings need a query with a WHERE clause")
    return braces


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = i + 3
        while True:
            end = text.find(quote * 3, end)
            if end < 0:
                return len(text)
            if _escaped(text, end):
                end += 1
                continue
            return end + 3
    end = i + 1
    while end < len(text):
        if text[end] == "\\":
            end += 2
            continue
        if text[end] == quote or text[end] == "\n":
            return end + 1
        end += 1
    return end


def _escaped(text: str, i: int) -> bool:
    backslashes = 0
    while i > 0 and text[i - 1] == "\\":
        backslashes += 1
        i -= 1
    return backslashes % 2 == 1


def _group_end(text: str, i: int) -> int:
    """The index just after the ``}`` closing the group that opens at ``i``."""
    depth = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "'\"":
            i = _string_end(text, i)
            continue
        if c == "<":
            match = _IRIREF.match(text, i)
            if match:
                i = match.end()
                continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced braces in the query")
