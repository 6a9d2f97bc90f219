"""A linear scan of SPARQL text: tokens, and the bounds a query must keep before anything parses it.

pyoxigraph parses and evaluates queries with recursive code in the calling thread: a long flat
``1+1+…`` chain or deep nesting overflows the stack and kills the process (SIGSEGV, no exception).
rdflib's pyparsing grammar is worse: 100 ``+`` terms take 0.4 s, 10,000 take minutes, and 200 triple
patterns already exceed Python's recursion limit. So the safety check works on these tokens (one
regular-expression step per token, no backtracking across tokens, no recursion), and
``check_bounds`` refuses what would be too deep or too long for the evaluator.

Where pyoxigraph 0.5.13 crashed, on an 8 MB stack (a process's main thread; 1 MB threads crash at
about an eighth of these): a flat ``+`` chain of about 6,900 operands, ``||`` of 9,300, 4,650 nested
parentheses, 2,180 nested groups, 6,500 ``UNION`` branches, 2,600 ``BIND``s or ``MINUS``es in a row.
A sequence path is planned in time that grows with the cube of its length (200 steps 0.3 s, 400
steps 2.5 s, 2,000 steps minutes). The limits in ``Bounds`` sit at a fifth or less of all of these,
and in-process queries run on a thread with a known stack (``store.run_on_big_stack``), so the
caller's own stack size does not matter.

>>> [t.text for t in tokens("SELECT ?s { ?s a <http://x/> } # SERVICE")]
['SELECT', '?s', '{', '?s', 'a', '<http://x/>', '}']
>>> check_bounds("SELECT (" + "+".join(["1"] * 5000) + " AS ?x) {}")
Traceback (most recent call last):
...
aseankg.sparqlscan.TooComplex: an expression has more than 1000 operands; the limit is 1000 (Bounds.max_operands)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple


class TooComplex(ValueError):
    """A query past one of the ``Bounds``; the message names the bound."""


@dataclass(frozen=True)
class Bounds:
    """How big a query may be, checked on its text before any parser or evaluator sees it."""

    #: Operands in one expression (a FILTER, BIND, projection or ORDER BY expression, with whatever
    #: it nests, EXISTS patterns included).
    max_operands: int = 1_000
    #: Brackets ``( { [`` open at once.
    max_depth: int = 100
    #: Steps of one property path (IRIs joined by ``/`` or ``|``).
    max_path_steps: int = 100
    #: ``UNION``, ``OPTIONAL``, ``MINUS``, ``BIND``, ``FILTER`` and ``VALUES`` in the whole query
    #: (each one nests the algebra one level deeper).
    max_pattern_operators: int = 500


DEFAULT_BOUNDS = Bounds()


class Token(NamedTuple):
    kind: str  # iri, pname, var, string, number, word, lang, punct, other
    text: str
    pos: int


_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+|\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<var>[?$][\w\u00b7]+)
  | (?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w:\-\u00b7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]
              |\.(?=[\w:\-\u00b7%\\]))*|_:[\w\-\u00b7]*(?:\.(?=[\w\-\u00b7]))?[\w\-\u00b7]*)
  | (?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.?\d*[eE][+-]?\d+|\d+)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[(){}\[\].,;*+\-/|^!=<>?])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

_OPEN, _CLOSE = "({[", ")}]"
_ATOMS = frozenset({"iri", "pname", "var", "string", "number"})
#: Tokens that continue a property path (anything else, a variable or a literal, ends it).
_PATH_PARTS = frozenset({"/", "|", "^", "!", "(", ")", "*", "+", "?"})
#: After these words a ``(`` is a pattern's (a VALUES row), not an expression's.
_NOT_CALLS = frozenset({"A", "VALUES", "UNDEF"})
_EXPRESSION_CLAUSES = frozenset({"SELECT", "BY", "HAVING"})
_PATTERN_CLAUSES = frozenset({"WHERE", "LIMIT", "OFFSET", "VALUES", "CONSTRUCT", "DESCRIBE", "ASK"})
_PATTERN_OPERATORS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "VALUES"})


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``, comments and white space left out. Linear in ``len(text)``; an
    unterminated string or IRI comes out as ``other`` tokens (the parser will refuse it)."""
    found = []
    match = _TOKEN.match
    pos, end = 0, len(text)
    while pos < end:
        m = match(text, pos)
        kind = m.lastgroup
        if kind != "space":
            found.append(Token(kind, m.group(), pos))
        pos = m.end()
    return found


def unescape(text: str) -> str:
    """``text`` with ``\\uXXXX`` and ``\\UXXXXXXXX`` replaced, as SPARQL 1.1 says a parser should
    do before parsing (pyoxigraph does it in strings and IRIs only; other stores everywhere)."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else m.group()

    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", char, text)


def check_bounds(text: str, bounds: Bounds = DEFAULT_BOUNDS) -> list[Token]:
    """Raise ``TooComplex`` if ``text`` passes one of ``bounds``; return its tokens otherwise."""
    found = tokens(text)
    _check(found, bounds)
    return found


def _check(found: list[Token], bounds: Bounds) -> None:
    # One entry per open bracket: [kind, operands counted since this expression began]; kind is
    # "expr" for a parenthesis in an expression, "group" for a brace, "other" for the rest.
    stack: list[list] = []
    expression_clause = False  # between SELECT and WHERE, after ORDER BY / GROUP BY / HAVING
    call_pending = False  # after FILTER: the next "(" opens an expression even after an IRI
    path_steps = 1
    pattern_operators = 0
    previous: Token | None = None
    for token in found:
        kind, text = token.kind, token.text
        if kind == "punct" and text in _OPEN:
            if len(stack) >= bounds.max_depth:
                raise TooComplex(f"brackets are nested more than {bounds.max_depth} deep; the limit is "
                                 f"{bounds.max_depth} (Bounds.max_depth)")
            if text == "{":
                stack.append(["group", 0])
                expression_clause = call_pending = False
            elif text == "(" and (stack and stack[-1][0] == "expr" or call_pending or expression_clause
                                  or previous is not None and previous.kind == "word"
                                  and previous.text.upper() not in _NOT_CALLS):
                stack.append(["expr", 0])
                call_pending = False
            else:
                stack.append(["other", 0])
        elif kind == "punct" and text in _CLOSE:
            if stack:
                closed = stack.pop()
                if closed[0] == "group":
                    expression_clause = False
                if closed[1] and stack:
                    # A nested expression counts in its parent; the expressions of an EXISTS
                    # pattern count in the expression around it (it is evaluated inside it).
                    _count(stack[-1] if stack[-1][0] != "other" else _enclosing(stack), closed[1], bounds)
        elif kind in _ATOMS and stack and stack[-1][0] == "expr":
            _count(stack[-1], 1, bounds)
        elif kind == "word":
            upper = text.upper()
            if upper in _EXPRESSION_CLAUSES:
                expression_clause = True
            elif upper in _PATTERN_CLAUSES:
                expression_clause = False
            if upper == "FILTER":
                call_pending = True
            if upper in _PATTERN_OPERATORS:
                pattern_operators += 1
                if pattern_operators > bounds.max_pattern_operators:
                    raise TooComplex(f"the query has more than {bounds.max_pattern_operators} UNION, OPTIONAL, "
                                     f"MINUS, BIND, FILTER and VALUES; the limit is "
                                     f"{bounds.max_pattern_operators} (Bounds.max_pattern_operators)")
        # property paths: count IRIs joined by "/" or "|"; a variable or a literal ends the path
        if kind == "punct" and text in ("/", "|"):
            path_steps += 1
            if path_steps > bounds.max_path_steps:
                raise TooComplex(f"a property path has more than {bounds.max_path_steps} steps; the limit "
                                 f"is {bounds.max_path_steps} (Bounds.max_path_steps)")
        elif not (kind in ("iri", "pname") or kind == "punct" and text in _PATH_PARTS
                  or kind == "word" and text == "a"):
            path_steps = 1
        previous = token


def _count(entry: list | None, operands: int, bounds: Bounds) -> None:
    if entry is None:
        return
    entry[1] += operands
    if entry[1] > bounds.max_operands:
        raise TooComplex(f"an expression has more than {bounds.max_operands} operands; the limit "
                         f"is {bounds.max_operands} (Bounds.max_operands)")


def _enclosing(stack: list[list]) -> list | None:
    """The innermost expression or group open around a closed bracket (skipping collections)."""
    return next((entry for entry in reversed(stack) if entry[0] != "other"), None)
