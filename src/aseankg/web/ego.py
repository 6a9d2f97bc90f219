"""Ego networks: an entity, its neighbours and the relations between them, as data and as SVG.

``ego_network`` reads them (relations through a participation, chairmanship or partnership drawn as
one edge to each other end); ``render_ego_svg`` draws them: the neighbours on a ring grouped by type,
in two columns when there are many, every node an SVG ``<a>`` to its page, every text escaped.

>>> ego = EgoNetwork(ID + "country/VNM", [EgoNode(ID + "country/VNM", "Viet Nam", "Country", True)], [])
>>> ego.to_json()["nodes"][0]["label"]
'Viet Nam'
>>> "<svg" in render_ego_svg(ego)
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass

from markupsafe import Markup
from rdflib import URIRef

from .drawing import color, escape, legend, short, svg_text, type_rank
from .pages import (
    AKG,
    ID,
    NARY_TYPES,
    Reader,
    labels_and_kinds,
    local_name,
    meeting_details,
    page_href,
    told_apart,
    values,
)

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
        return sorted({n.type for n in self.nodes}, key=type_rank)


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
                        key=lambda x: (type_rank(kinds.get(x, "")), (labels.get(x) or x).lower(), x))
    kept = neighbours[:limit]
    keep = set(kept)
    names = told_apart({x: labels.get(x) or local_name(x) for x in kept}, lambda xs: meeting_details(read, xs))
    center = EgoNode(str(iri), labels.get(str(iri)) or local_name(str(iri)), kinds.get(str(iri), ""), True)
    nodes = [center] + [EgoNode(x, names[x], kinds.get(x, "")) for x in kept]
    edges = sorted({EgoEdge(str(iri), x, label) if direction == "out" else EgoEdge(x, str(iri), label)
                    for x, label, direction in relations if x in keep},
                   key=lambda e: (e.source, e.target, e.label))
    return EgoNetwork(str(iri), nodes, edges, more=len(neighbours) - len(kept))


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
        parts.append(svg_text(ex, ey, short(text, 26 if crowded else 30), cls="edge-label", size=9, title=text,
                           anchor=anchor))
    parts.append("</g><g class=\"nodes\">")
    for node in others:
        x, y, right, _, _ = places[node.id]
        parts.append(f'<a href="{escape(node.href or "#")}" class="node" data-type="{escape(node.type)}">'
                     f'<title>{escape(node.label)} ({escape(node.type or "entity")})</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{6 if crowded else 8}" fill="{color(node.type)}"/>'
                     + svg_text(x + (11 if right else -11), y + 4, short(node.label, 44 if crowded else 28),
                             anchor="start" if right else "end") + "</a>")
    center = ego.nodes[0]
    parts.append(f'<a href="{escape(center.href or "#")}" class="node center" data-type="{escape(center.type)}">'
                 f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="15" fill="{color(center.type)}" stroke="#1d2430" '
                 f'stroke-width="2"/>' + svg_text(cx, cy + 30, short(center.label, 40), cls="center-label", size=13)
                 + "</a></g>")
    parts += legend(ego.types(), 12, 16)
    if ego.more:
        parts.append(svg_text(12, height - 12, f"and {ego.more} more not drawn", anchor="start"))
    parts.append("</svg>")
    return Markup("".join(parts))
