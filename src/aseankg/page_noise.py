"""Page noise: the rules that set scraped-page furniture apart from the story.

The curated patterns are rows of ``data/gazetteer/page_noise.csv`` (:func:`page_noise`); this
module holds the general rules that apply them to one page's text, kept in a :class:`_Page`: the
header block, line and block classification, photo captions (also when glued in front of a
dateline), the wire dateline, credits and the trailer, and the dates the furniture states.
:mod:`aseankg.reading` makes an ``Article`` of what is left; this module never imports it.

>>> page = _Page(page_noise())
>>> lines, trailer = _frame("Talks end\\n\\nHANOI (VNA) – Ministers met. Talks ended.\\n\\nComment (0)", page)
>>> _clean(lines, trailer, page, headline=None), page.dateline, page.paragraphs, page.boilerplate
('Talks end', 'HANOI (VNA) –', ['Ministers met. Talks ended.'], ['Comment (0)'])
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

from . import settings

NOISE_KINDS = ("trailer", "line", "breadcrumb", "caption", "credit")


# --- curated page-noise patterns ---------------------------------------------------------

@dataclass(frozen=True)
class PageNoise:
    """Compiled ``page_noise.csv``, one tuple of patterns per kind.

    ``trailer``, ``line`` and ``breadcrumb`` patterns must match a whole line (a trailer line
    ends the story: it and everything after it are boilerplate); ``caption`` patterns mark a
    line as a photo caption wherever they match in it; ``credit`` patterns are cut out of a
    paragraph (bylines, sign-offs, date stamps and other glued-on credits).
    """

    trailer: tuple[re.Pattern[str], ...] = ()
    line: tuple[re.Pattern[str], ...] = ()
    breadcrumb: tuple[re.Pattern[str], ...] = ()
    caption: tuple[re.Pattern[str], ...] = ()
    credit: tuple[re.Pattern[str], ...] = ()

    def full(self, kind: str, text: str) -> bool:
        return any(p.fullmatch(text) for p in getattr(self, kind))

    def caption_at(self, text: str) -> bool:
        return any(p.search(text) for p in self.caption)


@cache
def page_noise(path: str | os.PathLike | None = None) -> PageNoise:
    """The page-noise patterns, read once from ``data/gazetteer/page_noise.csv``."""
    path = Path(path or settings.GAZETTEER_DIR / "page_noise.csv")
    kinds: dict[str, list[re.Pattern[str]]] = {k: [] for k in NOISE_KINDS}
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            if row.get("kind") not in kinds:
                raise ValueError(f"{path}, line {n}: kind must be one of {', '.join(NOISE_KINDS)}")
            try:
                kinds[row["kind"]].append(re.compile(row["pattern"]))
            except re.error as e:
                raise ValueError(f"{path}, line {n}: bad pattern: {e}") from None
    return PageNoise(**{k: tuple(v) for k, v in kinds.items()})


# --- dates -------------------------------------------------------------------------------

_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DATE_FORMS = [
    ("ymd", re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")),
    ("dMy", re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})\b", re.I)),
    ("Mdy", re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)),
]


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if 1900 <= year <= 2100 else None
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """The calendar date in ``value`` (ISO, ``dd/mm/yyyy``, "23 September 2019", "Sep 23, 2019").

    Numeric dates with slashes are read day first, as Vietnamese and most non-US outlets write
    them, unless that is impossible. Returns None when no valid date is found.

    >>> parse_date("Báo Quốc Tế 11/09/2025"), parse_date("2025-07-09T08:00:00+07:00")
    (datetime.date(2025, 9, 11), datetime.date(2025, 7, 9))
    >>> parse_date("Thu, 11 Sep 2025 08:00:00 GMT"), parse_date("December 17, 2023"), parse_date("soon")
    (datetime.date(2025, 9, 11), datetime.date(2023, 12, 17), None)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    for form, pattern in _DATE_FORMS:
        for m in pattern.finditer(value[:1000]):
            a, b, c = m.groups()
            if form == "ymd":
                found = _make_date(int(a), int(b), int(c))
            elif form == "dmy":
                found = _make_date(int(c), int(b), int(a)) or _make_date(int(c), int(a), int(b))
            elif form == "dMy":
                found = _make_date(int(c), _MONTHS.index(b[:3].lower()) + 1, int(a))
            else:
                found = _make_date(int(c), _MONTHS.index(a[:3].lower()) + 1, int(b))
            if found:
                return found
    return None



_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})\b|\b(\d{1,2})\s+" + _MONTH + r"(?!\w)", re.I)
#: a year that a written date carries: "July 8, 2025", "July 8-11, 2025", "8 July 2025", "July 2025"
_DATED_YEAR = re.compile(r"\b" + _MONTH + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2})?)?,?\s+"
                         r"((?:19|20)\d\d)\b", re.I)


def dateline_date(dateline: str | None, body: str) -> date | None:
    """The day a dateline states, for an article with no other date.

    A wire dateline rarely writes the year ("KUALA LUMPUR, Sept 24 (Bernama) --"); the story's
    own dates do, and the latest year among them is the year it was filed in (stories recall
    earlier meetings more often than they date later ones). No written year, no date.

    >>> dateline_date("KUALA LUMPUR, Sept 24 (Bernama) --", "The talks began on Sept 23, 2025.")
    datetime.date(2025, 9, 24)
    >>> dateline_date("HANOI, 5 May --", "Leaders met in 2019 and in April 2021."), dateline_date("HANOI --", "")
    (datetime.date(2021, 5, 5), None)
    """
    if not dateline:
        return None
    written = parse_date(dateline)
    if written:
        return written
    m = _MONTH_DAY.search(dateline)
    years = [int(y.group(2)) for y in _DATED_YEAR.finditer(body)]
    if m is None or not years:
        return None
    month = m.group(1) or m.group(4)
    day = m.group(2) or m.group(3)
    return _make_date(max(years), _MONTHS.index(month[:3].lower()) + 1, int(day))


#: "KUALA LUMPUR, Sept 24 (Bernama) --", "Metro Manila (CNN Philippines, July 31) —": the wire or outlet
#: in the dateline's brackets
_AGENCY = re.compile(r"\(\s*([A-Z][\w.&' -]{1,40}?)\s*(?:,[^)]*)?\)")


def dateline_agency(dateline: str | None) -> str | None:
    """The outlet a dateline names in brackets, when the article has no other metadata.

    >>> dateline_agency("KUALA LUMPUR, Sept 24 (Bernama) --"), dateline_agency("HANOI –")
    ('Bernama', None)
    """
    m = _AGENCY.search(dateline or "")
    return m.group(1) if m else None

# --- telling Vietnamese ------------------------------------------------------------------

# Letters found in Vietnamese and (almost) nowhere else: ă â đ ê ô ơ ư ĩ ũ and the stacked
# tone marks of Latin Extended Additional.
_VIETNAMESE = set("ăâđêôơưĩũĂÂĐÊÔƠƯĨŨ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}
#: Frequent English function words; an English text of some length is never without them.
ENGLISH_WORDS = frozenset("the of and to in a is for on that with was as by at are has will be from "
                          "it its an this have were which said also has".split())


def _vietnamese_share(text: str) -> float:
    if text.isascii():
        return 0.0
    letters = sum(map(str.isalpha, text))  # (the Vietnamese letters are letters too)
    return sum(map(_VIETNAMESE.__contains__, text)) / letters if letters else 0.0


def _looks_vietnamese(text: str, share: float) -> bool:
    """Vietnamese-specific letters make up ``share`` of the letters, and English function words
    are rare: English text naming Vietnamese officials stays English."""
    if _vietnamese_share(text) < share:
        return False
    words = re.findall(r"[^\W\d_]+", text.lower())
    english = sum(w in ENGLISH_WORDS for w in words)
    return english < 0.08 * len(words)


# --- text cleaning -----------------------------------------------------------------------

_HEADER = re.compile(r"(title|headline|source|url|link|date|published|publisher|outlet)\s*:\s*(.*)", re.I)
_SOURCE_URL = re.compile(r"(?:source|url|link)\s*:\s*(https?://\S+)", re.I)
_PUBLISHER_LINE = re.compile(r"([^\W\d_][^\d.!?|:;]{1,80}?)\s*(\d{1,2}/\d{1,2}/\d{4})"
                             r"(?:\s+\d{1,2}:\d{2}(?:\s*[AP]M)?)?")
_TERMINAL = ".!?…:;\"”’)|"
_DASHES = r"--|[-–—]"
_DATELINE = re.compile(
    r"(?P<place>[^\W\d_][^\W\d_'’.-]*(?:[ .'’-]{1,2}[^\W\d_]+){0,3})"
    r"(?:,\s*(?P<date>" + _MONTH + r"\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+" + _MONTH + r"(?:\s+\d{4})?))?"
    r"(?:\s*\((?P<agency>[^()]{2,30})\))?"
    r"(?:\s*(?P<dash>" + _DASHES + r"|:)(?=\s|$)|(?=\s+[A-Z]))", re.I)
_NOT_PLACES = frozenset("on in at by from since until till last this next yesterday today tomorrow before "
                        "after during early late monday tuesday wednesday thursday friday saturday "
                        "sunday".split())
_GLUED_DATELINE = re.compile(r"\s(" + _DASHES + r")\s")
_BULLET = re.compile(r"^(?:[•·▪●◦*]|-(?=\s)|–(?=\s))\s*")


def _norm(text: str) -> str:
    """Whitespace collapsed, NFC: the form paragraphs take in the body."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _same_text(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return _norm(s).casefold().rstrip(" .!?:")
    return bool(a and b) and key(a) == key(b)


def _headline_like(line: str) -> bool:
    words = line.split()
    return (2 <= len(words) <= 25 and len(line) <= 200 and line[:1].isupper()
            and not re.search(r"[.!?]\s+[A-Z]", line) and not line.endswith((":", ",", ";")))


def _publisher_name(name: str) -> str:
    """The outlet's name, undoing the doubling of some scrapers ("Báo Quốc TếBáo Quốc Tế")."""
    name = name.strip(" -|·,")
    half = len(name) // 2
    for cut in (half, half + 1):
        if name[:cut].strip() and name[:cut].strip() == name[cut:].strip():
            return name[:cut].strip()
    return name


@dataclass
class _Page:
    """What the cleaning rules found in one text, before it becomes an ``Article``."""

    noise: PageNoise
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)  # stated in a header block
    guesses: dict[str, object] = field(default_factory=dict)  # found in page furniture
    dateline: str | None = None

    def guess(self, key: str, value: object) -> None:
        if value and key not in self.guesses:
            self.guesses[key] = value

    def drop(self, text: str) -> None:
        """Set ``text`` apart as boilerplate, keeping any date it states as a guess."""
        text = _norm(text)
        if text:
            self.boilerplate.append(text)
            self.guess("published", parse_date(text))

    def caption(self, text: str) -> None:
        text = _norm(self.cut_credits(text)).rstrip(" |").strip()
        if text:
            self.captions.append(text)

    def cut_credits(self, text: str) -> str:
        for pattern in self.noise.credit:
            m = pattern.search(text)
            if m and m.group().strip():
                self.drop(m.group())
                text = (text[:m.start()] + " " + text[m.end():]).strip()
        return text


def _read_header(lines: list[str], page: _Page) -> list[str]:
    """Consume a leading block of ``Key: value`` lines (headline first, keys after)."""
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    block = [line.strip() for line in lines[start:end]]
    keyed = [_HEADER.fullmatch(line) for line in block]
    if not any(m and m.group(1).lower() in ("source", "url", "link", "date") for m in keyed):
        return lines
    if not all(keyed[1:]) or len(block[0]) > 300:
        return lines
    for line, m in zip(block, keyed, strict=True):
        if not m:
            page.meta["headline"] = line
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key in ("title", "headline"):
            page.meta["headline"] = value
        elif key in ("url", "link") or (key == "source" and re.match(r"https?://", value)):
            page.meta["url"] = value.split()[0]
        elif key in ("date", "published"):
            page.meta["published"] = parse_date(value)
        elif key in ("publisher", "outlet", "source"):
            page.meta["publisher"] = value
    return lines[end:]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Groups of consecutive non-blank lines, with hard-wrapped lines joined back together."""
    blocks: list[list[str]] = [[]]
    for raw in lines:
        line = raw.strip()
        if not line:
            if blocks[-1]:
                blocks.append([])
        elif (blocks[-1] and len(blocks[-1][-1]) >= 30 and not blocks[-1][-1].endswith(tuple(_TERMINAL))
              and line[0].islower()):
            blocks[-1][-1] += " " + line
        else:
            blocks[-1].append(line)
    return [b for b in blocks if b]


def _classify(block: list[str], page: _Page) -> list[str]:
    """Sort the lines of one block into page furniture, captions and story paragraphs."""
    noise = page.noise
    kinds: list[str] = []
    for line in block:
        m = _SOURCE_URL.fullmatch(line)
        p = _PUBLISHER_LINE.fullmatch(line)
        if noise.full("line", line) or noise.full("breadcrumb", line):
            kinds.append("drop")
        elif m:
            page.guess("url", m.group(1))
            kinds.append("drop")
        elif p and len(p.group(1).split()) <= 10:
            page.guess("publisher", _publisher_name(p.group(1)))
            kinds.append("drop")
        elif noise.caption_at(line):
            glued = _split_glued_caption(line, noise)
            if glued:  # "... VNA/VNS Photo Name HÀ NỘI – The story starts"
                page.caption(glued[0])
                block[len(kinds)] = glued[1]
                kinds.append("body")
            else:
                kinds.append("caption")
        elif _looks_vietnamese(line, 0.08):
            kinds.append("alt")  # Vietnamese-language image alt text inside an English story
        else:
            kinds.append("body")
    for i, kind in enumerate(kinds):
        # alt text just above a caption: a short line that is not a sentence ("ASEAN", a title)
        if kind in ("alt", "body") and i + 1 < len(kinds) and kinds[i + 1] == "caption":
            line = block[i]
            if kind == "alt" or (len(line.split()) <= 15 and not line.endswith(tuple(_TERMINAL))):
                kinds[i] = "caption"
    paragraphs = []
    for line, kind in zip(block, kinds, strict=True):
        if kind == "caption":
            page.caption(line)
        elif kind in ("drop", "alt"):
            page.drop(line)
        else:
            paragraphs.append(line)
    return paragraphs


def _split_dateline(paragraph: str) -> tuple[str, str] | None:
    """``("Kuala Lumpur (VNA) –", rest)`` when the paragraph opens with a wire dateline."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    place, dash = m.group("place"), m.group("dash")
    rest = paragraph[m.end():].strip()
    words = place.split()
    if not all(w[0].isupper() for w in words) or (rest and not (rest[0].isupper() or rest[0].isdigit()
                                                                or rest[0] in "\"“‘'")):
        return None
    caps = place.isupper() and sum(c.isalpha() for c in place) >= 3
    stated = bool(m.group("agency") or m.group("date"))
    if dash == ":" and not caps:
        return None
    if not ((caps and dash) or (stated and dash) or (m.group("date") and not dash)):
        return None
    if not dash and any(w.lower().rstrip(".") in _NOT_PLACES for w in words):
        return None  # "On Monday, July 24 ministers ..." opens a sentence, not a dateline
    return _norm(paragraph[:m.end()]), rest


def _split_glued_caption(line: str, noise: PageNoise) -> tuple[str, str] | None:
    """A caption glued in front of a wire dateline: ``(caption, dateline and story)``."""
    for m in _GLUED_DATELINE.finditer(line[:600]):
        before = line[:m.start()].split(" ")
        place: list[str] = []
        while before and before[-1].isupper() and len(place) < 4:
            place.insert(0, before.pop())
        caption = " ".join(before).strip()
        story = " ".join(place) + line[m.start():]
        if place and caption and noise.caption_at(caption) and _split_dateline(story):
            return caption, story
    return None


def _find_dateline(page: _Page) -> None:
    while page.paragraphs:
        found = _split_dateline(page.paragraphs[0])
        if not found:
            return
        if page.dateline:
            page.drop(page.dateline)  # a wire tag before the dateline proper
        page.dateline, rest = found
        if rest:
            page.paragraphs[0] = rest
            return
        page.paragraphs.pop(0)


def _frame(text: str, page: _Page) -> tuple[list[str], list[str]]:
    """Read the header block of ``text`` into ``page`` and cut off the trailer: ``(lines, trailer)``."""
    lines = _read_header(text.split("\n"), page)
    trailer: list[str] = []
    for i, line in enumerate(lines):
        if page.noise.full("trailer", line.strip()):
            trailer = [_norm(x) for x in lines[i:] if x.strip()]
            lines = lines[:i]
            break
    return lines, trailer


def _clean(lines: list[str], trailer: list[str], page: _Page, *, headline: str | None) -> str | None:
    """Fill ``page`` from the story ``lines`` and ``trailer`` of :func:`_frame`; return the headline.

    The caller checks the language of ``lines`` first (``aseankg.reading.language_problem``).
    """
    for block in _blocks(lines):
        page.paragraphs.extend(_classify(block, page))
    kept = []
    for paragraph in page.paragraphs:
        paragraph = page.cut_credits(paragraph)
        if paragraph:
            kept.append(paragraph)
    page.paragraphs = kept
    headline = headline or page.meta.get("headline")  # type: ignore[assignment]
    if (not headline and len(page.paragraphs) > 1 and _headline_like(page.paragraphs[0])
            and not _split_dateline(page.paragraphs[0])):
        headline = re.sub(r"(?<=\w)\.$", "", page.paragraphs.pop(0))  # headlines take no full stop
    if headline:
        for paragraph in [p for p in page.paragraphs if _same_text(p, headline)]:
            page.paragraphs.remove(paragraph)
            page.drop(paragraph)
    _find_dateline(page)
    if len(page.paragraphs) > 1:
        last = page.paragraphs[-1]
        if len(last.split()) <= 2 and len(last) <= 12 and not last.endswith(tuple(_TERMINAL)):
            page.drop(page.paragraphs.pop())  # a word cut off at the end of an excerpt
    page.paragraphs = [p for p in (_norm(_BULLET.sub("", p)) for p in page.paragraphs) if p]
    page.boilerplate.extend(trailer)
    return _norm(headline) if headline else None
