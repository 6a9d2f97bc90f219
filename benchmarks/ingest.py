"""Ingest speed: read → extract → RDF → SHACL gate → store, per stage, on one core.

The stages are called the way ``aseankg.ingest.build_articles`` calls them, each timed on its own.
Every build runs in a fresh child process pinned to one CPU, on a new on-disk store, so the
figures are single-core and the child's peak resident size is the build's own.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from pathlib import Path

from .corpus import write_corpus
from .measure import Stats, peak_rss_kib

STAGES = ("read", "extract", "rdf", "validate", "store")


def build_once(corpus: str, store_dir: str, chunk: int) -> dict:
    """Build every article in ``corpus`` into a new store at ``store_dir``, timing each stage
    (runs in the child process)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from aseankg import naming
    from aseankg.extraction import extract
    from aseankg.ingest import Pipeline, store_form
    from aseankg.rdf import article_graph
    from aseankg.reading import ArticleError, article_files, read_file
    from aseankg.stores import open_store

    clock = time.perf_counter
    started = clock()
    store = open_store(store_dir)
    pipeline = Pipeline(store)  # the set-up build_articles does
    setup = clock() - started
    with pipeline.frozen():  # as build_articles does: the set-up objects stay out of the collector's scans
        seconds = dict.fromkeys(STAGES, 0.0)
        articles = triples = quarantined = 0
        chunk_costs: list[float] = []
        chunk_started, in_chunk = clock(), 0
        with store.writing_in_batches():  # as build_articles writes
            for path in article_files([corpus]):
                t0 = clock()
                items = read_file(path)
                t1 = clock()
                seconds["read"] += t1 - t0
                for item in items:
                    if isinstance(item, ArticleError):
                        quarantined += 1
                        continue
                    t1 = clock()
                    extraction = extract(item)
                    t2 = clock()
                    graph = article_graph(extraction)
                    t3 = clock()
                    result = pipeline.validator.validate(graph)
                    t4 = clock()
                    seconds["extract"] += t2 - t1
                    seconds["rdf"] += t3 - t2
                    seconds["validate"] += t4 - t3
                    if not result.conforms:
                        quarantined += 1
                        continue
                    store.write_article(naming.article_iri(item.id), store_form(list(graph)))
                    seconds["store"] += clock() - t4
                    articles += 1
                    triples += len(graph)
                in_chunk += 1
                if in_chunk == chunk:
                    now = clock()
                    chunk_costs.append((now - chunk_started) / chunk)
                    chunk_started, in_chunk = now, 0
            last = clock()
        seconds["store"] += clock() - last  # the last batch's write
    store.close()
    total = clock() - started
    return {"articles": articles, "quarantined": quarantined, "triples": triples, "setup_seconds": setup,
            "seconds": total, "stage_seconds": seconds, "chunk_costs": chunk_costs,
            "peak_rss_kib": peak_rss_kib()}


def _child(corpus: str, store_dir: str, chunk: int) -> dict:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(build_once, (corpus, store_dir, chunk))


def measure(sizes: dict[int, int], scratch: str, *, log=print, progress=None) -> dict:
    """Ingest synthetic corpora of each size (``{articles: runs}``); one entry per size.
    ``progress(partial result)`` is called after each size."""
    out: dict = {"target_articles_per_second": 60, "target_growth": 1.5, "sizes": {}}
    for size, runs in sizes.items():
        corpus = Path(scratch) / f"corpus-{size}"
        t, _ = time.perf_counter(), write_corpus(corpus, size)
        log(f"ingest: {size} articles generated in {time.perf_counter() - t:.1f} s; {runs} build(s)")
        builds = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(dir=scratch) as tmp:
                builds.append(_child(str(corpus), tmp + "/store", max(10, size // 10)))
            b = builds[-1]
            log(f"  {b['articles']} articles in {b['seconds']:.1f} s "
                f"({b['articles'] / (b['seconds'] - b['setup_seconds']):.1f}/s), peak {b['peak_rss_kib'] // 1024} MiB")
        per_article = Stats.of((b["seconds"] - b["setup_seconds"]) / max(1, b["articles"]) for b in builds)
        rate = Stats.of(b["articles"] / (b["seconds"] - b["setup_seconds"]) for b in builds)
        stage_total = {s: sum(b["stage_seconds"][s] for b in builds) for s in STAGES}
        whole = sum(stage_total.values()) or 1.0
        last = builds[-1]["chunk_costs"]
        out["sizes"][str(size)] = {
            "articles": builds[0]["articles"], "quarantined": builds[0]["quarantined"],
            "triples": builds[0]["triples"],
            "articles_per_second": rate.as_dict(2),
            "ms_per_article": per_article.scaled(1000).as_dict(3),
            "setup_seconds": Stats.of(b["setup_seconds"] for b in builds).as_dict(3),
            "stage_share": {s: round(stage_total[s] / whole, 3) for s in STAGES},
            "stage_ms_per_article": {s: round(1000 * stage_total[s] / sum(max(1, b["articles"]) for b in builds), 3)
                                     for s in STAGES},
            "chunk_ms_per_article": Stats.of(last).scaled(1000).as_dict(3),
            "first_last_chunk_ms": [round(1000 * last[0], 3), round(1000 * last[-1], 3)] if last else None,
            "peak_rss_mib": Stats.of(b["peak_rss_kib"] / 1024 for b in builds).as_dict(1),
        }
        sizes_done = sorted(int(s) for s in out["sizes"])
        if len(sizes_done) > 1:
            small, large = out["sizes"][str(sizes_done[0])], out["sizes"][str(sizes_done[-1])]
            out["growth"] = {"from": sizes_done[0], "to": sizes_done[-1],
                             "ratio": round(large["ms_per_article"]["median"] / small["ms_per_article"]["median"], 3)}
        if progress:
            progress(out)
    return out


def whole_build(corpus: str, store_dir: str, jobs: int, one_core: bool = False) -> dict:
    """``build_articles`` with ``jobs`` on a new store (in a child process, pinned to one core if
    ``one_core``): seconds after the set-up, and the SHA-256 of the store's N-Quads dump."""
    import hashlib
    import io

    if one_core:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from aseankg.ingest import build_articles
    from aseankg.stores import open_store

    store = open_store(store_dir)
    started = time.perf_counter()
    report = build_articles([corpus], store, jobs=jobs)
    seconds = time.perf_counter() - started
    out = io.BytesIO()
    store.dump(out, "nquads")
    store.close()
    return {"seconds": seconds, "articles": report.added, "dump_sha256": hashlib.sha256(out.getvalue()).hexdigest()}


def measure_jobs(sizes: dict[int, int], scratch: str, *, jobs: int, log=print) -> dict:
    """Whole builds (consolidation included) on one core (the process pinned: the target's "one-core
    rate"), with one job on every core (RocksDB's own threads use the others), and with ``jobs``, in
    turn, ``runs`` times per size: articles per second of each, the ratios of ``jobs`` to both, and
    whether the dumps are the same bytes."""
    out: dict = {"jobs": jobs, "cores": len(os.sched_getaffinity(0)), "target_ratio": 1.8, "sizes": {}}
    import json
    import subprocess
    import sys

    code = ("import json, sys; from benchmarks.ingest import whole_build; "
            "print(json.dumps(whole_build(*sys.argv[1:3], int(sys.argv[3]), sys.argv[4] == 'pinned')))")
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    kinds = {"one_core": (1, "pinned"), "one_job": (1, "free"), "jobs": (jobs, "free")}
    for size, runs in sizes.items():
        corpus = Path(scratch) / f"corpus-{size}"
        if not corpus.exists():
            write_corpus(corpus, size)
        seconds: dict[str, list[float]] = {kind: [] for kind in kinds}
        digests: set[str] = set()
        for _ in range(runs):
            for kind, (n, pinned) in kinds.items():
                with tempfile.TemporaryDirectory(dir=scratch) as tmp:  # a child of its own: its workers fork
                    b = json.loads(subprocess.run([sys.executable, "-c", code, str(corpus), tmp + "/store", str(n),
                                                   pinned], check=True, capture_output=True, text=True,
                                                  env=env).stdout)
                seconds[kind].append(b["seconds"])
                digests.add(b["dump_sha256"])
                log(f"ingest: {size} articles, {kind.replace('_', ' ')} ({n} job(s)): "
                    f"{b['articles'] / b['seconds']:.1f}/s")
        rates = {kind: Stats.of(size / s for s in seconds[kind]) for kind in kinds}
        out["sizes"][str(size)] = {**{f"{kind}_per_second": rates[kind].as_dict(2) for kind in kinds},
                                   "ratio": round(rates["jobs"].median / rates["one_core"].median, 3),
                                   "ratio_to_one_job": round(rates["jobs"].median / rates["one_job"].median, 3),
                                   "same_dump": len(digests) == 1, "load_average": round(os.getloadavg()[0], 2)}
    return out
