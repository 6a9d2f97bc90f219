"""Dumps of the dataset: every quad as N-Quads or TriG, the same bytes for the same content.

Blank nodes get canonical labels (RDFC-1.0) and quads are sorted, so two stores holding the same
quads dump to the same file, whatever order they were written in.

TriG is written here rather than by pyoxigraph's serialiser, which abbreviates
``https://w3id.org/aseankg/id/article/0a1b`` as ``id:article\\/0a1b``: valid TriG, but Virtuoso's
bulk loader keeps the backslash in the IRI. An IRI is written as a prefixed name only when its
local part needs no escape (``meeting:amm-58``, ``akg:Summit``), else in full (``<...>``), so every
loader reads back the IRIs that were written.

>>> import io
>>> quad = ox.Quad(ox.NamedNode("https://w3id.org/aseankg/id/meeting/amm-58"),
...                ox.NamedNode("https://w3id.org/aseankg/ontology#ordinal"),
...                ox.Literal("58", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
...                ox.NamedNode("https://w3id.org/aseankg/id/graph/reference"))
>>> out = io.BytesIO()
>>> write_quads([quad], out, "trig")
1
>>> print(out.getvalue().decode().split("\\n\\n", 1)[1], end="")  # doctest: +NORMALIZE_WHITESPACE
<https://w3id.org/aseankg/id/graph/reference> {
	meeting:amm-58 akg:ordinal "58"^^xsd:integer .
}
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .results import ID_PREFIXES, PREFIXES, compact

DUMP_FORMATS = {"nquads": "nquads", "nq": "nquads", "n-quads": "nquads", "trig": "trig"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: The prefixes a TriG dump declares (and uses where the local part needs no escape).
TRIG_PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", **PREFIXES, **ID_PREFIXES}


def write_quads(quads: Iterable, out: BinaryIO, format: str = "nquads") -> int:
    """Write pyoxigraph quads to ``out`` as ``nquads`` or ``trig``, deterministically: blank nodes get
    canonical labels (RDFC-1.0) and quads are sorted, so equal content gives equal bytes. Returns the
    quad count."""
    fmt = DUMP_FORMATS.get(format.lower())
    if fmt is None:
        raise ValueError(f"unknown dump format {format!r}; use nquads or trig")
    quads = list(quads)
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    if fmt == "nquads":
        lines = sorted(f"{q} .\n" for q in quads)
        out.write("".join(lines).encode())
    else:
        quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
        for piece in trig_lines(quads):
            out.write(piece.encode())
    return len(quads)


def term(node) -> str:
    """A term as TriG text: an IRI as a prefixed name when that needs no escape (``compact``), else
    ``<iri>``; a literal with its datatype abbreviated the same way; a blank node as its label.

    >>> term(ox.NamedNode("https://w3id.org/aseankg/id/graph/reference"))
    '<https://w3id.org/aseankg/id/graph/reference>'
    >>> term(ox.Literal("Hà Nội", language="vi")), term(ox.Literal('say "hi"'))
    ('"Hà Nội"@vi', '"say \\\\"hi\\\\""')
    """
    if isinstance(node, ox.NamedNode):
        return _iri(node.value)
    if isinstance(node, ox.Literal):
        text = str(ox.Literal(node.value))  # the lexical form quoted and escaped as in N-Triples
        if node.language:
            return f"{text}@{node.language}"
        datatype = node.datatype.value
        return text if datatype == "http://www.w3.org/2001/XMLSchema#string" else f"{text}^^{_iri(datatype)}"
    return str(node)  # a blank node (canonical label), or a quoted triple


def _iri(iri: str) -> str:
    return compact(iri, TRIG_PREFIXES)


def trig_lines(quads: list) -> Iterator[str]:
    """The text of sorted quads as TriG: the prefixes, then each named graph as a block of its subjects
    (a predicate per line); triples of the default graph, if any, stand outside the blocks."""
    for prefix, namespace in TRIG_PREFIXES.items():
        yield f"@prefix {prefix}: <{namespace}> .\n"
    for graph, in_graph in groupby(quads, key=lambda q: q.graph_name):
        named = not isinstance(graph, ox.DefaultGraph)
        yield "\n" + (f"{term(graph)} {{\n" if named else "")
        indent = "\t" if named else ""
        for subject, triples in groupby(in_graph, key=lambda q: q.subject):
            lines = [f"{'a' if q.predicate.value == RDF_TYPE else term(q.predicate)} {term(q.object)}"
                     for q in triples]
            yield f"{indent}{term(subject)} " + f" ;\n{indent}\t".join(lines) + " .\n"
        if named:
            yield "}\n"


def dump_to_path(store, path: str | os.PathLike, format: str | None = None) -> int:
    """Dump ``store`` to ``path`` whole (``outputs.open_output``: a temporary file renamed into place, a
    device or FIFO written straight to, a symlink followed); returns the quad count.

    The format follows the suffix (``.trig``, else N-Quads) unless ``format`` is given.
    """
    from .outputs import open_output

    path = Path(path)
    fmt = format or ("trig" if path.suffix.lower() == ".trig" else "nquads")
    with open_output(path, "wb") as out:
        return store.dump(out, fmt)
