"""Building: every input format in, bad files quarantined, re-ingest a no-op, edits replace."""

import io
import json
import shutil
from pathlib import Path

import pytest

from aseankg import settings
from aseankg.ingest import build_articles
from aseankg.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "reading"
SEED = settings.ARTICLES_DIR / "002_3936f493bb5b3000.txt"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store")
    yield s
    s.close()


def dump(store) -> bytes:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return out.getvalue()


def article_graphs(store) -> set[str]:
    return set(store.article_records())


def test_seeds_build_and_rebuilding_changes_nothing(store):
    first = build_articles([settings.ARTICLES_DIR], store)
    assert (first.added, first.unchanged, first.quarantined) == (5, 0, [])
    assert first.entities["Person"] >= 8 and first.entities["Article"] == 5
    before = dump(store)
    again = build_articles([settings.ARTICLES_DIR], store)
    assert (again.added, again.unchanged, again.replaced) == (0, 5, 0)
    assert dump(store) == before


def test_an_edited_article_replaces_its_old_graph(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    copy = folder / SEED.name
    shutil.copy(SEED, copy)
    build_articles([folder], store)
    [old] = article_graphs(store)
    copy.write_text(SEED.read_text(encoding="utf-8").replace("three key orientations", "four key orientations"),
                    encoding="utf-8")
    report = build_articles([folder], store)
    assert (report.added, report.replaced) == (0, 1)
    [new] = article_graphs(store)
    assert new != old and not store.has_graph(old)


@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"", "empty"),
    ("binary.txt", bytes(range(256)) * 40, "binary"),
    ("smart-quotes.txt", "The “58th ASEAN Foreign Ministers’ Meeting” opened.".encode("cp1252"), "UTF-8"),
    ("broken.json", b'{"headline": "ASEAN", "text": "The summit', "JSON"),
])
def test_bad_files_are_quarantined_and_the_store_is_untouched(store, tmp_path, name, content, reason):
    build_articles([SEED], store)
    before = dump(store)
    bad = tmp_path / name
    bad.write_bytes(content)
    report = build_articles([bad], store, quarantine_dir=tmp_path / "quarantine")
    [q] = report.quarantined
    assert name in q.source and reason.lower() in q.reason.lower()
    assert (tmp_path / "quarantine" / f"{name}.txt").read_text(encoding="utf-8").startswith(f"file: {bad}")
    assert dump(store) == before


def test_a_huge_file_is_refused_without_reading_it(store, tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    report = build_articles([big], store)
    [q] = report.quarantined
    assert "MB" in q.reason or "bytes" in q.reason
    assert article_graphs(store) == set()


def test_an_article_not_in_english_is_quarantined(store):
    report = build_articles([FIXTURES / "vietnamese.txt"], store)
    [q] = report.quarantined
    assert "not in English" in q.reason


def test_every_input_format_is_ingested(store, tmp_path):
    folder = tmp_path / "mixed"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(FIXTURES / "som_2020.html", folder / "nested" / "page.html")
    shutil.copy(SEED, folder / "seed.txt")
    records = [{"headline": "ASEAN AMM-58 opens", "url": "https://example.org/amm58", "date": "2025-07-09",
                "publisher": "Example News",
                "text": "The 58th ASEAN Foreign Ministers' Meeting opened in Kuala Lumpur on July 9. Deputy "
                        "Prime Minister Bui Thanh Son attended the meeting."}]
    (folder / "records.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    report = build_articles([folder], store)
    assert report.added == 3 and not report.quarantined
    urls = {r.url for r in store.article_records().values()}
    assert "https://example.org/amm58" in urls
