"""Graph views drawn on the server: ego networks, the meeting timeline and a person's time axis.

Each view is data first (``ego_network``, ``meeting_timeline``, ``person_timeline``, plain data
classes with a ``to_json``) and SVG second (``render_ego_svg``, ``render_timeline_svg``,
``render_person_svg``): own simple layouts, every node or mark an SVG ``<a>`` to its page, every
text escaped, nothing fetched from elsewhere. Routes: ``/timeline`` (``?country=VNM&year=2025``,
``.json`` too), ``/id/<type>/<slug>/ego.json`` and ``/id/<type>/<slug>/ego.svg``.

>>> ego = EgoNetwork(ID + "country/VNM", [EgoNode(ID + "country/VNM", "Viet Nam", "Country", True)], [])
>>> ego.to_json()["nodes"][0]["label"]
'Viet Nam'
>>> "<svg" in render_ego_svg(ego)
True
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from flask import Blueprint, Response, jsonify, render_template, request
from markupsafe import Markup
from markupsafe import escape as _escape
from rdflib import URIRef

from ..exports import COLORS, GREY
from ..xmltext import xml_safe
from .cors import shared
from .fairness import page
from .pages import (
    AKG,
    ID,
    NARY_TYPES,
    Reader,
    entity_iri,
    labels_and_kinds,
    local_name,
    meeting_details,
    not_found,
    page_href,
    reader,
    told_apart,
    values,
)


def escape(value: object) -> Markup:
    """Text for SVG: escaped, and without what XML 1.0 forbids (a ``\\x01`` made the whole SVG unreadable)."""
    if isinstance(value, Markup):  # already escaped
        return Markup(xml_safe(str(value)))
    return _escape(xml_safe(str(value)))


#: The order types are grouped in around an ego and in legends.
TYPE_ORDER = ["Meeting", "Person", "Country", "Organization", "Post", "Role", "Initiative", "Document",
              "MeetingSeries", "Place", "Partnership", "Chairmanship", "Participation", "PartnershipLevel"]
#: Most neighbours drawn around one entity (the rest are counted).
MAX_NEIGHBOURS = 48
#: How a relation through an n-ary node reads from the entity's side (the node's property → label).
THROUGH = {"meeting": "took part in", "participant": "participant", "represents": "on behalf of",
           "chairCountry": "chair", "ofOrganization": "chair of", "party": "partner", "level": "level",
           "coordinator": "coordinator"}
_SKIPPED = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/prov#wasDerivedFrom",
            AKG + "refersTo", AKG + "inArticle"}
# evidence and bookkeeping, not neighbours: consolidation's ranked claims, analysts' corrections
_LEFT_OUT = tuple(ID + folder for folder in ("article/", "mention/", "graph/", "claim/", "correction/", "analyst/"))


def color(kind: str) -> str:
    """The ``#rrggbb`` colour of a broad type (the exports' palette).

    >>> color("Person")
    '#1f77b4'
    """
    r, g, b = COLORS.get(kind, GREY)
    return f"#{r:02x}{g:02x}{b:02x}"


def _type_rank(kind: str) -> int:
    return TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER)


def _short(text: str, n: int = 28) -> str:
    """``text`` cut to ``n`` characters; a closing "(day, place)" that tells it apart is kept.

    >>> _short("ASEAN Senior Officials' Meeting (2025-09-09, Port Dickson)", 44)
    'ASEAN Senior Of… (2025-09-09, Port Dickson)'
    """
    if len(text) <= n:
        return text
    head, paren, tail = text.rpartition(" (")
    if paren and tail.endswith(")") and len(tail) + 10 <= n:
        return head[: n - len(tail) - 4].rstrip() + "… (" + tail
    return text[: n - 1].rstrip() + "…"


# ----------------------------------------------------------------------------------------- ego network

@dataclass(frozen=True)
class EgoNode:
    """A node of an ego network: the entity (``center``) or a neighbour."""

    id: str
    label: str
    type: str
    center: bool = False

    @property
    def href(self) -> str | None:
        return page_href(self.id)


@dataclass(frozen=True)
class EgoEdge:
    """A relation between the entity and a neighbour, labelled as it reads (``source`` → ``target``)."""

    source: str
    target: str
    label: str


@dataclass
class EgoNetwork:
    """An entity, its neighbours and the relations between them; ``more`` neighbours were left out."""

    center: str
    nodes: list[EgoNode]
    edges: list[EgoEdge]
    more: int = 0

    def to_json(self) -> dict:
        return {"center": self.center,
                "nodes": [{**asdict(n), "href": n.href} for n in self.nodes],
                "edges": [asdict(e) for e in self.edges], "more": self.more}

    def types(self) -> list[str]:
        return sorted({n.type for n in self.nodes}, key=_type_rank)


def ego_network(store, iri: str, *, timeout: float = 10.0, limit: int = MAX_NEIGHBOURS) -> EgoNetwork:
    """The neighbours of ``iri`` (meetings, people, countries, posts, initiatives, ...).

    Relations through an n-ary node (a participation, chairmanship or partnership) are drawn as one
    edge to each of the node's other ends: a person ``took part in (HeadOfDelegation)`` a meeting.
    """
    read = Reader(store, timeout=timeout)
    entity = URIRef(str(iri))
    skipped = ", ".join(f"<{p}>" for p in sorted(_SKIPPED))
    in_id = f'isIRI(?x) && STRSTARTS(STR(?x), "{ID}")'
    out = read.rows(f"SELECT DISTINCT ?p ?x WHERE {{ ?e ?p ?x FILTER ({in_id} && ?p NOT IN ({skipped})) }}",
                    e=entity)
    into = read.rows(f"SELECT DISTINCT ?x ?p WHERE {{ ?x ?p ?e FILTER ({in_id} && ?p NOT IN ({skipped})) }}",
                     e=entity)
    relations: list[tuple[str, str, str]] = []  # (neighbour, label, direction)
    first = {str(x) for _, x in out} | {str(x) for x, _ in into}
    first = {x for x in first if not x.startswith(_LEFT_OUT) and x != str(iri)}
    labels, kinds = labels_and_kinds(read, first | {str(iri)})
    nary = sorted(x for x in first if kinds.get(x) in NARY_TYPES)
    for p, x in out:
        if str(x) in first and str(x) not in nary:
            relations.append((str(x), local_name(str(p)), "out"))
    for x, p in into:
        if str(x) in first and str(x) not in nary:
            relations.append((str(x), local_name(str(p)), "in"))
    if nary:
        rows = read.rows(f"""SELECT DISTINCT ?n ?p ?x WHERE {{ {values('n', nary)} ?n ?p ?x
                             FILTER (isIRI(?x) && ?p NOT IN ({skipped})) }}""")
        ends: dict[str, list[tuple[str, str]]] = defaultdict(list)
        capacities: dict[str, list[str]] = defaultdict(list)
        for n, p, x in rows:
            if str(p) == AKG + "capacity":
                capacities[str(n)].append(local_name(str(x)))
            elif str(x).startswith(ID) and not str(x).startswith(_LEFT_OUT) and str(x) != str(iri):
                ends[str(n)].append((local_name(str(p)), str(x)))
        for n in nary:
            capacity = ", ".join(sorted(capacities.get(n, [])))
            for prop, x in ends.get(n, []):
                label = THROUGH.get(prop, prop)
                if capacity and prop in ("meeting", "participant"):
                    label = f"{label} ({capacity})"
                relations.append((x, label, "out"))
        more_labels, more_kinds = labels_and_kinds(read, {x for x, _, _ in relations} - set(labels))
        labels.update(more_labels)
        kinds.update(more_kinds)
    neighbours = sorted({x for x, _, _ in relations},
                        key=lambda x: (_type_rank(kinds.get(x, "")), (labels.get(x) or x).lower(), x))
    kept = neighbours[:limit]
    keep = set(kept)
    names = told_apart({x: labels.get(x) or local_name(x) for x in kept}, lambda xs: meeting_details(read, xs))
    center = EgoNode(str(iri), labels.get(str(iri)) or local_name(str(iri)), kinds.get(str(iri), ""), True)
    nodes = [center] + [EgoNode(x, names[x], kinds.get(x, "")) for x in kept]
    edges = sorted({EgoEdge(str(iri), x, label) if direction == "out" else EgoEdge(x, str(iri), label)
                    for x, label, direction in relations if x in keep},
                   key=lambda e: (e.source, e.target, e.label))
    return EgoNetwork(str(iri), nodes, edges, more=len(neighbours) - len(kept))


def _text(x: float, y: float, text: str, *, cls: str = "", anchor: str = "middle", size: int = 11,
          title: str | None = None) -> str:
    attrs = f' class="{cls}"' if cls else ""
    tip = f"<title>{escape(title)}</title>" if title else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{attrs}>'
            f"{tip}{escape(text)}</text>")


def _legend(types: list[str], x: float, y: float) -> list[str]:
    """A legend in one line: a coloured dot and the type's name for each type."""
    parts = ['<g class="legend">']
    for kind in types:
        parts.append(f'<circle cx="{x + 6:.0f}" cy="{y}" r="6" fill="{color(kind)}"/>')
        parts.append(_text(x + 16, y + 4, kind or "other", anchor="start"))
        x += 30 + 7 * len(kind or "other")
    parts.append("</g>")
    return parts


#: Above this many neighbours a ring's labels collide; the neighbours go in two columns instead.
RING_MAX = 18
#: Row height of the two-column layout: one node label (11 px) and one edge label (9 px) a row.
ROW = 19


def _ring(count: int, cx: float, cy: float, radius: float):
    """Places on a circle: ``(x, y, right, edge label x, y)``; the edge label halfway out, on the side
    away from the centre, so it never reaches over the centre node."""
    for i in range(count):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        yield x, y, math.cos(angle) >= -1e-9, cx + (x - cx) * 0.45, cy + (y - cy) * 0.45


def _columns(count: int, cx: float, top: float, gap: float):
    """Places in two columns either side of the centre, one row each, so no two labels share a row;
    the edge label sits just inside its node's end of the line, where the lines are a row apart."""
    left = (count + 1) // 2
    for i in range(count):
        right = i >= left
        row = i - left if right else i
        x = cx + gap if right else cx - gap
        y = top + ROW * row
        yield x, y, right, x - 12 if right else x + 12, y - 3


def render_ego_svg(ego: EgoNetwork, *, width: int = 980, height: int = 640) -> Markup:
    """The ego network as SVG: the entity in the centre, its neighbours grouped by type on a circle
    (in two columns when there are many), each node a link to its page, edges labelled."""
    others = [n for n in ego.nodes if not n.center]
    crowded = len(others) > RING_MAX
    if crowded:
        rows = (len(others) + 1) // 2
        height = 80 + ROW * rows
        cx, cy = width / 2, 60 + ROW * (rows - 1) / 2
        places = dict(zip([n.id for n in others], _columns(len(others), cx, 60, 170), strict=True))
    else:
        cx, cy = width / 2, (height + 30) / 2
        ring = min(width / 2 - 200, (height - 30) / 2 - 40)
        places = dict(zip([n.id for n in others], _ring(len(others), cx, cy, ring), strict=True))
    labels: dict[str, list[str]] = defaultdict(list)
    for edge in ego.edges:
        other = edge.target if edge.source == ego.center else edge.source
        labels[other].append(edge.label)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ego" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Ego network">']
    parts.append('<g class="edges">')
    for node in others:
        x, y = places[node.id][:2]
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#b8c0cc"/>')
    parts.append("</g><g class=\"edge-labels\">")
    for node in others:
        _, _, right, ex, ey = places[node.id]
        text = ", ".join(sorted(set(labels[node.id])))
        # in columns the label ends at its node; on a ring it starts halfway out
        anchor = ("end" if right else "start") if crowded else ("start" if right else "end")
        parts.append(_text(ex, ey, _short(text, 26 if crowded else 30), cls="edge-label", size=9, title=text,
                           anchor=anchor))
    parts.append("</g><g class=\"nodes\">")
    for node in others:
        x, y, right, _, _ = places[node.id]
        parts.append(f'<a href="{escape(node.href or "#")}" class="node" data-type="{escape(node.type)}">'
                     f'<title>{escape(node.label)} ({escape(node.type or "entity")})</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{6 if crowded else 8}" fill="{color(node.type)}"/>'
                     + _text(x + (11 if right else -11), y + 4, _short(node.label, 44 if crowded else 28),
                             anchor="start" if right else "end") + "</a>")
    center = ego.nodes[0]
    parts.append(f'<a href="{escape(center.href or "#")}" class="node center" data-type="{escape(center.type)}">'
                 f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="15" fill="{color(center.type)}" stroke="#1d2430" '
                 f'stroke-width="2"/>' + _text(cx, cy + 30, _short(center.label, 40), cls="center-label", size=13)
                 + "</a></g>")
    parts += _legend(ego.types(), 12, 16)
    if ego.more:
        parts.append(_text(12, height - 12, f"and {ego.more} more not drawn", anchor="start"))
    parts.append("</svg>")
    return Markup("".join(parts))


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
        parts.append(_text(x, top - 14, text, size=10))
    parts.append("</g>")
    for i, row in enumerate(timeline.rows):
        y = top + row_height * i + row_height / 2
        parts.append(f'<g class="row"><line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="#d8dde6"/>')
        label = _text(gutter, y + 4, _short(row.label, 36), anchor="end", title=row.label)
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
                caption = _text(x + 9, y + 4, _short(mark.label, int(room // 6)), anchor="start", size=10)
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
    return jsonify(page("aseankg.web.graphs:ego_network", iri, timeout=timeout).to_json())


@bp.get("/id/<path:path>/ego.svg")
def ego_svg(path: str):
    iri = _entity_or_404(path)
    if isinstance(iri, Response):
        return iri
    timeout = reader().timeout
    if not page("aseankg.web.pages:exists", iri, timeout=timeout):
        return not_found(f"/id/{path}")
    ego = page("aseankg.web.graphs:ego_network", iri, timeout=timeout)
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
