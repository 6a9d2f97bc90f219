"""Reading: an article file (plain text, HTML, JSON or JSON Lines) → ``Article``.

The first stage of the data flow (DESIGN.md). Page furniture is set apart from the story: the
site header, related-news lists, menus and comment counters go to ``Article.boilerplate``, photo
captions and image alt text to ``Article.captions``, the wire dateline ("Kuala Lumpur (VNA) –")
to ``Article.dateline``. The curated patterns for all of that are rows of
``data/gazetteer/page_noise.csv``, applied by the rules of :mod:`aseankg.page_noise`.

The body is the story's paragraphs joined by blank lines, each with its whitespace collapsed
and NFC-normalised; ``Article.id`` is the sha256 of it, so the same story scraped twice with
different page noise gets the same id. Bad input never raises anything but ``ArticleError``.

>>> article = parse_text("ASEAN ministers meet in Vientiane\\n\\n"
...                      "VIENTIANE (VNA) – Foreign ministers met on July 24. Talks ended.\\n\\n"
...                      "Comment (0)\\nSame tag")
>>> article.headline, article.dateline
('ASEAN ministers meet in Vientiane', 'VIENTIANE (VNA) –')
>>> article.body
'Foreign ministers met on July 24. Talks ended.'
>>> [s.text for s in article.sentences]
['Foreign ministers met on July 24.', 'Talks ended.']
>>> article.boilerplate
['Comment (0)', 'Same tag']
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from . import settings
from .model import Article
from .naming import content_hash
from .page_noise import (
    ENGLISH_WORDS,
    _clean,
    _frame,
    _looks_vietnamese,
    _norm,
    _Page,
    dateline_agency,
    dateline_date,
    page_noise,
    parse_date,
)
from .page_noise import NOISE_KINDS as NOISE_KINDS  # re-exported: these lived here before the split
from .page_noise import PageNoise as PageNoise
from .sentences import split_sentences
from .xmltext import clean_text

FORMATS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
           ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: Record fields, in order of preference (matched without regard to case).
FIELDS = {
    "headline": ("headline", "title"),
    "url": ("url", "link"),
    "published": ("date", "published", "datepublished", "publishedat", "pubdate"),
    "publisher": ("publisher", "source", "outlet", "site"),
    "text": ("text", "body", "content", "articlebody"),
    "id": ("id", "guid", "@id", "identifier"),
}
SOURCES_FILE = "sources.csv"
MIN_HTML_WORDS = 5
LANGUAGE_SAMPLE = 20000  # characters looked at to tell the language


class ArticleError(Exception):
    """An input that cannot become an ``Article``: ``path`` names the file, ``reason`` says why.

    >>> str(ArticleError("a.jsonl", "broken JSON at column 3", line=2))
    'a.jsonl, line 2: broken JSON at column 3'
    """

    def __init__(self, path: str | os.PathLike | None, reason: str, *, line: int | None = None):
        self.path = None if path is None else str(path)
        self.reason = reason
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<text>"
        if self.line is not None:
            where += f", line {self.line}"
        return f"{where}: {self.reason}"


# --- language ----------------------------------------------------------------------------

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def language_problem(text: str) -> str | None:
    """Why ``text`` is not English, or None when it may well be.

    >>> language_problem("Hội nghị Bộ trưởng Ngoại giao ASEAN lần thứ 58 đã khai mạc sáng nay tại "
    ...                  "Kuala Lumpur với sự tham dự của các nước thành viên.")
    'not in English (looks like Vietnamese)'
    >>> language_problem("The 58th ASEAN Foreign Ministers' Meeting opened in Kuala Lumpur.") is None
    True
    """
    text = text[:LANGUAGE_SAMPLE]
    letters = sum(map(str.isalpha, text))
    if not letters:
        return None
    if letters >= 60 and _looks_vietnamese(text, 0.05):
        return "not in English (looks like Vietnamese)"
    # ASCII letters are all Latin: only the others need their script looked up
    scripts = [unicodedata.name(c, "UNKNOWN").split()[0] for c in _NON_ASCII.findall(text) if c.isalpha()]
    foreign = [s for s in scripts if s != "LATIN"]
    if len(foreign) > letters / 2:
        script = max(set(foreign), key=foreign.count)
        return f"not in English (written in {script.title()} script)"
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) >= 40 and sum(w in ENGLISH_WORDS for w in words) < 0.05 * len(words):
        return "not in English (too few common English words)"
    return None


# --- plain text (cleaned by the rules of page_noise) -------------------------------------

#: Dropped from the text (C0 controls become spaces): controls, U+FFFE/U+FFFF (XML 1.0 forbids them),
#: zero-width marks and soft hyphens.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\u00ad\ufffe\uffff]")
#: Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) other than line
#: breaks and tabs; a regular expression counts them far quicker than asking for each character.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _normalise_input(text: str, source_file: str | None) -> str:
    if not isinstance(text, str):
        raise ArticleError(source_file, f"expected text, got {type(text).__name__}")
    if not text.strip():
        raise ArticleError(source_file, "is empty" if not text else "contains only whitespace")
    if len(text) > settings.MAX_ARTICLE_BYTES:
        raise ArticleError(source_file, f"is {len(text):,} characters long, over the limit of "
                                        f"{settings.MAX_ARTICLE_BYTES:,} (settings.MAX_ARTICLE_BYTES)")
    sample = text[:20000]
    controls = len(_CONTROL_CHARS.findall(sample))
    if "\x00" in sample or controls > 0.05 * len(sample):
        raise ArticleError(source_file, "looks like a binary file, not text (it contains control characters)")
    text = re.sub(r"[\ud800-\udfff]", "\ufffd", text)  # lone surrogates cannot be encoded
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", _CONTROL.sub(lambda m: " " if m.group() < " " else "", text))


def parse_text(text: str, *, source_file: str | os.PathLike | None = None, url: str | None = None,
               publisher: str | None = None, published: date | str | None = None,
               headline: str | None = None) -> Article:
    """An ``Article`` from scraped plain text.

    Keyword arguments state metadata and win over anything guessed from the text: a leading
    ``Title/Source/Date`` header block, a ``Source: URL`` line, an outlet-and-date line
    ("Báo Quốc TếBáo Quốc Tế11/09/2025") or a time stamp among the page furniture.
    """
    source = None if source_file is None else str(source_file)
    text = _normalise_input(text, source)
    page = _Page(page_noise())
    lines, trailer = _frame(text, page)
    problem = language_problem("\n".join(lines))
    if problem:
        raise ArticleError(source, f"the article is {problem}")
    headline = _clean(lines, trailer, page, headline=headline)
    body = "\n\n".join(page.paragraphs)
    if not body:
        raise ArticleError(source, "no article text left after removing page boilerplate")
    problem = language_problem(body)
    if problem:
        raise ArticleError(source, f"the article is {problem}")

    def pick(key: str, given: object) -> object:
        if given:
            return given
        return page.meta.get(key) or page.guesses.get(key)

    return Article(
        id=content_hash(body), body=body, headline=_clean_meta(headline),
        url=_clean_meta(pick("url", url)),
        publisher=_clean_meta(pick("publisher", publisher) or dateline_agency(page.dateline)),
        published=pick("published", parse_date(published)) or dateline_date(page.dateline, body),  # type: ignore[arg-type]
        source_file=source, dateline=_clean_meta(page.dateline), sentences=split_sentences(body),
        captions=page.captions, boilerplate=page.boilerplate)


def _clean_meta(value: object) -> str | None:
    """Metadata as stored: a string without control characters (``xmltext.clean_text``), or None."""
    if value is None:
        return None
    return clean_text(str(value)) or None


# --- HTML --------------------------------------------------------------------------------

def _html_metadata(html: str) -> dict[str, object]:
    """Canonical URL, site name, title, date and figure captions stated in the page's markup."""
    import lxml.html

    meta: dict[str, object] = {}
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"))
    except Exception:  # lxml rejects some inputs outright (empty documents, odd encodings)
        return meta

    def first(*xpaths: str) -> str | None:
        for xpath in xpaths:
            for value in tree.xpath(xpath):
                value = _norm(str(value))
                if value:
                    return value
        return None

    meta["url"] = first("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    meta["publisher"] = first("//meta[@property='og:site_name']/@content",
                              "//meta[@name='application-name']/@content")
    meta["headline"] = first("//meta[@property='og:title']/@content", "//h1//text()", "//title/text()")
    meta["published"] = parse_date(first("//meta[@property='article:published_time']/@content",
                                         "//meta[@itemprop='datePublished']/@content",
                                         "//time/@datetime"))
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                meta["publisher"] = meta["publisher"] or _name_of(item.get("publisher"))
                meta["published"] = meta["published"] or parse_date(item.get("datePublished"))
                if not meta["headline"] and isinstance(item.get("headline"), str):
                    meta["headline"] = _norm(item["headline"])
    meta["captions"] = [c for c in (_norm(" ".join(fc.itertext())) for fc in tree.xpath("//figcaption")) if c]
    return meta


_DOCTYPE_SUBSET = re.compile(r"\s*(?:<\?xml\b[^>]{0,500}>\s*)?<!DOCTYPE\b[^\[>]{0,500}\[", re.I)
_SUBSET_END = re.compile(r"\]\s*>")


def _without_internal_subset(html: str, source: str | None) -> str:
    """``html`` with a DOCTYPE's internal subset (``<!DOCTYPE html [ <!ENTITY ...> ]>``) cut out, so
    that no parser can expand its entities ("billion laughs") or fetch external ones (``SYSTEM
    "file:..."``); an entity reference left in the text stays as text.

    >>> _without_internal_subset('<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><p>&x;</p>', None)
    '<!DOCTYPE html><p>&x;</p>'
    """
    m = _DOCTYPE_SUBSET.match(html)
    if not m:
        return html
    end = _SUBSET_END.search(html, m.end())
    if not end:
        line = html.count("\n", 0, m.end()) + 1
        raise ArticleError(source, "the DOCTYPE declaration opens an internal subset that is never closed",
                           line=line)
    return html[:m.end() - 1].rstrip() + ">" + html[end.end():]


def parse_html(html: str, *, source_file: str | os.PathLike | None = None, url: str | None = None,
               publisher: str | None = None, published: date | str | None = None,
               headline: str | None = None) -> Article:
    """An ``Article`` from an HTML page: the main text found by trafilatura (never fetching
    anything), then cleaned like plain text; metadata from the page's own markup."""
    import trafilatura

    source = None if source_file is None else str(source_file)
    html = _without_internal_subset(_normalise_input(html, source), source)
    if not re.search(r"<(?:html|body)\b", html[:5000], re.I):
        html = f"<html><body>{html}</body></html>"  # a fragment, as in a JSON record's text
    meta = _html_metadata(html)
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=True, include_images=False)
    except Exception as e:  # trafilatura may fail on malformed markup in many ways
        raise ArticleError(source, f"could not extract the article text from the HTML ({e})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(text.split()) < MIN_HTML_WORDS:  # a bare menu link is not a story
        raise ArticleError(source, "no article text found in the HTML page")
    article = parse_text(
        text, source_file=source, url=url or meta["url"] or getattr(doc, "url", None),
        publisher=publisher or meta["publisher"] or getattr(doc, "sitename", None),
        published=parse_date(published) or meta["published"] or parse_date(getattr(doc, "date", None)),
        headline=headline or meta["headline"] or getattr(doc, "title", None))
    article.captions = list(dict.fromkeys(meta["captions"] + article.captions))  # type: ignore[operator]
    return article


# --- JSON records ------------------------------------------------------------------------

def _name_of(value: object) -> str | None:
    """A publisher given as a string, an object with a ``name`` or a list of either."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _norm(value) or None if isinstance(value, str) else None


def _field(record: dict, key: str) -> object:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in FIELDS[key]:
        if lowered.get(name) not in (None, "", []):
            return lowered[name]
    return None


def parse_record(record: dict, *, source_file: str | os.PathLike | None = None,
                 defaults: dict[str, object] | None = None) -> Article:
    """An ``Article`` from one JSON record (``headline|title``, ``url|link``, ``date|published|…``,
    ``publisher|source|outlet|site``, ``text|body|content|articleBody``). The text may be scraped
    text with page noise, or HTML; it is cleaned the same way. ``defaults`` fill missing fields.

    >>> parse_record({"title": "ASEAN SOM opens", "text": "The SOM opened today.",
    ...               "publisher": {"name": "VNA"}, "datePublished": "2025-09-09"}).published
    datetime.date(2025, 9, 9)
    """
    source = None if source_file is None else str(source_file)
    if not isinstance(record, dict):
        raise ArticleError(source, f"a record must be a JSON object, not {type(record).__name__}")
    text = _field(record, "text")
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        text = "\n\n".join(text)
    if not text:
        raise ArticleError(source, "the record has no text (expected text, body, content or articleBody)")
    if not isinstance(text, str):
        raise ArticleError(source, f"the record's text is a {type(text).__name__}, not a string")
    defaults = defaults or {}
    url, title = _field(record, "url"), _field(record, "headline")
    stated = {
        "url": url if isinstance(url, str) else defaults.get("url"),
        "publisher": _name_of(_field(record, "publisher")) or defaults.get("publisher"),
        "published": parse_date(_field(record, "published")) or defaults.get("published"),
        "headline": _norm(title) if isinstance(title, str) else None,
    }
    if re.match(r"\s*<(?:!doctype|html|body|article|div|p)\b", text, re.I):
        return parse_html(text, source_file=source, **stated)  # type: ignore[arg-type]
    return parse_text(text, source_file=source, **stated)  # type: ignore[arg-type]


# --- files -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceInfo:
    """A row of a ``sources.csv`` beside the article files: metadata stated by whoever
    collected them, which wins over anything guessed from the text."""

    url: str | None = None
    publisher: str | None = None
    published: date | None = None

    def stated(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if v}


@lru_cache(maxsize=64)
def _read_sources(path: str, mtime: float) -> dict[str, SourceInfo] | ArticleError:
    rows: dict[str, SourceInfo] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if "file" not in (reader.fieldnames or []):
                return ArticleError(path, "has no 'file' column (expected file,url,publisher,published)")
            for row in reader:
                name = (row.get("file") or "").strip()
                when = (row.get("published") or "").strip()
                if when and not parse_date(when):
                    return ArticleError(path, f"unreadable date {when!r} for {name}", line=reader.line_num)
                rows[name] = SourceInfo((row.get("url") or "").strip() or None,
                                        (row.get("publisher") or "").strip() or None, parse_date(when))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        return ArticleError(path, f"could not be read ({e})")
    return rows


def source_info(path: str | os.PathLike) -> SourceInfo:
    """The ``sources.csv`` row for an article file, looked up in the file's own folder."""
    path = Path(path)
    csv_path = path.parent / SOURCES_FILE
    if not csv_path.is_file():
        return SourceInfo()
    rows = _read_sources(str(csv_path), csv_path.stat().st_mtime)
    if isinstance(rows, ArticleError):
        raise rows
    return rows.get(path.name) or SourceInfo()


#: Suffixes of archives, which the reader does not open (their articles are not read).
ARCHIVES = (".gz", ".zip", ".bz2", ".xz", ".7z", ".tar", ".tgz", ".zst")


def _not_regular(path: Path) -> str | None:
    """What ``path`` is when it exists but is neither a regular file nor a folder (a FIFO would block
    the reader, ``/dev/zero`` never ends), else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def article_files(paths: Iterable[str | os.PathLike], skipped: list[str] | None = None) -> list[Path]:
    """The article files named by ``paths``, folders searched recursively, sorted.

    Hidden files and folders, ``README*`` and ``sources.csv`` are skipped; a file named
    explicitly is always included. FIFOs, devices, sockets and archives (``.gz``, ``.zip``…) in a
    folder are skipped too, each noted in ``skipped`` (``"path: why"``) when a list is given; named
    on their own they are an ``ArticleError``.
    """
    found: set[Path] = set()
    for given in paths:
        path = Path(given)
        odd = _not_regular(path)
        if odd:
            raise ArticleError(path, f"is {odd}, not a file of articles")
        if path.is_file():
            found.add(path)
        elif path.is_dir():
            for f in path.rglob("*"):
                parts = f.relative_to(path).parts
                if any(p.startswith(".") for p in parts) or f.name.upper().startswith("README") \
                        or f.name == SOURCES_FILE or f.is_dir():
                    continue
                odd = _not_regular(f)
                if f.is_file() and f.suffix.lower() in FORMATS:
                    found.add(f)
                elif skipped is not None and (odd or f.name.lower().endswith(ARCHIVES)):
                    skipped.append(f"{f}: {odd or 'an archive'}, not read (unpack archives to read them)")
        else:
            raise ArticleError(path, "no such file or folder")
    return sorted(found)


def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise ArticleError(source, "is empty" if not data else "contains only whitespace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArticleError(source, "is UTF-16 encoded; re-save it as UTF-8")
    if _utf16_without_bom(data[:65536]):
        raise ArticleError(source, "is UTF-16 encoded (without a byte-order mark); re-save it as UTF-8")
    if b"\x00" in data[:65536]:
        raise ArticleError(source, "looks like a binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        byte = data[e.start]
        hint = " (Windows-1252 “smart quotes”?)" if 0x80 <= byte <= 0x9F else ""
        raise ArticleError(source, f"is not UTF-8: byte 0x{byte:02x} at offset {e.start} cannot be decoded"
                                   f"{hint}; re-save the file as UTF-8") from None


def _utf16_without_bom(sample: bytes) -> bool:
    """True when the NULs of ``sample`` sit at nearly all odd or nearly all even offsets: Latin text in
    UTF-16 (little- or big-endian). A binary file has NULs scattered at both.

    >>> _utf16_without_bom("ASEAN meets".encode("utf-16-le")), _utf16_without_bom(bytes(range(256)) * 4)
    (True, False)
    """
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    return half >= 4 and max(even, odd) >= 0.3 * half and min(even, odd) <= 0.02 * max(even, odd)


def _record_id(record: dict) -> str:
    """A record's own id (``id``, ``guid``, ``@id`` or ``identifier``: a string or a number), or ``""``.

    >>> _record_id({"GUID": " item-7 "}), _record_id({"id": 42}), _record_id({"id": True}), _record_id({})
    ('item-7', '42', '', '')
    """
    value = _field(record, "id")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    return _norm(str(value))


def _record_defaults(defaults: dict[str, object]) -> dict[str, object]:
    """The ``sources.csv`` metadata that applies to each record of a many-record file: not its URL,
    which is the file's (a feed's) address, and would make every record the same article."""
    return {k: v for k, v in defaults.items() if k != "url"}


def _read_json(text: str, source: str, defaults: dict[str, object]) -> list[Article | ArticleError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        return [ArticleError(source, f"broken JSON at column {e.colno}: {e.msg}", line=e.lineno)]
    except (ValueError, RecursionError) as e:
        return [ArticleError(source, f"unreadable JSON ({type(e).__name__})")]
    records = data if isinstance(data, list) else [data]
    if not records:
        return [ArticleError(source, "the JSON list holds no records")]
    if isinstance(data, list):
        defaults = _record_defaults(defaults)
    results: list[Article | ArticleError] = []
    problems = 0
    for n, record in enumerate(records, start=1):
        if problems >= settings.MAX_PROBLEMS_PER_FILE:
            results.append(ArticleError(source, f"over {problems} problems in this file: records {n} onwards "
                                                "were not read (settings.MAX_PROBLEMS_PER_FILE)"))
            break
        try:
            article = parse_record(record, source_file=source, defaults=defaults)
            if isinstance(data, list):
                article.record = _record_id(record)
            results.append(article)
        except ArticleError as e:
            where = f"record {n}: " if isinstance(data, list) else ""
            results.append(ArticleError(source, where + e.reason))
            problems += 1
    return results


def _read_jsonl(text: str, source: str, defaults: dict[str, object]) -> list[Article | ArticleError]:
    """The records of a JSON Lines file; each problem names its line. Past
    ``settings.MAX_PROBLEMS_PER_FILE`` problems the rest of the file is one summary error."""
    defaults = _record_defaults(defaults)
    results: list[Article | ArticleError] = []
    limit = settings.MAX_PROBLEMS_PER_FILE
    problems = 0
    for n, line in enumerate(io.StringIO(text, newline="\n"), start=1):  # lazily: a file may hold 1.7M lines
        if not line.strip():
            continue
        if problems >= limit:
            results.append(ArticleError(source, f"over {limit} problems in this file: lines {n} onwards "
                                                "were not read (settings.MAX_PROBLEMS_PER_FILE)", line=n))
            break
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            results.append(ArticleError(source, f"broken JSON at column {e.colno}: {e.msg}", line=n))
            problems += 1
            continue
        except (ValueError, RecursionError) as e:
            results.append(ArticleError(source, f"unreadable JSON ({type(e).__name__})", line=n))
            problems += 1
            continue
        try:
            article = parse_record(record, source_file=source, defaults=defaults)
            article.record = _record_id(record)
            results.append(article)
        except ArticleError as e:
            results.append(ArticleError(source, e.reason, line=n))
            problems += 1
    return results or [ArticleError(source, "holds no JSON records")]


def read_file(path: str | os.PathLike) -> list[Article | ArticleError]:
    """The articles in one file (one per record for JSON lists and JSON Lines), or the errors
    that kept them out; never raises. Metadata in a ``sources.csv`` beside the file wins, but for
    the records of a JSON list or JSON Lines file its url is the file's, not each record's."""
    source = str(path)
    try:
        path = Path(path)
        if not path.is_file():
            raise ArticleError(source, "is a folder, not a file" if path.is_dir() else "no such file")
        size = path.stat().st_size
        limit = settings.MAX_ARTICLE_BYTES
        if size > limit:
            raise ArticleError(source, f"is {size:,} bytes, over the limit of {limit:,} "
                                       f"(settings.MAX_ARTICLE_BYTES)")
        with open(path, "rb") as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise ArticleError(source, f"is over the limit of {limit:,} bytes (settings.MAX_ARTICLE_BYTES)")
        text = _decode(data, source)
        stated = source_info(path).stated()
        kind = FORMATS.get(path.suffix.lower(), "text")
        if kind == "text" and re.match(r"\s*<(?:!doctype html|html)\b", text, re.I):
            kind = "html"
        if kind == "json":
            return _read_json(text, source, stated)
        if kind == "jsonl":
            return _read_jsonl(text, source, stated)
        parse = parse_html if kind == "html" else parse_text
        return [parse(text, source_file=source, **stated)]  # type: ignore[arg-type]
    except ArticleError as e:
        return [e]
    except Exception as e:  # last resort: the reader reports, it does not crash a batch
        return [ArticleError(source, f"could not be read ({type(e).__name__}: {e})")]


def read_articles(paths: Iterable[str | os.PathLike]) -> Iterator[Article | ArticleError]:
    """Every article (or error) in the files and folders named by ``paths``, in file order."""
    for path in article_files(paths):
        yield from read_file(path)
