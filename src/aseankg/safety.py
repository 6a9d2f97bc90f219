"""Query safety (DESIGN.md, "Safety rules"): no query reaches the network or the file system.

Queries are checked on the parse tree (rdflib's SPARQL parser), never with a regular expression
over the text, so a keyword inside a comment or a string literal is not mistaken for a clause and
a clause cannot hide behind a comment, a prefixed name, ``BASE`` or a ``\\u`` escape. Refused:

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

from pyparsing import ParseException
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql import parser as _parser
from rdflib.plugins.sparql.algebra import translatePName, translatePrologue, traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from .results import to_oxigraph

#: Graph IRIs a query may name in ``FROM`` / ``FROM NAMED``.
LOCAL_PREFIX = "https://w3id.org/aseankg/"

_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "graph", "DescribeQuery": "graph"}


class QueryRefused(ValueError):
    """A query that the safety rules forbid; the message names the clause."""


class QuerySyntaxError(ValueError):
    """A query that does not parse; the message is the parser's."""


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

    >>> inspect_query("SELECT * FROM <https://w3id.org/aseankg/id/graph/reference> { ?s ?p ?o }").from_graphs
    ('https://w3id.org/aseankg/id/graph/reference',)
    >>> inspect_query("ASK FROM <file:///etc/passwd> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    aseankg.safety.QueryRefused: FROM <file:///etc/passwd> is refused: a query may only name graphs under https://w3id.org/aseankg/
    """
    if not isinstance(sparql, str):
        raise TypeError("a SPARQL query must be a str")
    try:
        parsed = parse_query(sparql)
    except ParseException as error:
        _refuse_update(sparql)
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    except Exception as error:  # the parser raises assorted errors on odd input
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    prologue = translatePrologue(parsed[0], None)
    try:
        tree = traverse(parsed[1], functools.partial(translatePName, prologue=prologue))
    except Exception as error:  # an undeclared prefix, for instance
        raise QuerySyntaxError(f"SPARQL error: {error}") from None
    froms: list[str] = []
    named: list[str] = []
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused(f"SERVICE {_show(node.term)} is refused: queries may not call other endpoints")
        if node.name == "DatasetClause":
            clause, iri = ("FROM NAMED", node.named) if node.named is not None else ("FROM", node.default)
            iri = str(iri)
            if not iri.startswith(LOCAL_PREFIX):
                raise QueryRefused(f"{clause} <{iri}> is refused: a query may only name graphs under "
                                   f"{LOCAL_PREFIX}")
            (named if clause == "FROM NAMED" else froms).append(iri)
        if node.name == "Load":
            raise QueryRefused("LOAD is refused: queries may not read from the network or files")
    return QueryInfo(_FORMS[tree.name], tuple(froms), tuple(named))


def _refuse_update(sparql: str) -> None:
    """Raise a clear refusal if ``sparql`` is an update (it failed to parse as a query)."""
    try:
        update = parse_update(sparql)
    except Exception:
        return
    if any(isinstance(n, CompValue) and n.name == "Load" for n in _walk(update)):
        raise QueryRefused("LOAD is refused: queries may not read from the network or files")
    raise QueryRefused("updates are refused here: only SELECT, ASK, CONSTRUCT and DESCRIBE queries run")


def _walk(node):
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _show(term) -> str:
    return f"?{term}" if isinstance(term, Variable) else f"<{term}>"


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
    for variables the query does not project). Terms are serialised, never pasted as text.

    >>> bind_values("SELECT ?m WHERE { ?m <http://example.org/host> ?c }", {"c": URIRef("http://example.org/MY")})
    'SELECT ?m WHERE { VALUES (?c) { (<http://example.org/MY>) } ?m <http://example.org/host> ?c }'
    """
    if not bindings:
        return sparql
    block = values_clause(bindings)
    at = _where_brace(sparql)
    return f"{sparql[:at + 1]} {block}{sparql[at + 1:]}"


def _where_brace(sparql: str) -> int:
    """The index of the ``{`` opening the query's WHERE clause, skipping comments, strings, IRIs,
    parenthesised expressions and a CONSTRUCT template."""
    i, n = 0, len(sparql)
    parens = 0
    form = None
    template_pending = False
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
            return i
        i += 1
    raise ValueError("bindings need a query with a WHERE clause")


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
    raise ValueError("unbalanced braces in the CONSTRUCT template")
