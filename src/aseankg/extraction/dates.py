"""Date expressions in a sentence, resolved against the article's date to the precision known.

A ``DateSpan`` keeps what the text actually says: "July 8-11" in an article of 2025-07-03 is
2025-07-08..2025-07-11; "next October" is 2025-10 (a gYearMonth); "November 22" with no article
date stays year-less and is not resolved.

>>> from datetime import date
>>> [(d.start, d.end) for d in find_dates("from July 8-11 in Kuala Lumpur", date(2025, 7, 3))]
[('2025-07-08', '2025-07-11')]
>>> [(d.start, d.end) for d in find_dates("On September 9 and 10, the SOM took place", date(2025, 9, 11))]
[('2025-09-09', '2025-09-10')]
>>> [d.start for d in find_dates("the summit next October", date(2025, 9, 11))]
['2025-10']
>>> [d.start for d in find_dates("held on Wednesday", date(2024, 7, 24))]
['2024-07-24']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
            "sunday": 6}
_NOW = ("today", "yesterday", "tomorrow", "this morning", "this afternoon", "tonight")

_MONTH = r"(?P<{n}>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{n}>(?:19|20)\d\d)"
_DASH = r"\s*(?:-|–|—|to|until|till)\s*"


def _m(n: str) -> str:
    return _MONTH.format(n=n)


def _d(n: str) -> str:
    return _DAY.format(n=n)


def _y(n: str) -> str:
    return _YEAR.format(n=n)


# Ordered: the first pattern that matches a span wins, so longer forms come first.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # from July 31 to August 4(, 2025)
    ("md-md", re.compile(rf"\b{_m('m1')}\s+{_d('d1')}{_DASH}{_m('m2')}\s+{_d('d2')}(?:,?\s+{_y('y')})?\b")),
    # 31 July - 4 August (2025)
    ("dm-dm", re.compile(rf"\b{_d('d1')}\s+{_m('m1')}{_DASH}{_d('d2')}\s+{_m('m2')}(?:,?\s+{_y('y')})?\b")),
    # July 8-11(, 2025) / September 9 and 10 / November 17-18
    ("m-dd", re.compile(rf"\b{_m('m1')}\s+{_d('d1')}(?:{_DASH}|\s+and\s+|\s*&\s*){_d('d2')}(?:,?\s+{_y('y')})?\b")),
    # 8-11 July (2025) / 9 and 10 September
    ("dd-m", re.compile(rf"\b{_d('d1')}(?:{_DASH}|\s+and\s+){_d('d2')}\s+{_m('m1')}(?:,?\s+{_y('y')})?\b")),
    # on Monday (Oct 25): the weekday and its date, one expression
    ("wd-md", re.compile(rf"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*\(\s*{_m('m1')}\s+"
                         rf"{_d('d1')}(?:,?\s+{_y('y')})?\s*\)")),
    # July 8(, 2025) / Monday, 12 November 2022 / 16 March 2023
    ("m-d", re.compile(rf"\b{_m('m1')}\s+{_d('d1')}(?![\d-])(?:,?\s+{_y('y')})?\b")),
    ("d-m", re.compile(rf"\b{_d('d1')}\s+{_m('m1')}(?:,?\s+{_y('y')})?\b")),
    # 2025-07-08
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b")),
    # in October 2025 / next October / last July / October this year
    ("m-y", re.compile(rf"\b{_m('m1')}\s+{_y('y')}\b")),
    ("rel-m", re.compile(rf"\b(?P<rel>next|last|this|early|late|mid|in)[\s-]+{_m('m1')}(?!\s+\d)\b", re.I)),
    # Wednesday (12/10): Indonesian and Vietnamese outlets write the day first
    ("wd-num", re.compile(r"\b(?P<w1>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*\(\s*"
                          r"(?P<d1>[0-3]?\d)/(?P<m1>[01]?\d)(?:/(?P<y>(?:19|20)\d\d))?\s*\)")),
    # on Wednesday / from Wednesday to Sunday / on Wednesday and Thursday
    ("wd-wd", re.compile(r"\b(?P<rel>from\s+|on\s+)?(?P<w1>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                         r"Sunday)\s+(?:to|and|through|until|till|-|–)\s+"
                         r"(?P<w2>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("wd", re.compile(r"\b(?P<rel>next\s+|last\s+|this\s+|on\s+)?(?P<w1>Monday|Tuesday|Wednesday|Thursday|"
                      r"Friday|Saturday|Sunday)\b")),
    ("today", re.compile(rf"\b(?P<w>{'|'.join(_NOW)})\b", re.I)),
    # the next day / later that day: a day counted from the last day the article named
    ("anaphor", re.compile(r"\b(?P<a>(?:on\s+)?the\s+(?:next|following|same|previous)\s+day|the\s+day\s+"
                           r"(?:after|before)|(?:later|earlier)\s+(?:that|the\s+same)\s+day)\b", re.I)),
    ("year", re.compile(r"\b(?:in|of|for|year)\s+(?P<y>(?:19|20)\d\d)\b(?![-–]\d)")),
]

#: Found in any text some pattern above matches (each needs a digit, a month, a weekday or a word of
#: ``_NOW``), in any case: a sentence without one has no date, and is not scanned 13 times.
_ANY_DATE = re.compile("|".join([r"\d", *MONTHS, *WEEKDAYS, *_NOW, r"\bday\b"]), re.I)
#: "is chairing ... on Saturday", "are meeting on Monday": the present progressive speaks of the
#: days ahead, so a weekday in it is the next one
_PROGRESSIVE = re.compile(r"\b(?:is|are)\s+(?:\w+ly\s+)?\w{3,}ing\b")
#: "a two-day retreat beginning Saturday": how many days a meeting starting on a given day lasts
_DURATION = re.compile(r"\b(?P<n>two|three|four|five|[2-5])[\s-]day\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}
#: days counted from the last day named: "the next day" is one after it
_ANAPHOR_SHIFT = {"next": 1, "following": 1, "after": 1, "previous": -1, "before": -1}


@dataclass(frozen=True)
class DateSpan:
    """A resolved date expression: ``start``/``end`` are ISO dates, ``YYYY-MM`` or ``YYYY``;
    ``day`` keeps a year-less ``--MM-DD`` when the year cannot be known."""

    start_char: int
    end_char: int
    text: str
    start: str | None
    end: str | None
    day: str | None = None
    relative: bool = False  # resolved from a weekday, "today" or "next October"


def _year_for(month: int, day: int | None, published: date | None, future: bool | None) -> int | None:
    """The year a month (and day) without a year most plausibly falls in, near the article date."""
    if published is None:
        return None
    candidates = [published.year - 1, published.year, published.year + 1]

    def distance(y: int) -> int:
        try:
            d = date(y, month, day or 15)
        except ValueError:
            return 10**6
        delta = (d - published).days
        if future is True and delta < -1:
            return abs(delta) + 400
        if future is False and delta > 1:
            return abs(delta) + 400
        return abs(delta)

    return min(candidates, key=distance)


def _iso(y: int | None, m: int, d: int | None) -> tuple[str | None, str | None]:
    """(ISO date or gYearMonth, year-less --MM-DD) for a resolved day; None if invalid."""
    if d is not None:
        try:
            date(y or 2000, m, d)
        except ValueError:
            return None, None
        md = f"--{m:02d}-{d:02d}"
        return (f"{y:04d}-{m:02d}-{d:02d}" if y else None), md
    return (f"{y:04d}-{m:02d}" if y else None), None


# "said on Monday", "left Hanoi on Tuesday morning": the weekday is that of a past verb, whatever
# else the sentence announces
_PAST_VERB = re.compile(r"\b(?:\w+ed|said|left|met|held|began|took|went|told|spoke|came|made|gave)"
                        r"(?:\s+\S+){0,3}\s+(?:on\s+|last\s+)?$", re.I)


def _weekday(name: str, published: date | None, rel: str, future: bool | None, today: bool = False) -> date | None:
    """The day a weekday names. ``today``: the sentence is in the present progressive ("is chairing
    the meeting on Friday"), so the publication day itself may be meant."""
    if published is None:
        return None
    target = WEEKDAYS[name.casefold()]
    rel = rel.strip().casefold()
    if rel == "next" or (future and rel != "last"):
        # a future "on Monday" written on a Monday is the next one: the same day would be "today"
        ahead = (target - published.weekday()) % 7 or (0 if today and rel != "next" else 7)
        return published + timedelta(days=ahead)
    back = (published.weekday() - target) % 7
    return published - timedelta(days=back)


def find_dates(text: str, published: date | None, *, future: bool | None = None,
               offset: int = 0, year: int | None = None, anchor: date | None = None) -> list[DateSpan]:
    """Every date expression in ``text``, resolved against ``published``.

    ``future`` says whether the sentence speaks of things to come (True), past (False) or
    unknown (None); it picks the year of a year-less date and the direction of a weekday (unknown
    with a present progressive, "is chairing", is taken as future).
    ``offset`` is added to character positions (the sentence's start in the body).
    ``anchor`` is the last day the article named before this sentence: "the next day" counts from it.
    """
    if not _ANY_DATE.search(text):
        return []
    progressive = future is None and bool(_PROGRESSIVE.search(text))
    if progressive:
        future = True
    taken: list[tuple[int, int]] = []
    found: list[DateSpan] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            tense = False if kind in ("wd", "wd-wd") and _PAST_VERB.search(text, 0, m.start()) else future
            span = _resolve(kind, m, published, tense, year, progressive) if kind != "anaphor" \
                else _anaphor(m, anchor)
            if span is None:
                continue
            taken.append((m.start(), m.end()))
            start, end, day, relative = span
            if end is None and start and len(start) == 10:
                end = _lasting(text, m.end(), start)
            found.append(DateSpan(m.start() + offset, m.end() + offset, m.group(0), start, end, day, relative))
    return sorted(found, key=lambda s: s.start_char)


def _anaphor(m: re.Match[str], anchor: date | None):
    """"the next day", "later that day": a day counted from ``anchor``."""
    if anchor is None:
        return None
    words = m.group("a").casefold().split()
    shift = next((_ANAPHOR_SHIFT[w] for w in words if w in _ANAPHOR_SHIFT), 0)
    return (anchor + timedelta(days=shift)).isoformat(), None, None, True


def _lasting(text: str, pos: int, start: str) -> str | None:
    """The last day of "a two-day retreat beginning Saturday": the duration said just before the day."""
    said = list(_DURATION.finditer(text[max(0, pos - 80):pos]))
    if not said:
        return None
    m = said[-1]
    n = _NUMBERS.get(m.group("n").casefold()) or int(m.group("n"))
    return (date.fromisoformat(start) + timedelta(days=n - 1)).isoformat()


def _resolve(kind: str, m: re.Match[str], published: date | None, future: bool | None,
             year_hint: int | None = None, progressive: bool = False):
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else None
    if kind in ("md-md", "dm-dm", "m-dd", "dd-m", "wd-md", "m-d", "d-m", "iso"):
        m1 = MONTHS[g["m1"].casefold()] if not g["m1"].isdigit() else int(g["m1"])
        m2 = MONTHS[g["m2"].casefold()] if g.get("m2") else m1
        d1 = int(g["d1"])
        d2 = int(g["d2"]) if g.get("d2") else None
        if d1 < 1 or d1 > 31 or (d2 is not None and (d2 < 1 or d2 > 31 or (m2 == m1 and d2 <= d1))):
            return None
        y1 = year or _year_for(m1, d1, published, future) or year_hint
        start, day = _iso(y1, m1, d1)
        if day is None:
            return None
        end = None
        if d2 is not None:
            y2 = y1 + 1 if (y1 and m2 < m1) else y1
            end, _ = _iso(y2, m2, d2)
        elif start:
            end = None
        return start, end, day, year is None and y1 is not None
    if kind == "m-y":
        m1 = MONTHS[g["m1"].casefold()]
        return f"{year:04d}-{m1:02d}", None, None, False
    if kind == "rel-m":
        m1 = MONTHS[g["m1"].casefold()]
        rel = g["rel"].casefold()
        if published is None:
            return None
        if rel == "in" and g["m1"].casefold() in ("may", "mar"):  # "in may" is a verb more often than not
            return None
        fut = True if rel == "next" else False if rel == "last" else future
        y = _year_for(m1, None, published, fut)
        if rel == "next" and y is not None and m1 <= published.month and y == published.year:
            y += 1
        return f"{y:04d}-{m1:02d}", None, None, True
    if kind == "wd-num":
        return _weekday_numeric(g, published, future, year)
    if kind in ("wd", "wd-wd"):
        rel = g.get("rel") or ""
        d1 = _weekday(g["w1"], published, rel, future, progressive)
        if d1 is None:
            return None
        end = None
        if kind == "wd-wd":
            d2 = d1 + timedelta(days=(WEEKDAYS[g["w2"].casefold()] - d1.weekday()) % 7)
            end = d2.isoformat()
        return d1.isoformat(), end, None, True
    if kind == "today":
        if published is None:
            return None
        shift = {"yesterday": -1, "tomorrow": 1}.get(g["w"].casefold(), 0)
        return (published + timedelta(days=shift)).isoformat(), None, None, True
    if kind == "year":
        return f"{year:04d}", None, None, False
    return None


def _weekday_numeric(g: dict, published: date | None, future: bool | None, year: int | None):
    """"Wednesday (12/10)": day first; the year is the one near ``published`` where the day is
    that weekday."""
    d1, m1 = int(g["d1"]), int(g["m1"])
    if not (1 <= m1 <= 12 and 1 <= d1 <= 31):
        return None
    if year is None and published is not None:
        fits = [y for y in (published.year, published.year - 1, published.year + 1)
                if _is_weekday(y, m1, d1, g["w1"])]
        year = fits[0] if fits else _year_for(m1, d1, published, future)
    start, day = _iso(year, m1, d1)
    if day is None:
        return None
    return start, None, day, g["y"] is None


def _is_weekday(y: int, m: int, d: int, name: str) -> bool:
    try:
        return date(y, m, d).weekday() == WEEKDAYS[name.casefold()]
    except ValueError:
        return False


_WEEKDAY_DATE = re.compile(
    r"\b(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\W{1,3}"
    r"(?:(?P<m1>[A-Z][a-z]+)\.?\s+(?P<d1>[0-3]?\d)|(?P<d2>[0-3]?\d)\s+(?P<m2>[A-Z][a-z]+))(?!\d|,?\s+(?:19|20)\d\d)")


def infer_reference_date(text: str, *, latest: int) -> date | None:
    """A date the article was written near, when it has no publication date: a weekday written
    with its day ("on Monday (July 30)") fixes the year, the latest one up to ``latest``.

    >>> infer_reference_date("starting on Monday (July 30).", latest=2026)
    datetime.date(2018, 7, 30)
    """
    for m in _WEEKDAY_DATE.finditer(text):
        month = MONTHS.get((m.group("m1") or m.group("m2") or "").casefold())
        day = int(m.group("d1") or m.group("d2"))
        if month is None:
            continue
        for year in range(latest, 1989, -1):
            try:
                d = date(year, month, day)
            except ValueError:
                break
            if d.weekday() == WEEKDAYS[m.group("w").casefold()]:
                return d
    return None


_YEAR_IN = re.compile(r"\b(?:in|during|for|throughout)\s+((?:19|20)\d\d)\b(?![-–/]\d)")


def dominant_year(text: str) -> int | None:
    """The year an undated article speaks of as its present: the one named at least twice after
    "in", "during" or "for", and more often than any other.

    >>> dominant_year("cooperate during 2017 ... the priorities of ASEAN in 2017 ... the 2025 Vision")
    2017
    """
    counts: dict[int, int] = {}
    for m in _YEAR_IN.finditer(text):
        counts[int(m.group(1))] = counts.get(int(m.group(1)), 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        return ranked[0][0]
    return None

