"""Building: every input format in, bad files quarantined, re-ingest a no-op, edits replace."""

import io
import json
import shutil
from pathlib import Path

import pytest

from aseankg import naming, settings
from aseankg.extraction import extract
from aseankg.ingest import build_articles
from aseankg.rdf import article_graph
from aseankg.reading import read_file
from aseankg.stores import open_store

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


# --- which article is which: only the same url or the same source key replaces ---------------

def story(n: int) -> str:
    """A short English story, different for each ``n``."""
    return (f"The 58th ASEAN Foreign Ministers' Meeting opened in Kuala Lumpur on July {n}. Deputy Prime "
            f"Minister Bui Thanh Son attended the meeting. The ministers held {n + 2} sessions on the first day.")


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def counts(report) -> tuple[int, int, int, int]:
    return report.added, report.replaced, report.unchanged, len(report.quarantined)


def test_records_without_a_url_are_each_an_article(store, tmp_path):
    write_jsonl(tmp_path / "in" / "records.jsonl", [{"title": f"Story {n}", "text": story(n)} for n in (1, 2, 3)])
    report = build_articles([tmp_path / "in"], store)
    assert counts(report) == (3, 0, 0, 0)
    assert len(article_graphs(store)) == 3
    before = dump(store)
    again = build_articles([tmp_path / "in"], store)
    assert counts(again) == (0, 0, 3, 0) and dump(store) == before


def test_a_feed_of_two_items_without_links_keeps_both(store, tmp_path):
    # a JSON list of feed items; the feed's own address in sources.csv is no item's address
    folder = tmp_path / "feeds"
    folder.mkdir()
    items = [{"title": f"Item {n}", "description": "feed item", "content": story(n), "pubDate": "2025-07-09"}
             for n in (4, 5)]
    (folder / "feed.json").write_text(json.dumps(items), encoding="utf-8")
    (folder / "sources.csv").write_text("file,url,publisher\nfeed.json,https://example.org/rss,Example\n",
                                        encoding="utf-8")
    report = build_articles([folder], store)
    assert counts(report) == (2, 0, 0, 0)
    records = store.article_records().values()
    assert len(records) == 2 and {r.url for r in records} == {None}
    assert counts(build_articles([folder], store)) == (0, 0, 2, 0)


@pytest.mark.parametrize("together", [True, False], ids=["one-build", "a-build-each"])
def test_files_of_one_name_in_two_folders_are_two_articles(store, tmp_path, together):
    for folder, n in (("a", 6), ("b", 7)):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "article.txt").write_text(f"Story {n}\n\n{story(n)}\n", encoding="utf-8")
    if together:
        assert counts(build_articles([tmp_path / "in"], store)) == (2, 0, 0, 0)
    else:
        assert counts(build_articles([tmp_path / "in" / "a"], store)) == (1, 0, 0, 0)
        assert counts(build_articles([tmp_path / "in" / "b"], store)) == (1, 0, 0, 0)
    keys = {r.source_key for r in store.article_records().values()}
    assert keys == ({"in/a/article.txt", "in/b/article.txt"} if together else {"a/article.txt", "b/article.txt"})


def test_an_edited_file_replaces_only_its_own_graph(store, tmp_path):
    for folder, n in (("a", 8), ("b", 9)):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "article.txt").write_text(f"Story {n}\n\n{story(n)}\n", encoding="utf-8")
    assert counts(build_articles([tmp_path / "in"], store)) == (2, 0, 0, 0)
    [a] = read_file(tmp_path / "in" / "a" / "article.txt")
    old_a = naming.article_iri(a.id)
    (tmp_path / "in" / "a" / "article.txt").write_text(f"Story 8\n\n{story(10)}\n", encoding="utf-8")
    assert counts(build_articles([tmp_path / "in"], store)) == (0, 1, 1, 0)
    after = store.article_records()
    assert not store.has_graph(old_a) and old_a not in after and len(after) == 2
    assert {r.source_key for r in after.values()} == {"in/a/article.txt", "in/b/article.txt"}


def test_an_edited_record_replaces_the_record_of_the_same_id(store, tmp_path):
    feed = tmp_path / "in" / "feed.jsonl"
    write_jsonl(feed, [{"id": n, "title": f"Story {n}", "text": story(n)} for n in (11, 12, 13)])
    assert counts(build_articles([feed.parent], store)) == (3, 0, 0, 0)
    [old] = [r.iri for r in store.article_records().values() if r.source_key == "in/feed.jsonl#12"]
    # the edited record moves to the top: its place in the file is not what identifies it
    write_jsonl(feed, [{"id": 12, "title": "Story 12", "text": story(14)}]
                + [{"id": n, "title": f"Story {n}", "text": story(n)} for n in (11, 13)])
    assert counts(build_articles([feed.parent], store)) == (0, 1, 2, 0)
    records = store.article_records()
    assert len(records) == 3 and old not in records and not store.has_graph(old)


def test_the_same_url_in_two_files_is_one_article(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, n in (("first.json", 15), ("second.json", 16)):
        (folder / name).write_text(json.dumps({"url": "https://example.org/amm", "title": "AMM", "text": story(n)}),
                                   encoding="utf-8")
    [second] = read_file(folder / "second.json")
    assert counts(build_articles([folder], store)) == (1, 1, 0, 0)
    assert article_graphs(store) == {naming.article_iri(second.id)}
    # the next build ends the same way: the last file with the url wins (it is not counted as
    # unchanged once the first file's version has replaced it, and so dropped)
    build_articles([folder], store)
    assert article_graphs(store) == {naming.article_iri(second.id)}


def test_an_edit_does_not_drop_a_graph_another_file_still_holds(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "z.txt").write_text(f"Story 17\n\n{story(17)}\n", encoding="utf-8")
    build_articles([folder], store)
    [kept] = article_graphs(store)
    shutil.copy(folder / "z.txt", folder / "a.txt")  # a copy, read first
    (folder / "z.txt").write_text(f"Story 17\n\n{story(18)}\n", encoding="utf-8")
    assert counts(build_articles([folder], store)) == (1, 0, 1, 0)
    assert kept in article_graphs(store) and len(article_graphs(store)) == 2


def test_a_graph_from_before_source_keys_is_not_replaced_by_file_name(store, tmp_path):
    old = tmp_path / "old" / "article.txt"
    old.parent.mkdir()
    old.write_text(f"Story 19\n\n{story(19)}\n", encoding="utf-8")
    [article] = read_file(old)
    graph = article_graph(extract(article))  # as the old builds wrote it: file name, no source key
    store.write_article(str(graph.identifier), graph)
    new = tmp_path / "new" / "article.txt"
    new.parent.mkdir()
    new.write_text(f"Story 20\n\n{story(20)}\n", encoding="utf-8")
    assert counts(build_articles([new.parent], store)) == (1, 0, 0, 0)
    assert counts(build_articles([old.parent], store)) == (0, 0, 1, 0)
    assert len(article_graphs(store)) == 2
    # that build read the old file unchanged and wrote its key in: now an edit replaces it
    assert store.article_records()[str(graph.identifier)].source_key == "old/article.txt"
    assert len(store.graph(str(graph.identifier))) == len(graph) + 1
    old.write_text(f"Story 19\n\n{story(21)}\n", encoding="utf-8")
    assert counts(build_articles([old.parent], store)) == (0, 1, 0, 0)
    assert len(article_graphs(store)) == 2 and not store.has_graph(str(graph.identifier))


def test_the_build_command_keys_files_by_their_path_from_the_folder_given(tmp_path):
    from click.testing import CliRunner

    from aseankg.cli import main

    (tmp_path / "in" / "a").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / "in" / "a" / "article.txt")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    with open_store(tmp_path / "store") as s:
        assert [r.source_key for r in s.article_records().values()] == ["in/a/article.txt"]


def test_an_edited_sources_row_refreshes_the_article(tmp_path):
    """The same text with another outlet and date in sources.csv: its graph is written again (1 replaced),
    and a build after that changes nothing."""
    folder = tmp_path / "articles"
    folder.mkdir()
    text = ("Foreign ministers met in Vientiane\n\nLao Foreign Minister Saleumxay Kommasith chaired the 57th "
            "ASEAN Foreign Ministers' Meeting in Vientiane on July 25, 2024.\n")
    (folder / "amm.txt").write_text(text, encoding="utf-8")
    (folder / "sources.csv").write_text("file,url,publisher,published\namm.txt,https://example.org/amm,"
                                        "Outlet A,2024-07-25\n", encoding="utf-8")
    store = open_store(tmp_path / "kg")
    assert build_articles([folder], store).added == 1
    (folder / "sources.csv").write_text("file,url,publisher,published\namm.txt,https://example.org/amm,"
                                        "Outlet B,2024-07-26\n", encoding="utf-8")
    report = build_articles([folder], store)
    assert (report.added, report.replaced, report.unchanged) == (0, 1, 0)
    rows = store.query("SELECT ?p ?d WHERE { ?a <https://schema.org/publisher> ?p ; "
                       "<https://schema.org/datePublished> ?d }").rows
    assert [(str(p), str(d)) for p, d in rows] == [("Outlet B", "2024-07-26")]
    assert build_articles([folder], store).unchanged == 1
    store.close()
