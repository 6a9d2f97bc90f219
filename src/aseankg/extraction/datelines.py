"""Wire datelines: where and when a story was filed.

A dateline opens the story ("KUALA LUMPUR, Sept 24 (Bernama) --", "PUTRAJAYA, Feb. 28 —",
"Metro Manila (CNN Philippines, July 31) —", "Kuala Lumpur, Oct 26 (IANS)"). The reader
(``page_noise``) sets most apart as ``Article.dateline``; some stay at the head of the first
sentence. Its date is the day the story speaks from (nearer than a publication date stamped the
next morning); its place is where the reported meeting is held when the story names no other.

>>> from datetime import date
>>> d = find_dateline(None, "PUTRAJAYA, Feb. 28 — The ministers met.", date(2010, 3, 1))
>>> d.place, d.day, d.end
('PUTRAJAYA', datetime.date(2010, 2, 28), 20)
>>> find_dateline("Metro Manila (CNN Philippines, July 31) —", "", date(2017, 7, 31)).day
datetime.date(2017, 7, 31)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import MONTHS

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = rf"(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+(?:19|20)\d\d)?|\d{{1,2}}\s+{_MONTH}(?:\s+(?:19|20)\d\d)?)"
#: place, then the date, the agency or both, then a dash or the story's first capital; a stray
#: "IANS)" left by a wire tag may come first
_DATELINE = re.compile(
    r"^\s*(?-i:[A-Z]{2,10}\)\s*)?(?P<place>(?-i:[A-Z][A-Za-z'’.-]*(?: +[A-Z][A-Za-z'’.-]*){0,3}))"
    r"(?:\s*\((?P<agency>[^()]{2,40}?)(?:,\s*" + _DATE.replace("?P<date>", "?P<adate>") + r")?\))?"
    r"(?:,\s*" + _DATE + r")?"
    r"(?:\s*\((?P<agency2>[^()]{2,30})\))?"
    r"\s*(?P<dash>--|[—–-]|:)?", re.I)
_DATE_ONLY = re.compile(_DATE, re.I)


@dataclass(frozen=True)
class Dateline:
    """The place as written, the day (``None`` when it cannot be placed in a year) and, for a
    dateline still in the body, the character where the story begins."""

    place: str
    day: date | None
    end: int = 0


def find_dateline(dateline: str | None, body: str, published: date | None) -> Dateline | None:
    """The article's dateline: one still heading the body (the reader may have taken a wire tag,
    "MENAFN -", for it), else the one the reader set apart."""
    for start in _paragraph_starts(body):
        m = _DATELINE.match(body[start:start + 160])
        if m is not None and (m.group("date") or m.group("adate") or m.group("agency") or m.group("agency2")) \
                and (m.group("dash") or m.group("agency2") or m.group("agency")) \
                and (m.group("place").isupper() or m.group("agency") or m.group("agency2")):
            return Dateline(m.group("place"), _day(m, published), start + m.end())
    if dateline:
        m = _DATELINE.match(dateline)
        if m:
            return Dateline(m.group("place"), _day(m, published), 0)
    return None


def _paragraph_starts(body: str) -> list[int]:
    """Where the first paragraphs begin ("via CAAI News Media" may stand before the dateline)."""
    return [0] + [m.end() for m in re.finditer(r"\n\s*", body[:300])][:3]


def _day(m: re.Match[str], published: date | None) -> date | None:
    text = m.group("date") or m.group("adate")
    if not text:
        return None
    return dateline_day(text, published)


def dateline_day(text: str, published: date | None) -> date | None:
    """"Feb. 28" near a publication date of 2010-03-01 is 2010-02-28; a year written wins."""
    m = _DATE_ONLY.search(text)
    if m is None:
        return None
    words = re.findall(r"[A-Za-z]+|\d+", m.group(0))
    month = next((MONTHS[w.casefold()] for w in words if w.casefold() in MONTHS), None)
    nums = [int(w) for w in words if w.isdigit()]
    day = next((n for n in nums if n <= 31), None)
    year = next((n for n in nums if n > 1900), None)
    if month is None or day is None:
        return None
    years = [year] if year else ([published.year, published.year - 1] if published else [])
    for y in years:
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if year or published is None or timedelta(0) <= published - d <= timedelta(days=7):
            return d
    return None


def reference_date(published: date | None, line: Dateline | None) -> date | None:
    """The day relative dates count from: the dateline's when it is up to three days before the
    publication date (or there is none), else the publication date."""
    if line is None or line.day is None:
        return published
    if published is None or timedelta(0) <= published - line.day <= timedelta(days=3):
        return line.day
    return published
