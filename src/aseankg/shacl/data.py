"""The data side of the SHACL engine: validation results, the indexed data graph
(:class:`TripleIndex` layers united in a :class:`DataGraph`) and property paths."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, Namespace
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

# rdflib's XSD namespace object warns when pytest's doctest collection probes module globals.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

RDF_TYPE, RDFS_SUBCLASSOF = RDF.type, RDFS.subClassOf  # plain URIRefs: namespace lookups are slow


class UnsupportedShapeError(ValueError):
    """The shapes graph uses a SHACL construct this engine does not implement (or misuses one)."""


@dataclass(frozen=True)
class Result:
    """One validation result, as in a SHACL validation report."""

    focus: Node
    path: Node | None
    component: URIRef
    value: Node | None
    message: str
    severity: URIRef
    shape: Node
    constraint: Node | None = None


EMPTY: dict = {}


class TripleIndex:
    """Triples indexed by subject, predicate, object (``spo``) and predicate, object, subject (``pos``)."""

    __slots__ = ("pos", "spo")

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]] = ()):
        spo: dict = {}
        pos: dict = {}
        for s, p, o in triples:
            spo.setdefault(s, {}).setdefault(p, {})[o] = None
            pos.setdefault(p, {}).setdefault(o, {})[s] = None
        self.spo, self.pos = spo, pos

    def __len__(self) -> int:
        return sum(len(os_) for ps in self.spo.values() for os_ in ps.values())

    @classmethod
    def of_graph(cls, graph: Graph) -> TripleIndex:
        """The index of ``graph``. A plain in-memory rdflib graph already keeps these two indexes
        (same shape, private names); they are reused, read-only, when the store holds this graph
        only, which saves iterating its triples through rdflib (most of a small graph's cost).
        A plain graph is a ``Graph``, or a subclass that reads its triples as ``Graph`` does (not a
        ``Dataset``), such as :class:`aseankg.rdf.ArticleGraph`."""
        store = graph.store
        if (isinstance(graph, Graph) and type(graph).triples is Graph.triples and type(store) is Memory
                and len(list(store.contexts())) <= 1):
            spo, pos = getattr(store, "_Memory__spo", None), getattr(store, "_Memory__pos", None)
            if isinstance(spo, dict) and isinstance(pos, dict):
                index = cls()
                index.spo, index.pos = spo, pos
                if len(index) == len(graph):
                    return index
        return cls(graph)


class DataGraph:
    """The union of triple index layers; a layer given as ``(index, subjects)`` only contributes the
    triples of those subjects."""

    def __init__(self, *layers: TripleIndex | tuple[TripleIndex, set | frozenset]):
        self.layers = [(layer, None) if isinstance(layer, TripleIndex) else layer for layer in layers]
        self._supers: dict = {}
        self._props: dict = {}
        self._instances: dict | None = None

    @classmethod
    def of(cls, graph: Graph | DataGraph) -> DataGraph:
        return graph if isinstance(graph, DataGraph) else cls(TripleIndex.of_graph(graph))

    def properties(self, s: Node) -> dict:
        """{predicate: {object: None}} for subject ``s``, merged over the layers (memoised)."""
        found = self._props.get(s)
        if found is None:
            for index, allowed in self.layers:
                if allowed is not None and s not in allowed:
                    continue
                ps = index.spo.get(s)
                if ps:
                    if found is None:
                        found = ps
                    else:
                        found = {p: {**found.get(p, EMPTY), **ps.get(p, EMPTY)} for p in {**found, **ps}}
            found = self._props[s] = found or EMPTY
        return found

    def objects(self, s: Node, p: Node) -> dict:
        return self.properties(s).get(p, EMPTY)

    def subjects(self, p: Node, o: Node) -> dict:
        found = None
        for index, allowed in self.layers:
            ss = index.pos.get(p, EMPTY).get(o)
            if ss and allowed is not None:
                ss = {s: None for s in ss if s in allowed}
            if ss:
                found = ss if found is None else {**found, **ss}
        return found or EMPTY

    def predicate_objects(self, s: Node) -> Iterator[tuple[Node, Node]]:
        return ((p, o) for p, os_ in self.properties(s).items() for o in os_)

    def triples_with(self, p: Node) -> Iterator[tuple[Node, Node, Node]]:
        """The triples with predicate ``p`` (a triple in two layers comes twice)."""
        for index, allowed in self.layers:
            for o, ss in index.pos.get(p, EMPTY).items():
                for s in ss:
                    if allowed is None or s in allowed:
                        yield s, p, o

    def predicates(self) -> set:
        return {p for index, _ in self.layers for p in index.pos}

    def subjects_of(self, p: Node) -> set:
        found: set = set()
        for index, allowed in self.layers:
            by_object = index.pos.get(p)
            if not by_object:
                continue
            if allowed is None:
                for ss in by_object.values():
                    found.update(ss)
            else:
                spo = index.spo
                found.update(s for s in allowed if p in spo.get(s, EMPTY))
        return found

    def objects_of(self, p: Node) -> set:
        found: set = set()
        for index, allowed in self.layers:
            by_object = index.pos.get(p)
            if not by_object:
                continue
            if allowed is None:
                found.update(by_object)
            else:
                spo = index.spo
                for s in allowed:
                    found.update(spo.get(s, EMPTY).get(p, EMPTY))
        return found

    def superclasses(self, cls: Node) -> set:
        """``cls`` and every class it is an rdfs:subClassOf, transitively."""
        found = self._supers.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), RDFS_SUBCLASSOF):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._supers[cls] = found
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        return not isinstance(node, Literal) and any(
            cls in self.superclasses(t) for t in self.objects(node, RDF_TYPE))

    def instances(self, cls: Node) -> dict:
        """Nodes whose rdf:type is ``cls`` or one of its subclasses (SHACL class targets)."""
        if self._instances is None:
            self._instances = {}
            for s, _, t in self.triples_with(RDF_TYPE):
                for c in self.superclasses(t):
                    self._instances.setdefault(c, {})[s] = None
        return self._instances.get(cls, EMPTY)


# ---------------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------------

def _path(g: Graph, node: Node):
    """The path at ``node`` as an rdflib path object (an IRI stays an IRI)."""
    if isinstance(node, URIRef):
        return node
    if (node, RDF.first, None) in g:
        return SequencePath(*[_path(g, n) for n in Collection(g, node)])
    preds = {p: o for p, o in g.predicate_objects(node)}
    if len(preds) != 1:
        raise UnsupportedShapeError(f"unsupported property path {node}: {sorted(preds)}")
    (p, o), = preds.items()
    if p == SH.inversePath:
        return InvPath(_path(g, o))
    if p == SH.alternativePath:
        return AlternativePath(*[_path(g, n) for n in Collection(g, o)])
    mods = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}
    if p in mods:
        return MulPath(_path(g, o), mods[p])
    raise UnsupportedShapeError(f"unsupported property path {node}: {p}")


def path_values(data: DataGraph, path, focus: Node) -> dict:
    """The value nodes of ``focus`` for ``path`` (keys of the returned dict)."""
    if isinstance(path, URIRef):
        return data.objects(focus, path)
    nodes = {focus: None}
    if isinstance(path, SequencePath):
        for step in path.args:
            nodes = {v: None for n in nodes for v in path_values(data, step, n)}
        return nodes
    if isinstance(path, AlternativePath):
        return {v: None for step in path.args for v in path_values(data, step, focus)}
    if isinstance(path, InvPath):
        if isinstance(path.arg, URIRef):
            return data.subjects(path.arg, focus)
        return _inverse_values(data, path.arg, focus)
    if isinstance(path, MulPath):
        found = {focus: None} if path.zero else {}
        frontier = [focus]
        while frontier:
            step = [v for n in frontier for v in path_values(data, path.path, n) if v not in found]
            found.update(dict.fromkeys(step))
            frontier = step if path.more else []
        return found
    raise UnsupportedShapeError(f"unsupported path {path!r}")


def _inverse_values(data: DataGraph, path, focus: Node) -> dict:
    if isinstance(path, URIRef):
        return data.subjects(path, focus)
    if isinstance(path, InvPath):
        return path_values(data, path.arg, focus)
    if isinstance(path, SequencePath):
        nodes = {focus: None}
        for step in reversed(path.args):
            nodes = {v: None for n in nodes for v in _inverse_values(data, step, n)}
        return nodes
    if isinstance(path, AlternativePath):
        return {v: None for step in path.args for v in _inverse_values(data, step, focus)}
    return path_values(data, MulPath(InvPath(path.path), path.mod), focus)


def _sparql_path(path) -> str:
    return f"<{path}>" if isinstance(path, URIRef) else path.n3()
