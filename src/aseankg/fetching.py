"""Fetching pages, feeds and sitemaps over HTTP, politely and safely.

One :class:`Fetcher` per run holds what politeness needs across requests: each host's
robots.txt (``urllib.robotparser``), the time of its last request (``FetchPolicy.host_delay``
seconds apart) and a cap on requests in flight to it (``FetchPolicy.per_host``). Every request
carries an identifying User-Agent with a contact address, a timeout and a size cap; a
connection error, a timeout, 429 or a 5xx is retried with exponential backoff.

Safety: only ``http`` and ``https``; the host's addresses are resolved and refused when any is
loopback, private, link-local, reserved or multicast (a cloud metadata address such as
169.254.169.254 is link-local), before the first request and before every redirect, which is
followed by hand up to ``FetchPolicy.max_redirects``. ``FetchPolicy.allow_networks`` lets
listed networks through (the tests allow 127.0.0.1 for their own server; a deployment inside a
private network may list it). Content types are checked by the caller (``accept``).

The HTTP client is urllib3 (already installed with trafilatura): streaming reads, so a body
past the cap is cut off without being held in memory, and no redirect followed behind our back.
Nothing here raises but :class:`FetchError`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import urllib3

#: Content types of an article page.
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Content types of a feed or a sitemap (servers label XML in many ways).
XML_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
             "application/rdf+xml", "application/x-rss+xml", "text/plain")


@dataclass(frozen=True)
class FetchPolicy:
    """How a :class:`Fetcher` behaves; every field can be set from a sources file's ``[fetch]``
    table (see :mod:`aseankg.follow`)."""

    #: Who is asking and how to reach them: sent as ``User-Agent: aseankg/0.1 (+CONTACT)``.
    contact: str = "https://github.com/aseankg/aseankg"
    timeout: float = 20.0  # seconds to connect, and between bytes read
    total_timeout: float = 60.0  # seconds reading one body may take (a server trickling bytes)
    max_bytes: int = 5 * 1024 * 1024  # a page (the same cap as settings.MAX_ARTICLE_BYTES)
    max_feed_bytes: int = 10 * 1024 * 1024  # a feed or a sitemap
    max_redirects: int = 5
    retries: int = 2  # after the first try, for connection errors, timeouts, 429 and 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    host_delay: float = 1.0  # seconds between two requests to one host
    per_host: int = 2  # requests in flight to one host at once
    workers: int = 4  # pages fetched at once, over all hosts
    allow_networks: tuple[str, ...] = ()  # e.g. ("127.0.0.1/32",): let these non-public addresses in
    robots: bool = True  # honour robots.txt (turn off only for your own sites)

    @property
    def user_agent(self) -> str:
        return f"aseankg/0.1 (+{self.contact})"


class FetchError(Exception):
    """A fetch that failed or was refused: ``url`` and a ``reason`` meant for a person."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


@dataclass
class Response:
    """A fetched resource: ``url`` is the address after redirects; ``status`` 200 or 304."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The body decoded (the charset the server named, else UTF-8), bad bytes replaced."""
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"'")
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def check_address(url: str, allow: Iterable[str] = ()) -> None:
    """Raise :class:`FetchError` unless ``url`` is http(s) and every address its host resolves to
    is public or in one of the ``allow`` networks.

    >>> check_address("http://169.254.169.254/latest/meta-data/")
    Traceback (most recent call last):
    ...
    aseankg.fetching.FetchError: http://169.254.169.254/latest/meta-data/: refused: 169.254.169.254 is a \
link-local address (not fetched; see FetchPolicy.allow_networks)
    >>> check_address("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    aseankg.fetching.FetchError: file:///etc/passwd: refused: only http and https addresses are fetched
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "refused: only http and https addresses are fetched")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FetchError(url, f"the host {parts.hostname} could not be resolved ({exc})") from None
    networks = [ipaddress.ip_network(n, strict=False) for n in allow]
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if any(address in n for n in networks):
            continue
        kind = next((k for k, bad in (("loopback", address.is_loopback), ("link-local", address.is_link_local),
                                      ("private", address.is_private), ("reserved", address.is_reserved),
                                      ("multicast", address.is_multicast), ("unspecified", address.is_unspecified),
                                      ("non-public", not address.is_global)) if bad), None)
        if kind:
            raise FetchError(url, f"refused: {address} is a {kind} address (not fetched; see "
                                  "FetchPolicy.allow_networks)")


class Fetcher:
    """Polite, capped GETs; one per run (its robots.txt cache and rate limits are per run)."""

    def __init__(self, policy: FetchPolicy | None = None):
        self.policy = policy or FetchPolicy()
        self._pool = urllib3.PoolManager(num_pools=32, maxsize=max(1, self.policy.per_host), block=False,
                                         retries=False, headers={"User-Agent": self.policy.user_agent})
        self._lock = threading.Lock()
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchError] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self.requests = 0  # requests sent, robots.txt included

    def close(self) -> None:
        self._pool.clear()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, *, accept: Iterable[str] = HTML_TYPES, max_bytes: int | None = None,
            etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url``: conditional when ``etag``/``last_modified`` are given (a 304 comes back as a
        ``Response`` with status 304 and no body); redirects followed and checked one by one."""
        limit = max_bytes or self.policy.max_bytes
        headers = {"Accept": ", ".join(accept) + ", */*;q=0.1", "User-Agent": self.policy.user_agent}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        chain: list[str] = []
        current = url
        while True:
            self._check(current)
            status, resp = self._request(current, headers)
            if status in (301, 302, 303, 307, 308):
                location = resp.headers.get("Location")
                resp.release_conn()
                if not location:
                    raise FetchError(url, f"redirect ({status}) without a Location")
                chain.append(current)
                if len(chain) > self.policy.max_redirects:
                    raise FetchError(url, f"more than {self.policy.max_redirects} redirects "
                                          f"(FetchPolicy.max_redirects)")
                current = urljoin(current, location)
                continue
            break
        try:
            if status == 304:
                return Response(current, 304, etag=etag, last_modified=last_modified, redirects=chain)
            if status != 200:
                raise FetchError(url, f"HTTP {status}" + (f" (after redirects to {current})" if chain else ""))
            ctype = resp.headers.get("Content-Type", "")
            media = ctype.split(";", 1)[0].strip().lower()
            accepted = tuple(accept)
            if media not in accepted:
                raise FetchError(url, f"content type {media or 'unstated'!r} is not one of {', '.join(accepted)}")
            body = self._read(url, resp, limit)
            return Response(current, 200, body, ctype, resp.headers.get("ETag"),
                            resp.headers.get("Last-Modified"), chain)
        finally:
            resp.release_conn()

    # --- the pieces ----------------------------------------------------------------------

    def _check(self, url: str) -> None:
        check_address(url, self.policy.allow_networks)
        if self.policy.robots and urlsplit(url).path != "/robots.txt" and not self.allowed(url):
            raise FetchError(url, "disallowed by the site's robots.txt")

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets our User-Agent fetch ``url`` (read once per run: a
        missing robots.txt allows all; 401/403 or one that cannot be read disallows all)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._read_robots(origin)
        robots = self._robots[origin]
        if isinstance(robots, FetchError):
            return False
        return robots.can_fetch(self.policy.user_agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | FetchError:
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            resp = self.get(origin + "/robots.txt", accept=("text/plain",), max_bytes=512 * 1024)
            parser.parse(resp.text().splitlines())
        except FetchError as exc:
            if exc.reason.startswith(("HTTP 404", "HTTP 410", "content type")):
                parser.parse([])  # no robots.txt (or a page where it should be): all allowed
            else:
                return exc
        return parser

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            return self._slots.setdefault(host, threading.BoundedSemaphore(max(1, self.policy.per_host)))

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may be asked again (``host_delay`` after the last request began)."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + self.policy.host_delay
        if start > now:
            time.sleep(start - now)

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, urllib3.BaseHTTPResponse]:
        host = urlsplit(url).netloc.lower()
        p = self.policy
        problem = ""
        for attempt in range(p.retries + 1):
            if attempt:
                time.sleep(p.backoff * 2 ** (attempt - 1))
            with self._slot(host):
                self._wait_turn(host)
                self.requests += 1
                try:
                    resp = self._pool.request("GET", url, headers=headers, redirect=False, preload_content=False,
                                              timeout=urllib3.Timeout(connect=p.timeout, read=p.timeout))
                except urllib3.exceptions.HTTPError as exc:
                    problem = _describe(exc, p.timeout)
                    continue
            if resp.status == 429 or resp.status >= 500:
                problem = f"HTTP {resp.status}"
                delay = _retry_after(resp.headers.get("Retry-After"))
                resp.release_conn()
                if delay and attempt < p.retries:
                    time.sleep(min(delay, 60.0))
                continue
            return resp.status, resp
        raise FetchError(url, f"{problem} (tried {p.retries + 1} times)")

    def _read(self, url: str, resp: urllib3.BaseHTTPResponse, limit: int) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"is {int(declared):,} bytes, over the limit of {limit:,} (FetchPolicy)")
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.policy.total_timeout
        try:
            for chunk in resp.stream(64 * 1024):
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise FetchError(url, f"took over {self.policy.total_timeout:g} s to read "
                                          "(FetchPolicy.total_timeout)")
                if size > limit:
                    raise FetchError(url, f"is over the limit of {limit:,} bytes (FetchPolicy); not read further")
                chunks.append(chunk)
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(url, _describe(exc, self.policy.timeout)) from None
        return b"".join(chunks)


def _describe(exc: Exception, timeout: float) -> str:
    text = str(exc)
    if isinstance(exc, urllib3.exceptions.TimeoutError) or "timed out" in text.lower():
        return f"timed out (no answer within {timeout:g} s)"
    return f"connection failed ({type(exc).__name__})"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None

