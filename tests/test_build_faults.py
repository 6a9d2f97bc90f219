"""Crash safety at build level: ``aseankg build`` SIGKILLed midway, several times over, leaves a store
that opens, holds only whole article graphs, and a re-run completes it to the very bytes of an
uninterrupted build.

The corpus is made of copies of the seed articles, each with one sentence added to its body (so a new
article id) and its own address in ``sources.csv``. Extraction and the SHACL gate cost most of a
second per article, so the uninterrupted reference build runs in a second process alongside the
interrupted ones.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from aseankg import settings
from aseankg.dumps import dump_to_path
from aseankg.ingest import build_articles
from aseankg.reading import read_file
from aseankg.store import EmbeddedStore

ARTICLES = 36
#: New articles written at once (``--batch``): small, so that the kills fall between and inside batches.
BATCH = 3
#: Kill when the store holds at least this share of the article graphs (the last one leaves three
#: batches or more to write: the poll that sees it takes a store open, and a kill that came after the
#: last batch would test nothing).
KILL_POINTS = (0.2, 0.5, 0.7)
ARTICLE_PREFIX = settings.ID_NS + "article/"


def make_corpus(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the seeds, each with a sentence added after the first sentence of its body
    and its own URL, so that every copy is a new article."""
    folder.mkdir(parents=True)
    seeds = sorted(settings.ARTICLES_DIR.glob("*.txt"))
    with open(settings.ARTICLES_DIR / "sources.csv", encoding="utf-8") as f:
        sources = {row["file"]: row for row in csv.DictReader(f)}
    rows = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        text = seed.read_text(encoding="utf-8")
        opening = read_file(seed)[0].body[:60]  # the body, not the page around it
        end = re.compile(r"\.(?=\s)").search(text, text.index(opening)).end()  # the first sentence
        text = f"{text[:end]} The newsroom filed this report as archive copy number {i}.{text[end:]}"
        name = f"{i:03d}_{seed.stem}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        source = sources.get(seed.name, {})
        url = (source.get("url") or f"https://example.org/news/{seed.stem}") + f"?copy={i}"
        rows.append([name, url, source.get("publisher") or "", source.get("published") or ""])
    with open(folder / "sources.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "url", "publisher", "published"])
        writer.writerows(rows)
    return sorted(folder.glob("*.txt"))


def start_build(corpus: Path, store: Path, quarantine: Path) -> subprocess.Popen:
    """``aseankg build`` in a child process (its messages go to ``<quarantine>.log``)."""
    # one job: workers preparing ahead let the writer finish a small corpus before the kill points
    # (the writes, what this file tests, are the building process's whatever the number of jobs)
    command = [sys.executable, "-c", "from aseankg.cli import main; main()", "build", str(corpus),
               "--store", str(store), "--quarantine", str(quarantine), "--jobs", "1", "--batch", str(BATCH)]
    with open(f"{quarantine}.log", "a", encoding="utf-8") as log:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)


def messages(quarantine: Path) -> str:
    return Path(f"{quarantine}.log").read_text(encoding="utf-8")[-2000:]


def article_count(store: Path) -> int | None:
    """Article graphs in the store, read through a read-only handle (``None`` while the child is still
    creating it: no folder yet, or no column families yet)."""
    try:
        db = ox.Store.read_only(str(store))
        return sum(1 for g in db.named_graphs() if g.value.startswith(ARTICLE_PREFIX))
    except (OSError, RuntimeError):
        return None


def canonical(quads) -> frozenset[str]:
    """Quads as N-Quads lines, blank nodes labelled canonically (RDFC-1.0) so that stores compare."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset(str(q) for q in dataset)


def graphs_of(store: Path) -> dict[str, frozenset[str]]:
    """Every named graph of the store, canonical (opened for writing: it must open after a kill)."""
    with EmbeddedStore(store) as db:
        return {g.value: canonical(db.db.quads_for_pattern(None, None, None, g)) for g in db.db.named_graphs()}


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_killed_builds_leave_whole_articles_and_resume_to_the_same_bytes(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", ARTICLES)
    ids = {item.id for path in corpus for item in read_file(path)}
    assert len(ids) == ARTICLES  # every copy is a new article

    reference_store, crashed_store = tmp_path / "reference", tmp_path / "crashed"
    reference = start_build(tmp_path / "corpus", reference_store, tmp_path / "q-reference")
    children = [reference]
    snapshots: list[dict[str, frozenset[str]]] = []
    try:
        for share in KILL_POINTS:
            target = round(share * ARTICLES)
            child = start_build(tmp_path / "corpus", crashed_store, log := tmp_path / "q-crashed")
            children.append(child)
            deadline = time.monotonic() + 120
            while (article_count(crashed_store) or 0) < target:
                assert child.poll() is None, f"the build ended before it could be killed:\n{messages(log)}"
                assert time.monotonic() < deadline, "the build made no progress"
                time.sleep(0.1)
            kill(child)
            snapshots.append(graphs_of(crashed_store))

        resumed = start_build(tmp_path / "corpus", crashed_store, tmp_path / "q-crashed")
        children.append(resumed)
        summary, _ = resumed.communicate(timeout=300)
        assert resumed.returncode == 0
        reference.communicate(timeout=300)
        assert reference.returncode == 0
    finally:
        for child in children:
            kill(child)

    expected = graphs_of(reference_store)
    articles = {g for g in expected if g.startswith(ARTICLE_PREFIX)}
    assert len(articles) == ARTICLES

    counts = []
    for snapshot in snapshots:
        present = {g for g in snapshot if g.startswith(ARTICLE_PREFIX)}
        counts.append(len(present))
        assert 0 < len(present) < ARTICLES  # killed midway: some but not all articles
        for graph, lines in snapshot.items():  # every graph there is whole, articles and reference data
            assert lines == expected[graph], f"graph {graph} is not whole after the kill"
    assert counts == sorted(counts) and counts[0] < counts[-1]  # three different kill points
    added, replaced, unchanged = map(int, re.search(r"(\d+) added, (\d+) replaced, (\d+) unchanged",
                                                    summary).groups())
    assert (added, replaced, unchanged) == (ARTICLES - counts[-1], 0, counts[-1])

    with EmbeddedStore(crashed_store, read_only=True) as resumed_db, \
            EmbeddedStore(reference_store, read_only=True) as reference_db:
        dump_to_path(resumed_db, tmp_path / "resumed.nq")
        dump_to_path(reference_db, tmp_path / "reference.nq")
    assert (tmp_path / "resumed.nq").read_bytes() == (tmp_path / "reference.nq").read_bytes()

    # an article's graph does not depend on the others: built alone, it is the same graph
    alone = EmbeddedStore(None)
    (tmp_path / "alone" / "corpus").mkdir(parents=True)  # a folder of the same name: the same source key
    for source in (corpus[1], corpus[1].parent / "sources.csv"):
        shutil.copy(source, tmp_path / "alone" / "corpus" / source.name)
    build_articles([tmp_path / "alone" / "corpus"], alone)
    (graph,) = [g for g in alone.named_graphs() if g.startswith(ARTICLE_PREFIX)]
    assert canonical(alone.db.quads_for_pattern(None, None, None, ox.NamedNode(graph))) == expected[graph]


@pytest.mark.parametrize("count", [3])
def test_corpus_copies_are_new_articles(tmp_path, count):
    files = make_corpus(tmp_path / "c", count)
    articles = [item for path in files for item in read_file(path)]
    assert len({a.id for a in articles}) == count
    assert len({a.url for a in articles}) == count
