"""Query bounds: what used to freeze or crash the service is refused before it is parsed or run.

Each test stood for a failure of the old code: a 99,997-character ``1+1+…`` took 39 s to parse under a
process-wide lock (a concurrent ``ASK`` waited 37.5 s); a 10,000-operand chain crashed pyoxigraph
(the CLI died with SIGSEGV, HTTP said ``500 a query worker failed:``); a 2,000-step path ran for
minutes with no limit in the CLI or the library; 7,500 triple patterns were refused as "maximum
recursion depth exceeded". Every process a test starts is stopped by its own pid.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import served
from rdflib import Literal, URIRef

from aseankg import KnowledgeGraph
from aseankg.safety import QueryTooComplex, inspect_query
from aseankg.sparqlscan import DEFAULT_BOUNDS
from aseankg.store import DEFAULT_TIME_LIMIT, EmbeddedStore

ASEANKG = Path(sys.executable).parent / "aseankg"
#: 99,997 characters, just under the server's --max-query-length.
LONG_SUM = "SELECT (" + "+".join(["1"] * 49_990) + " AS ?x) {}"
FLAT_SUM = "SELECT (" + "+".join(["1"] * 10_000) + " AS ?x) {}"
LONG_OR = "ASK { FILTER(" + "||".join(["?a"] * 8_000) + ") }"
LONG_PATH = "SELECT * { ?s " + "/".join(["<https://w3id.org/aseankg/id/p>"] * 2_000) + " ?o }"
MANY_TRIPLES = "SELECT * { " + " ".join(f"?s{i} <https://w3id.org/aseankg/id/p> ?o{i} ." for i in range(7_500)) + " }"
#: rdflib's parser already failed at 200 patterns; Oxigraph plans n patterns in time growing with about
#: n cubed (100: 0.05 s, 200: 0.4 s, 500: 27 s, 7,500: over a minute), so answers are tested at 180.
SOME_TRIPLES = "SELECT * { " + " ".join(f"?s{i} <https://w3id.org/aseankg/id/p> ?o{i} ." for i in range(180)) + " }"
ID = "https://w3id.org/aseankg/id/"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A store folder with one triple (written, then closed, so other processes can open it)."""
    path = tmp_path_factory.mktemp("bounds") / "kg"
    with EmbeddedStore(path) as store:
        store.write_article(f"{ID}article/00000000000000aa", [(URIRef(f"{ID}x"), URIRef(f"{ID}p"), Literal("v"))])
    return path


@pytest.fixture()
def kg(folder):
    graph = KnowledgeGraph(EmbeddedStore(folder, read_only=True))
    yield graph
    graph.close()


def test_sizes():
    assert len(LONG_SUM) == 99_997


# ------------------------------------------------------------------------------------- the library

@pytest.mark.parametrize("query, bound", [(LONG_SUM, "operands"), (FLAT_SUM, "operands"), (LONG_OR, "operands"),
                                          (LONG_PATH, "steps")])
def test_bounds_refuse_before_anything_parses(kg, query, bound):
    with pytest.raises(QueryTooComplex) as caught:
        kg.query(query)
    message = str(caught.value)
    assert message.startswith("SPARQL query refused") and bound in message and "the limit is" in message
    assert kg.query("ASK { ?s ?p ?o }").boolean is True


def test_many_flat_triple_patterns_pass_the_check_and_are_answered(kg):
    assert inspect_query(MANY_TRIPLES).kind == "select"  # was "maximum recursion depth exceeded"
    result = kg.query(SOME_TRIPLES)
    assert len(result.rows) == 1 and result.dicts()[0]["o179"] == "v"


def test_queries_at_the_bounds_still_run(kg):
    """Just inside every bound, on a small caller stack: answered, the process intact."""
    at_limit = "SELECT (" + "+".join(["1"] * (DEFAULT_BOUNDS.max_operands - 1)) + " AS ?x) {}"  # ?x counts too
    nested = "SELECT * " + "{" * (DEFAULT_BOUNDS.max_depth - 1) + " ?s ?p ?o " + "}" * (DEFAULT_BOUNDS.max_depth - 1)
    path = "SELECT * { ?s " + "/".join([f"<{ID}p>"] * DEFAULT_BOUNDS.max_path_steps) + " ?o }"
    answers = {}

    def run() -> None:
        answers["sum"] = kg.query(at_limit).dicts()[0]["x"]
        answers["nested"] = len(kg.query(nested).rows)
        answers["path"] = len(kg.query(path).rows)

    old = threading.stack_size(256 * 1024)  # pyoxigraph on this stack alone crashes near 200 operands
    try:
        thread = threading.Thread(target=run)
        thread.start()
    finally:
        threading.stack_size(old)
    thread.join(120)
    assert answers == {"sum": DEFAULT_BOUNDS.max_operands - 1, "nested": 1, "path": 0}


def test_the_library_has_a_default_time_limit():
    assert inspect.signature(KnowledgeGraph.query).parameters["timeout"].default == DEFAULT_TIME_LIMIT == 60


def test_the_check_is_linear():
    """Doubling the text about doubles the work (counted in tokens scanned, not seconds)."""
    from aseankg.sparqlscan import tokens

    assert len(tokens(MANY_TRIPLES)) == 7_500 * 4 + 4
    inspect_query(MANY_TRIPLES)


# ------------------------------------------------------------------------------------------ the CLI

def _cli(folder, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ASEANKG), "query", "--store", str(folder), *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_refuses_a_flat_chain_with_a_message(folder):
    run = _cli(folder, FLAT_SUM)
    assert run.returncode == 1, (run.returncode, run.stderr[-500:])
    assert "operands; the limit is" in run.stderr


def test_cli_refuses_a_long_path(folder):
    run = _cli(folder, LONG_PATH)
    assert run.returncode == 1 and "steps; the limit is" in run.stderr


def test_cli_time_limit_stops_a_runaway_query(folder):
    runaway = "SELECT * WHERE { " + " ".join(f"VALUES ?v{i} {{ {' '.join(map(str, range(30)))} }}"
                                             for i in range(8)) + " }"
    run = _cli(folder, "--timeout", "1", "--format", "csv", runaway)
    assert run.returncode == 1 and "limit" in run.stderr, run.stderr[-300:]
    assert _cli(folder, "--timeout", "30", "ASK { ?s ?p ?o }").stdout.strip() == "true"


# ------------------------------------------------------------------------------------------- HTTP

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``aseankg serve`` on an empty store (no build), 5 s query limit, 2 workers."""
    store = tmp_path_factory.mktemp("live-bounds") / "kg"
    EmbeddedStore(store).close()  # an empty store: serve --no-build makes none
    with served(store, "--no-build", "--time-limit", "5", "--workers", "2", workers=2, check_stderr=False) as base:
        yield base


def _post(base: str, query: str, timeout: float = 30) -> tuple[int, str]:
    request = urllib.request.Request(base + "/sparql", data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query",
                                              "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("query, bound", [(FLAT_SUM, "operands"), (LONG_OR, "operands"), (LONG_PATH, "steps")])
def test_http_refuses_with_400_naming_the_bound(server, query, bound):
    status, body = _post(server, query)
    assert status == 400 and bound in body and "the limit is" in body
    status, body = _post(server, "ASK {}")
    assert status == 200 and '"boolean": true' in body


def test_http_answers_others_while_a_hostile_query_is_checked(server):
    """The 99,997-character sum and an ASK sent together: both answered, the sum refused. (The old
    check held the ASK behind the parser lock for 37 s; the 20 s client timeout is a hang guard.)"""
    outcome: dict = {}

    def hostile() -> None:
        outcome["hostile"] = _post(server, LONG_SUM, timeout=20)

    thread = threading.Thread(target=hostile)
    thread.start()
    time.sleep(0.05)  # let the hostile request go first
    outcome["ask"] = _post(server, "ASK {}", timeout=20)
    thread.join(30)
    assert outcome["ask"][0] == 200 and "true" in outcome["ask"][1]
    assert outcome["hostile"][0] == 400 and "operands" in outcome["hostile"][1]


def test_http_many_flat_triple_patterns_are_not_refused(server):
    """180 patterns (rdflib's parser failed at 200) are answered over HTTP."""
    status, body = _post(server, SOME_TRIPLES)
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
