"""Fuzzing the query path with Hypothesis: generated SPARQL (grammar fragments glued at random, costly
functions, deep nesting, stray bytes) goes through the safety check and, when accepted, through a
memory-capped, time-limited query worker pool, as ``aseankg serve`` runs it.

    python fuzz/fuzz_query.py                      # 2,000 queries
    python fuzz/fuzz_query.py --examples 20000 --time-limit 2 --worker-memory 1024

What must hold for every query: the check answers ``QueryRefused`` / ``QuerySyntaxError`` or accepts
(nothing else escapes); an accepted query gives an answer, a syntax error, or a limit error
(``QueryTimeout`` at the time limit, ``QueryOverLimit`` at the memory or answer cap) and never a dead
worker for another reason; the answer comes within the time limit (plus start-up slack); and the worker's
memory stays under its cap (the kernel enforces it). ``tests/test_query_fuzz.py`` runs a short version in
the suite.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aseankg.querying import QueryJob, QueryOverLimit, QueryPool, wait_for_workers
from aseankg.safety import QueryRefused, QuerySyntaxError, inspect_query
from aseankg.store import EmbeddedStore, QueryTimeout

ID = "https://w3id.org/aseankg/id/"
VARIABLES = ["?s", "?p", "?o", "?x", "?y"]
TERMS = [*VARIABLES, f"<{ID}x>", '"v"', '"x"@en', "1", "2.5", "true", "UNDEF", "[]", "_:b"]
FUNCTIONS = ["CONCAT", "REPLACE", "STRLEN", "UCASE", "SUBSTR", "STR", "COALESCE", "IF", "REGEX", "SHA256",
             "ENCODE_FOR_URI", "STRBEFORE", "CONTAINS", "LANG", "DATATYPE", "BNODE", "IRI", "ABS", "RAND"]
KEYWORDS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", ".", ";", ",", "*", "|", "/",
            "^", "+", "-", "=", "!=", "<", ">", "&&", "||", "!", "UNION", "OPTIONAL", "MINUS", "FILTER", "BIND",
            "AS", "VALUES", "GRAPH", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "DISTINCT", "COUNT",
            "SERVICE", "FROM", "LOAD", "\\u0041", "#", "\n", "'''", '"""']


def _pattern(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    triple = st.tuples(st.sampled_from(TERMS), st.sampled_from([*VARIABLES, f"<{ID}p>", "a", f"<{ID}p>*"]),
                       st.sampled_from(TERMS)).map(lambda t: " ".join(t) + " .")
    call = st.tuples(st.sampled_from(FUNCTIONS), st.lists(st.sampled_from(TERMS), min_size=1, max_size=3)).map(
        lambda t: f"{t[0]}({', '.join(t[1])})")
    bind = st.tuples(call, st.sampled_from(VARIABLES)).map(lambda t: f"BIND({t[0]} AS {t[1]})")
    nested = inner.map(lambda p: "{ " + p + " }")
    combos = st.tuples(nested, st.sampled_from(["UNION", "OPTIONAL", "MINUS", ""]), nested).map(" ".join)
    return st.lists(st.one_of(triple, bind, call.map(lambda c: f"FILTER({c})"), nested, combos),
                    max_size=4).map(" ".join)


PATTERNS = st.recursive(st.just(""), _pattern, max_leaves=12)


@st.composite
def queries(draw) -> str:
    """A query: mostly well-formed shapes with costly parts, sometimes fragments and noise glued."""
    kind = draw(st.integers(0, 5))
    body = draw(PATTERNS)
    if kind == 0:
        return draw(st.lists(st.sampled_from(KEYWORDS + TERMS + FUNCTIONS), max_size=40).map(" ".join))
    if kind == 1:
        return draw(st.text(max_size=200))
    if kind == 2:  # a doubling chain: the classic memory bomb
        n = draw(st.integers(1, 26))
        binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(n))
        return f'SELECT (STRLEN(?v{n}) AS ?n) WHERE {{ BIND("{"x" * 64}" AS ?v0) {binds} }}'
    if kind == 3:  # deep nesting, past and under the bounds
        depth = draw(st.integers(1, 300))
        return "SELECT * WHERE " + "{ " * depth + body + " }" * depth
    head = draw(st.sampled_from(["SELECT *", "SELECT DISTINCT ?s ?o", "ASK", "CONSTRUCT { ?s ?p ?o }",
                                 "SELECT (COUNT(*) AS ?n)"]))
    tail = draw(st.sampled_from(["", " LIMIT 5", " ORDER BY ?s ?o", " GROUP BY ?s", " OFFSET 3 LIMIT 2"]))
    return f"{head} WHERE {{ {body} }}{tail}"


def check(pool: QueryPool, text: str, time_limit: float) -> str:
    """Run ``text`` as the server would; return what happened, raise ``AssertionError`` on a failure."""
    try:
        info = inspect_query(text)
    except (QueryRefused, QuerySyntaxError):
        return "refused"
    started = time.monotonic()
    try:
        pool.run(QueryJob(text, {info.kind: "json"}, max_rows=1_000, max_bytes=8 << 20), time_limit)
        outcome = "answered"
    except QuerySyntaxError:
        outcome = "syntax"
    except QueryTimeout:
        outcome = "timeout"
    except QueryOverLimit:
        outcome = "over-limit"
    # a worker killed at its limit takes about a start-up to replace; waiting for a free one is bounded too
    elapsed = time.monotonic() - started
    assert elapsed < 2 * time_limit + 5, f"{elapsed:.1f} s for {text!r}"
    return outcome


def make_store(folder: str | Path) -> Path:
    """A small store to query (a few triples, so joins and products have something to multiply)."""
    from rdflib import Literal, URIRef

    path = Path(folder) / "kg"
    with EmbeddedStore(path) as store:
        for i in range(4):
            store.write_article(f"{ID}article/{i:016x}", [(URIRef(f"{ID}x{j}"), URIRef(f"{ID}p"), Literal(f"v{j}"))
                                                          for j in range(30)])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2_000)
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--worker-memory", type=int, default=1024, help="MiB of address space per worker")
    args = parser.parse_args()
    outcomes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder, \
            QueryPool(make_store(folder), size=2, memory=args.worker_memory) as pool:
        assert wait_for_workers(pool, 2, 60)

        @settings(max_examples=args.examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(queries())
        def run(text: str) -> None:
            outcome = check(pool, text, args.time_limit)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

        run()
    print("outcomes:", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))


if __name__ == "__main__":
    main()
