"""Following the news: article addresses, RSS/Atom feeds, sitemaps and index pages → the store.

A sources file (TOML; see ``data/sources.example.toml`` and the README) lists the sources, each
with a ``name`` and one of ``feed``, ``sitemap`` or ``page`` (an article-index page: the links
on it), and optional filters: ``include`` / ``exclude`` (regular expressions an item's address
must / must not match) and ``relevance = false`` to keep every item. A ``[fetch]`` table sets
the :class:`~aseankg.fetching.FetchPolicy` (``contact`` above all) and a ``[relevance]`` table
the :class:`~aseankg.relevance.Relevance` test (``min_score``, ``keywords``, ``exclude``).

What was fetched is remembered in ``<store>/follow/fetched.sqlite``: each address with its
ETag / Last-Modified, the feed's or sitemap's stamp for it, the sha256 of its body and the
outcome. A run asks a source with a conditional request; an item already built whose stamp has
not changed is not asked for again; one whose stamp changed is asked conditionally, and built
only when its body changed (an edited article replaces its graph: same address, same article).
Items a run listed but did not finish are ``pending`` and a source's own ETag is saved only
after its items are done: an interrupted run resumes where it stopped. Failures (a refused
address, robots.txt, a timeout, a page too large, a non-HTML body) go to the quarantine report
like bad files; one bad source never stops the others.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .fetching import HTML_TYPES, XML_TYPES, Fetcher, FetchError, FetchPolicy
from .ingest import BuildReport, build_read
from .model import Article
from .reading import ArticleError, parse_html
from .relevance import Relevance
from .store import Store

KINDS = ("feed", "sitemap", "page")
#: Runs an item that keeps failing is tried in before it is left alone.
MAX_ATTEMPTS = 5
#: Child sitemaps of a sitemap index read per run, and items taken from one source per run.
MAX_CHILD_SITEMAPS = 20
MAX_ITEMS_PER_SOURCE = 500
DONE = ("built", "unchanged", "not-modified", "irrelevant", "quarantined")


class SourcesError(ValueError):
    """A sources file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Source:
    """One source of a sources file."""

    name: str
    kind: str  # feed, sitemap or page
    url: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    relevance: bool = True

    def wants(self, url: str) -> bool:
        """Whether an item's address passes the source's ``include`` / ``exclude`` filters."""
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)


@dataclass
class Sources:
    """A parsed sources file."""

    sources: list[Source]
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    relevance: Relevance | None = None


def load_sources(path: str | os.PathLike) -> Sources:
    """Read a sources file (TOML), or raise :class:`SourcesError` saying what is wrong."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourcesError(f"{path}: {exc}") from None
    known = {f.name for f in fields(FetchPolicy)}
    fetch = data.get("fetch", {})
    unknown = set(fetch) - known
    if unknown:
        raise SourcesError(f"{path}: unknown [fetch] settings: {', '.join(sorted(unknown))} "
                           f"(known: {', '.join(sorted(known))})")
    if "allow_networks" in fetch:
        fetch["allow_networks"] = tuple(fetch["allow_networks"])
    try:
        policy = FetchPolicy(**fetch)
    except TypeError as exc:
        raise SourcesError(f"{path}: [fetch]: {exc}") from None
    rel = data.get("relevance", {})
    relevance = Relevance.from_gazetteer(min_score=int(rel.get("min_score", 2)), keywords=rel.get("keywords", ()),
                                         exclude=rel.get("exclude", ()))
    sources = []
    for n, entry in enumerate(data.get("source", []), start=1):
        kinds = [k for k in KINDS if k in entry]
        name = str(entry.get("name") or "")
        if not name or len(kinds) != 1:
            raise SourcesError(f"{path}: source {n} needs a name and one of feed, sitemap or page")
        url = str(entry[kinds[0]])
        if urlsplit(url).scheme not in ("http", "https"):
            raise SourcesError(f"{path}: source {name!r}: {url!r} is not an http(s) address")
        try:
            for pattern in (*entry.get("include", ()), *entry.get("exclude", ())):
                re.compile(pattern)
        except re.error as exc:
            raise SourcesError(f"{path}: source {name!r}: bad pattern ({exc})") from None
        sources.append(Source(name, kinds[0], url, tuple(entry.get("include", ())), tuple(entry.get("exclude", ())),
                              bool(entry.get("relevance", True))))
    if not sources:
        raise SourcesError(f"{path}: no [[source]] entries")
    return Sources(sources, policy, relevance)


# --- what was fetched --------------------------------------------------------------------

class FetchLog:
    """The fetched addresses of a store (``<store>/follow/fetched.sqlite``), one row each."""

    def __init__(self, path: str | os.PathLike):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS fetched (url TEXT PRIMARY KEY, source TEXT, stamp TEXT, "
                         "etag TEXT, last_modified TEXT, sha256 TEXT, outcome TEXT, reason TEXT, "
                         "attempts INTEGER DEFAULT 0, checked REAL)")
        self._db.commit()

    def get(self, url: str) -> dict | None:
        cur = self._db.execute("SELECT * FROM fetched WHERE url = ?", (url,))
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    def put(self, url: str, **values) -> None:
        """Update (or add) ``url``'s row with ``values``, committed at once."""
        row = self.get(url) or {"url": url}
        row.update(values, checked=time.time())
        cols = list(row)
        self._db.execute(f"INSERT OR REPLACE INTO fetched ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                         [row[c] for c in cols])
        self._db.commit()

    def unfinished(self, source: str) -> list[str]:
        """The items of ``source`` listed before but not done (pending, or failed fewer than
        ``MAX_ATTEMPTS`` times)."""
        cur = self._db.execute("SELECT url FROM fetched WHERE source = ? AND outcome IN ('pending', 'failed') "
                               "AND attempts < ?", (source, MAX_ATTEMPTS))
        return [r[0] for r in cur.fetchall()]

    def close(self) -> None:
        self._db.close()


# --- items of a source -------------------------------------------------------------------

@dataclass
class Item:
    """An article a source lists: its address, what the source says of it, and its stamp (the
    feed's updated date or the sitemap's lastmod: when it changes the article is asked again)."""

    url: str
    title: str = ""
    summary: str = ""
    stamp: str = ""


def feed_items(body: bytes, base: str) -> list[Item]:
    """The items of an RSS or Atom feed (feedparser; nothing is fetched)."""
    import feedparser

    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a readable feed ({type(parsed.bozo_exception).__name__})")
    items = []
    for e in parsed.entries:
        link = e.get("link")
        if link:
            items.append(Item(urljoin(base, link), e.get("title", ""), _strip_tags(e.get("summary", "")),
                              dict.get(e, "updated") or dict.get(e, "published") or ""))  # no feedparser fallback
    return items


def sitemap_items(body: bytes) -> tuple[list[Item], list[str]]:
    """The pages of a sitemap (with their lastmod and any Google News title), and the child
    sitemaps of a sitemap index. Entities and DTDs are not expanded; nothing is fetched."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(body, parser=parser)
    items, children = [], []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        values = {etree.QName(c).localname: (c.text or "").strip() for c in node.iter() if isinstance(c.tag, str)}
        if not values.get("loc"):
            continue
        if etree.QName(node).localname == "sitemap":
            children.append(values["loc"])
        else:
            items.append(Item(values["loc"], values.get("title", ""), "", values.get("lastmod", "")))
    return items, children


def page_items(body: str, base: str) -> list[Item]:
    """The links of an article-index page to pages of its own site, with their text as title."""
    import lxml.html

    tree = lxml.html.document_fromstring(body)
    host = urlsplit(base).netloc
    items: dict[str, Item] = {}
    for a in tree.xpath("//a[@href]"):
        url = urljoin(base, a.get("href")).split("#", 1)[0]
        if urlsplit(url).netloc == host and url.rstrip("/") != base.rstrip("/"):
            items.setdefault(url, Item(url, " ".join(a.text_content().split())))
    return list(items.values())


def _strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


# --- a run ---------------------------------------------------------------------------------

@dataclass
class SourceSummary:
    """What a run did with one source."""

    name: str
    url: str
    listed: int = 0
    relevant: int = 0
    skipped: int = 0  # already built, stamp unchanged: not asked again
    counts: dict[str, int] = field(default_factory=dict)  # outcome → items
    problem: str | None = None  # the source itself could not be read

    def line(self) -> str:
        if self.problem:
            return f"{self.name}: FAILED ({self.problem})"
        done = ", ".join(f"{n} {k}" for k, n in sorted(self.counts.items())) or "nothing new"
        return (f"{self.name}: {self.listed} listed, {self.relevant} relevant, {self.skipped} already had; "
                f"{done}")


def state_path(store: Store) -> Path:
    """Where a store's fetch log lives: beside the store's data in its folder."""
    return Path(store.location) / "follow" / "fetched.sqlite"


def follow(sources: Sources, store: Store, *, quarantine_dir: str | os.PathLike | None = None,
           progress: Callable[[str], None] | None = None) -> tuple[list[SourceSummary], BuildReport]:
    """One run over ``sources``: each one read, its new relevant items fetched and built."""
    log = FetchLog(state_path(store))
    summaries = [SourceSummary(s.name, s.url) for s in sources.sources]
    report = BuildReport()
    try:
        with Fetcher(sources.policy) as fetcher:
            items = _all_items(sources, fetcher, log, summaries, report)
            build_read(items, store, report=report, progress=progress, quarantine_dir=quarantine_dir)
    finally:
        log.close()
    return summaries, report


def build_addresses(urls: Iterable[str], store: Store, *, policy: FetchPolicy | None = None,
                    report: BuildReport | None = None, quarantine_dir: str | os.PathLike | None = None,
                    progress: Callable[[str], None] | None = None) -> BuildReport:
    """Fetch each article address and build it (``aseankg build https://...``), always asking
    again (conditionally when it was fetched before)."""
    log = FetchLog(state_path(store))
    summary = SourceSummary("addresses", "")
    report = report if report is not None else BuildReport()
    try:
        with Fetcher(policy) as fetcher:
            items = _fetched(fetcher, log, [Item(u) for u in urls], "", None, summary, report)
            build_read(items, store, report=report, progress=progress, quarantine_dir=quarantine_dir)
    finally:
        log.close()
    return report


Built = tuple[str, str, Article | ArticleError]


def _all_items(sources: Sources, fetcher: Fetcher, log: FetchLog, summaries: list[SourceSummary],
               report: BuildReport) -> Iterator[Built]:
    for source, summary in zip(sources.sources, summaries, strict=True):
        try:
            listed, save = _list(source, fetcher, log)
        except (FetchError, ValueError, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
            reason = exc.reason if isinstance(exc, FetchError) else f"could not be read ({exc})"
            summary.problem = reason
            yield source.url, source.url, ArticleError(source.url, f"source {source.name!r}: {reason}")
            continue
        summary.listed = len(listed)
        wanted = [i for i in listed if source.wants(i.url)]
        test = sources.relevance if source.relevance else None
        relevant = []
        for item in wanted:
            text = f"{item.title}\n{item.summary}".strip()
            if test and text and not test.check(text).relevant:
                log.put(item.url, source=source.name, stamp=item.stamp, outcome="irrelevant", reason=None)
                continue
            relevant.append(item)
        summary.relevant = len(relevant)
        todo = []
        for item in relevant:
            row = log.get(item.url)
            if row and row["outcome"] in DONE and (row["stamp"] or "") == item.stamp:
                summary.skipped += 1
                continue
            log.put(item.url, source=source.name, stamp=item.stamp, outcome="pending")
            todo.append(item)
        known = {i.url for i in todo}
        todo += [Item(u) for u in log.unfinished(source.name) if u not in known]  # left by an earlier run
        yield from _fetched(fetcher, log, todo[:MAX_ITEMS_PER_SOURCE], source.name,
                            test if any(not (i.title or i.summary) for i in todo) else None, summary, report)
        save()  # the source's own ETag only now: an interrupted run asks for its list again


def _list(source: Source, fetcher: Fetcher, log: FetchLog) -> tuple[list[Item], Callable[[], None]]:
    """The items a source lists now (none when it answers 304), and a function that saves its
    validators once its items are done."""
    row = log.get(source.url) or {}
    limit = fetcher.policy.max_feed_bytes
    accept = HTML_TYPES if source.kind == "page" else XML_TYPES
    resp = fetcher.get(source.url, accept=accept, max_bytes=limit, etag=row.get("etag"),
                       last_modified=row.get("last_modified"))

    def save() -> None:
        log.put(source.url, source=f"[{source.kind}] {source.name}", etag=resp.etag,
                last_modified=resp.last_modified, outcome="listed", reason=None)

    if resp.status == 304:
        return [], save
    if source.kind == "feed":
        return feed_items(resp.body, resp.url), save
    if source.kind == "page":
        return page_items(resp.text(), resp.url), save
    items, children = sitemap_items(resp.body)
    for child in children[:MAX_CHILD_SITEMAPS]:
        sub = fetcher.get(child, accept=XML_TYPES, max_bytes=limit)
        items += sitemap_items(sub.body)[0]
    return items, save


def _fetched(fetcher: Fetcher, log: FetchLog, items: list[Item], source: str, test: Relevance | None,
             summary: SourceSummary, report: BuildReport) -> Iterator[Built]:
    """Fetch ``items`` (several at once), read each page and hand it to the build; log each
    outcome once the build has taken it (the next item is asked for only then)."""
    def fetch(item: Item):
        row = log_rows.get(item.url) or {}
        try:
            return item, fetcher.get(item.url, etag=row.get("etag"), last_modified=row.get("last_modified"))
        except FetchError as exc:
            return item, exc

    log_rows = {i.url: log.get(i.url) for i in items}
    count = lambda outcome: summary.counts.__setitem__(outcome, summary.counts.get(outcome, 0) + 1)  # noqa: E731
    with ThreadPoolExecutor(max_workers=max(1, fetcher.policy.workers)) as pool:
        for item, got in pool.map(fetch, items):
            attempts = (log_rows.get(item.url) or {}).get("attempts") or 0
            if isinstance(got, FetchError):
                log.put(item.url, source=source, outcome="failed", reason=got.reason, attempts=attempts + 1)
                count("failed")
                yield item.url, item.url, ArticleError(item.url, got.reason)
                continue
            if got.status == 304:
                log.put(item.url, source=source, outcome="not-modified", attempts=0)
                count("not-modified")
                continue
            digest = hashlib.sha256(got.body).hexdigest()
            row = log_rows.get(item.url) or {}
            validators = {"etag": got.etag, "last_modified": got.last_modified, "sha256": digest, "attempts": 0}
            if row.get("sha256") == digest and row.get("outcome") in ("built", "unchanged"):
                log.put(item.url, source=source, outcome="unchanged", **validators)
                count("unchanged")
                continue
            article = _read_page(got.text(), item.url, got.url)
            if test and isinstance(article, Article) and not test.check(
                    f"{article.headline or ''}\n{article.body}").relevant:
                log.put(item.url, source=source, outcome="irrelevant", **validators)
                count("irrelevant")
                continue
            before = (report.added, report.replaced, report.unchanged, len(report.quarantined))
            yield item.url, item.url, article
            after = (report.added, report.replaced, report.unchanged, len(report.quarantined))
            names = ("added", "replaced", "unchanged", "quarantined")
            outcome = next((n for n, b, a in zip(names, before, after, strict=True) if a > b), "unchanged")
            log.put(item.url, source=source, outcome="quarantined" if outcome == "quarantined" else "built",
                    reason=report.quarantined[-1].reason if outcome == "quarantined" else None, **validators)
            count(outcome)


def _read_page(html: str, address: str, final: str) -> Article | ArticleError:
    """A fetched page read as the HTML reader reads a file; its ``url`` the canonical address it
    states when that is on the same host, else the address it was fetched from."""
    try:
        article = parse_html(html, source_file=address)
    except ArticleError as exc:
        return exc
    if not article.url or urlsplit(article.url).netloc != urlsplit(final).netloc:
        article.url = final
    return article


def parse_interval(text: str) -> float:
    """Seconds in ``30m``, ``2h``, ``90s`` or ``1d``.

    >>> parse_interval("30m"), parse_interval("2h"), parse_interval("45")
    (1800.0, 7200.0, 45.0)
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m:
        raise ValueError(f"{text!r} is not an interval such as 30m, 2h or 90s")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
