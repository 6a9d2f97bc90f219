"""Ad hoc queries: texts neither server has seen before, each sent once, ``aseankg serve`` vs
``oxigraph serve`` on the same data.

Analysts send new query texts, so a server's cost for an unseen text (parse, safety check, plan) is
what they feel. The texts are generated variants of the saved queries (``queries/*.rq`` with their
defaults bound; each variant renames every variable and reflows the white space, so it is a new
text with the same meaning and cost) and, on the seed store, the W3C SPARQL 1.0/1.1 evaluation test
queries (``tests/w3c``, copied unchanged; syntax tests, federation and
updates left out). Each text goes to both servers once, the first server alternating text by text;
a text either server refuses or fails is left out of the figures and counted. Reported: the median
and the 99th percentile latency of each server over the texts, and their ratios.

>>> texts = variants("SELECT ?a WHERE { ?a ?b 'x ?a' }", 2)
>>> texts[0]
"SELECT ?a_v0 WHERE { ?a_v0 ?b_v0 'x ?a' }"
>>> len(set(texts))
2
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from aseankg import settings
from aseankg.safety import QueryRefused, QuerySyntaxError, inspect_query
from aseankg.sparqlscan import tokens

from . import servers

#: Where a copy of the W3C SPARQL test suite may be (the first that exists is used).
W3C_FOLDERS = (settings.PROJECT_ROOT / "tests" / "w3c",)
#: W3C test folders left out: syntax-only tests (no data to run on), federation (SERVICE), updates,
#: entailment regimes (not what either server does).
W3C_SKIP = ("syntax", "service", "fed", "update", "entailment", "protocol", "graph-store", "http-rdf")
TARGET_MEDIAN = 1.3
TARGET_P99 = 2.0


def variants(sparql: str, count: int) -> list[str]:
    """``count`` new texts of ``sparql``: every variable renamed (``?x`` to ``?x_vN``), and for odd
    ``N`` the white space between tokens reflowed to single spaces."""
    found = tokens(sparql)
    out = []
    for n in range(count):
        parts, last = [], 0
        for token in found:
            gap = sparql[last:token.pos]
            parts.append(" " if n % 2 and gap.strip() == "" and gap else gap)
            parts.append(f"{token.text}_v{n}" if token.kind == "var" else token.text)
            last = token.pos + len(token.text)
        parts.append(sparql[last:])
        out.append("".join(parts))
    return out


def w3c_texts(limit: int | None = None) -> list[str]:
    """The W3C evaluation test queries that pass the safety rules, if a copy of the suite is here."""
    folder = next((f for f in W3C_FOLDERS if f.is_dir()), None)
    if folder is None:
        return []
    texts = []
    for path in sorted(folder.rglob("*.rq")):
        if any(skip in part for part in path.relative_to(folder).parts for skip in W3C_SKIP):
            continue
        try:
            text = path.read_text(encoding="utf-8")
            inspect_query(text)
        except (UnicodeDecodeError, QueryRefused, QuerySyntaxError):
            continue
        texts.append(text)
    return texts[:limit]


def percentile(values: list[float], share: float) -> float | None:
    """The ``share`` quantile of ``values`` (nearest rank)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


#: Bytes of one answer read at most: a W3C text can ask for a product of the whole store; past
#: this the text is left out (the harness must not hold gigabytes).
MAX_BODY = 16 << 20


def _ask(url: str, sparql: str, cap: float) -> tuple[float | None, None]:
    """(seconds, None) of one request answered whole with 200, or (None, None)."""
    import http.client
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    started = time.perf_counter()
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=cap)
    try:
        conn.request("GET", parts.path + "?" + urllib.parse.urlencode({"query": sparql}),
                     headers={"Accept": servers.ACCEPT})
        response = conn.getresponse()
        body = response.read(MAX_BODY + 1)
        if response.status != 200 or len(body) > MAX_BODY:
            return None, None
    except (OSError, http.client.HTTPException):
        return None, None
    finally:
        conn.close()
    return time.perf_counter() - started, None


def run_texts(texts: list[str], ours: str, theirs: str, cap: float) -> tuple[list[float], list[float], int]:
    """Send each text once to each server (alternating which goes first): the seconds of each over
    the texts both answered whole within ``cap``, and how many were left out."""
    mine: list[float] = []
    other: list[float] = []
    failed = 0
    for i, text in enumerate(texts):
        order = [("a", ours), ("b", theirs)] if i % 2 == 0 else [("b", theirs), ("a", ours)]
        seconds = {}
        for key, url in order:
            seconds[key], _rows = _ask(url, text, cap)
        if seconds["a"] is None or seconds["b"] is None:
            failed += 1
            continue
        mine.append(seconds["a"])
        other.append(seconds["b"])
    return mine, other, failed


def summary(mine: list[float], other: list[float], failed: int, log=print, label: str = "") -> dict:
    """Median and 99th percentile of each server over the texts, and their ratios."""
    out: dict = {"texts": len(mine) + failed, "answered_by_both": len(mine), "left_out": failed}
    if mine:
        a_med, b_med = statistics.median(mine), statistics.median(other)
        a_p99, b_p99 = percentile(mine, 0.99), percentile(other, 0.99)
        out.update({"aseankg_ms": {"median": round(a_med * 1000, 3), "p99": round(a_p99 * 1000, 3)},
                    "oxigraph_ms": {"median": round(b_med * 1000, 3), "p99": round(b_p99 * 1000, 3)},
                    "median_ratio": round(a_med / b_med, 3), "p99_ratio": round(a_p99 / b_p99, 3),
                    "target_median_ratio": TARGET_MEDIAN, "target_p99_ratio": TARGET_P99})
        log(f"adhoc {label}: {len(mine)} texts, median {out['aseankg_ms']['median']:.2f} vs "
            f"{out['oxigraph_ms']['median']:.2f} ms = {out['median_ratio']:.2f}x, p99 "
            f"{out['p99_ratio']:.2f}x ({failed} left out)")
    return out


def measure_servers(groups: dict[str, list[str]], ours: str, theirs: str, cap: float, log=print,
                    label: str = "") -> dict:
    """Each group of texts, then all of them together (``all``), on two running servers."""
    out: dict = {}
    mine_all: list[float] = []
    other_all: list[float] = []
    failed_all = 0
    for name, texts in groups.items():
        mine, other, failed = run_texts(texts, ours, theirs, cap)
        out[name] = summary(mine, other, failed, log, f"{label}, {name}")
        mine_all += mine
        other_all += other
        failed_all += failed
    out["all"] = summary(mine_all, other_all, failed_all, log, f"{label}, all")
    return out


def saved_variants(count: int, skip: tuple[str, ...] = ()) -> list[str]:
    """``count`` variants of every saved query (with its defaults bound) but those in ``skip``."""
    from .endpoint import query_texts

    texts = []
    for name, text in query_texts().items():
        if name not in skip:
            texts.extend(variants(text, count))
    return texts


def seed_store(folder: Path, log=print) -> tuple[Path, Path, int]:
    """The seed articles built into an aseankg store (``aseankg build`` in a child process), dumped and
    loaded into an Oxigraph folder as the endpoint section does: (ours, theirs, quads)."""
    import subprocess
    import sys

    from aseankg.dumps import dump_to_path
    from aseankg.store import EmbeddedStore

    ours, theirs, dump = folder / "aseankg", folder / "oxigraph", folder / "dump.nq"
    subprocess.run([sys.executable, "-c", "from aseankg.cli import main; main()", "build", "--store", str(ours),
                    str(settings.ARTICLES_DIR)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = EmbeddedStore(ours)
    try:
        quads = store.triple_count()
        dump_to_path(store, dump)
    finally:
        store.close()
    servers.oxigraph_load(theirs, dump)
    log(f"adhoc: seed store of {quads} quads")
    return ours, theirs, quads


def measure(scratch: str, *, per_query: int, w3c_limit: int | None, cap: float, cost_runs: int = 300,
            load_seconds: float = 5.0, rounds: int = 1, log=print) -> dict:
    """The ad hoc texts on the seed store (the articles in ``data/articles``), both servers; then the
    same texts and a cheap query's throughput on the floor server (``floor``) beside Oxigraph."""
    from .endpoint import throughput_in_rounds
    from .floor import start_floor

    ours_store, theirs_store, quads = seed_store(Path(scratch) / "adhoc-seed", log=log)
    groups = {"saved query variants": saved_variants(per_query), "W3C test queries": w3c_texts(w3c_limit)}
    ours = servers.start_aseankg(ours_store, time_limit=cap, max_rows=100_000)
    theirs = servers.start_oxigraph(theirs_store, timeout=cap)
    floor = start_floor(ours_store)
    try:
        for server in (ours, theirs, floor):
            servers.wait_until_answered(server, "ASK {}")
        out = measure_servers(groups, ours.url, theirs.url, cap, log, "seed")
        out["request_cost"] = request_cost(ours_store, ours.url, theirs.url, runs=cost_runs)
        log(f"adhoc: a cheap request's cost, ms: {out['request_cost']}")
        out["floor"] = measure_servers(groups, floor.url, theirs.url, cap, log, "floor")
        out["floor"]["throughput"] = {
            name: throughput_in_rounds([server, theirs], CHEAP, concurrency=8, seconds=load_seconds, rounds=rounds)
            for name, server in (("aseankg serve", ours), ("floor", floor))}
        log(f"adhoc: cheap query throughput at concurrency 8: {out['floor']['throughput']}")
    finally:
        for server in (ours, theirs, floor):
            server.stop()
    return {"store": "seed", "quads": quads, **out}


#: The cheap request the cost breakdown follows: one label of one entity (one row).
CHEAP = ("SELECT ?label WHERE { <https://w3id.org/aseankg/id/country/VNM> "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")


def request_cost(store: Path, ours: str, theirs: str, *, runs: int = 300) -> dict:
    """Where a cheap request's time goes, in ms (medians of ``runs``, each text new): over HTTP to
    each server (a new connection each, as the latency figures), through the Flask app without HTTP,
    the worker round trip alone, the query and its serialisation alone, the safety check alone."""
    import pyoxigraph as ox

    from aseankg.querying import QueryJob, execute, wait_for_workers
    from aseankg.store import EmbeddedStore
    from aseankg.web import close_app, create_app

    def median_ms(step) -> float:
        times = []
        for i in range(runs):
            started = time.perf_counter()
            step(f"{CHEAP} # {i} {time.perf_counter_ns()}")
            times.append(time.perf_counter() - started)
        return round(statistics.median(times) * 1000, 3)

    out = {"query": CHEAP, "runs": runs,
           "http_aseankg": median_ms(lambda text: _ask(ours, text, 10.0)),
           "http_oxigraph": median_ms(lambda text: _ask(theirs, text, 10.0))}
    kg = EmbeddedStore(store, read_only=True)
    app = create_app(kg, workers=2)
    try:
        pool = app.extensions["aseankg"].pool
        wait_for_workers(pool, 3)
        client = app.test_client()
        headers = {"Accept": "application/sparql-results+json"}
        out["app_without_http"] = median_ms(lambda text: client.get("/sparql", query_string={"query": text},
                                                                    headers=headers))
        out["worker_round_trip"] = median_ms(lambda text: pool.run(QueryJob(text, {"select": "json"},
                                                                            max_rows=10_000), 10.0))
    finally:
        close_app(app)
        kg.close()
    db = ox.Store.read_only(str(store))
    out["query_and_json"] = median_ms(lambda text: execute(db, QueryJob(text, {"select": "json"}, max_rows=10_000)))
    out["safety_check"] = median_ms(lambda text: inspect_query.__wrapped__(text))
    out["breakdown_ms"] = {
        "HTTP, waitress and the connection": round(out["http_aseankg"] - out["app_without_http"], 3),
        "Flask, protocol, negotiation, fairness, safety check": round(out["app_without_http"]
                                                                      - out["worker_round_trip"], 3),
        "pool: hand-over to a worker and back (pickle, socket, wake-up)": round(out["worker_round_trip"]
                                                                               - out["query_and_json"], 3),
        "query and SPARQL JSON in the worker": out["query_and_json"]}
    return out
