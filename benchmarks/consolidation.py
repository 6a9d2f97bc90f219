"""Consolidation: what choosing preferred values costs, per article and for a whole store.

For each corpus size, a store is built from the synthetic corpus (``corpus.py``), which already runs
consolidation for every article's entities; then it is timed on its own: ``consolidate(store)`` over
every entity with a single-valued property (as after a merge of the default graph is rebuilt), and
the incremental case a build pays per article: ``consolidate(store, touched_entities(graph))`` for
one article graph, repeated over sampled articles.
"""

from __future__ import annotations

from pathlib import Path

from aseankg.consolidation import consolidate, touched_entities
from aseankg.ingest import build_articles
from aseankg.stores import open_store

from .corpus import write_corpus
from .measure import Stats, timed


def measure(sizes: dict[int, int], scratch: str, *, log=print) -> dict:
    """``sizes``: articles → timed repeats of the whole-store consolidation."""
    out: dict = {"sizes": {}}
    for count, runs in sizes.items():
        folder = Path(scratch) / f"consolidation-{count}"
        write_corpus(folder / "articles", count)
        store = open_store(folder / "store")
        try:
            build_seconds, _ = timed(lambda s=store, f=folder: build_articles([f / "articles"], s))
            full, report = [], None
            for _ in range(runs):  # the report of the last run: another whole pass would cost as much
                seconds, report = timed(lambda s=store: consolidate(s))
                full.append(seconds)
            articles = [g for g in store.named_graphs() if "/article/" in g]
            step = max(1, len(articles) // 25)
            one = [timed(lambda s=store, g=g: consolidate(s, touched_entities(s.graph(g))))[0]
                   for g in articles[::step]]
        finally:
            store.close()
        entry = {"articles": count, "entities": report.entities, "contested": report.contested,
                 "open_conflicts": report.open_conflicts, "build_seconds": round(build_seconds, 2),
                 "whole_store_seconds": Stats.of(full).as_dict(3),
                 "whole_store_ms_per_article": Stats.of(full).scaled(1000 / count).as_dict(3),
                 "incremental_ms_per_article": Stats.of(one).scaled(1000).as_dict(3)}
        out["sizes"][str(count)] = entry
        log(f"consolidation {count} articles: {report.entities} entities, whole store "
            f"{entry['whole_store_seconds']['median']} s, one article "
            f"{entry['incremental_ms_per_article']['median']} ms")
    return out
