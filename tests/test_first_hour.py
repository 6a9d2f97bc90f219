"""A newcomer's first hour (issue 16), continued: the extraction of one article and the project's
own evaluator from the command line, IRIs that can be pasted back into a query. The CLI tests run
the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "aseankg"
SEED = ROOT / "data" / "articles" / "001_78dc932b397bd294.txt"


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
