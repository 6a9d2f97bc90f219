"""Graph views drawn on the server: the meeting timeline, a person's time axis, and the routes of
the ego networks (``web.ego``).

Each view is data first (``meeting_timeline``, ``person_timeline``, plain data classes with a
``to_json``) and SVG second (``render_timeline_svg``, ``render_person_svg``): own simple layouts,
every mark an SVG ``<a>`` to its page, every text escaped, nothing fetched from elsewhere. Routes:
``/timeline`` (``?country=VNM&year=2025``, ``.json`` too), ``/id/<type>/<slug>/ego.json`` and
``/id/<type>/<slug>/ego.svg``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Blueprint, Response, jsonify, render_template, request
from markupsafe import Markup
from rdflib import URIRef

from .cors import shared
from .drawing import color, escape, short, svg_text
from .ego import render_ego_svg
from .fairness import page
from .pages import ID, Reader, entity_iri, labels_and_kinds, local_name, not_found, page_href, reader

__all__ = ["meeting_timeline", "person_timeline", "render_timeline_svg"]


# ------------------------------------------------------------------------------------------ timelines

_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date(value) -> date | None:
    """The first day a date, ``xsd:gYearMonth`` or ``xsd:gYear`` value may mean (``None`` if unreadable).

    >>> parse_date("2025-07"), parse_date("2025-07-08"), parse_date("soon")
    (datetime.date(2025, 7, 1), datetime.date(2025, 7, 8), None)
    """
    match = _DATE.match(str(value or ""))
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def held_date(values) -> tuple[date, str] | None:
    """The earliest of some start dates, as (its first day, its text at the precision the graph holds
    it): ``2025-10`` stays a month; a value that refines another (``2025-10-26`` in ``2025-10``)
    replaces it. ``None`` if no value is readable.

    >>> held_date(["2025-10"]), held_date(["2025-10", "2025-10-26"])
    ((datetime.date(2025, 10, 1), '2025-10'), (datetime.date(2025, 10, 26), '2025-10-26'))
    """
    texts = {m.group(0) for v in values if (m := _DATE.match(str(v or ""))) and parse_date(m.group(0))}
    finest = [t for t in texts if not any(o != t and o.startswith(t + "-") for o in texts)]
    return min(((parse_date(t), t) for t in finest), default=None)


@dataclass(frozen=True)
class Mark:
    """A dated thing on a time axis: a meeting, or an article reporting a post. ``shown`` is the date
    as the graph holds it (``2025-10`` for a month); ``announced`` marks a meeting that articles only
    announced (reported upcoming, never held)."""

    iri: str
    label: str
    when: date
    shown: str = ""
    announced: bool = False

    @property
    def href(self) -> str | None:
        return page_href(self.iri)

    @property
    def date_text(self) -> str:
        """The date to print: as held, never a month's or a year's first day made up."""
        return self.shown or self.when.isoformat()


@dataclass
class Row:
    """One row of a time axis: a meeting series, a post, or a person's meetings."""

    iri: str | None
    label: str
    marks: list[Mark] = field(default_factory=list)
    span: bool = False

    @property
    def href(self) -> str | None:
        return page_href(self.iri) if self.iri else None


@dataclass
class Timeline:
    """Rows of dated marks; ``undated`` holds what could not be placed."""

    rows: list[Row]
    undated: list[Mark] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)

    def bounds(self) -> tuple[date, date] | None:
        dates = [m.when for r in self.rows for m in r.marks]
        return (min(dates), max(dates)) if dates else None

    def to_json(self) -> dict:
        return {"filters": self.filters,
                "rows": [{"iri": r.iri, "label": r.label,
                          "marks": [{"iri": m.iri, "label": m.label, "date": m.date_text, "href": m.href,
                                     "announced": m.announced} for m in r.marks]} for r in self.rows],
                "undated": [{"iri": m.iri, "label": m.label} for m in self.undated]}


_MEETING_CLASSES = " ".join(f"akg:{c}" for c in ("Meeting", "Summit", "MinisterialMeeting",
                                                 "SeniorOfficialsMeeting", "Retreat", "WorkingGroupMeeting",
                                                 "Forum"))
MEETINGS_QUERY = f"""SELECT DISTINCT ?m ?label ?start ?series ?seriesLabel ?host ?placeCountry WHERE {{
  ?m a ?class VALUES ?class {{ {_MEETING_CLASSES} }}
  OPTIONAL {{ ?m rdfs:label ?label }} OPTIONAL {{ ?m schema:startDate ?start }}
  OPTIONAL {{ ?m akg:inSeries ?series OPTIONAL {{ ?series rdfs:label ?seriesLabel }} }}
  OPTIONAL {{ ?m akg:hostCountry ?host }} OPTIONAL {{ ?m akg:location/akg:inCountry ?placeCountry }}
}}"""


def _country_iri(country: str | None) -> str | None:
    if not country:
        return None
    country = country.strip()
    return country if country.startswith("http") else ID + "country/" + country.upper()


def announced_meetings(read: Reader) -> set[str]:
    """Meetings some article announced (``akg:reportedStatus akg:Upcoming``) and none reports held."""
    rows = read.rows("""SELECT DISTINCT ?m WHERE { ?m akg:reportedStatus akg:Upcoming
                        FILTER NOT EXISTS { ?m akg:reportedStatus akg:Held } }""")
    return {str(m) for m, in rows}


def meeting_timeline(store, *, country: str | None = None, year: int | None = None,
                     timeout: float = 10.0) -> Timeline:
    """Meetings by series, each at its (earliest reported) start date; ``country`` (ISO3 or IRI) keeps
    meetings hosted in it or held at a place in it, ``year`` those starting that year."""
    read = Reader(store, timeout=timeout, max_rows=50_000)
    announced = announced_meetings(read)
    meetings: dict[str, dict] = {}
    for m, label, start, series, series_label, host, place_country in read.rows(MEETINGS_QUERY):
        info = meetings.setdefault(str(m), {"labels": set(), "starts": set(), "series": {}, "countries": set()})
        if label is not None:
            info["labels"].add(str(label))
        if start is not None:
            info["starts"].add(str(start))
        if series is not None:
            info["series"].setdefault(str(series), str(series_label) if series_label is not None else "")
            if series_label is not None and not info["series"][str(series)]:
                info["series"][str(series)] = str(series_label)
        info["countries"] |= {str(c) for c in (host, place_country) if c is not None}
    wanted = _country_iri(country)
    rows: dict[str | None, Row] = {}
    undated = []
    for iri, info in sorted(meetings.items()):
        if wanted and wanted not in info["countries"]:
            continue
        label = min(info["labels"], key=lambda t: (len(t), t)) if info["labels"] else local_name(iri)
        held = held_date(info["starts"])
        if year is not None and (held is None or held[0].year != year):
            continue
        if held is None:
            undated.append(Mark(iri, label, date.min, announced=iri in announced))
            continue
        series_iri, series_label = min(info["series"].items()) if info["series"] else (None, "")
        row = rows.get(series_iri)
        if row is None:
            row = rows[series_iri] = Row(series_iri, series_label or (local_name(series_iri) if series_iri
                                                                      else "Meetings in no series"))
        row.marks.append(Mark(iri, label, held[0], held[1], iri in announced))
    ordered = sorted(rows.values(), key=lambda r: (r.iri is None, r.label.lower()))
    for row in ordered:
        row.marks.sort(key=lambda m: (m.when, m.label))
    filters = {k: str(v) for k, v in (("country", country), ("year", year)) if v}
    return Timeline(ordered, sorted(undated, key=lambda m: m.label), filters)


def person_timeline(store, iri: str, *, timeout: float = 10.0) -> Timeline:
    """A person's meetings (at their start dates) and posts (spanning the dates of the articles that
    report them holding it)."""
    read = Reader(store, timeout=timeout)
    person = URIRef(str(iri))
    meetings = read.rows("""SELECT DISTINCT ?m ?start WHERE { ?p akg:participant ?e ; akg:meeting ?m .
                            OPTIONAL { ?m schema:startDate ?start } }""", e=person)
    posts = read.rows("""SELECT DISTINCT ?post ?date WHERE { GRAPH ?g { ?e org:holds ?post }
                         OPTIONAL { GRAPH ?g { ?g schema:datePublished ?date } } }""", e=person)
    labels, _ = labels_and_kinds(read, {str(m) for m, _ in meetings} | {str(p) for p, _ in posts})
    undated: list[Mark] = []
    meeting_row = Row(None, "Meetings")
    starts: dict[str, set[str]] = defaultdict(set)
    for m, start in meetings:
        starts[str(m)].update([str(start)] if start is not None else [])
    announced = announced_meetings(read)
    for m, texts in sorted(starts.items()):
        label = labels.get(m) or local_name(m)
        if (held := held_date(texts)) is not None:
            meeting_row.marks.append(Mark(m, label, held[0], held[1], m in announced))
        else:
            undated.append(Mark(m, label, date.min, announced=m in announced))
    meeting_row.marks.sort(key=lambda mark: (mark.when, mark.label))
    post_rows: dict[str, Row] = {}
    for post, when in posts:
        key = str(post)
        row = post_rows.setdefault(key, Row(key, labels.get(key) or local_name(key), span=True))
        if (day := parse_date(when)) is not None:
            row.marks.append(Mark(key, f"{row.label}: reported {day.isoformat()}", day))
    rows = [meeting_row] if meeting_row.marks else []
    for row in sorted(post_rows.values(), key=lambda r: r.label.lower()):
        if row.marks:
            row.marks = sorted(set(row.marks), key=lambda m: m.when)
            rows.append(row)
        else:
            undated.append(Mark(row.iri or "", row.label, date.min))
    return Timeline(rows, undated)


def _ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Axis ticks: years over long spans, else months (labelled ``Jul 2025``), else days."""
    span = (end - start).days
    if span > 3 * 366:
        return [(date(y, 1, 1), str(y)) for y in range(start.year + (start > date(start.year, 1, 1)), end.year + 1)]
    if span > 45:
        ticks, y, m = [], start.year, start.month
        step = 1 if span < 400 else 3
        while (y, m) <= (end.year, end.month):
            day = date(y, m, 1)
            if day >= start:
                ticks.append((day, day.strftime("%b %Y")))
            m += step
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        return ticks
    return [(start + timedelta(days=d), (start + timedelta(days=d)).strftime("%d %b"))
            for d in range(0, span + 1, max(1, span // 8 or 1))]


def render_timeline_svg(timeline: Timeline, *, width: int = 960, gutter: int = 240, row_height: int = 30,
                        css_class: str = "timeline") -> Markup:
    """The timeline as SVG: one row per series (or post), a linked mark per meeting (or report),
    posts drawn as a bar from their first to their last report."""
    bounds = timeline.bounds()
    if bounds is None:
        return Markup("")
    start, end = bounds
    pad = max(5, (end - start).days // 20)
    start, end = start - timedelta(days=pad), end + timedelta(days=pad)
    x0, x1 = gutter + 10, width - 20
    days = max((end - start).days, 1)

    def x_of(day: date) -> float:
        return x0 + (x1 - x0) * (day - start).days / days

    top = 34
    height = top + row_height * len(timeline.rows) + 12
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Timeline">']
    parts.append('<g class="axis">')
    for day, text in _ticks(start, end):
        x = x_of(day)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 8}" stroke="#e3e7ee"/>')
        parts.append(svg_text(x, top - 14, text, size=10))
    parts.append("</g>")
    for i, row in enumerate(timeline.rows):
        y = top + row_height * i + row_height / 2
        parts.append(f'<g class="row"><line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="#d8dde6"/>')
        label = svg_text(gutter, y + 4, short(row.label, 36), anchor="end", title=row.label)
        parts.append(f'<a href="{escape(row.href)}">{label}</a>' if row.href else label)
        if row.span and len(row.marks) > 1:
            parts.append(f'<line x1="{x_of(row.marks[0].when):.1f}" y1="{y:.1f}" x2="{x_of(row.marks[-1].when):.1f}" '
                         f'y2="{y:.1f}" stroke="{color("Post")}" stroke-width="6" stroke-linecap="round"/>')
        fill = color("Post") if row.span else color("Meeting")
        for k, mark in enumerate(row.marks):
            x = x_of(mark.when)
            room = (x_of(row.marks[k + 1].when) if k + 1 < len(row.marks) else x1 + 20) - x - 12
            caption = ""
            if not row.span and room > 60:
                caption = svg_text(x + 9, y + 4, short(mark.label, int(room // 6)), anchor="start", size=10)
            # an announced meeting is hollow: it may not have taken place
            dot = (f'fill="#fff" stroke="{fill}" stroke-width="2"' if mark.announced
                   else f'fill="{fill}" stroke="#fff"')
            status = " · announced" if mark.announced else ""
            parts.append(f'<a href="{escape(mark.href or "#")}" class="mark{" announced" if mark.announced else ""}">'
                         f'<title>{escape(mark.label)} · {mark.date_text}{status}</title>'
                         f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" {dot}/>{caption}</a>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


# ----------------------------------------------------------------------------------------- the views

bp = Blueprint("graphs", __name__)
bp.add_app_template_filter(color, "type_color")
bp.add_app_template_filter(lambda timeline: render_timeline_svg(timeline, css_class="person-timeline"),
                           "person_svg")


def _entity_or_404(path: str) -> str | Response:
    iri = entity_iri(path)
    if iri is None:
        return not_found(f"/id/{path}")
    return iri


@bp.get("/id/<path:path>/ego.json")
@shared
def ego_json(path: str):
    """The ego network of an entity as JSON: ``center``, ``nodes`` (id, label, type, href) and ``edges``."""
    iri = _entity_or_404(path)
    if isinstance(iri, Response):
        return iri
    timeout = reader().timeout
    if not page("aseankg.web.pages:exists", iri, timeout=timeout):
        response = jsonify(error=f"nothing is known about /id/{path}")
        response.status_code = 404
        return response
    return jsonify(page("aseankg.web.ego:ego_network", iri, timeout=timeout).to_json())


@bp.get("/id/<path:path>/ego.svg")
def ego_svg(path: str):
    iri = _entity_or_404(path)
    if isinstance(iri, Response):
        return iri
    timeout = reader().timeout
    if not page("aseankg.web.pages:exists", iri, timeout=timeout):
        return not_found(f"/id/{path}")
    ego = page("aseankg.web.ego:ego_network", iri, timeout=timeout)
    return Response(str(render_ego_svg(ego)), 200, mimetype="image/svg+xml")


def _year(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


@bp.get("/timeline")
@bp.get("/timeline.json", endpoint="timeline_json")
def timeline():
    """Meetings over time by series, filtered by ``country`` (ISO3) and ``year``."""
    country = (request.args.get("country") or "").strip() or None
    year_text = (request.args.get("year") or "").strip()
    year = _year(year_text)
    if year_text and year is None:
        return Response(f"year must be a number such as 2025, not {year_text!r}\n", 400, mimetype="text/plain")
    if country and not re.fullmatch(r"[A-Za-z]{3}", country):
        return Response(f"country must be an ISO 3166 alpha-3 code such as VNM, not {country!r}\n", 400,
                        mimetype="text/plain")
    data = page("aseankg.web.graphs:meeting_timeline", country=country, year=year, timeout=reader().timeout)
    if request.path.endswith(".json"):
        return jsonify(data.to_json())
    return render_template("timeline.html", timeline=data, svg=render_timeline_svg(data),
                           country=country or "", year=year_text)
