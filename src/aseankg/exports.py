"""Exports of networkx graphs: GEXF 1.3 (Gephi), GraphML (Cytoscape, yEd, graph-tool, igraph) and
node-link JSON (networkx; its node and edge objects are Cytoscape.js element data).

``generate_gexf`` and ``generate_graphml`` yield the document line by line; ``write_gexf``,
``write_graphml`` and ``write_json`` are thin wrappers that write to a temporary file next to the
target and rename it into place, so a reader never sees half a file.

GEXF 1.3 as its RELAX NG schema accepts it: typed attribute columns (``<attributes class="node">``,
type inferred from the values: ``boolean``, ``integer``/``long``, ``double``, else ``string``),
``label``, ``weight`` and ``kind`` (parallel relation types) on edges, ``viz:color`` by the node's
``type``. With ``dynamic=True`` the graph is ``mode="dynamic" timeformat="date"``: a node lives
from ``start_date`` to ``end_date`` (meetings, participations), else from ``first_seen`` to
``last_seen``; an edge lives over its ``intervals`` (``start/end;start/end``, written as
``<spells>``) or from ``start_date`` to ``end_date``; elements without dates are always present.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("a", label="Viet Nam", type="Country", start_date="2025-07-08", end_date="2025-07-11")
>>> G.add_node("b", label="Bui Thanh Son", type="Person")
>>> G.add_edge("a", "b", kind="co-attendance", weight=2)
>>> lines = list(generate_gexf(G, dynamic=True))
>>> lines[1]
'<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">'
>>> [line.strip() for line in lines if "<node " in line]  # doctest: +NORMALIZE_WHITESPACE
['<node id="a" label="Viet Nam" start="2025-07-08" end="2025-07-11">',
 '<node id="b" label="Bui Thanh Son">']
>>> [line.strip() for line in lines if "<edge " in line]
['<edge id="0" source="a" target="b" weight="2.0" kind="co-attendance"/>']
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

import networkx as nx

from .outputs import open_output
from .xmltext import xml_safe

FORMATS = ("gexf", "graphml", "json")


def escape(text: str) -> str:
    """XML character data: markup escaped, characters XML 1.0 forbids replaced (``xmltext``)."""
    return _escape(xml_safe(text))


def quoteattr(text: str) -> str:
    """A quoted XML attribute value, as ``escape``."""
    return _quoteattr(xml_safe(text))

#: Node colours by ``type`` (RGB), for Gephi and yEd; other types are grey.
COLORS = {
    "Person": (31, 119, 180), "Country": (214, 39, 40), "Organization": (44, 160, 44),
    "Meeting": (255, 127, 14), "MeetingSeries": (255, 187, 120), "Place": (140, 86, 75),
    "Initiative": (148, 103, 189), "Document": (197, 176, 213), "Post": (23, 190, 207),
    "Role": (158, 218, 229), "Participation": (188, 189, 34), "Chairmanship": (227, 119, 194),
    "Partnership": (247, 182, 210), "PartnershipLevel": (219, 219, 141),
}
GREY = (127, 127, 127)
#: Attributes written as GEXF's own XML attributes, not as attribute columns.
_NODE_RESERVED = {"label"}
_EDGE_RESERVED = {"label", "weight", "kind"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    """A value as XML-safe text (control characters dropped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _CONTROL.sub("", str(value))


def _token(value: object) -> str:
    """``xsd:token`` text: whitespace collapsed."""
    return " ".join(_text(value).split())


def attribute_types(items: Iterable[dict], *, reserved: set[str] = frozenset(),
                    names: dict[type, str] | None = None) -> dict[str, str]:
    """Column name -> type for the attributes of ``items`` (node or edge data dicts), sorted.

    >>> attribute_types([{"n": 1, "x": 0.5, "ok": True}, {"n": 2, "x": 1, "s": "a"}])
    {'n': 'integer', 'ok': 'boolean', 's': 'string', 'x': 'double'}
    """
    seen: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            if key not in reserved and value is not None:
                seen.setdefault(key, set()).add(type(value))
    out = {}
    for key in sorted(seen):
        kinds = seen[key]
        if kinds == {bool}:
            out[key] = "boolean"
        elif kinds <= {int}:
            out[key] = "integer"
        elif kinds <= {int, float}:
            out[key] = "double"
        else:
            out[key] = "string"
    if names:
        out = {k: names.get(v, v) for k, v in out.items()}
    return out


def _value(value: object, kind: str) -> str:
    if kind == "double":
        return repr(float(value))
    return _text(value)


def _integer_column(G: nx.Graph, key: str, nodes: bool) -> str:
    values = [d[key] for _, d in G.nodes(data=True) if key in d] if nodes else \
        [d[key] for *_, d in G.edges(data=True) if key in d]
    return "long" if any(abs(v) >= 2**31 for v in values) else "integer"


def _interval(data: dict, keys: tuple[str, str]) -> tuple[str | None, str | None]:
    return data.get(keys[0]), data.get(keys[1])


def _time_attributes(data: dict, *, node: bool) -> tuple[str, list[tuple[str | None, str | None]]]:
    """XML attributes ``start``/``end`` and the spells of one element in dynamic mode."""
    spells: list[tuple[str | None, str | None]] = []
    if not node and data.get("intervals"):
        spells = [tuple(part.split("/", 1)) for part in str(data["intervals"]).split(";") if "/" in part]
    elif data.get("start_date"):
        spells = [_interval(data, ("start_date", "end_date"))]
    elif node and data.get("first_seen"):
        spells = [_interval(data, ("first_seen", "last_seen"))]
    if len(spells) == 1:
        start, end = spells[0]
        text = (f" start={quoteattr(start)}" if start else "") + (f" end={quoteattr(end)}" if end else "")
        return text, []
    return "", spells


def _attvalues(data: dict, columns: dict[str, str], indent: str) -> Iterator[str]:
    values = [(key, data[key]) for key in columns if data.get(key) is not None]
    if values:
        yield f"{indent}<attvalues>"
        for key, value in values:
            yield f"{indent}  <attvalue for={quoteattr(key)} value={quoteattr(_value(value, columns[key]))}/>"
        yield f"{indent}</attvalues>"


def generate_gexf(G: nx.Graph, *, dynamic: bool = False, description: str | None = None,
                  creator: str = "aseankg") -> Iterator[str]:
    """The lines of a GEXF 1.3 document for ``G`` (static, or ``dynamic`` for Gephi's Timeline)."""
    node_columns = attribute_types((d for _, d in G.nodes(data=True)), reserved=_NODE_RESERVED)
    edge_columns = attribute_types((d for *_, d in G.edges(data=True)), reserved=_EDGE_RESERVED)
    node_columns = {k: _integer_column(G, k, True) if v == "integer" else v for k, v in node_columns.items()}
    edge_columns = {k: _integer_column(G, k, False) if v == "integer" else v for k, v in edge_columns.items()}
    ids = {node: str(node) for node in G}
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">'
    yield "  <meta>"
    yield f"    <creator>{escape(_text(creator))}</creator>"
    description = description or G.graph.get("description") or _describe(G)
    yield f"    <description>{escape(_text(description))}</description>"
    yield "  </meta>"
    edgetype = "directed" if G.is_directed() else "undirected"
    mode = ' mode="dynamic" timeformat="date"' if dynamic else ' mode="static"'
    yield f'  <graph defaultedgetype="{edgetype}"{mode}>'
    for cls, columns in (("node", node_columns), ("edge", edge_columns)):
        if columns:
            yield f'    <attributes class="{cls}">'
            for key, kind in columns.items():
                yield f"      <attribute id={quoteattr(key)} title={quoteattr(key)} type=\"{kind}\"/>"
            yield "    </attributes>"
    yield f'    <nodes count="{G.number_of_nodes()}">'
    for node, data in G.nodes(data=True):
        label = _token(data.get("label", node))
        times, spells = _time_attributes(data, node=True) if dynamic else ("", [])
        yield f"      <node id={quoteattr(ids[node])} label={quoteattr(label)}{times}>"
        yield from _attvalues(data, node_columns, "        ")
        yield from _spells(spells, "        ")
        r, g, b = COLORS.get(str(data.get("type")), GREY)
        yield f'        <viz:color r="{r}" g="{g}" b="{b}"/>'
        yield "      </node>"
    yield "    </nodes>"
    yield f'    <edges count="{G.number_of_edges()}">'
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, None, d) for u, v, d in
                                                                      G.edges(data=True))
    for number, (u, v, _key, data) in enumerate(edges):
        extra = ""
        if data.get("label") is not None:
            extra += f" label={quoteattr(_token(data['label']))}"
        extra += f' weight="{float(data.get("weight", 1.0))!r}"'
        if data.get("kind") is not None:
            extra += f" kind={quoteattr(_token(data['kind']))}"
        times, spells = _time_attributes(data, node=False) if dynamic else ("", [])
        ends = f"source={quoteattr(ids[u])} target={quoteattr(ids[v])}"
        head = f'      <edge id="{number}" {ends}{extra}{times}'
        body = list(_attvalues(data, edge_columns, "        ")) + list(_spells(spells, "        "))
        if body:
            yield head + ">"
            yield from body
            yield "      </edge>"
        else:
            yield head + "/>"
    yield "    </edges>"
    yield "  </graph>"
    yield "</gexf>"


def _spells(spells: list[tuple[str | None, str | None]], indent: str) -> Iterator[str]:
    if spells:
        yield f"{indent}<spells>"
        for start, end in spells:
            times = (f" start={quoteattr(start)}" if start else "") + \
                (f" end={quoteattr(end)}" if end else "")
            yield f"{indent}  <spell{times}/>"
        yield f"{indent}</spells>"


def _describe(G: nx.Graph) -> str:
    name = G.graph.get("projection", "graph")
    filters = ", ".join(f"{k}={v}" for k, v in G.graph.items() if k not in ("projection", "description"))
    return f"aseankg {name} projection" + (f" ({filters})" if filters else "")


# -------------------------------------------------------------------------------------------- GraphML

_GRAPHML_TYPES = {"integer": "long"}


def generate_graphml(G: nx.Graph) -> Iterator[str]:
    """The lines of a GraphML document for ``G``: typed keys named after the attributes, unique
    edge ids, a ``name`` key with the label (Cytoscape's label column) and yFiles node graphics
    with the label and the type's colour (yEd shows them as they are). Every key has an
    ``attr.type``, the yFiles one too (``string``: yEd does not write it, and graph-tool refuses a
    key without it).

    >>> G = nx.MultiGraph()
    >>> G.add_edge("a", "b", kind="same-series", weight=1)
    0
    >>> [line.strip() for line in generate_graphml(G) if "<edge " in line]
    ['<edge id="e0" source="a" target="b">']
    """
    nodes = [{**d, "name": d.get("label", str(n))} for n, d in G.nodes(data=True)]
    node_columns = attribute_types(nodes, names=_GRAPHML_TYPES)
    edge_columns = attribute_types((d for *_, d in G.edges(data=True)), names=_GRAPHML_TYPES)
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:y="http://www.yworks.com/xml/graphml">')
    keys: dict[tuple[str, str], str] = {}
    for cls, columns in (("node", node_columns), ("edge", edge_columns)):
        for key, kind in columns.items():
            keys[cls, key] = f"{cls[0]}{len(keys)}"
            yield (f"  <key id=\"{keys[cls, key]}\" for=\"{cls}\" attr.name={quoteattr(key)} "
                   f"attr.type=\"{kind}\"/>")
    yield '  <key id="graphics" for="node" attr.name="graphics" attr.type="string" yfiles.type="nodegraphics"/>'
    edgedefault = "directed" if G.is_directed() else "undirected"
    yield f'  <graph id="G" edgedefault="{edgedefault}">'
    for (node, _), data in zip(G.nodes(data=True), nodes, strict=True):
        yield f"    <node id={quoteattr(str(node))}>"
        for key, kind in node_columns.items():
            if data.get(key) is not None:
                yield f"      <data key=\"{keys['node', key]}\">{escape(_value(data[key], kind))}</data>"
        r, g, b = COLORS.get(str(data.get("type")), GREY)
        yield (f'      <data key="graphics"><y:ShapeNode><y:Fill color="#{r:02X}{g:02X}{b:02X}"/>'
               f"<y:NodeLabel>{escape(_text(data['name']))}</y:NodeLabel></y:ShapeNode></data>")
        yield "    </node>"
    edges = G.edges(data=True)
    for number, (u, v, data) in enumerate(edges):
        yield f'    <edge id="e{number}" source={quoteattr(str(u))} target={quoteattr(str(v))}>'
        for key, kind in edge_columns.items():
            if data.get(key) is not None:
                yield f"      <data key=\"{keys['edge', key]}\">{escape(_value(data[key], kind))}</data>"
        yield "    </edge>"
    yield "  </graph>"
    yield "</graphml>"


# ----------------------------------------------------------------------------------------------- JSON

def node_link(G: nx.Graph) -> dict:
    """``G`` as node-link data (``nodes``, ``edges``, ``directed``, ``multigraph``, ``graph``), as
    networkx 3.6 writes it by default, so ``nx.node_link_graph(data)`` reads it back (networkx 3.4 and
    3.5, whose default is still the older ``links``: ``nx.node_link_graph(data, edges="edges")``).
    Each node and edge object is also what Cytoscape.js takes as an element's ``data`` (``id``,
    ``label``; ``source``, ``target``). The edges are not written twice, under ``links`` as well: they
    are about half of the file.

    >>> node_link(nx.path_graph(2))["edges"]
    [{'source': 0, 'target': 1}]
    """
    return nx.node_link_data(G, edges="edges")


# ---------------------------------------------------------------------------------------------- files

def write_lines(lines: Iterable[str], path: str | os.PathLike, *,
                progress: Callable[[int], None] | None = None) -> Path:
    """Write ``lines`` to ``path`` whole (``outputs.open_output``: a temporary file renamed into place;
    a device or FIFO written straight to; a symlink followed)."""
    with open_output(path, "w", encoding="utf-8", newline="\n") as out:
        for line in lines:
            out.write(line)
            out.write("\n")
            if progress is not None:
                progress(1)
    return Path(path)


def write_gexf(G: nx.Graph, path: str | os.PathLike, dynamic: bool = False, *,
               progress: Callable[[int], None] | None = None) -> Path:
    """Write ``G`` as GEXF 1.3 to ``path`` (see ``generate_gexf``)."""
    return write_lines(generate_gexf(G, dynamic=dynamic), path, progress=progress)


def write_graphml(G: nx.Graph, path: str | os.PathLike, *,
                  progress: Callable[[int], None] | None = None) -> Path:
    """Write ``G`` as GraphML to ``path`` (see ``generate_graphml``)."""
    return write_lines(generate_graphml(G), path, progress=progress)


def write_json(G: nx.Graph, path: str | os.PathLike, *,
               progress: Callable[[int], None] | None = None) -> Path:
    """Write ``G`` as node-link JSON to ``path`` (see ``node_link``)."""
    return write_lines(generate(G, "json"), path, progress=progress)


def generate(G: nx.Graph, format: str, *, dynamic: bool = False) -> Iterator[str]:
    """The lines of ``G`` in ``format`` (``gexf``, ``graphml`` or ``json``).

    >>> list(generate(nx.Graph(), "csv"))
    Traceback (most recent call last):
    ValueError: unknown format 'csv': use one of gexf, graphml, json
    """
    if format == "gexf":
        return generate_gexf(G, dynamic=dynamic)
    if format == "graphml":
        return generate_graphml(G)
    if format == "json":
        return iter(json.dumps(node_link(G), ensure_ascii=False, indent=1, default=str).split("\n"))
    raise ValueError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
