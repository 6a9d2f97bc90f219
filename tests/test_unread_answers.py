"""Clients that ask for a large answer and never read it are let go promptly (``--send-timeout``):
no temporary file of their answers is left open in the server and no HTTP thread stays held, so the
next clients are answered. Raw sockets on loopback, each client from its own 127.0.0.N; waits are
bounded (hang guards), timings never asserted."""

from __future__ import annotations

import os
import socket
import time
import urllib.parse
from pathlib import Path

import pytest
from test_abuse import get, start_server, stop

#: 10,000 rows (the default row cap) of about 2 KB each: a 20 MB CSV answer, computed from nothing.
BIG = ("SELECT ?x WHERE { VALUES ?a { " + " ".join(map(str, range(100))) + " } VALUES ?b { "
       + " ".join(map(str, range(100))) + ' } BIND (CONCAT(STR(?a), "-", STR(?b), "' + "x" * 2000
       + '") AS ?x) }')
CLIENTS = 8


def temporary_files(pid: int, folder: Path) -> list[str]:
    """The server's open files inside ``folder`` (waitress spills large answers to temporary files)."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


@pytest.fixture()
def server(tmp_path, monkeypatch):
    spill = tmp_path / "tmp"
    spill.mkdir()
    monkeypatch.setenv("TMPDIR", str(spill))
    process, port = start_server(tmp_path / "kg", "--threads", str(CLIENTS), "--send-timeout", "2",
                                 "--client-concurrency", "1")
    try:
        yield process, port, spill
    finally:
        stop(process)


def test_unread_answers_are_dropped(server):
    process, port, spill = server
    request = (f"GET /sparql?{urllib.parse.urlencode({'query': BIG})} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Accept: text/csv\r\n\r\n").encode()
    held = []
    try:
        for i in range(CLIENTS):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # and never read
            sock.bind((f"127.0.0.{20 + i}", 0))
            sock.settimeout(10)
            sock.connect(("127.0.0.1", port))
            sock.sendall(request)
            held.append(sock)
        # every answer is built and handed to the server's buffers; then none of it is read
        deadline = time.monotonic() + 120
        while not temporary_files(process.pid, spill) and time.monotonic() < deadline:
            time.sleep(0.2)
        print(f"\nanswers buffered in temporary files: {len(temporary_files(process.pid, spill))}")
        # within the send timeout (and well before the 30 s idle timeout) all are let go
        deadline = time.monotonic() + 25
        while temporary_files(process.pid, spill) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert temporary_files(process.pid, spill) == []
        assert list(spill.iterdir()) == []
        # no thread is held: with 8 HTTP threads, 8 other clients at once are all answered
        statuses = [get(port, "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}),
                        source=f"127.0.0.{40 + i}", timeout=20)[0] for i in range(CLIENTS)]
        assert statuses == [200] * CLIENTS
        assert get(port, "/health", source="127.0.0.60", timeout=20)[0] == 200
    finally:
        for sock in held:
            sock.close()
