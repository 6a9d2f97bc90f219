"""The data side of the SHACL engine: validation results, the indexed data graph
(:class:`TripleIndex` layers united in a :class:`DataGraph`, an rdflib graph's own index when it is
stored in an :class:`IndexStore`) and property paths."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, Namespace
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.stores.memory import Memory
from rdflib.store import Store
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
        """The index of ``graph``: the one it is stored in when its store is an :class:`IndexStore`
        (as :func:`aseankg.rdf.article_graph` makes it: no copy, read-only), else a new one."""
        store = graph.store
        if isinstance(store, IndexStore):
            return store.index
        return cls(graph)

    def triples(self) -> list[tuple[Node, Node, Node]]:
        """Every triple, once, in subject order."""
        return [(s, p, o) for s, ps in self.spo.items() for p, os_ in ps.items() for o in os_]


class IndexStore(Store):
    """An rdflib store, through rdflib's public ``Store`` interface, that keeps one graph's
    triples in a :class:`TripleIndex` (``index``). A graph built on it is validated without a copy
    (:meth:`TripleIndex.of_graph`), and filling it is two dictionary updates a triple, where a
    ``Graph.add`` into rdflib's ``Memory`` store costs ~14 µs (events, three indexes, contexts).

    It is not context aware: it holds the triples of the one graph made on it. Prefixes are kept,
    when first bound, in an rdflib ``Memory`` store of their own (through its public methods).

    >>> from rdflib import URIRef, Literal
    >>> a, label = URIRef("http://example.org/a"), RDFS.label
    >>> g = Graph(store=IndexStore([(a, label, Literal("A")), (a, label, Literal("A"))]))
    >>> len(g), g.value(a, label), list(g.subjects(label, None)), (a, label, Literal("B")) in g
    (1, rdflib.term.Literal('A'), [rdflib.term.URIRef('http://example.org/a')], False)
    >>> _ = g.add((a, RDF_TYPE, RDFS.Class)).remove((a, label, None))
    >>> sorted(g) == sorted(g.store.index.triples()), len(g), len(g.store.index.pos)
    (True, 1, 1)
    """

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]] = ()):
        super().__init__()
        self.index = TripleIndex(triples)
        self.names: Memory | None = None

    def add(self, triple, context, quoted: bool = False) -> None:
        super().add(triple, context, quoted)
        s, p, o = triple
        self.index.spo.setdefault(s, {}).setdefault(p, {})[o] = None
        self.index.pos.setdefault(p, {}).setdefault(o, {})[s] = None

    def remove(self, triple, context=None) -> None:
        spo, pos = self.index.spo, self.index.pos
        for (s, p, o), _ in list(self.triples(triple, context)):
            del spo[s][p][o]
            if not spo[s][p]:
                del spo[s][p]
                if not spo[s]:
                    del spo[s]
            del pos[p][o][s]
            if not pos[p][o]:
                del pos[p][o]
                if not pos[p]:
                    del pos[p]

    def triples(self, triple, context=None):
        """The triples matching the pattern ``triple``, each with no contexts."""
        s, p, o = triple
        spo, pos, none = self.index.spo, self.index.pos, ()
        if s is not None:
            for p2, os_ in spo.get(s, EMPTY).items() if p is None else ((p, spo.get(s, EMPTY).get(p, EMPTY)),):
                for o2 in os_ if o is None else ((o,) if o in os_ else ()):
                    yield (s, p2, o2), none
        elif p is not None:
            by_object = pos.get(p, EMPTY)
            for o2, ss in by_object.items() if o is None else ((o, by_object.get(o, EMPTY)),):
                for s2 in ss:
                    yield (s2, p, o2), none
        elif o is not None:
            for p2, by_object in pos.items():
                for s2 in by_object.get(o, EMPTY):
                    yield (s2, p2, o), none
        else:
            for s2, ps in spo.items():
                for p2, os_ in ps.items():
                    for o2 in os_:
                        yield (s2, p2, o2), none

    def __len__(self, context=None) -> int:
        return len(self.index)

    def contexts(self, triple=None):
        return iter(())

    def _names(self) -> Memory:
        if self.names is None:
            self.names = Memory()
        return self.names

    def bind(self, prefix: str, namespace, override: bool = True) -> None:
        self._names().bind(prefix, namespace, override)

    def prefix(self, namespace):
        return self._names().prefix(namespace)

    def namespace(self, prefix: str):
        return self._names().namespace(prefix)

    def namespaces(self):
        return self._names().namespaces()


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
