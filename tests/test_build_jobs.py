"""``build --jobs N``: articles prepared in worker processes, written in input order, so the store is
the same, byte for byte, as a one-process build's, quarantines and duplicates included."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from aseankg import settings
from aseankg.cli import main
from aseankg.ingest import build_articles
from aseankg.stores import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "reading"
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the synthetic corpus lives in benchmarks/, beside src/
    sys.path.insert(0, str(ROOT))


def dump(store) -> bytes:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return out.getvalue()


def corpus(folder: Path) -> Path:
    """The seeds, some records, a duplicate, a quarantined article and a synthetic batch."""
    from benchmarks.corpus import write_corpus

    shutil.copytree(settings.ARTICLES_DIR, folder / "seeds")
    for name in ("seed_records.jsonl", "vietnamese.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(settings.ARTICLES_DIR / "002_3936f493bb5b3000.txt", folder / "copy.txt")
    write_corpus(folder / "synthetic", 40)
    return folder


def built(tmp_path: Path, name: str, source: Path, jobs: int):
    store = open_store(tmp_path / name)
    try:
        report = build_articles([source], store, jobs=jobs, quarantine_dir=tmp_path / f"{name}-quarantine")
        return report, dump(store)
    finally:
        store.close()


def test_two_jobs_give_the_same_store_as_one(tmp_path, monkeypatch):
    """Consolidation included: in batches of 20 entities, which two worker processes read and rank
    from a snapshot of the store while the building process writes each batch."""
    from aseankg import consolidation

    monkeypatch.setattr(consolidation, "BATCH", 20)
    monkeypatch.setattr(consolidation, "BULK_MIN", 50)  # some batches in bulk loads, some in updates
    ranked_in = []
    monkeypatch.setattr(consolidation, "_changes_in_workers",
                        lambda *a, real=consolidation._changes_in_workers: ranked_in.append(a[1]) or real(*a))
    source = corpus(tmp_path / "in")
    one, one_dump = built(tmp_path, "one", source, 1)
    assert not ranked_in
    two, two_dump = built(tmp_path, "two", source, 2)
    assert len(ranked_in) == 1 and len(ranked_in[0]) > 3 and two.consolidated == one.consolidated > 60
    assert one.added > 40 and one.quarantined
    assert two_dump == one_dump
    assert (two.added, two.replaced, two.unchanged, two.triples, two.entities) == \
        (one.added, one.replaced, one.unchanged, one.triples, one.entities)
    assert [str(q) for q in two.quarantined] == [str(q) for q in one.quarantined]


def test_a_batch_no_worker_could_read_is_consolidated_by_the_writer(tmp_path, monkeypatch):
    """A worker that cannot read the snapshot (RocksDB says "No such file" as an OSError or a
    RuntimeError) gives its batch back, and the writer ranks it."""
    from aseankg import consolidation

    def vanished():
        raise RuntimeError("Corruption: IO error: No such file or directory: While open a file")

    monkeypatch.setattr(consolidation, "BATCH", 20)
    monkeypatch.setattr(consolidation, "_open_reader", vanished)  # forked workers inherit it
    _, one_dump = built(tmp_path, "one", settings.ARTICLES_DIR, 1)
    two, two_dump = built(tmp_path, "two", settings.ARTICLES_DIR, 2)
    assert two.consolidated > 20 and two_dump == one_dump


def test_a_rebuild_with_jobs_changes_nothing(tmp_path):
    store = open_store(tmp_path / "store")
    try:
        build_articles([settings.ARTICLES_DIR], store, jobs=1)
        before = dump(store)
        again = build_articles([settings.ARTICLES_DIR], store, jobs=2)
        assert again.unchanged == 5 and again.added == 0
        assert dump(store) == before
    finally:
        store.close()


def test_the_cli_takes_jobs(tmp_path):
    result = CliRunner().invoke(main, ["build", "--jobs", "2", "--store", str(tmp_path / "kg"),
                                       str(settings.ARTICLES_DIR)])
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output


def test_the_cli_uses_every_core_by_default(tmp_path, monkeypatch):
    from aseankg import buildjobs, ingest

    asked = []
    monkeypatch.setattr(buildjobs, "available_cores", lambda: 3)
    monkeypatch.setattr(ingest, "build_articles", lambda *a, jobs, **k: asked.append(jobs) or ingest.BuildReport())
    command = ["build", "--store", str(tmp_path / "kg"), str(settings.ARTICLES_DIR)]
    for args in (command, [*command, "--jobs", "1"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    assert asked == [3, 1]


def test_ctrl_c_with_jobs_stops_between_articles(tmp_path):
    """SIGINT to a ``--jobs 2`` build: it stops between two articles (exit 130, no traceback), its
    workers end with it, and the next build adds the rest."""
    import os
    import signal
    import subprocess
    import time

    source = tmp_path / "in"
    from benchmarks.corpus import write_corpus

    write_corpus(source, 60)
    store = tmp_path / "kg"
    command = [sys.executable, "-c", "from aseankg.cli import main; main()", "build", str(source),
               "--store", str(store), "--jobs", "2"]
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not (store / "aseankg-generation").exists() and time.monotonic() < deadline:
            time.sleep(0.02)  # until the first article is in
        os.kill(build.pid, signal.SIGINT)
        out, err = build.communicate(timeout=300)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert "Traceback" not in err
    if build.returncode == 130:  # stopped before the end (the usual case)
        assert "interrupted" in out
    else:  # the signal came after the last article: a whole build
        assert build.returncode == 0, err
    again = CliRunner().invoke(main, ["build", "--jobs", "2", "--store", str(store), str(source)])
    assert again.exit_code == 0, again.output
    assert "0 quarantined" in again.output
