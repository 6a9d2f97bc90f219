"""One input file must not stall or confuse a build.

Each test stood for a failure of the old code: extraction grew with the square of a sentence's
length (80k characters 1.8 s, 160k 7.2 s, a 5 MB sentence about two hours) and had no time budget;
1.7M empty JSON Lines records made 1.7M quarantine reports (past 240 s at 1.1 GB), written over one
another under a single name and without their line; a FIFO or ``/dev/zero`` named on the command line
was "no such file" with a traceback; FIFOs and archives inside folders were skipped without a word;
UTF-16 without a byte-order mark was called binary.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from aseankg import settings
from aseankg.cli import main
from aseankg.ingest import build_articles
from aseankg.reading import read_file
from aseankg.sentences import split_sentences
from aseankg.stores import open_store

SEED = settings.ARTICLES_DIR / "002_3936f493bb5b3000.txt"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store")
    yield s
    s.close()


def test_over_long_sentences_are_cut():
    body = "ASEAN ministers met in Kuala Lumpur " * 5_000  # 180,000 characters without a full stop
    sentences = split_sentences(body)
    assert max(s.end - s.start for s in sentences) <= settings.MAX_SENTENCE_CHARS
    assert all(body[s.start:s.end] == s.text for s in sentences)
    assert "".join(s.text for s in sentences).replace(" ", "") == body.replace(" ", "")


def test_an_article_over_its_time_budget_is_quarantined(store, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "ARTICLE_TIME_BUDGET", 1e-5)
    report = build_articles([SEED], store, quarantine_dir=tmp_path / "q")
    [q] = report.quarantined
    assert "ARTICLE_TIME_BUDGET" in q.reason and report.added == 0
    monkeypatch.setattr(settings, "ARTICLE_TIME_BUDGET", 30.0)
    assert build_articles([SEED], store).added == 1


def test_jsonl_problems_are_reported_one_by_one_with_their_line(store, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"headline": "x"}\n\nnot json\n{"text": ""}\n', encoding="utf-8")
    report = build_articles([feed], store, quarantine_dir=tmp_path / "q")
    assert [q.line for q in report.quarantined] == [1, 3, 4]
    reports = sorted(p.name for p in (tmp_path / "q").iterdir())
    assert reports == ["feed.jsonl.line-3.txt", "feed.jsonl.line-4.txt", "feed.jsonl.txt"]
    assert "line: 3\n" in (tmp_path / "q" / "feed.jsonl.line-3.txt").read_text()
    assert "feed.jsonl, line 4:" in report.summary()


def test_a_million_empty_records_are_one_summary(tmp_path):
    feed = tmp_path / "empty.jsonl"
    feed.write_bytes(b"{}\n" * 1_700_000)  # 5.1 MB, under MAX_ARTICLE_BYTES
    results = read_file(feed)
    assert len(results) == settings.MAX_PROBLEMS_PER_FILE + 1
    assert "lines 101 onwards were not read" in results[-1].reason


def test_fifo_and_devices_on_the_command_line(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    runner = CliRunner()
    for path, what in ((fifo, "FIFO"), ("/dev/zero", "device")):
        result = runner.invoke(main, ["build", str(path), "--store", str(tmp_path / "kg")])
        assert result.exit_code == 1 and what in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_skipped_files_are_named_in_the_summary(store, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.txt.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    (folder / "c.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    os.mkfifo(folder / "d.txt")
    report = build_articles([folder], store)
    assert report.added == 1
    summary = report.summary()
    for name, why in (("b.txt.gz", "archive"), ("c.zip", "archive"), ("d.txt", "FIFO")):
        assert f"skipped: {folder / name}: " in summary and why in summary


def test_utf16_without_bom_is_named(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(Path(SEED).read_text(encoding="utf-8").encode("utf-16-be"))
    [error] = read_file(path)
    assert "UTF-16" in error.reason and "binary" not in error.reason
