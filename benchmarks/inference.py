"""OWL RL closure time: the project's rule engine against owlrl, at growing store sizes, owlrl capped.

Both run through ``aseankg.reasoning.infer`` (the engines the other benchmark,
``benchmarks/reasoning.py``, compares and checks for agreement) on an in-memory store of synthetic
article graphs plus the ontology and reference data. owlrl needs hours at a million triples, so it
runs in a forked child killed past its cap, and the cap is reported.
"""

from __future__ import annotations

import importlib.util

from aseankg import settings
from aseankg.reasoning import ENGINES, infer

from .capped import capped_runs
from .measure import Stats
from .triples import build_store


def _companion() -> str | None:
    """The module name of the companion reasoning benchmark, if it is there."""
    return "benchmarks.reasoning" if importlib.util.find_spec("benchmarks.reasoning") else None


def measure(sizes: dict[int, float], scratch: str, *, runs: int, log=print) -> dict:
    """Closure seconds per engine for each store size; ``sizes`` maps triples to owlrl's cap in seconds."""
    out: dict = {"engines": list(ENGINES), "companion": _companion(), "sizes": {}}
    for triples, owlrl_cap in sizes.items():
        store, _, _ = build_store(None, triples, scratch=scratch)
        entry: dict = {"quads": store.triple_count()}
        inferred: dict[str, int] = {}
        for engine in ENGINES:
            cap = owlrl_cap if engine == "owlrl" else max(600.0, owlrl_cap)
            engine_runs = 1 if engine == "owlrl" else runs

            def run(engine=engine, store=store):
                report = infer(store, engine=engine)
                return (report.closure_seconds, report.triples_inferred)

            result = capped_runs(run, runs=engine_runs, cap=cap)
            closure = Stats.of([result.value[0]] if result.value else [])
            entry[engine] = {"seconds": Stats.of(result.seconds).as_dict(2), "cap_seconds": cap,
                             "past_cap": result.past_cap, "error": result.error,
                             "closure_seconds": closure.as_dict(2),
                             "triples_inferred": result.value[1] if result.value else None}
            if result.value:
                inferred[engine] = result.value[1]
            past = f" (past the cap of {cap:g} s)" if result.past_cap else ""
            log(f"inference: {entry['quads']} quads, {engine}: {entry[engine]['seconds']['median']} s{past}")
        if {"rules", "owlrl"} <= set(inferred):
            entry["same_count"] = inferred["rules"] == inferred["owlrl"]
        rules, owlrl = entry.get("rules", {}), entry.get("owlrl", {})
        if rules.get("seconds", {}).get("median") and owlrl.get("seconds", {}).get("median"):
            entry["speedup"] = round(owlrl["seconds"]["median"] / rules["seconds"]["median"], 1)
        elif rules.get("seconds", {}).get("median") and owlrl.get("past_cap"):
            entry["speedup_at_least"] = round(owlrl["cap_seconds"] / rules["seconds"]["median"], 1)
        out["sizes"][str(triples)] = entry
        store.close()
    out["inference_graph"] = settings.INFERENCE_GRAPH
    return out
