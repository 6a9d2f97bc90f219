"""The token-scan safety check (``safety.inspect_query`` on ``sparqlscan``) against a check on rdflib's
full parse, the one it replaced: the same verdict (refused or not, and the query's kind) on generated
queries with the clauses the rules are about put where a scan could be fooled (comments, strings,
prefixed names, ``BASE``, ``\\u`` escapes), and on the W3C SPARQL syntax and evaluation tests (their
query texts, copied in tests/w3c). Texts rdflib does not parse are left out: Oxigraph judges syntax."""

from __future__ import annotations

import functools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.algebra import translatePName, translatePrologue, traverse
from rdflib.plugins.sparql.parserutils import CompValue

from aseankg import settings as project
from aseankg.safety import LOCAL_PREFIX, QueryRefused, QuerySyntaxError, inspect_query, parse_query

W3C = project.PROJECT_ROOT / "tests" / "w3c"  # the suite's query texts, copied unchanged
FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "graph", "DescribeQuery": "graph"}


def reference(text: str) -> str | None:
    """The verdict of a check on rdflib's parse: ``refused``, the query's kind, or ``None`` (no parse)."""
    try:
        parsed = parse_query(text)
        tree = traverse(parsed[1], functools.partial(translatePName, prologue=translatePrologue(parsed[0], None)))
    except Exception:  # noqa: BLE001 - any failure to parse means rdflib has no verdict
        return None
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name in ("ServiceGraphPattern", "Load"):
                return "refused"
            if node.name == "DatasetClause":
                iri = node.named if node.named is not None else node.default
                if not str(iri).startswith(LOCAL_PREFIX):
                    return "refused"
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return FORMS.get(tree.name)


def scanned(text: str) -> str:
    try:
        return inspect_query.__wrapped__(text).kind
    except QueryRefused:
        return "refused"
    except QuerySyntaxError:
        return "syntax"


def same_verdict(text: str) -> None:
    expected = reference(text)
    if expected is not None:
        assert scanned(text) == expected, text


OUTSIDE = ["<http://example.org/g>", "<file:///etc/passwd>", "ex:g", "<g>", "<\\u0066ile:///etc/passwd>"]
INSIDE = ["<https://w3id.org/aseankg/id/graph/reference>", "akg:reference", "<reference>"]
PROLOGUES = ["", "PREFIX ex: <http://example.org/> PREFIX akg: <https://w3id.org/aseankg/id/graph/> ",
             "BASE <https://w3id.org/aseankg/id/graph/> PREFIX ex: <http://example.org/> "
             "PREFIX akg: <https://w3id.org/aseankg/id/graph/> "]
DECOYS = ["", "# SERVICE <http://x/> FROM <file:///x>\n", "FILTER(?o != 'SERVICE <http://x/> { }') ",
          "FILTER(?o != \"\"\"FROM <file:///x>\"\"\") ", "?s <http://x/FROM> ?o . "]


@st.composite
def queries(draw) -> str:
    prologue = draw(st.sampled_from(PROLOGUES))
    head = draw(st.sampled_from(["SELECT *", "SELECT ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"]))
    dataset = " ".join(f"FROM {'NAMED ' if draw(st.booleans()) else ''}{draw(st.sampled_from(OUTSIDE + INSIDE))}"
                       for _ in range(draw(st.integers(0, 2))))
    service = draw(st.sampled_from(["", "SERVICE <http://example.org/sparql> { ?s ?p ?o } ",
                                    "SERVICE SILENT ex:endpoint { ?s ?p ?o } ", "SERVICE ?where { ?s ?p ?o } ",
                                    "OPTIONAL { SERVICE <http://example.org/sparql> { ?s ?p ?o } } "]))
    decoy = draw(st.sampled_from(DECOYS))
    return f"{prologue}{head} {dataset} WHERE {{ ?s ?p ?o . {decoy}{service}}}"


@settings(max_examples=300, deadline=None, database=None)
@given(text=queries())
def test_generated_queries_get_the_same_verdict(text):
    same_verdict(text)


def test_the_generator_reaches_both_verdicts():
    assert reference("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }") == "refused"
    assert reference("ASK FROM <https://w3id.org/aseankg/id/graph/reference> { ?s ?p ?o }") == "ask"


def w3c_texts() -> list[Path]:
    return [p for p in sorted(W3C.rglob("*.rq"))]


def test_w3c_queries_get_the_same_verdict():
    compared = 0
    for path in w3c_texts():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        expected = reference(text)
        if expected is None:
            continue
        assert scanned(text) == expected, path
        compared += 1
    assert compared > 100
