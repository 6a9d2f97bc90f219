"""Following the news against a loopback HTTP server only (an in-process ``http.server`` thread on
127.0.0.1, started and stopped by each test): feeds, a sitemap, pages, robots.txt, 304s, redirects,
slow, failing, huge and non-HTML answers."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from aseankg.cli import main
from aseankg.fetching import Fetcher, FetchError, FetchPolicy, check_address
from aseankg.follow import Source, Sources, follow, load_sources, state_path
from aseankg.follow import build_addresses as fetch_and_build
from aseankg.relevance import Relevance
from aseankg.stores import open_store

ASEAN_PAGE = """<html><head><title>{title}</title>
<link rel="canonical" href="{canonical}"><meta property="og:site_name" content="Loopback News">
<meta property="article:published_time" content="2025-07-09"></head><body><article><h1>{title}</h1>
<p>KUALA LUMPUR – Foreign ministers of ASEAN met in Kuala Lumpur on July 9, 2025 for the 58th ASEAN
Foreign Ministers' Meeting, chaired by Malaysia.</p>
<p>Viet Nam and Indonesia called for restraint in the East Sea. {extra}</p></article></body></html>"""

FOOTBALL_PAGE = """<html><body><article><h1>Arsenal beat Chelsea</h1><p>Arsenal beat Chelsea two goals
to one on Sunday in a hard fought London derby before a full stadium.</p></article></body></html>"""


class Site:
    """Routes: path → (status, headers, body) or a callable(handler) -> that; hits counted."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.hits: Counter = Counter()
        self.seen_headers: dict[str, dict] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                path = self.path
                site.hits[path] += 1
                site.seen_headers[path] = dict(self.headers)
                route = site.routes.get(path)
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                else:
                    status, headers, body = route(self) if callable(route) else route
                if status is None:
                    return
                self.send_response(status)
                headers = dict(headers)
                headers.setdefault("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, title: str, extra: str = "", etag: str | None = None):
        html = ASEAN_PAGE.format(title=title, canonical=self.url(path), extra=extra).encode()
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if etag:
            headers["ETag"] = etag

            def answer(handler):
                if handler.headers.get("If-None-Match") == etag:
                    return 304, {"ETag": etag, "Content-Length": "0"}, b""
                return 200, headers, html
            self.routes[path] = answer
        else:
            self.routes[path] = (200, headers, html)


@pytest.fixture
def site():
    s = Site()
    s.thread.start()
    s.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    yield s
    s.server.shutdown()
    s.server.server_close()
    s.thread.join(timeout=5)


POLICY = FetchPolicy(contact="mailto:tests@example.org", timeout=0.5, total_timeout=2.0, retries=1, backoff=0.05,
                     host_delay=0.0, allow_networks=("127.0.0.1/32",))


def rss(site: Site, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{site.url(p)}</link><description>{d}</description>"
                      f"<pubDate>Wed, 09 Jul 2025 10:00:00 GMT</pubDate></item>" for p, t, d in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback</title>{entries}'
            "</channel></rss>").encode()


def conditional(body: bytes, etag: str, ctype: str = "application/rss+xml"):
    def answer(handler):
        if handler.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag, "Content-Length": "0"}, b""
        return 200, {"Content-Type": ctype, "ETag": etag}, body
    return answer


def run(site_sources: list[Source], store, tmp_path, **kw):
    return follow(Sources(site_sources, POLICY, Relevance.from_gazetteer()), store,
                  quarantine_dir=tmp_path / "quarantine", **kw)


def test_a_feed_keeps_the_asean_item_drops_the_other_and_answers_304_next_time(site, tmp_path):
    site.page("/news/amm.html", "ASEAN foreign ministers meet in Kuala Lumpur", etag='"a1"')
    site.routes["/sport/derby.html"] = (200, {"Content-Type": "text/html"}, FOOTBALL_PAGE.encode())
    site.routes["/feed.xml"] = conditional(rss(site, [
        ("/news/amm.html", "ASEAN foreign ministers meet in Kuala Lumpur", "The 58th AMM opens."),
        ("/sport/derby.html", "Arsenal beat Chelsea", "A London derby.")]), '"f1"')
    store = open_store(tmp_path / "store")
    try:
        summaries, report = run([Source("Loopback", "feed", site.url("/feed.xml"))], store, tmp_path)
        assert report.added == 1 and not report.quarantined
        assert summaries[0].line() == "Loopback: 2 listed, 1 relevant, 0 already had; 1 added"
        assert site.hits["/sport/derby.html"] == 0  # dropped on its title: never fetched
        assert site.seen_headers["/news/amm.html"]["User-Agent"] == "aseankg/0.1 (+mailto:tests@example.org)"
        urls = {r.url for r in store.article_records().values()}
        assert site.url("/news/amm.html") in urls

        summaries, report = run([Source("Loopback", "feed", site.url("/feed.xml"))], store, tmp_path)
        assert site.seen_headers["/feed.xml"].get("If-None-Match") == '"f1"'
        assert site.hits["/feed.xml"] == 2 and site.hits["/news/amm.html"] == 1
        assert summaries[0].line() == "Loopback: 0 listed, 0 relevant, 0 already had; nothing new"
        assert report.added == 0 and len(store.article_records()) == 1
    finally:
        store.close()
    assert state_path(store).is_file()


def test_a_changed_article_in_an_atom_feed_replaces_its_graph_and_an_unchanged_one_gets_304(site, tmp_path):
    def atom(stamp: str) -> bytes:
        return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>L</title>'
                f'<entry><title>ASEAN ministers meet</title><link href="{site.url("/a.html")}"/>'
                f'<id>a</id><updated>{stamp}</updated></entry></feed>').encode()

    site.page("/a.html", "ASEAN ministers meet", etag='"v1"')
    site.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, atom("2025-07-09T10:00:00Z"))
    store = open_store(tmp_path / "store")
    try:
        src = [Source("Atom", "feed", site.url("/atom.xml"))]
        assert run(src, store, tmp_path)[1].added == 1
        site.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, atom("2025-07-09T11:00:00Z"))
        summaries, report = run(src, store, tmp_path)  # stamp changed, page did not: a 304
        assert summaries[0].counts == {"not-modified": 1} and site.hits["/a.html"] == 2
        site.page("/a.html", "ASEAN ministers meet", extra="The meeting adopted a joint communique.", etag='"v2"')
        site.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, atom("2025-07-09T12:00:00Z"))
        summaries, report = run(src, store, tmp_path)
        assert report.replaced == 1 and summaries[0].counts == {"replaced": 1}
        assert len(store.article_records()) == 1
    finally:
        store.close()


def test_a_sitemap_with_a_page_robots_txt_disallows_quarantined(site, tmp_path):
    site.page("/news/arf.html", "ASEAN Regional Forum meets")
    site.page("/private/secret.html", "ASEAN secret")
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f'<url><loc>{site.url("/news/arf.html")}</loc><lastmod>2025-07-09</lastmod></url>'
               f'<url><loc>{site.url("/private/secret.html")}</loc></url></urlset>').encode()
    site.routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, sitemap)
    store = open_store(tmp_path / "store")
    try:
        summaries, report = run([Source("Map", "sitemap", site.url("/sitemap.xml"))], store, tmp_path)
    finally:
        store.close()
    assert report.added == 1
    assert site.hits["/private/secret.html"] == 0
    assert [q.reason for q in report.quarantined] == ["disallowed by the site's robots.txt"]
    assert "disallowed by the site's robots.txt" in (tmp_path / "quarantine" / "secret.html.txt").read_text()
    assert summaries[0].counts == {"added": 1, "failed": 1}


def test_slow_failing_huge_and_non_html_sources_do_not_stop_the_good_one(site, tmp_path):
    def slow(handler):
        time.sleep(1.5)
        return 200, {"Content-Type": "application/rss+xml"}, b"<rss/>"

    def huge(handler):  # announces 50 MB; the client refuses it on the header
        return 200, {"Content-Type": "text/html", "Content-Length": str(50 * 1024 * 1024)}, b"<html>" * 1000

    site.routes["/slow.xml"] = slow
    site.routes["/broken.xml"] = (500, {"Content-Type": "text/plain"}, b"oops")
    site.routes["/huge.html"] = huge
    site.routes["/photo.html"] = (200, {"Content-Type": "image/png"}, b"\x89PNG" + bytes(100))
    site.page("/good.html", "ASEAN Summit opens")
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(site, [
        ("/huge.html", "ASEAN Summit: the full text", ""), ("/photo.html", "ASEAN Summit in pictures", ""),
        ("/good.html", "ASEAN Summit opens", "")]))
    sources = [Source("Slow", "feed", site.url("/slow.xml")), Source("Broken", "feed", site.url("/broken.xml")),
               Source("Good", "feed", site.url("/feed.xml"))]
    store = open_store(tmp_path / "store")
    try:
        summaries, report = run(sources, store, tmp_path)
    finally:
        store.close()
    lines = [s.line() for s in summaries]
    assert lines[0] == "Slow: FAILED (timed out (no answer within 0.5 s) (tried 2 times))"
    assert lines[1] == "Broken: FAILED (HTTP 500 (tried 2 times))"
    assert lines[2] == "Good: 3 listed, 3 relevant, 0 already had; 1 added, 2 failed"
    reasons = sorted(q.reason for q in report.quarantined)
    assert any("52,428,800 bytes, over the limit" in r for r in reasons)
    assert any("content type 'image/png'" in r for r in reasons)
    assert report.added == 1 and len(report.quarantined) == 4


def test_a_redirect_chain_is_followed_and_a_redirect_to_a_private_address_refused(site, tmp_path):
    site.routes["/r1"] = (301, {"Location": "/r2"}, b"")
    site.routes["/r2"] = (302, {"Location": site.url("/final.html")}, b"")
    site.page("/final.html", "ASEAN and Japan hold talks")
    site.routes["/evil"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    site.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    store = open_store(tmp_path / "store")
    try:
        report = fetch_and_build([site.url("/r1"), site.url("/evil"), site.url("/loop")], store, policy=POLICY,
                                 quarantine_dir=tmp_path / "q")
        urls = {r.url for r in store.article_records().values()}
    finally:
        store.close()
    assert report.added == 1 and urls == {site.url("/final.html")}
    reasons = [q.reason for q in report.quarantined]
    assert "refused: 169.254.169.254 is a link-local address" in reasons[0]
    assert reasons[1] == "more than 5 redirects (FetchPolicy.max_redirects)"


def test_loopback_is_refused_unless_allowed(site):
    with pytest.raises(FetchError, match="loopback address"):
        check_address(site.url("/"))
    with Fetcher(FetchPolicy(host_delay=0)) as f, pytest.raises(FetchError, match="loopback"):
        f.get(site.url("/robots.txt"))
    assert site.hits["/robots.txt"] == 0
    check_address(site.url("/"), allow=["127.0.0.1/32"])


def test_an_interrupted_follow_resumes(site, tmp_path):
    titles = ["ASEAN Summit opens", "ASEAN Regional Forum meets", "East Asia Summit ends"]
    for n, t in enumerate(titles):
        site.page(f"/n{n}.html", t, extra=f"It was meeting number {n + 1}.")
    site.routes["/feed.xml"] = conditional(rss(site, [(f"/n{n}.html", t, "") for n, t in enumerate(titles)]), '"f"')
    src = [Source("Feed", "feed", site.url("/feed.xml"))]
    store = open_store(tmp_path / "store")
    try:
        calls = []

        def stop_after_first(source):
            calls.append(source)
            if len(calls) == 2:  # the build takes its second item: the first one is in
                raise KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            run(src, store, tmp_path, progress=stop_after_first)
        assert len(store.article_records()) == 1
        summaries, report = run(src, store, tmp_path)
        assert site.seen_headers["/feed.xml"].get("If-None-Match") is None  # its list was not saved as done
        assert report.added == 2 and len(store.article_records()) == 3
        assert site.hits["/n0.html"] == 1  # not fetched again
        assert summaries[0].skipped == 1
    finally:
        store.close()


def test_cli_build_an_address_and_follow_a_sources_file(site, tmp_path, monkeypatch):
    site.page("/one.html", "ASEAN ministers meet")
    site.page("/two.html", "ASEAN Summit opens", extra="The leaders adopted a declaration.")
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                rss(site, [("/two.html", "ASEAN Summit opens", "")]))
    monkeypatch.setenv("ASEANKG_ALLOW_NETWORKS", "127.0.0.1/32")
    store = str(tmp_path / "store")
    result = CliRunner().invoke(main, ["build", site.url("/one.html"), "--store", store])
    assert result.exit_code == 0, result.output
    assert "articles: 1 added" in result.output
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[fetch]\ncontact = "mailto:me@example.org"\nallow_networks = ["127.0.0.1/32"]\n'
                       f'host_delay = 0\n\n[[source]]\nname = "Loopback"\nfeed = "{site.url("/feed.xml")}"\n')
    assert load_sources(sources).policy.contact == "mailto:me@example.org"
    result = CliRunner().invoke(main, ["follow", str(sources), "--store", store])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Loopback: 1 listed, 1 relevant, 0 already had; 1 added\narticles: 1 added")
