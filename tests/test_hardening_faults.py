"""Faults during a build: a store folder that cannot be written (a file in its place, a read-only mount),
a quarantine folder that cannot be written, a full disk (a 4 MB tmpfs), and a remote store killed by pid
midway. Each gives a clear message (no traceback) and leaves only whole article graphs; the same command
run again completes the build.

A build SIGKILLed at random points is test_build_faults.py; a killed writer is test_store.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import OXIGRAPH, start_oxigraph, stop_process
from test_build_faults import canonical, make_corpus

from aseankg import settings
from aseankg.ingest import build_articles
from aseankg.store import EmbeddedStore

ASEANKG = Path(sys.executable).parent / "aseankg"
ARTICLE_PREFIX = settings.ID_NS + "article/"
ROOT = os.geteuid() == 0


def build(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(ASEANKG), "build", *map(str, args)], capture_output=True, text=True, timeout=timeout)


def clear_failure(run: subprocess.CompletedProcess, *words: str) -> str:
    """The run failed with a message (not a traceback) holding ``words`` and the advice to re-run."""
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert "Error:" in run.stderr
    for word in words:
        assert word in run.stderr, run.stderr
    return run.stderr


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The seed articles built without faults: ``{graph IRI: canonical quads}``."""
    with EmbeddedStore(tmp_path_factory.mktemp("reference") / "kg") as store:
        build_articles([settings.ARTICLES_DIR], store)
        return {g.value: canonical(store.db.quads_for_pattern(None, None, None, g)) for g in store.db.named_graphs()}


def whole_articles(location: Path, reference: dict) -> int:
    """The number of article graphs in the store at ``location``, each checked to be whole."""
    with EmbeddedStore(location) as store:
        graphs = {g.value: canonical(store.db.quads_for_pattern(None, None, None, g)) for g in store.db.named_graphs()}
    for iri, quads in graphs.items():
        assert quads == reference[iri], f"graph {iri} is not whole"
    return sum(iri.startswith(ARTICLE_PREFIX) for iri in graphs)


def mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


# ----------------------------------------------------------------------------- unwritable folders

def test_a_file_where_the_store_folder_should_be(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me", encoding="utf-8")
    for location in (blocker, blocker / "kg"):
        clear_failure(build(settings.ARTICLES_DIR, "--store", location), "cannot open the store at", str(location))
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_a_read_only_store_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    if ROOT:  # root writes through chmod: mount the folder read-only instead
        if not (mount("--bind", str(folder), str(folder)) and mount("-o", "remount,bind,ro", str(folder))):
            subprocess.run(["umount", str(folder)], capture_output=True)
            pytest.skip("running as root without the right to mount a read-only bind")
    else:
        folder.chmod(0o555)
    try:
        clear_failure(build(settings.ARTICLES_DIR, "--store", folder / "kg"), "cannot open the store at",
                      str(folder / "kg"))
        assert list(folder.iterdir()) == []  # nothing half made
    finally:
        if ROOT:
            subprocess.run(["umount", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_an_unwritable_quarantine_folder(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(settings.ARTICLES_DIR, corpus)
    (corpus / "000_empty.txt").write_text("", encoding="utf-8")  # quarantined first
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    store = tmp_path / "kg"
    clear_failure(build(corpus, "--store", store, "--quarantine", blocker / "q"), str(blocker / "q"))
    with EmbeddedStore(store) as db:
        before = {g.value: canonical(db.db.quads_for_pattern(None, None, None, g)) for g in db.db.named_graphs()}
    rerun = build(corpus, "--store", store)
    assert rerun.returncode == 3, rerun.stderr  # EXIT_QUARANTINED: the empty file
    stored = sum(g.startswith(ARTICLE_PREFIX) for g in before)
    assert stored < 5 and f"{5 - stored} added" in rerun.stdout and "1 quarantined" in rerun.stdout
    with EmbeddedStore(store) as db:
        after = {g.value: canonical(db.db.quads_for_pattern(None, None, None, g)) for g in db.db.named_graphs()}
    assert sum(g.startswith(ARTICLE_PREFIX) for g in after) == 5
    assert all(after[g] == quads for g, quads in before.items())  # what was there before the re-run was whole


# ------------------------------------------------------------------------------------------ full disk

def test_a_full_disk(tmp_path, reference):
    if not ROOT:
        pytest.skip("a small tmpfs (the full disk) needs root to mount")
    disk = tmp_path / "disk"
    disk.mkdir()
    if not mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        run = build(settings.ARTICLES_DIR, "--store", disk / "kg")
        clear_failure(run, "No space left on device", str(disk / "kg"), "run the same command again")
        shutil.copytree(disk / "kg", tmp_path / "kg")  # what the full disk holds, moved to a roomy one
    finally:
        subprocess.run(["umount", str(disk)], check=True)
    stored = whole_articles(tmp_path / "kg", reference)
    assert stored < 5
    rerun = build(settings.ARTICLES_DIR, "--store", tmp_path / "kg")
    assert rerun.returncode == 0, rerun.stderr
    assert f"{5 - stored} added" in rerun.stdout and f"{stored} unchanged" in rerun.stdout
    assert whole_articles(tmp_path / "kg", reference) == 5


# ---------------------------------------------------------------------------------- a remote store gone

ARTICLES = 40


def remote_articles(url: str) -> int:
    query = ("SELECT (COUNT(DISTINCT ?g) AS ?n) "
             "WHERE { GRAPH ?g { ?g a <https://w3id.org/aseankg/ontology#Article> } }")
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.read().decode().split()[-1])


def test_a_remote_store_killed_midway(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, ARTICLES)
    location = tmp_path / "oxigraph"
    server, url = start_oxigraph(location)
    child = subprocess.Popen([str(ASEANKG), "build", str(corpus), "--store", url], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while remote_articles(url) < ARTICLES // 4:
            assert child.poll() is None, child.stderr.read()
            assert time.monotonic() < deadline, "the build made no progress"
            time.sleep(0.1)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        out, err = child.communicate(timeout=240)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        stop_process(server)
    run = subprocess.CompletedProcess(child.args, child.returncode, out, err)
    message = clear_failure(run, url.rsplit("/", 1)[0], "run the same command again")
    assert "cannot reach the SPARQL store at" in message or "broke off its answer" in message

    port = urllib.parse.urlsplit(url).port
    server, url2 = restart_on(location, port)
    try:
        assert url2 == url
        stored = remote_articles(url)
        assert 0 < stored < ARTICLES
        rerun = build(corpus, "--store", url)
        assert rerun.returncode == 0, rerun.stderr
        assert f"{ARTICLES - stored} added, 0 replaced, {stored} unchanged" in rerun.stdout
        assert remote_articles(url) == ARTICLES
    finally:
        stop_process(server)


def restart_on(location: Path, port: int) -> tuple[subprocess.Popen, str]:
    """``oxigraph serve`` again on the same data and port (the port may take a moment to be free)."""
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while True:
        process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location), "--bind",
                                    f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while process.poll() is None and time.monotonic() < deadline:
            try:
                remote_articles(url)
                return process, url
            except OSError:
                time.sleep(0.1)
        stop_process(process)
        if time.monotonic() > deadline:
            raise RuntimeError("oxigraph serve did not start again on its port")
        time.sleep(0.5)
