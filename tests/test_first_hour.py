"""A newcomer's first hour (issue 16), continued: the extraction of one article and the project's
own evaluator from the command line, IRIs that can be pasted back into a query. The CLI tests run
the real command."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aseankg import settings
from aseankg.ingest import build_articles
from aseankg.stores import open_store

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "aseankg"
SEED = ROOT / "data" / "articles" / "001_78dc932b397bd294.txt"


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> str:
    """The seed articles built once into a store folder, closed again so the CLI can open it."""
    location = str(tmp_path_factory.mktemp("first-hour") / "kg")
    store = open_store(location)
    try:
        build_articles([settings.ARTICLES_DIR], store)
    finally:
        store.close()
    return location


def aseankg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command; this checkout's ``src`` first, whatever folder it runs in."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=180, cwd=cwd, env=env)


# ------------------------------------------------------------------------------------ extract FILE
def test_extract_prints_what_one_article_yields_with_evidence():
    done = aseankg("extract", str(SEED))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Article: Deputy Prime Minister Bui Thanh Son attends")
    for block in ("Meetings (", "People (", "Participations (", "Chairmanships (", "Places ("):
        assert block in out
    assert "58th ASEAN Foreign Ministers' Meeting - 2025-07-08 to 2025-07-11, Kuala Lumpur" in out
    assert "Bui Thanh Son - CoChair - ASEAN-New Zealand Foreign Ministers' Meeting" in out
    assert "(rule: verb)" in out
    assert "\u201cOn this occasion, the Deputy Prime Minister and Minister will also co-chair" in out


def test_extract_as_json():
    done = aseankg("extract", str(SEED), "--format", "json")
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)
    amm = next(m for m in facts["meetings"] if m["iri"].endswith("/meeting/amm-58"))
    assert (amm["start"], amm["end"], amm["place"], amm["announced"]) == ("2025-07-08", "2025-07-11",
                                                                          "Kuala Lumpur", True)
    chair = [p for p in facts["participations"] if p["capacity"] == "CoChair"]
    assert chair and all(p["rule"] and p["evidence"] for p in chair)
    assert {p["name"] for p in facts["people"]} >= {"Bui Thanh Son", "Ton Thi Ngoc Huong"}
    assert all(p["evidence"] for p in facts["places"])


def test_extract_of_a_missing_file_is_one_line(tmp_path):
    done = aseankg("extract", str(tmp_path / "nope.txt"))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"Error: {tmp_path / 'nope.txt'}: no such file"]


# ------------------------------------------------------------------------------------ evaluate
def test_evaluate_scores_the_seeds_and_says_what_was_missed():
    done = aseankg("evaluate", "--gold", str(ROOT / "tests" / "gold" / "seeds.json"), str(ROOT / "data" / "articles"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "5 articles scored"
    assert lines[2].split() == ["fact", "gold", "found", "recall", "precision"]
    assert any(line.split()[:3] == ["persons", "10", "10"] for line in lines)
    assert "Missed" in lines


def test_evaluate_on_articles_a_user_annotated(tmp_path):
    (tmp_path / "mine.txt").write_text(
        "Foreign Minister Bui Thanh Son attended the 58th ASEAN Foreign Ministers' Meeting in Kuala Lumpur "
        "on July 9, 2025. Prime Minister Anwar Ibrahim chaired the meeting.", encoding="utf-8")
    gold = {"articles": {"mine.txt": {
        "meetings": [{"key": "amm", "series": "ASEAN Foreign Ministers' Meeting", "ordinal": 58,
                      "start": "2025-07-09", "city": "Kuala Lumpur"}],
        "persons": [{"name": "Bui Thanh Son", "attended": ["amm"]},
                    {"name": "Nguyen Van A", "attended": ["amm"]}]}}}
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    done = aseankg("evaluate", "--gold", str(tmp_path / "gold.json"), str(tmp_path / "mine.txt"), "--format", "json")
    assert done.returncode == 0, done.stderr
    table = {row["fact"]: row for row in json.loads(done.stdout)["table"]}
    assert table["meetings"]["recall"] == 1.0 and table["meeting start dates"]["recall"] == 1.0
    assert table["persons"]["recall"] == 0.5
    assert table["persons"]["missed"] == ["mine: Nguyen Van A"]
    assert "mine: Anwar Ibrahim" in table["persons"]["extra"]

    rules = aseankg("evaluate", "--gold", str(tmp_path / "gold.json"), str(tmp_path / "mine.txt"), "--format", "rules")
    assert rules.returncode == 0, rules.stderr
    rows = list(csv.DictReader(io.StringIO(rules.stdout)))
    assert rows and set(rows[0]) == {"rule", "found", "right", "precision"}
    # two participations read (Bui Thanh Son's, in the gold; Anwar Ibrahim's, not), one meeting
    found = {r["rule"]: (int(r["found"]), int(r["right"])) for r in rows}
    assert sum(f for f, _ in found.values()) == 3 and sum(r for _, r in found.values()) == 2

def test_evaluate_with_a_missing_gold_file_is_one_line(tmp_path):
    done = aseankg("evaluate", "--gold", str(tmp_path / "gold.json"), str(SEED))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"Error: {tmp_path / 'gold.json'}: no such file"]


# ------------------------------------------------------------------------------------ pasteable IRIs
def test_printed_iris_paste_back_into_a_query_and_parameters_take_slugs_and_labels(seed_store):
    by_slug = aseankg("query", "meeting-participants", "--store", seed_store, "-p", "meeting=amm-58")
    assert by_slug.returncode == 0, by_slug.stderr
    assert "person:bui-thanh-son" in by_slug.stdout and "id:person/" not in by_slug.stdout
    for value in ("58th ASEAN Foreign Ministers' Meeting", "meeting:amm-58",
                  "<https://w3id.org/aseankg/id/meeting/amm-58>", "id:meeting/amm-58"):
        done = aseankg("query", "meeting-participants", "--store", seed_store, "-p", f"meeting={value}")
        assert done.stdout == by_slug.stdout, (value, done.stderr)
    # what was printed is valid SPARQL as it stands
    again = aseankg("query", "SELECT ?l WHERE { person:bui-thanh-son rdfs:label ?l }", "--store", seed_store)
    assert again.returncode == 0 and "Bui Thanh Son" in again.stdout, again.stderr


def test_an_ambiguous_or_unknown_label_is_one_line(seed_store):
    done = aseankg("query", "meeting-participants", "--store", seed_store, "-p",
                   "meeting=ASEAN Senior Officials' Meeting")
    assert done.returncode != 0 and "names several entities (meeting:" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = aseankg("query", "meeting-participants", "--store", seed_store, "-p", "meeting=no-such-meeting")
    assert done.returncode != 0 and "nothing in the store has the slug or label" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_compact_names_are_valid_sparql():
    from aseankg.results import compact

    assert compact("https://w3id.org/aseankg/id/meeting/amm-58") == "meeting:amm-58"
    assert compact("https://w3id.org/aseankg/id/org/asean") == "organization:asean"
    assert compact("https://w3id.org/aseankg/ontology#Summit") == "akg:Summit"
    assert compact("https://w3id.org/aseankg/id/post/vnm-x/y") == "<https://w3id.org/aseankg/id/post/vnm-x/y>"


def test_the_meetings_a_person_attended_lead_to_the_evidence(seed_store):
    done = aseankg("query", "meetings-of-person", "--store", seed_store, "-p", "person=Bui Thanh Son")
    assert done.returncode == 0, done.stderr
    rows = [line.split("  ") for line in done.stdout.splitlines()[2:-1]]
    amm = [line for line in done.stdout.splitlines() if line.startswith("meeting:amm-58 ")]
    assert any("HeadOfDelegation" in line and "Viet Nam" in line and "2025-07-08  2025-07-11" in line for line in amm)
    fact = rows[-1][-1].strip() if rows else ""
    assert fact.startswith("participation:")
    evidence = aseankg("query", "fact-evidence", "--store", seed_store, "-p", f"fact={fact}")
    assert evidence.returncode == 0, evidence.stderr
    assert "(0 rows)" not in evidence.stdout and "Bui Thanh Son" in evidence.stdout
