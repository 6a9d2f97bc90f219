"""Hostile servers on the remote-store path (``--store URL``, ``aseankg.remote``).

A loopback "SPARQL server" (a thread in this process, stopped at the end of each test) trickles its
answer a byte at a time, stalls after the headers, answers garbage, an endless JSON document, a
200 MiB literal, a million nested arrays, an HTML page with status 200, or redirects to another
host. Each request ends with a ``StoreError`` (``QueryTimeout`` for the slow ones) naming the
server, within ``RemoteStore(timeout=...)`` and ``max_response``; no request reaches the other
host. Timings are never asserted: each call runs under a generous hang guard only.
"""

from __future__ import annotations

import re
import socket
import socketserver
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from aseankg.remote import RemoteStore
from aseankg.store import QueryTimeout, StoreError

SELECT = "SELECT ?x WHERE { ?x ?p ?o }"
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n"
ROW = b'{"x": {"type": "literal", "value": "a"}},'


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(30)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            # the request's body too: a socket closed with unread bytes sends a reset, which can
            # reach the client before the answer has been read ("Connection reset by peer")
            head, _, body = data.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            while length and len(body) < int(length.group(1)) and (chunk := sock.recv(65536)):
                body += chunk
            self.server.seen.append(data)  # type: ignore[attr-defined]
            self.server.behaviour(sock, self.server)  # type: ignore[attr-defined]
        except OSError:  # the client gave up: what the tests want
            pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, behaviour) -> None:
        super().__init__((host, 0), _Handler)
        self.behaviour = behaviour
        self.seen: list[bytes] = []
        self.stop = threading.Event()


@pytest.fixture
def serve():
    """``serve(behaviour, host)`` starts a loopback server; all are shut down after the test."""
    servers: list[_Server] = []

    def start(behaviour, host: str = "127.0.0.1") -> tuple[_Server, str]:
        server = _Server(host, behaviour)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        servers.append(server)
        return server, f"http://{host}:{server.server_address[1]}/query"

    yield start
    for server in servers:
        server.stop.set()
        server.shutdown()
        server.server_close()


def bounded(call, guard: float = 60.0):
    """``call()``'s exception (or result), failing the test if it is still running after ``guard`` s."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as error:  # handed to the test
            box["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(guard)
    assert not thread.is_alive(), f"still running after {guard} s"
    return box.get("error", box.get("value"))


def trickle(sock, server) -> None:
    for byte in HEAD + b"\r\n" + b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}':
        if server.stop.wait(0.5):
            return
        sock.sendall(bytes([byte]))


def stall_after_headers(sock, server) -> None:
    sock.sendall(HEAD + b"Content-Length: 100\r\n\r\n")
    server.stop.wait(60)


def garbage(sock, server) -> None:
    sock.sendall(b"\x00\xff garbage \x13\x37" * 100)


def endless_json(sock, server) -> None:
    sock.sendall(HEAD + b"\r\n" + b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
    while not server.stop.is_set():
        sock.sendall(ROW * 10_000)


def huge_literal(sock, server) -> None:
    sock.sendall(HEAD + b"\r\n" + b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": '
                 b'{"type": "literal", "value": "')
    chunk = b"v" * (1 << 20)
    for _ in range(200):
        if server.stop.is_set():
            return
        sock.sendall(chunk)
    sock.sendall(b'"}}]}}')


def nested_arrays(sock, server) -> None:
    n = 1_000_000
    body = b'{"head": {"vars": ["x"]}, "results": {"bindings": ' + b"[" * n + b"]" * n + b"}}"
    sock.sendall(HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)


def html_with_200(sock, server) -> None:
    body = b"<!DOCTYPE html><html><body><h1>Internal error</h1>Please try later.</body></html>"
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                 + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)


def test_a_trickling_server_is_cut_off_at_the_time_limit(serve):
    # one byte every 0.5 s: each read is quick, so only a deadline for the whole answer ends it
    server, url = serve(trickle)
    error = bounded(lambda: RemoteStore(url, union_default_graph=True, timeout=2).query(SELECT))
    assert isinstance(error, QueryTimeout) and url in str(error) and "2 s" in str(error)


def test_a_server_that_stalls_after_the_headers(serve):
    server, url = serve(stall_after_headers)
    error = bounded(lambda: RemoteStore(url, union_default_graph=True, timeout=2).query(SELECT))
    assert isinstance(error, QueryTimeout) and url in str(error)


def test_garbage_instead_of_http(serve):
    server, url = serve(garbage)
    error = bounded(lambda: RemoteStore(url, union_default_graph=True, timeout=10).query(SELECT))
    assert isinstance(error, StoreError) and url in str(error)


def test_an_endless_json_document_stops_at_the_size_cap(serve):
    server, url = serve(endless_json)
    error = bounded(lambda: RemoteStore(url, union_default_graph=True, timeout=30,
                                        max_response=2_000_000).query(SELECT))
    assert isinstance(error, StoreError) and url in str(error) and "2,000,000 bytes" in str(error)


def test_a_200_mib_literal_is_refused_within_the_memory_bound(serve):
    """In a child process, so its peak memory is its own: the default cap (64 MiB) stops the read."""
    server, url = serve(huge_literal)
    script = textwrap.dedent(f"""
        from aseankg.remote import RemoteStore
        from aseankg.store import StoreError
        try:
            RemoteStore({url!r}, union_default_graph=True, timeout=60).query({SELECT!r})
        except StoreError as error:
            print("error:", error)
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so it would report the
        # forked pytest process's size, not this child's.
        hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
        print("peak MiB:", int(hwm.split()[1]) // 1024)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"error: POST {url} answered more than 67,108,864 bytes" in run.stdout
    peak = int(run.stdout.rsplit("peak MiB:", 1)[1])
    # Reading the 200 MiB whole and decoding it would take well over 400 MiB.
    assert peak < 300, run.stdout


def test_a_million_nested_arrays(serve):
    server, url = serve(nested_arrays)
    error = bounded(lambda: RemoteStore(url, union_default_graph=True, timeout=30).query(SELECT))
    assert isinstance(error, StoreError) and url in str(error) and "does not parse" in str(error)


def test_an_html_error_page_with_status_200(serve):
    server, url = serve(html_with_200)
    error = bounded(lambda: RemoteStore(url, union_default_graph=True, timeout=10).query(SELECT))
    assert isinstance(error, StoreError) and url in str(error) and "HTML page" in str(error)


def test_no_redirect_carries_the_query_to_another_host(serve):
    elsewhere, other_url = serve(html_with_200, host="127.0.0.2")

    def redirect(sock, server) -> None:
        sock.sendall(f"HTTP/1.1 307 Temporary Redirect\r\nLocation: {other_url}\r\n"
                     "Content-Length: 0\r\nConnection: close\r\n\r\n".encode())

    server, url = serve(redirect)
    error = bounded(lambda: RemoteStore(url, union_default_graph=True, timeout=10).query(SELECT))
    assert isinstance(error, StoreError) and url in str(error) and "another server" in str(error)
    time.sleep(0.2)  # a request that had been sent would have arrived by now
    assert elsewhere.seen == [] and len(server.seen) == 1


def test_a_redirect_on_the_same_server_is_followed(serve):
    def answer(sock, server) -> None:
        if b"/moved" in server.seen[-1].split(b"\r\n", 1)[0]:
            body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + ROW[:-1] + b"]}}"
            sock.sendall(HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        else:
            sock.sendall(b"HTTP/1.1 308 Permanent Redirect\r\nLocation: /moved\r\nContent-Length: 0\r\n"
                         b"Connection: close\r\n\r\n")

    server, url = serve(answer)
    result = bounded(lambda: RemoteStore(url, union_default_graph=True, timeout=10).query(SELECT))
    assert not isinstance(result, BaseException), result
    assert result.dicts() == [{"x": "a"}]
    assert len(server.seen) == 2
