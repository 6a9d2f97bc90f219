"""How the two reasoning engines scale: ``python -m benchmarks.reasoning [QUADS ...]``.

Builds in-memory stores of synthetic article graphs (``tests/conftest.py``'s generator: ~64 triples
per article, entities shared across articles) plus the ontology and the gazetteer, runs
``reasoning.infer`` with each engine, checks that both write the same inference graph, and prints
a Markdown table of seconds and triples inferred.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time

from aseankg import settings
from aseankg.ingest import ensure_reference_data
from aseankg.reasoning import ENGINES, infer
from aseankg.store import EmbeddedStore


def _generator():
    spec = importlib.util.spec_from_file_location("aseankg_test_data", settings.PROJECT_ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_article


def synthetic_store(quads: int) -> EmbeddedStore:
    """An in-memory store with the reference data and synthetic articles, about ``quads`` quads."""
    article = _generator()
    store = EmbeddedStore(None)
    ensure_reference_data(store)
    i = 0
    while store.triple_count() < quads:
        store.write_article(*article(i, people=max(400, quads // 100), meetings=max(120, quads // 400)))
        i += 1
    return store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 50_000], help="quads per store")
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    args = parser.parse_args(argv)
    print("| quads | engine | seconds | closure seconds | triples inferred |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        store = synthetic_store(size)
        graphs = {}
        for engine in args.engines:
            started = time.perf_counter()
            report = infer(store, engine=engine)
            seconds = time.perf_counter() - started
            graphs[engine] = set(store.graph(settings.INFERENCE_GRAPH))
            print(f"| {store.triple_count() - report.triples_inferred} | {engine} | {seconds:.1f} | "
                  f"{report.closure_seconds:.1f} | {report.triples_inferred} |", flush=True)
        if len(graphs) == 2 and graphs["rules"] != graphs["owlrl"]:
            print(f"engines disagree at {size} quads", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
