"""Run the benchmarks: ``python -m benchmarks [--quick] [--only SECTION ...] [--out FILE]``.

Prints a table and writes JSON (default ``benchmarks/results/latest.json``; with ``--only`` the
other sections already in that file are kept). Every figure is a median with min and max over
repeated runs; comparisons run side by side in the same session and are reported as ratios.
``--quick`` runs every section at small sizes (a few minutes; CI runs it to keep the harness
working); the default runs the sizes the targets are stated at.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

SECTIONS = ("ingest", "adhoc", "endpoint", "library", "inference", "exports", "consolidation")
RESULTS = Path(__file__).parent / "results" / "latest.json"
#: Throughput at concurrency 8 as a share of oxigraph serve's (issue 17).
THROUGHPUT_TARGETS = {"point": 0.5, "join": 0.7}


@dataclass(frozen=True)
class Plan:
    """The sizes and repeats of one mode."""

    name: str
    ingest: dict[int, int]  # articles -> builds
    endpoint_triples: int
    endpoint_runs: int
    load_seconds: float
    cold_starts: int
    query_cap: float
    library_triples: int
    library_runs: int
    rdflib_cap: float
    inference: dict[int, float] = field(default_factory=dict)  # triples -> owlrl cap (s)
    inference_runs: int = 1
    export_nodes: int = 1000
    export_runs: int = 1
    consolidation: dict[int, int] = field(default_factory=lambda: {30: 2})  # articles -> whole-store runs
    build_jobs: dict[int, int] = field(default_factory=lambda: {60: 1})  # articles -> pairs of builds
    adhoc_variants: int = 8  # new texts per saved query on the seed store
    adhoc_w3c: int | None = None  # W3C test queries at most (None: all)
    adhoc_large_variants: int = 3  # new texts per saved query on the endpoint's store
    load_rounds: int = 1  # throughput: rounds of load_seconds per server, alternated


QUICK = Plan("quick", ingest={30: 2, 90: 1}, endpoint_triples=10_000, endpoint_runs=2, load_seconds=1.0,
             cold_starts=1, query_cap=4.0, library_triples=5_000, library_runs=1, rdflib_cap=3.0,
             inference={5_000: 5.0}, export_nodes=300, consolidation={30: 2},
             adhoc_variants=2, adhoc_w3c=40, adhoc_large_variants=1)
FULL = Plan("full", ingest={100: 3, 1_000: 1, 10_000: 1}, endpoint_triples=1_000_000, endpoint_runs=5,
            load_seconds=5.0, load_rounds=3, cold_starts=3, query_cap=10.0, library_triples=100_000, library_runs=2,
            rdflib_cap=20.0, inference={100_000: 60.0, 1_000_000: 30.0}, inference_runs=1,
            export_nodes=100_000, export_runs=1, consolidation={100: 3, 10_000: 1}, build_jobs={1_000: 2})


def machine() -> dict:
    """What the figures were measured on."""
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    memory = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            memory = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
    except (OSError, StopIteration):
        pass
    versions = {}
    for package in ("aseankg", "pyoxigraph", "oxigraph", "rdflib", "owlrl", "pyshacl", "flask", "waitress",
                    "networkx"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {"nproc": os.cpu_count(), "memory_gib": round(memory / 2**20, 1), "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(), "packages": versions,
            "load_average_at_start": load}


def run(plan: Plan, sections: list[str], scratch: str, log, save=None) -> dict:
    """Measure ``sections`` with ``plan``; ``save(results so far)`` is called after each section."""
    from . import adhoc, consolidation, endpoint, exports, inference, ingest, library

    out: dict = {}
    for section in sections:
        started = time.perf_counter()
        log(f"== {section}")
        if section == "ingest":
            def partial(result: dict) -> None:
                if save:
                    save({**out, "ingest": result})
            out[section] = ingest.measure(plan.ingest, scratch, log=log, progress=partial)
            out[section]["build_jobs"] = ingest.measure_jobs(plan.build_jobs, scratch, jobs=2, log=log)
        elif section == "adhoc":
            out[section] = adhoc.measure(scratch, per_query=plan.adhoc_variants, w3c_limit=plan.adhoc_w3c,
                                         cap=plan.query_cap, load_seconds=plan.load_seconds,
                                         rounds=plan.load_rounds, log=log)
        elif section == "endpoint":
            out[section] = endpoint.measure(plan.endpoint_triples, scratch, runs=plan.endpoint_runs,
                                            load_seconds=plan.load_seconds, cold_starts=plan.cold_starts,
                                            cap=plan.query_cap, adhoc_variants=plan.adhoc_large_variants,
                                            load_rounds=plan.load_rounds, log=log)
        elif section == "library":
            out[section] = library.measure(plan.library_triples, scratch, runs=plan.library_runs,
                                           cap=plan.rdflib_cap, log=log)
        elif section == "inference":
            out[section] = inference.measure(plan.inference, scratch, runs=plan.inference_runs, log=log)
        elif section == "exports":
            out[section] = exports.measure(plan.export_nodes, scratch, runs=plan.export_runs, log=log)
        elif section == "consolidation":
            out[section] = consolidation.measure(plan.consolidation, scratch, log=log)
        out[section]["section_seconds"] = round(time.perf_counter() - started, 1)
        if save:
            save(out)
    return out


def _fmt(stats: dict | None, unit: str = "", digits: int = 1) -> str:
    if not stats or stats.get("median") is None:
        return "n/a"
    m, lo, hi = (stats[k] for k in ("median", "min", "max"))
    if stats.get("runs", 1) <= 1:
        return f"{m:.{digits}f}{unit}"
    return f"{m:.{digits}f}{unit} ({lo:.{digits}f}–{hi:.{digits}f})"


def table(results: dict) -> str:
    """The results as a Markdown table: measure, figure (median, min–max), target, verdict."""
    rows: list[tuple[str, str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("met" if ok else "NOT met")

    s = results.get("sections", {})
    if "ingest" in s:
        sizes = s["ingest"]["sizes"]
        for size, e in sizes.items():
            rate = e["articles_per_second"]
            rows.append((f"ingest {size} articles, articles/s (1 core)", _fmt(rate),
                         "≥ 60/s", verdict(rate["median"] >= 60)))
            shares = ", ".join(f"{k} {v:.0%}" for k, v in e["stage_share"].items())
            rows.append((f"ingest {size}: ms/article by stage", ", ".join(
                f"{k} {v:.1f}" for k, v in e["stage_ms_per_article"].items()), shares, ""))
        if "growth" in s["ingest"]:
            g = s["ingest"]["growth"]
            rows.append((f"ingest cost per article at {g['to']} / at {g['from']}", f"{g['ratio']:.2f}x",
                         "≤ 1.5x", verdict(g["ratio"] <= 1.5)))
        for size, j in s["ingest"].get("build_jobs", {}).get("sizes", {}).items():
            jobs = s["ingest"]["build_jobs"]["jobs"]
            # results before the one-core builds compared --jobs with one job on every core
            base, also = "--jobs 1", ""
            if "one_core_per_second" in j:
                base, also = "one core", (f" (vs --jobs 1 on every core, {_fmt(j['one_job_per_second'])}: "
                                          f"{j['ratio_to_one_job']:.2f}x)")
            rows.append((f"build --jobs {jobs} vs {base}, {size} articles, articles/s (whole build; load "
                         f"{j['load_average']})", f"{_fmt(j['jobs_per_second'])} vs "
                         f"{_fmt(j.get('one_core_per_second', j['one_job_per_second']))} = {j['ratio']:.2f}x{also}; "
                         f"same dump: {'yes' if j['same_dump'] else 'NO'}",
                         "≥ 1.8x, same bytes", verdict(j["ratio"] >= 1.8 and j["same_dump"])))
        big = max(sizes, key=int)
        rows.append((f"peak RSS of a {big}-article build", _fmt(sizes[big]["peak_rss_mib"], " MiB"), "", ""))
    def adhoc_rows(where: str, groups: dict, judged: bool = True) -> None:
        for name, g in groups.items():
            if not isinstance(g, dict) or "median_ratio" not in g:
                continue
            a, b = g["aseankg_ms"], g["oxigraph_ms"]
            rows.append((f"ad hoc queries, {where}, {name} ({g['answered_by_both']} texts each sent once, "
                         f"{g['left_out']} left out): aseankg/oxigraph median; p99",
                         f"{g['median_ratio']:.2f}x ({a['median']:.2f} vs {b['median']:.2f} ms); "
                         f"{g['p99_ratio']:.2f}x ({a['p99']:.1f} vs {b['p99']:.1f} ms)",
                         "≤ 1.3x; ≤ 2x" if judged else "(a floor, not judged)",
                         verdict(g["median_ratio"] <= 1.3 and g["p99_ratio"] <= 2.0) if judged else ""))

    if "adhoc" in s:
        adhoc_rows(f"seed store ({s['adhoc']['quads']:,} quads)", s["adhoc"])
        floor = s["adhoc"].get("floor", {})
        adhoc_rows("seed store, the floor server (waitress and a worker hop, no app)", floor, judged=False)
        for name, t in floor.get("throughput", {}).items():
            a, b = t[name], t["oxigraph serve"]
            rows.append((f"throughput, a cheap query on the seed store, concurrency 8: req/s {name} vs oxigraph",
                         f"{a['requests_per_second']} vs {b['requests_per_second']} = {t['ratio']:.2f}x; "
                         f"errors {a['errors']}/{b['errors']}", "(point ≥ 0.5x)", ""))
    if "endpoint" in s:
        e = s["endpoint"]
        adhoc_rows(f"{e['quads']:,} quads", e.get("adhoc", {}))
        lat = e.get("latency", {})
        past = ", ".join(f"{k} ({'/'.join(v)})" for k, v in lat.get("past_cap", {}).items()) or "none"
        rows.append((f"saved queries over HTTP on {e['quads']:,} quads: aseankg/oxigraph latency ratio "
                     f"(median over queries; past the {lat.get('cap_seconds')} s cap: {past})",
                     _fmt(lat.get("ratio"), "x", 2), "≤ 1.2x",
                     verdict(lat["ratio"]["median"] <= 1.2) if lat.get("ratio", {}).get("median") else "n/a"))
        for kind, t in e.get("throughput", {}).items():
            if kind == "concurrency":
                continue
            a, b = t["aseankg serve"], t["oxigraph serve"]
            rows.append((f"throughput, {kind} query, concurrency {e['throughput']['concurrency']}: req/s "
                         f"aseankg vs oxigraph", f"{a['requests_per_second']} vs {b['requests_per_second']} "
                         f"= {t['ratio']:.2f}x; errors {a['errors']}/{b['errors']}",
                         f"≥ {THROUGHPUT_TARGETS.get(kind, 0)}x, zero errors",
                         verdict(a["errors"] == 0 and b["errors"] == 0
                                 and t["ratio"] >= THROUGHPUT_TARGETS.get(kind, 0))))
        for name, m in e.get("memory", {}).items():
            rows.append((f"RSS while serving, {name} (with workers)", f"{m['rss_mib']} MiB = "
                         f"{m['mib_per_million_triples']} MiB per million triples", "", ""))
        rows.append((f"cold start of aseankg serve on {e['quads']:,} quads to first answer",
                     _fmt(e.get("cold_start_seconds"), " s", 2), "", ""))
    if "library" in s:
        lib = s["library"]
        capped = ", ".join(lib.get("rdflib_past_cap", [])) or "none"
        rows.append((f"library (pyoxigraph) vs rdflib in memory, {lib['quads']:,} quads: speed-up, median "
                     f"over queries (rdflib past the {lib['cap_seconds']} s cap: {capped})",
                     _fmt(lib.get("speedup"), "x"), "shows the choice", ""))
    if "inference" in s:
        for e in s["inference"]["sizes"].values():
            for engine in s["inference"]["engines"]:
                r = e.get(engine, {})
                figure = (f"past the {r.get('cap_seconds'):g} s cap" if r.get("past_cap")
                          else _fmt(r.get("seconds"), " s"))
                rows.append((f"OWL RL closure, {e['quads']:,} quads, {engine}", figure, "", ""))
    if "exports" in s:
        x = s["exports"]
        rows.append((f"full projection of {x['quads']:,} quads ({x['nodes']:,} nodes, {x['edges']:,} edges)",
                     _fmt(x["project_seconds"], " s"), "", ""))
        rows.append(("GEXF (dynamic) / GraphML of it", f"{_fmt(x['gexf_seconds'], ' s')} / "
                     f"{_fmt(x['graphml_seconds'], ' s')}", "", ""))
    for size, c in s.get("consolidation", {}).get("sizes", {}).items():
        rows.append((f"consolidation of {size} articles ({c['entities']:,} entities): whole store, ms/article",
                     _fmt(c["whole_store_ms_per_article"], " ms"), "", ""))
        rows.append((f"consolidation at {size} articles: one article's entities (as a build pays it)",
                     _fmt(c["incremental_ms_per_article"], " ms"), "", ""))
    lines = ["| measure | figure: median (min–max) | target | verdict |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def _commit() -> str | None:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).parent, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit or None


def _sizes(items: list[str]) -> dict[int, int]:
    """``["100x3", "1000"]`` → ``{100: 3, 1000: 1}`` (articles → runs)."""
    sizes = {}
    for item in items:
        count, _, runs = item.partition("x")
        sizes[int(count)] = int(runs or 1)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes (CI)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run these sections only")
    parser.add_argument("--out", type=Path, default=RESULTS, help="JSON file to write")
    parser.add_argument("--scratch", default=None, help="folder for temporary stores (default: a tmp folder)")
    parser.add_argument("--ingest-sizes", nargs="+", metavar="ARTICLES[xRUNS]",
                        help="corpus sizes to ingest instead of the mode's (e.g. 100x3 1000 100000)")
    parser.add_argument("--consolidation-sizes", nargs="+", metavar="ARTICLES[xRUNS]",
                        help="corpus sizes for the consolidation section instead of the mode's (e.g. 1000x2 10000)")
    parser.add_argument("--table", action="store_true", help="print the table of --out's results; run nothing")
    args = parser.parse_args(argv)
    if args.table:
        print(table(json.loads(args.out.read_text(encoding="utf-8"))))
        return 0
    plan = QUICK if args.quick else FULL
    if args.ingest_sizes:
        plan = replace(plan, ingest=_sizes(args.ingest_sizes))
    if args.consolidation_sizes:
        plan = replace(plan, consolidation=_sizes(args.consolidation_sizes))
    sections = list(args.only or SECTIONS)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    previous: dict = {}
    if args.only and args.out.exists():
        try:
            previous = json.loads(args.out.read_text(encoding="utf-8")).get("sections", {})
        except ValueError:
            previous = {}
    about = machine()
    command = "python -m benchmarks" + (" --quick" if args.quick else "")
    if args.only:
        command += " --only " + " ".join(args.only)

    def save(measured: dict, complete: bool = False) -> dict:
        results = {"mode": plan.name, "command": command, "complete": complete,
                   "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   "seconds": round(time.perf_counter() - started, 1), "machine": about,
                   "plan": {k: (v if not isinstance(v, dict) else {str(a): b for a, b in v.items()})
                            for k, v in plan.__dict__.items()},
                   "commit": _commit(), "sections": {**previous, **measured}}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        temporary = args.out.with_name(f".{args.out.name}.tmp")
        temporary.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temporary, args.out)
        return results

    if args.scratch is not None:
        Path(args.scratch).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.scratch, prefix="aseankg-bench-") as scratch:
        measured = run(plan, sections, scratch, log, save)
    results = save(measured, complete=True)
    print(table(results))
    log(f"wrote {args.out} in {results['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
