"""The HTTP server: waitress, set up so that idle or half-open connections cannot lock anyone out.

waitress reads and writes every connection on one asynchronous loop and gives a thread only to a
request it has read in full, so a connection that sends nothing, or its headers a byte at a time,
costs a socket and no thread. What it lacks by default: it stops accepting at ``connection_limit``
(100) open connections, and closes an idle one only after ``channel_timeout`` (120 s) plus
``cleanup_interval`` (30 s): 98 idle keep-alive connections locked everyone out for 130 s, and
``select()`` fails past 1,024 descriptors. So:

- ``asyncore_use_poll``: ``poll()`` has no descriptor ceiling;
- ``idle_timeout`` (``channel_timeout``) closes a connection with no request for that long, checked
  every second (``cleanup_interval``);
- ``request_timeout`` closes a connection that has not sent a whole request within that long of
  starting it, however slowly it trickles (slowloris), which waitress has no setting for;
- ``send_timeout`` closes a connection whose answer has waited that long with none of it read (a
  client that asks for a large answer and never reads it): waitress would otherwise keep the answer
  in its buffers (spilled to temporary files past 1 MB) and, past 16 MB, the request's thread
  waiting for room, until the idle timeout or for ever;
- at ``max_connections`` the server does not stop accepting: it closes the connections that are
  idle or have been sending a request the longest (never one whose request is being answered),
  so a fresh client always gets in.

The open-file limit is raised, when it is too low for ``max_connections``, up to its hard limit.
"""

from __future__ import annotations

import resource
import time

from waitress.server import TcpWSGIServer, create_server

#: Connections a server keeps open; past it the idle and slowest ones are closed first.
MAX_CONNECTIONS = 1_000
#: Seconds a connection may stay open with no request.
IDLE_TIMEOUT = 30.0
#: Seconds a client has to send a whole request (headers and body) once it starts one.
REQUEST_TIMEOUT = 15.0
#: Seconds an answer may wait with none of it read before its connection is closed.
SEND_TIMEOUT = 15.0


class GuardedServer:
    """Mixed into waitress's server class: request and send timeouts, shedding at the connection limit."""

    request_timeout = REQUEST_TIMEOUT
    send_timeout = SEND_TIMEOUT
    #: id(channel) -> (the partial request, when it began) / (when its answer started waiting); replaced,
    #: never mutated, by ``maintenance``
    request_starts: dict = {}  # noqa: RUF012
    send_waits: dict = {}  # noqa: RUF012

    def maintenance(self, now: float) -> None:
        """waitress's idle check, plus: a request begun more than ``request_timeout`` ago and not yet
        whole closes its connection, and so does an answer that no byte of has been sent for
        ``send_timeout`` (closing frees its buffers and wakes its thread, which sees the client gone)."""
        super().maintenance(now)
        waiting = self.send_waits
        pending = {}
        for channel in list(self.active_channels.values()):
            if not channel.total_outbufs_len:
                continue
            since = pending[id(channel)] = waiting.get(id(channel), now)
            if now - max(since, channel.last_activity) > self.send_timeout:
                # now: a client that reads nothing never makes its socket writable, so a will_close
                # mark would never be acted on (this runs on the loop's own thread)
                pending.pop(id(channel))
                channel.handle_close()
        self.send_waits = pending
        started = self.request_starts
        live = {}
        for channel in list(self.active_channels.values()):
            partial = channel.request
            if partial is None or channel.requests:
                continue
            since = started.get(id(channel), (None, now))
            since = since if since[0] is partial else (partial, now)
            live[id(channel)] = since
            if now - since[1] > self.request_timeout:
                channel.will_close = True
        self.request_starts = live

    def readable(self) -> bool:
        """Always accept: at the limit, mark the idle connections (oldest activity first), then the
        ones stuck half-way through a request, to be closed on this turn of the loop."""
        if self.accepting and len(self._map) >= self.adj.connection_limit:
            self._shed(len(self._map) - self.adj.connection_limit + max(1, self.adj.connection_limit // 20))
        super().readable()  # waitress's maintenance timer and bookkeeping
        self.in_connection_overflow = False
        return bool(self.accepting)

    def _shed(self, count: int) -> None:
        candidates = [c for c in list(self.active_channels.values())
                      if not c.requests and not c.will_close and not c.total_outbufs_len]
        candidates.sort(key=lambda c: (c.request is not None, c.last_activity))
        for channel in candidates[:count]:
            channel.will_close = True


def make_server(app, *, host: str = "127.0.0.1", port: int = 8000, threads: int = 32,
                max_connections: int = MAX_CONNECTIONS, idle_timeout: float = IDLE_TIMEOUT,
                request_timeout: float = REQUEST_TIMEOUT, send_timeout: float = SEND_TIMEOUT,
                max_body: int = 1_000_000, **options):
    """A waitress server for ``app`` with the guards above; ``server.run()`` serves until stopped."""
    _raise_file_limit(max_connections + threads + 256)
    server = create_server(app, host=host, port=port, threads=threads, connection_limit=max_connections,
                           channel_timeout=idle_timeout, cleanup_interval=1, asyncore_use_poll=True,
                           max_request_body_size=max_body, ident="aseankg", **options)
    if not isinstance(server, TcpWSGIServer):  # unix sockets or several listeners: waitress's own
        return server
    server.__class__ = type("AseankgServer", (GuardedServer, type(server)), {})
    server.request_timeout = request_timeout
    server.send_timeout = send_timeout
    server.next_channel_cleanup = time.time()
    return server


def _raise_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
