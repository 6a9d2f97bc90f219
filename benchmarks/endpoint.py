"""The HTTP endpoint on a large store, side by side with ``oxigraph serve`` loaded with the same dump:
saved-query latency, throughput at a given concurrency, resident size while serving, cold start.

Both servers answer the same query text (the saved query with its default parameters bound by a
``VALUES`` block, as the library binds them), in SPARQL JSON, alternating query by query so that
neither gets a warmer machine. The project's server gets row and time caps high enough that both
return the whole result; row counts are compared.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from pathlib import Path

from aseankg import naming
from aseankg.dumps import dump_to_path
from aseankg.queries import saved_queries
from aseankg.safety import bind_values

from . import adhoc, servers
from .measure import Stats, ratio, timed, tree_rss_kib
from .triples import build_store

#: A point query (one article's headline: one row) and a join query (the people who took part in one
#: meeting, with their countries and names; a person may take part in more than one capacity).
POINT = (f"SELECT ?headline WHERE {{ <{naming.article_iri(hashlib.sha256(b'synthetic article 1').hexdigest())}> "
         "<https://schema.org/headline> ?headline }")
JOIN = """PREFIX akg: <https://w3id.org/aseankg/ontology#>
SELECT DISTINCT ?person ?name ?country WHERE {
  ?participation akg:meeting <https://w3id.org/aseankg/id/meeting/amm-58> ;
                 akg:participant ?person ; akg:represents ?country .
  ?person <http://www.w3.org/2000/01/rdf-schema#label> ?name
}"""
FIRST = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


def query_texts() -> dict[str, str]:
    """Every saved query's text with its default parameters bound."""
    return {q.name: bind_values(q.text, q.bindings()) if q.params else q.text for q in saved_queries()}


def throughput_in_rounds(pair, sparql: str, *, concurrency: int, seconds: float, rounds: int) -> dict:
    """Requests a second from ``concurrency`` clients, each server in turn (which goes first
    alternates), ``rounds`` times after a warm-up: the median of each server's rounds, and their
    ratio (either server's rate moved by up to a quarter from one round to the next on this machine)."""
    for server in pair:
        servers.load(server.url, sparql, concurrency=concurrency, seconds=min(1.0, seconds))
    done: dict[str, list] = {server.name: [] for server in pair}
    for turn in range(rounds):
        for server in (pair if turn % 2 == 0 else pair[::-1]):
            done[server.name].append(servers.load(server.url, sparql, concurrency=concurrency, seconds=seconds))
    entry = {name: {"requests_per_second": round(statistics.median(r.per_second for r in results), 1),
                    "rounds": [round(r.per_second, 1) for r in results],
                    "requests": sum(r.requests for r in results), "errors": sum(r.errors for r in results)}
             for name, results in done.items()}
    ours, theirs = (entry[server.name]["requests_per_second"] for server in pair)
    entry["ratio"] = round(ours / max(1e-9, theirs), 3)
    return entry


def measure(triples: int, scratch: str, *, runs: int, load_seconds: float, cold_starts: int,
            cap: float = 30.0, concurrency: int = 8, adhoc_variants: int = 0, load_rounds: int = 1,
            log=print) -> dict:
    """Build a ``triples`` store, dump it, load the dump into Oxigraph, then time both servers."""
    folder = Path(scratch) / f"endpoint-{triples}"
    seconds, (store, nquads, articles) = timed(lambda: build_store(folder / "aseankg", triples, scratch=scratch))
    quads = store.triple_count()
    log(f"endpoint: store of {quads} quads ({articles} synthetic articles) built in {seconds:.1f} s")
    dump = folder / "dump.nq"
    dump_seconds, _ = timed(lambda: dump_to_path(store, dump))
    store.close()
    load_seconds_ox, _ = timed(lambda: servers.oxigraph_load(folder / "oxigraph", dump))
    out: dict = {"quads": quads, "synthetic_articles": articles, "build_seconds": round(seconds, 2),
                 "dump_seconds": round(dump_seconds, 2), "oxigraph_load_seconds": round(load_seconds_ox, 2),
                 "target_latency_ratio": 1.2}
    texts = query_texts()

    starts = []
    for _ in range(max(0, cold_starts - 1)):
        server = servers.start_aseankg(folder / "aseankg", time_limit=cap)
        try:
            starts.append(servers.wait_until_answered(server, POINT))
        finally:
            server.stop()
    ours = servers.start_aseankg(folder / "aseankg", time_limit=cap)
    theirs = servers.start_oxigraph(folder / "oxigraph", timeout=cap)
    try:
        starts.append(servers.wait_until_answered(ours, POINT))
        servers.wait_until_answered(theirs, FIRST)
        out["cold_start_seconds"] = Stats.of(starts).as_dict(3)
        log(f"endpoint: cold start {out['cold_start_seconds']['median']:.2f} s (median of {len(starts)})")
        out["latency"] = _latency(texts, ours.url, theirs.url, runs, cap, log)
        if adhoc_variants:  # new texts, each sent once; the queries past the cap left out
            group = adhoc.saved_variants(adhoc_variants, skip=tuple(out["latency"]["past_cap"]))
            out["adhoc"] = adhoc.measure_servers({"saved query variants": group}, ours.url, theirs.url, cap,
                                                 log, f"{quads} quads")
        out["throughput"] = {}
        for name, sparql in (("point", POINT), ("join", JOIN)):
            out["throughput"][name] = throughput_in_rounds((ours, theirs), sparql, concurrency=concurrency,
                                                  seconds=load_seconds, rounds=load_rounds)
            log(f"endpoint: throughput {name}: {out['throughput'][name]}")
        out["throughput"]["concurrency"] = concurrency
        out["memory"] = {}
        for server in (ours, theirs):
            kib = tree_rss_kib(server.pid)
            out["memory"][server.name] = {"rss_mib": round(kib / 1024, 1),
                                          "mib_per_million_triples": round(kib / 1024 / (quads / 1e6), 1)}
        log(f"endpoint: memory {out['memory']}")
    finally:
        ours.stop()
        theirs.stop()
    return out


def _ask(url: str, sparql: str, cap: float) -> tuple[float | None, int | None]:
    """(seconds, rows) of one request, or (None, None) if it failed or ran past ``cap``."""
    started = time.perf_counter()
    try:
        status, body = servers.query(url, sparql, timeout=cap + 5)
    except OSError:
        return None, None
    if status != 200:
        return None, None
    return time.perf_counter() - started, servers.rows_of(body)


def _latency(texts: dict[str, str], ours: str, theirs: str, runs: int, cap: float, log) -> dict:
    times: dict[str, dict[str, list[float]]] = {name: {"aseankg": [], "oxigraph": []} for name in texts}
    rows: dict[str, dict[str, int | None]] = {name: {} for name in texts}
    capped: dict[str, list[str]] = {}
    for name, sparql in texts.items():  # one warm-up each (a query past the cap is left out), then alternate
        for key, url in (("aseankg", ours), ("oxigraph", theirs)):
            seconds, rows[name][key] = _ask(url, sparql, cap)
            if seconds is None:
                capped.setdefault(name, []).append(key)
            log(f"endpoint: warm-up {name} on {key}: " + ("past the cap" if seconds is None else f"{seconds:.3f} s"))
    timed_texts = {name: sparql for name, sparql in texts.items() if name not in capped}
    for _ in range(runs):
        for name, sparql in timed_texts.items():
            for key, url in (("aseankg", ours), ("oxigraph", theirs)):
                seconds, _rows = _ask(url, sparql, cap)
                if seconds is not None:
                    times[name][key].append(seconds)
    queries = {}
    for name in texts:
        a, b = Stats.of(times[name]["aseankg"]), Stats.of(times[name]["oxigraph"])
        queries[name] = {"aseankg_ms": a.scaled(1000).as_dict(2), "oxigraph_ms": b.scaled(1000).as_dict(2),
                         "ratio": ratio(a, b), "rows": rows[name], "past_cap": capped.get(name, [])}
    ratios = [q["ratio"] for q in queries.values() if q["ratio"] is not None]
    summary = Stats.of(ratios)
    log(f"endpoint: latency ratio median {summary.median:.2f} over {len(ratios)} queries")
    return {"queries": queries, "ratio": summary.as_dict(3), "runs": runs, "cap_seconds": cap,
            "past_cap": capped,
            "rows_agree": all(r.get("aseankg") == r.get("oxigraph") for n, r in rows.items() if n not in capped)}
