"""Serving while the news comes in: ``aseankg build`` adds articles to the store a live ``aseankg serve``
answers from; the server sees them, a reader never sees part of an article, CLI ``query`` and
``export`` work on the served store; Ctrl-C stops a build between two articles and the next run
resumes; a second build at once is told which process holds the store.

The corpus is copies of the seed articles (``test_build_faults.make_corpus``). Servers and builds are
child processes stopped by pid; timeouts are hang guards only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from test_abuse import get, start_server, stop
from test_build_faults import article_count, make_corpus

ARTICLE = "https://w3id.org/aseankg/ontology#Article"
SIZES = "/sparql?" + urllib.parse.urlencode({"query": (
    f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?g a <{ARTICLE}> . ?s ?p ?o }} }} GROUP BY ?g")})
CLI = [sys.executable, "-c", "from aseankg.cli import main; main()"]


def sizes(port: int) -> dict[str, int]:
    """Triples per article graph, as the server answers now."""
    status, body, _ = get(port, SIZES, accept="text/csv")
    assert status == 200, body
    rows = body.decode().split("\r\n")[1:]
    return {g: int(n) for g, n in (row.split(",") for row in rows if row)}


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("news") / "corpus"
    make_corpus(folder, 12)
    return folder


def test_a_build_adds_articles_while_the_server_answers(tmp_path, corpus):
    store = tmp_path / "kg"
    process, port = start_server(store)
    try:
        before = sizes(port)
        assert len(before) == 5
        seen: list[dict[str, int]] = []
        failures: list[str] = []
        done = threading.Event()

        def read() -> None:  # a reader polling all the while the build runs
            while not done.is_set():
                try:
                    seen.append(sizes(port))
                except (AssertionError, OSError) as error:
                    failures.append(repr(error))
                time.sleep(0.1)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        build = cli("build", str(corpus), "--store", str(store))
        assert build.returncode == 0, build.stderr
        assert "12 added" in build.stdout
        after = {}
        deadline = time.monotonic() + 60
        while len(after) < 17 and time.monotonic() < deadline:
            after = sizes(port)
            time.sleep(0.2)
        done.set()
        reader.join(30)
        assert len(after) == 17  # the server sees the new articles without a restart
        assert failures == []
        # every article graph a reader saw was whole: the size it has in the end
        partial = [(g, n) for answer in seen for g, n in answer.items() if after.get(g) != n]
        assert partial == []
        assert len(seen) > 1

        # the CLI reads the served store too
        query = cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a <" + ARTICLE + "> }", "--store", str(store),
                    "--format", "csv")
        assert query.returncode == 0, query.stderr
        assert query.stdout.split() == ["n", "17"]
        export = cli("export", "--store", str(store), "-o", str(tmp_path / "actors.gexf"))
        assert export.returncode == 0, export.stderr
        assert (tmp_path / "actors.gexf").stat().st_size > 0
        assert get(port, "/id/country/VNM", accept="text/html")[0] == 200
    finally:
        stop(process)


def test_ctrl_c_stops_between_articles_and_the_next_run_resumes(tmp_path, corpus):
    store = tmp_path / "kg"
    # one job: with workers preparing ahead, the writer can finish 12 articles before the signal lands;
    # batches of one article: the first is in the store, for this test to see, before the rest are read
    command = [*CLI, "build", str(corpus), "--store", str(store), "--jobs", "1", "--batch", "1"]
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not (article_count(store) or 0) and time.monotonic() < deadline:
            time.sleep(0.05)  # until the first article is in
        os.kill(build.pid, signal.SIGINT)
        out, err = build.communicate(timeout=300)
    finally:
        if build.poll() is None:
            os.kill(build.pid, signal.SIGKILL)
            build.wait()
    assert build.returncode == 130, err
    assert "interrupted: stopped between two articles" in out and "Traceback" not in err
    added = int(out.split(" added")[0].rsplit(" ", 1)[1])
    assert 1 <= added < 12
    again = cli("build", str(corpus), "--store", str(store))
    assert again.returncode == 0, again.stderr
    assert f"{12 - added} added, 0 replaced, {added} unchanged" in again.stdout


def test_a_second_build_is_told_who_holds_the_store(tmp_path, corpus):
    store = tmp_path / "kg"
    first = subprocess.Popen([*CLI, "build", str(corpus), "--store", str(store)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not (store / "aseankg-writer").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        second = cli("build", str(corpus), "--store", str(store))
        out, err = first.communicate(timeout=600)
    finally:
        if first.poll() is None:
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
    assert first.returncode == 0, err
    assert second.returncode == 1
    assert f"process {first.pid}" in second.stderr and "one process at a time may write" in second.stderr
    assert "Traceback" not in second.stderr
