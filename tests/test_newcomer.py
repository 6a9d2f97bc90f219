"""A newcomer's first hour (issue 16): wrong invocations get one clear line, never a traceback, and
nothing a user did not ask for (an empty store at a mistyped path) is made. The CLI tests run the
real command."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import seed_store_folder
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from aseankg import settings
from aseankg.store import EmbeddedStore, QueryTimeout
from aseankg.stores import open_store

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "aseankg"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
CONSTRUCT = (f"CONSTRUCT {{ ?c {LABEL} ?l }} WHERE {{ ?c a <https://w3id.org/aseankg/ontology#Country> ; "
             f"{LABEL} ?l }} LIMIT 3")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> str:
    """The seed articles built once into a store folder, closed again so the CLI can open it."""
    return seed_store_folder(tmp_path_factory.mktemp("newcomer") / "kg")


def aseankg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command; this checkout's ``src`` first, whatever folder it runs in."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


def one_line_error(done: subprocess.CompletedProcess, *wanted: str) -> None:
    """A failed command: non-zero status, no traceback, one line on stderr holding ``wanted``."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for text in wanted:
        assert text in lines[0], lines[0]


# ------------------------------------------------------------------------------------ query formats

@pytest.mark.parametrize("fmt", ["turtle", "nt"])
@pytest.mark.parametrize("query", ["chair-of-year", "ASK { ?s ?p ?o }"])
def test_rdf_formats_of_rows_say_what_the_query_gives(seed_store, query, fmt):
    done = aseankg("query", query, "--store", seed_store, "--format", fmt)
    one_line_error(done, "json, xml, csv or tsv", "CONSTRUCT")


def test_every_format_works_for_a_construct(seed_store):
    for fmt in ["table", "csv", "tsv", "json", "xml", "turtle", "nt"]:
        done = aseankg("query", CONSTRUCT, "--store", seed_store, "--format", fmt)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (fmt, done.stderr)
        assert done.stdout.strip(), fmt
    csv = aseankg("query", CONSTRUCT, "--store", seed_store, "--format", "csv").stdout.splitlines()
    assert csv[0] == "subject,predicate,object" and len(csv) == 4
    assert all(",http://www.w3.org/2000/01/rdf-schema#label," in line for line in csv[1:])
    document = json.loads(aseankg("query", CONSTRUCT, "--store", seed_store, "--format", "json").stdout)
    assert len(document) == 3 and all("@id" in node for node in document)  # JSON-LD


# --------------------------------------------------------------------------------------- threads

def test_a_timed_out_query_leaves_no_result_for_another_thread_to_drop():
    """pyoxigraph's results must be freed on the thread that made them; a timed-out query's
    exception used to carry one, through its frames, to the caller's thread, where the garbage
    collector freed it ("PyQuerySolutions is unsendable, but is being dropped on another thread")."""
    store = EmbeddedStore(None)
    store.write_article("https://w3id.org/aseankg/id/article/0123456789abcdef",
                        [(URIRef(f"https://w3id.org/aseankg/id/x/{n}"), RDFS.label, Literal(f"x{n}"))
                         for n in range(50)])
    caught: list = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = caught.append
    try:
        for _ in range(3):
            with pytest.raises(QueryTimeout):
                store.query("SELECT * WHERE { ?s ?p ?o }", timeout=0)
        collector = threading.Thread(target=gc.collect)  # collect where a web server's thread would
        collector.start()
        collector.join()
    finally:
        sys.unraisablehook = old_hook
        store.close()
    assert not [str(u.exc_value) for u in caught]


# ------------------------------------------------------------------------------------ store paths

@pytest.mark.parametrize("command", [["query", "chair-of-year"], ["export", "-o", "out.gexf"],
                                     ["dump", "-o", "out.nq"], ["reason"], ["serve", "--no-build"]])
def test_a_mistyped_store_is_not_created(tmp_path, command):
    typo = tmp_path / "aseankg-stroe"
    done = aseankg(*command, "--store", str(typo), cwd=tmp_path)
    one_line_error(done, f"no store at {typo}")
    assert not typo.exists()
    assert not (tmp_path / command[-1]).exists() or command[-1] in ("chair-of-year", "--no-build", "reason")


def test_build_still_makes_a_store(tmp_path):
    new = tmp_path / "new"
    done = aseankg("build", str(ROOT / "data" / "articles" / "000_e8db50cd34dc12c4.txt"), "--store", str(new))
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    assert aseankg("query", "ASK { ?s ?p ?o }", "--store", str(new)).stdout.strip() == "true"


# ----------------------------------------------------------------------------------- query names

def test_a_mistyped_query_name_gets_a_suggestion(seed_store):
    done = aseankg("query", "chair-of-yeer", "--store", seed_store)
    one_line_error(done, "no saved query named 'chair-of-yeer'", "did you mean 'chair-of-year'?")
    assert "syntax" not in done.stderr.lower()


def test_a_missing_query_file_is_no_such_file(seed_store, tmp_path):
    done = aseankg("query", "missing.rq", "--store", seed_store, cwd=tmp_path)
    one_line_error(done, "no such file: missing.rq")
    assert "syntax" not in done.stderr.lower()
    (tmp_path / "mine.rq").write_text("ASK { ?s ?p ?o }\n", encoding="utf-8")
    assert aseankg("query", "mine.rq", "--store", seed_store, cwd=tmp_path).stdout.strip() == "true"


def test_sparql_text_is_still_sparql(seed_store):
    done = aseankg("query", "SELEC ?x WHERE { ?x ?p ?o }", "--store", seed_store)
    one_line_error(done, "SPARQL syntax error")


# ------------------------------------------------------------------------------------------- dates

@pytest.fixture(scope="module")
def client(seed_store):
    from aseankg.web import close_app, create_app

    store = open_store(seed_store, read_only=True)
    app = create_app(store, workers=0)
    yield app.test_client()
    close_app(app)
    store.close()


def test_month_only_dates_keep_their_precision_and_announced_meetings_are_marked(client):
    """The seed articles announce the 47th ASEAN Summit for October 2025 (``2025-10``, upcoming)."""
    marks = {m["label"]: m for row in client.get("/timeline.json").get_json()["rows"] for m in row["marks"]}
    summit = marks["47th ASEAN Summit"]
    assert summit["date"] == "2025-10" and summit["announced"] is True
    assert marks["58th ASEAN Foreign Ministers' Meeting"]["announced"] is False
    assert marks["ASEAN Foreign Ministers' Retreat"]["date"] == "2025-01"
    for path in ("/", "/timeline"):
        page = client.get(path).get_data(as_text=True)
        assert '<time datetime="2025-10">2025-10</time> <a href="/id/meeting/asean-summit-47">' in page, path
        assert "2025-10-01" not in page and "2025-01-01" not in page, path
        assert 'class="announced"' in page, path
    assert 'class="mark announced"' in client.get("/timeline").get_data(as_text=True)  # hollow in the SVG


# ------------------------------------------------------------------------------------ build status

def test_build_exit_status_tells_a_partial_build(tmp_path):
    from aseankg.cli import EXIT_QUARANTINED

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_bytes((settings.ARTICLES_DIR / "000_e8db50cd34dc12c4.txt").read_bytes())
    store = str(tmp_path / "kg")
    whole = aseankg("build", str(corpus), "--store", store)
    assert whole.returncode == 0 and "1 added" in whole.stdout, whole.stderr
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    partial = aseankg("build", str(corpus), "--store", store)
    assert partial.returncode == EXIT_QUARANTINED == 3, partial.stderr
    assert "1 quarantined" in partial.stdout and "empty.txt" in partial.stdout
    assert "Traceback" not in partial.stderr


def test_build_of_a_folder_without_articles_says_so(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.md").write_text("nothing here\n", encoding="utf-8")
    done = aseankg("build", str(tmp_path / "notes"), "--store", str(tmp_path / "kg"))
    one_line_error(done, "no article files in", ".txt")
    assert not (tmp_path / "kg").exists()


# ------------------------------------------------------------------------------------ guessing less

def test_h_is_help():
    for args in (["-h"], ["query", "-h"], ["build", "-h"]):
        done = aseankg(*args)
        assert done.returncode == 0 and done.stdout.startswith("Usage: aseankg"), (args, done.stderr)


def test_sparql_text_may_use_the_query_pages_prefixes(seed_store):
    done = aseankg("query", "SELECT ?l WHERE { ?m a akg:MinisterialMeeting ; rdfs:label ?l } ORDER BY ?l",
                   "--store", seed_store, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "58th ASEAN Foreign Ministers' Meeting" in done.stdout.splitlines()
    own = aseankg("query", "PREFIX akg: <urn:nothing#> ASK { ?m a akg:MinisterialMeeting }", "--store", seed_store)
    assert own.stdout.strip() == "false"  # a prefix the query declares is its own
