"""The library's query engine (pyoxigraph behind ``aseankg.queries.run_saved``) against rdflib's own
in-memory SPARQL engine on the same data, query by query, with a cap per run.

Both answer the saved queries with their default parameters over the union of the named graphs
(rdflib: ``Dataset(default_union=True)`` parsed from the same N-Quads). Each engine runs in a
forked child killed past the cap, so a query rdflib cannot finish is reported, not waited for.
"""

from __future__ import annotations

from aseankg import settings
from aseankg.queries import run_saved, saved_queries
from aseankg.safety import bind_values

from .capped import capped_runs
from .measure import Stats, ratio, timed
from .triples import build_store


def measure(triples: int, scratch: str, *, runs: int, cap: float, log=print) -> dict:
    from rdflib import Dataset, URIRef

    store, nquads, _ = build_store(None, triples, scratch=scratch)
    dataset = Dataset(default_union=True)
    parse_seconds, _ = timed(lambda: dataset.parse(str(nquads), format="nquads"))
    for name in (settings.REFERENCE_GRAPH, settings.ONTOLOGY_GRAPH):  # the reference data too
        target = dataset.graph(URIRef(name))
        for triple in store.graph(name):
            target.add(triple)
    out: dict = {"quads": store.triple_count(), "rdflib_parse_seconds": round(parse_seconds, 2),
                 "cap_seconds": cap, "runs": runs, "queries": {}}
    log(f"library: {out['quads']} quads; rdflib parsed the N-Quads in {parse_seconds:.1f} s")
    for query in saved_queries():
        text = bind_values(query.text, query.bindings()) if query.params else query.text

        def ours(query=query):
            return len(run_saved(store, query).rows)

        def theirs(text=text):
            return len(list(dataset.query(text)))

        # one more run than counted: the first (cold caches, query parsing) is left out
        a, b = capped_runs(ours, runs=runs + 1, cap=cap), capped_runs(theirs, runs=runs + 1, cap=cap)
        sa, sb = Stats.of(a.seconds[1:]), Stats.of(b.seconds[1:])
        entry = {"aseankg_ms": sa.scaled(1000).as_dict(2), "rdflib_ms": sb.scaled(1000).as_dict(2),
                 "aseankg_past_cap": a.past_cap, "rdflib_past_cap": b.past_cap,
                 "rows": {"aseankg": a.value, "rdflib": b.value},
                 "errors": [e for e in (a.error, b.error) if e]}
        if sa.median and b.past_cap and len(b.seconds) < 2:
            entry["speedup_at_least"] = round(cap / sa.median, 1)
        else:
            entry["speedup"] = ratio(sb, sa)
        out["queries"][query.name] = entry
        log(f"library: {query.name}: aseankg {sa.median} s, rdflib {sb.median} s"
            f"{' (past cap)' if b.past_cap else ''}")
    speedups = [q["speedup"] for q in out["queries"].values() if q.get("speedup")]
    out["speedup"] = Stats.of(speedups).as_dict(1)
    out["rdflib_past_cap"] = [n for n, q in out["queries"].items() if q["rdflib_past_cap"]]
    store.close()
    return out
