"""The store's merged default graph: the SPARQL Update texts that keep it in step with the named
graphs, and the dataset a query reads (see ``store``).

>>> import pyoxigraph as ox
>>> g = ox.NamedNode("https://w3id.org/aseankg/id/article/0123456789abcdef")
>>> q = ox.Quad(ox.NamedNode("http://ex.org/s"), ox.NamedNode("http://ex.org/p"), ox.Literal("o"), g)
>>> print(insert_merged(g, [q]))
INSERT DATA { GRAPH <https://w3id.org/aseankg/id/article/0123456789abcdef> {
<http://ex.org/s> <http://ex.org/p> "o" .
}
<http://ex.org/s> <http://ex.org/p> "o" .
}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from . import settings


def _lines(quads: Iterable[ox.Quad]) -> str:
    """The quads' triples as N-Triples lines, sorted."""
    return "".join(sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads))


def data(verb: str, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> str:
    """``INSERT DATA`` / ``DELETE DATA`` for quads of one graph, sorted (an empty block is valid)."""
    return f"{verb} DATA {{ GRAPH {graph} {{\n{_lines(quads)}}} }}"


def insert_data(graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> str:
    """``INSERT DATA`` for quads of one graph."""
    return data("INSERT", graph, quads)


def unmerge(graphs: Iterable[ox.NamedNode]) -> str:
    """Remove from the default graph the triples of ``graphs`` that no other merged graph states."""
    names = [str(g) for g in sorted(graphs, key=str)]
    unmerged = ", ".join([*names, str(ox.NamedNode(settings.INFERENCE_GRAPH))])
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?dropped {{ {' '.join(names)} }} GRAPH ?dropped {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other NOT IN ({unmerged})) }} }}")


def default_copies(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad's copy in the default graph (the merge's share of a named graph's quads)."""
    for q in quads:
        yield ox.Quad(q.subject, q.predicate, q.object)


def insert_merged(graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> str:
    """``INSERT DATA`` of quads into ``graph`` and into the default graph, in one operation (so blank
    nodes are the same nodes in both)."""
    lines = _lines(quads)
    return f"INSERT DATA {{ GRAPH {graph} {{\n{lines}}}\n{lines}}}"


def has_merge(db: ox.Store) -> bool:
    """Whether the default graph of ``db`` holds anything (the merge, once a write has made it)."""
    return next(db.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None


def default_dataset(db: ox.Store, inference: bool) -> dict:
    """The ``pyoxigraph.Store.query`` options that give a query without its own dataset the store's
    default graph: the merge, plus the inference graph when ``inference``. A store written before
    the merge was kept (its default graph empty) falls back to the union of its named graphs."""
    inferred = ox.NamedNode(settings.INFERENCE_GRAPH)
    if inference:
        if not has_merge(db):
            return {"use_default_graph_as_union": True}
        if db.contains_named_graph(inferred):
            return {"default_graph": [ox.DefaultGraph(), inferred]}
        return {"default_graph": ox.DefaultGraph()}
    if not db.contains_named_graph(inferred):  # nothing to leave out
        return default_dataset(db, True)
    # Listing the named graphs is what keeps GRAPH ?g off the inference graph; pyoxigraph pays
    # for the list at every pattern lookup, so it is only given when there is a graph to leave out.
    graphs = [g for g in db.named_graphs() if g != inferred]
    return {"default_graph": ox.DefaultGraph() if has_merge(db) else graphs, "named_graphs": graphs}
