"""A small, fast SHACL engine: the shapes graph compiled once into checks, then data graphs validated.

pyshacl rebuilds its view of the shapes and re-parses every SPARQL constraint for every focus node,
which costs ~0.35 s per article; this engine interprets the same shapes graph generically (one
class per constraint component, as in the SHACL spec) and runs SPARQL constraints with pyoxigraph,
once per constraint for all focus nodes. It supports the SHACL Core components listed in
``PARAMETERS`` and SELECT-based ``sh:sparql`` constraints; a shapes graph using anything else
makes :func:`compile_shapes` raise :class:`UnsupportedShapeError`, so no check is silently lost.

The data graph is a :class:`DataGraph`: a union of :class:`TripleIndex` layers, each optionally
restricted to a set of subjects (all of their triples), so fixed data (an ontology, reference data)
is indexed once and only the new part is indexed per validation. Results carry the same data as
pyshacl's report.

>>> from rdflib import Graph
>>> shapes = compile_shapes(Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
...     ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .'''))
>>> data = Graph().parse(format="turtle", data='''@prefix ex: <http://example.org/> .
...     ex:a a ex:C ; ex:name "A" . ex:b a ex:C .''')
>>> [(str(r.focus), str(r.path), r.component.split("#")[1]) for r in shapes.validate(data)]
[('http://example.org/b', 'http://example.org/name', 'MinCountConstraintComponent')]
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, Namespace
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

# rdflib's XSD namespace object warns when pytest's doctest collection probes module globals.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

RDF_TYPE, RDFS_SUBCLASSOF = RDF.type, RDFS.subClassOf  # plain URIRefs: namespace lookups are slow

__all__ = ["PARAMETERS", "DataGraph", "Result", "Shapes", "TripleIndex", "UnsupportedShapeError",
           "compile_shapes"]


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
        only, which saves iterating its triples through rdflib (most of a small graph's cost)."""
        store = graph.store
        if type(graph) is Graph and type(store) is Memory and len(list(store.contexts())) <= 1:
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


# ---------------------------------------------------------------------------------------------
# Constraint components: each checks a focus node's value nodes and records its results
# ---------------------------------------------------------------------------------------------

class Component:
    """One constraint of a shape. ``check`` appends results to ``out`` (or, when ``out`` is None,
    only answers whether the focus node conforms) and returns whether it conforms."""

    name = ""

    @cached_property
    def iri(self) -> URIRef:
        return SH[self.name + "ConstraintComponent"]  # type: ignore[index]

    def failures(self, ctx: _Run, shape: _Shape, focus, values) -> Iterator[Node | None]:
        raise NotImplementedError

    def check(self, ctx: _Run, shape: _Shape, focus, values, out: list | None) -> bool:
        ok = True
        for value in self.failures(ctx, shape, focus, values):
            ok = False
            if out is None:
                return False
            out.append(shape.result(focus, self.iri, value, self.message(value)))
        return ok

    def message(self, value) -> str:
        return f"{self.name} constraint not met" + ("" if value is None else f" by {value}")


class ValueTest(Component):
    """A component that tests each value node on its own."""

    def __init__(self, name: str, test, text: str):
        self.name, self.test, self.text = name, test, text
        self.iri = SH[name + "ConstraintComponent"]

    def check(self, ctx, shape, focus, values, out):
        ok, test, data = True, self.test, ctx.data
        for v in values:
            if not test(data, v):
                ok = False
                if out is None:
                    return False
                out.append(shape.result(focus, self.iri, v, self.message(v)))
        return ok

    def message(self, value) -> str:
        return f"Value {value} {self.text}"


class Count(Component):
    def __init__(self, name: str, limit: int):
        self.name, self.limit, self.low = name, limit, name == "MinCount"
        self.iri = SH[name + "ConstraintComponent"]

    def check(self, ctx, shape, focus, values, out):
        if (len(values) >= self.limit) if self.low else (len(values) <= self.limit):
            return True
        if out is not None:
            out.append(shape.result(focus, self.iri, None, self.message(None)))
        return False

    def message(self, value) -> str:
        return f"{'Less' if self.name == 'MinCount' else 'More'} than {self.limit} values"


class Pair(Component):
    """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals: values against another property."""

    def __init__(self, name: str, other: URIRef):
        self.name, self.other = name, other

    def failures(self, ctx, shape, focus, values):
        others = ctx.data.objects(focus, self.other)
        if self.name == "Equals":
            yield from (v for v in values if v not in others)
            yield from (o for o in others if o not in values)
        elif self.name == "Disjoint":
            yield from (v for v in values if v in others)
        else:
            strict = self.name == "LessThan"
            for v in values:
                for o in others:
                    if not _ordered(v, o, strict):
                        yield v

    def message(self, value) -> str:
        return f"Value {value} fails {self.name} {self.other}"


class HasValue(Component):
    name = "HasValue"

    def __init__(self, term: Node):
        self.term = term

    def failures(self, ctx, shape, focus, values):
        if self.term not in values:
            yield None if shape.path is not None else focus


class Logical(Component):
    """sh:or, sh:and, sh:xone, sh:not, sh:node: each value node against other shapes."""

    def __init__(self, name: str, shapes: list[_Shape]):
        self.name, self.shapes = name, shapes

    def failures(self, ctx, shape, focus, values):
        for v in values:
            hits = sum(1 for s in self.shapes if ctx.conforms(s, v))
            if {"Or": hits == 0, "And": hits < len(self.shapes), "Xone": hits != 1,
                    "Not": hits > 0, "Node": hits < len(self.shapes)}[self.name]:
                yield v

    def message(self, value) -> str:
        return f"Value {value} does not meet sh:{self.name.lower()}"


class Property(Component):
    """sh:property: the property shape's own results, about the same focus node."""

    name = "Property"

    def __init__(self, shape: _Shape):
        self.shape = shape

    def check(self, ctx, shape, focus, values, out):
        return ctx.validate(self.shape, focus, out)


class Qualified(Component):
    """sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount."""

    def __init__(self, shape: _Shape, low: int | None, high: int | None, siblings: list[_Shape]):
        self.shape, self.low, self.high, self.siblings = shape, low, high, siblings

    def check(self, ctx, shape, focus, values, out):
        if not self.siblings and not values and not self.low:
            return True
        n = sum(1 for v in values
                if ctx.conforms(self.shape, v) and not any(ctx.conforms(s, v) for s in self.siblings))
        ok = True
        for name, bad in (("QualifiedMaxCount", self.high is not None and n > self.high),
                          ("QualifiedMinCount", self.low is not None and n < self.low)):
            if bad:
                ok = False
                if out is None:
                    return False
                out.append(shape.result(focus, SH[name + "ConstraintComponent"], None,
                                        f"{name} of {self.low if 'Min' in name else self.high} not met"))
        return ok


class Closed(Component):
    name = "Closed"

    def __init__(self, allowed: set):
        self.allowed = allowed

    def check(self, ctx, shape, focus, values, out):
        ok = True
        for v in values:
            for p, o in ctx.data.predicate_objects(v):
                if p not in self.allowed:
                    ok = False
                    if out is None:
                        return False
                    out.append(shape.result(focus, self.iri, o, f"Predicate {p} is not allowed (closed shape)",
                                            path=p))
        return ok


class Sparql(Component):
    """A SELECT-based sh:sparql constraint, run with pyoxigraph on the triples it can read."""

    name = "SPARQL"

    def __init__(self, node: Node, query: str, messages: list[Literal], deactivated: bool):
        self.node, self.query, self.messages, self.deactivated = node, query, messages, deactivated
        try:
            algebra = prepareQuery(query).algebra
        except Exception as exc:
            raise UnsupportedShapeError(f"sh:select of {node} does not parse: {exc}") from exc
        names, predicates, full = _analyse(algebra)
        if algebra.name != "SelectQuery" or "ServiceGraphPattern" in names:
            raise UnsupportedShapeError(f"sh:sparql {node}: only SELECT queries without SERVICE are supported")
        #: predicates the query can read, or None when it may read any triple (variable predicates...)
        self.predicates = None if full else predicates
        projected = {str(v) for v in algebra.get("PV", [])}
        self.batch = None
        brace = query.find("{", query.upper().find("SELECT"))
        if "this" in projected and not names & {"Group", "AggregateJoin", "Slice", "ToMultiSet", "Minus",
                                               "values", "Graph"} and brace > 0:
            # Pre-binding $this for many focus nodes at once: VALUES as the first element of the
            # top-level group is the same as substituting each focus node, results grouped by ?this.
            self.batch = (query[:brace + 1], query[brace + 1:])

    def rows(self, ctx: _Run, focus_nodes: list) -> dict:
        """The query's solutions for each focus node: {focus: [bindings]}."""
        store = ctx.store()
        found: dict = {f: [] for f in focus_nodes}
        iris = [f for f in focus_nodes if isinstance(f, URIRef)]
        if self.batch and iris:
            head, tail = self.batch
            text = f"{head} VALUES ?this {{ {' '.join(f'<{f}>' for f in iris)} }} {tail}"
            for row in ctx.bindings(store.query(text)):
                found[row["this"]].append(row)
        for f in focus_nodes:
            if not (self.batch and isinstance(f, URIRef)):
                found[f] = ctx.bindings(store.query(self.query, substitutions={ox.Variable("this"): ctx.to_ox(f)}))
        return found

    def check(self, ctx, shape, focus, values, out):
        if self.deactivated:
            return True
        cache = ctx.sparql.setdefault(self, {})
        if focus not in cache:
            cache.update(self.rows(ctx, [focus]))
        ok, seen = True, []
        for row in cache[focus]:
            if row in seen:
                continue
            seen.append(row)
            if row.get("failure") is True or (isinstance(row.get("failure"), Literal) and row["failure"].value):
                row = {}
            ok = False
            if out is None:
                return False
            value = row.get("value", None if shape.path is not None else focus)
            texts = [str(m) for m in self.messages or shape.messages] or ["SPARQL constraint not met"]
            text = " ".join(re.sub(r"\{[?$](\w+)\}", lambda m, row=row: str(row.get(m.group(1), m.group(0))), t)
                            for t in texts)
            out.append(shape.result(row.get("this", focus), self.iri, value, text, path=row.get("path"),
                                    constraint=self.node))
        return ok


def _analyse(node, names=None, predicates=None) -> tuple[set, set, bool]:
    """Names of the algebra operators, the predicates of triple patterns, and whether a pattern can
    read triples of any predicate (variable predicate, negated or zero-length path)."""
    names = set() if names is None else names
    predicates = set() if predicates is None else predicates
    full = False
    if isinstance(node, CompValue):
        names.add(node.name)
        if node.name == "BGP":
            for _, p, _ in node["triples"]:
                full |= _path_predicates(p, predicates)
        for value in node.values():
            full |= _analyse(value, names, predicates)[2]
    elif isinstance(node, (list, tuple)):
        for value in node:
            full |= _analyse(value, names, predicates)[2]
    return names, predicates, full


def _path_predicates(p, predicates: set) -> bool:
    if isinstance(p, URIRef):
        predicates.add(p)
        return False
    if isinstance(p, (SequencePath, AlternativePath)):
        return any([_path_predicates(a, predicates) for a in p.args])
    if isinstance(p, InvPath):
        return _path_predicates(p.arg, predicates)
    if isinstance(p, MulPath):
        return _path_predicates(p.path, predicates) or p.zero
    return True  # a variable or a negated property set


def _ordered(a: Node, b: Node, strict: bool) -> bool:
    """pyshacl's sh:lessThan(OrEquals) comparison: strings (IRIs, string literals) with strings,
    other literals by value; anything else does not compare."""
    def key(t):
        if isinstance(t, URIRef) or (isinstance(t, Literal) and isinstance(t.value, str)):
            return True, str(t)
        return False, t
    (a_str, a), (b_str, b) = key(a), key(b)
    if a_str != b_str or isinstance(a, BNode) or isinstance(b, BNode):
        return False
    try:
        return bool(a < b if strict else (a < b or a == b))
    except TypeError:
        return False


def _compare(v: Node, bound: Literal) -> int | None:
    """pyshacl's comparison of a value with a range bound: -1, 0, 1, or None when incomparable."""
    if not isinstance(v, Literal) or isinstance(v.value, str) != isinstance(bound.value, str):
        return None
    try:
        if v.eq(bound):
            return 0
        if isinstance(v.value, (datetime.datetime, datetime.time)):
            return 0 if v.value == bound.value else 1 if v.value > bound.value else -1
        return 1 if v > bound else -1
    except (TypeError, NotImplementedError):
        return None


def _string(v: Node) -> str | None:
    if isinstance(v, BNode):
        return None
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, _LANG_STRING, _STRING):
        return str(v.value)
    return str(v)


_STRING, _LANG_STRING = XSD.string, RDF.langString
_PYTHON_TYPES = {_STRING: (str, bytes), _LANG_STRING: (str, bytes), XSD.integer: int, XSD.float: float,
                 XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
                 XSD.dateTime: datetime.datetime}


def _datatype_test(dt: URIRef):
    """pyshacl's sh:datatype test for ``dt`` (same IRI and not ill-typed; a plain literal is an
    xsd:string, a language-tagged one an rdf:langString; rdfs:Literal and rdfs:Datatype match widely)."""
    python_type = _PYTHON_TYPES.get(dt, object)
    plain = dt == _STRING
    tagged = dt == _LANG_STRING
    any_literal, any_typed = dt == RDFS.Literal, dt == RDFS.Datatype

    def test(data, v) -> bool:
        if not isinstance(v, Literal):
            return False
        vdt = v.datatype
        if vdt is not None and str.__eq__(vdt, dt):
            ok = getattr(v, "ill_typed", None) is not True
        elif any_literal:
            return True
        elif any_typed:
            return vdt is not None
        elif vdt is None:
            ok = (plain and v.language is None) or (tagged and bool(v.language))
        else:
            return False
        return ok and isinstance(v.value, python_type)
    return test


_NODE_KINDS = {SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,),
               SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal),
               SH.IRIOrLiteral: (URIRef, Literal)}


# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------

#: Shape parameters the engine understands; any other sh: predicate on a shape is refused.
PARAMETERS = frozenset(SH[n] for n in (
    "targetClass targetNode targetSubjectsOf targetObjectsOf path severity message deactivated name "
    "description order group defaultValue class datatype nodeKind minCount maxCount minInclusive "
    "maxInclusive minExclusive maxExclusive minLength maxLength pattern flags in hasValue equals disjoint "
    "lessThan lessThanOrEquals or and xone not node property qualifiedValueShape qualifiedMinCount "
    "qualifiedMaxCount qualifiedValueShapesDisjoint closed ignoredProperties sparql").split())


@dataclass(eq=False)
class _Shape:
    node: Node
    path: object = None
    severity: URIRef = SH.Violation
    messages: list = field(default_factory=list)
    deactivated: bool = False
    components: list = field(default_factory=list)
    target_classes: list = field(default_factory=list)
    target_nodes: list = field(default_factory=list)
    subjects_of: list = field(default_factory=list)
    objects_of: list = field(default_factory=list)
    path_node: Node | None = None

    def result(self, focus, component: URIRef, value, default: str, *, path=None, constraint=None) -> Result:
        """A result of this shape; its sh:message, if any, replaces the default (but not a SPARQL
        constraint's own, already formatted, message)."""
        message = default if constraint is not None or not self.messages else " ".join(map(str, self.messages))
        return Result(focus, path if path is not None else self.path_node, component, value, message,
                      self.severity, self.node, constraint)


class _Compiler:
    def __init__(self, g: Graph):
        self.g = g
        self.shapes: dict[Node, _Shape] = {}

    def items(self, node) -> list:
        return list(Collection(self.g, node))

    def one(self, node, p):
        values = list(self.g.objects(node, p))
        if len(values) != 1:
            raise UnsupportedShapeError(f"{node} needs exactly one {p}, has {len(values)}")
        return values[0]

    def shape(self, node: Node) -> _Shape:
        if node in self.shapes:
            return self.shapes[node]
        g = self.g
        shape = self.shapes[node] = _Shape(node)
        unknown = {p for p in g.predicates(node) if str(p).startswith(str(SH)) and p not in PARAMETERS}
        if unknown:
            raise UnsupportedShapeError(f"shape {node} uses {', '.join(sorted(unknown))}, which this engine "
                                        "does not implement")
        if (node, SH.path, None) in g:
            shape.path_node = self.one(node, SH.path)
            shape.path = _path(g, shape.path_node)
        shape.severity = g.value(node, SH.severity) or SH.Violation
        shape.messages = sorted(g.objects(node, SH.message))
        shape.deactivated = any(bool(d.value) for d in g.objects(node, SH.deactivated) if isinstance(d, Literal))
        shape.target_classes = list(g.objects(node, SH.targetClass))
        if (node, RDF_TYPE, RDFS.Class) in g:  # implicit class target
            shape.target_classes.append(node)
        shape.target_nodes = list(g.objects(node, SH.targetNode))
        shape.subjects_of = list(g.objects(node, SH.targetSubjectsOf))
        shape.objects_of = list(g.objects(node, SH.targetObjectsOf))
        add = shape.components.append
        for p, o in sorted(g.predicate_objects(node)):
            name = str(p)[len(str(SH)):] if p in PARAMETERS else None
            if name == "class":
                add(ValueTest("Class", lambda d, v, c=o: d.is_instance(v, c), f"does not have class {o}"))
            elif name == "datatype":
                add(ValueTest("Datatype", _datatype_test(o), f"is not a literal of {o}"))
            elif name == "nodeKind":
                if o not in _NODE_KINDS:
                    raise UnsupportedShapeError(f"unknown sh:nodeKind {o}")
                add(ValueTest("NodeKind", lambda d, v, k=_NODE_KINDS[o]: isinstance(v, k), f"is not {o}"))
            elif name in ("minCount", "maxCount"):
                add(Count(name[0].upper() + name[1:], int(o)))
            elif name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
                ok = {"minInclusive": (0, 1), "maxInclusive": (-1, 0), "minExclusive": (1,),
                      "maxExclusive": (-1,)}[name]
                add(ValueTest(name[0].upper() + name[1:], lambda d, v, b=o, ok=ok: _compare(v, b) in ok,
                              f"fails {name} {o}"))
            elif name in ("minLength", "maxLength"):
                n = int(o)
                test = ((lambda d, v, n=n: n == 0 or (_string(v) is not None and len(_string(v)) >= n))
                        if name == "minLength" else
                        (lambda d, v, n=n: _string(v) is not None and len(_string(v)) <= n))
                add(ValueTest(name[0].upper() + name[1:], test, f"fails {name} {n}"))
            elif name == "pattern":
                flags = str(g.value(node, SH.flags) or "")
                regex = re.compile(str(o), sum(f for c, f in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X))
                                               if c in flags))
                add(ValueTest("Pattern", lambda d, v, r=regex: _string(v) is not None and bool(r.search(_string(v))),
                              f"does not match pattern '{o}'"))
            elif name == "in":
                members = frozenset(self.items(o))
                add(ValueTest("In", lambda d, v, m=members: v in m, "is not in the allowed list"))
            elif name == "hasValue":
                add(HasValue(o))
            elif name in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
                add(Pair(name[0].upper() + name[1:], o))
            elif name in ("or", "and", "xone"):
                add(Logical(name.capitalize(), [self.shape(s) for s in self.items(o)]))
            elif name in ("not", "node"):
                add(Logical(name.capitalize(), [self.shape(o)]))
            elif name == "property":
                add(Property(self.shape(o)))
            elif name == "qualifiedValueShape":
                add(self.qualified(node, o))
            elif name == "closed" and bool(o.value):
                allowed = {self.g.value(ps, SH.path) for ps in g.objects(node, SH.property)}
                for ignored in g.objects(node, SH.ignoredProperties):
                    allowed |= set(self.items(ignored))
                add(Closed(allowed))
            elif name == "sparql":
                add(self.sparql(o))
        return shape

    def qualified(self, node, value_shape) -> Qualified:
        g = self.g
        low, high = g.value(node, SH.qualifiedMinCount), g.value(node, SH.qualifiedMaxCount)
        siblings = []
        if any(bool(d.value) for d in g.objects(node, SH.qualifiedValueShapesDisjoint)):
            for parent in g.subjects(SH.property, node):
                for ps in g.objects(parent, SH.property):
                    siblings += [self.shape(s) for s in g.objects(ps, SH.qualifiedValueShape) if s != value_shape]
        return Qualified(self.shape(value_shape), None if low is None else int(low),
                         None if high is None else int(high), siblings)

    def sparql(self, node) -> Sparql:
        g = self.g
        allowed = {RDF_TYPE, SH.select, SH.message, SH.prefixes, SH.deactivated}
        unknown = {p for p in g.predicates(node) if p not in allowed and str(p).startswith(str(SH))}
        if unknown or (node, SH.select, None) not in g:
            raise UnsupportedShapeError(f"sh:sparql {node}: only sh:select constraints are supported")
        text = str(self.one(node, SH.select))
        if re.search(r"[$?](shapesGraph|currentShape)\b", text):
            raise UnsupportedShapeError(f"sh:sparql {node}: $shapesGraph and $currentShape are not supported")
        owners = list(g.subjects(SH.sparql, node))
        path = self.shapes[owners[0]].path if owners and owners[0] in self.shapes else None
        if re.search(r"[$?]PATH\b", text):
            if path is None:
                raise UnsupportedShapeError(f"sh:sparql {node} uses $PATH outside a property shape")
            text = re.sub(r"[$?]PATH\b", lambda _: _sparql_path(path), text)
        prologue = "".join(
            f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
            for ontology in g.objects(node, SH.prefixes) for d in g.objects(ontology, SH.declare))
        deactivated = any(bool(d.value) for d in g.objects(node, SH.deactivated))
        return Sparql(node, prologue + text, sorted(g.objects(node, SH.message)), deactivated)


class _Run:
    """The state of one validation: the data, the SPARQL store and caches."""

    def __init__(self, data: DataGraph, predicates: set | None):
        self.data = data
        self.predicates = predicates
        self.sparql: dict = {}
        self._store = None
        self._to_rdflib: dict = {}
        self._conforms: dict = {}
        self._active: set = set()

    def validate(self, shape: _Shape, focus, out: list | None) -> bool:
        if shape.deactivated:
            return True
        path = shape.path
        if path is None:
            values = (focus,)
        elif type(path) is URIRef:
            values = self.data.properties(focus).get(path, EMPTY)
        else:
            values = path_values(self.data, path, focus)
        ok = True
        for component in shape.components:
            if not component.check(self, shape, focus, values, out):
                ok = False
                if out is None:
                    return False
        return ok

    def conforms(self, shape: _Shape, node) -> bool:
        key = (shape, node)
        found = self._conforms.get(key)
        if found is None:
            if key in self._active:  # recursive shapes: a node under evaluation conforms (as pyshacl)
                return True
            self._active.add(key)
            found = self._conforms[key] = self.validate(shape, node, None)
            self._active.discard(key)
        return found

    def to_ox(self, t: Node):
        if isinstance(t, URIRef):
            o = ox.NamedNode(t)
        elif isinstance(t, BNode):
            o = ox.BlankNode(re.sub(r"\W", "_", str(t)))
        elif t.language:
            o = ox.Literal(str(t), language=t.language)
        else:
            o = ox.Literal(str(t), datatype=ox.NamedNode(t.datatype or XSD.string))
        self._to_rdflib.setdefault(o, t)
        return o

    def to_rdflib(self, o) -> Node:
        t = self._to_rdflib.get(o)
        if t is not None:
            return t
        if isinstance(o, ox.NamedNode):
            return URIRef(o.value)
        if isinstance(o, ox.BlankNode):
            return BNode(o.value)
        if o.language:
            return Literal(o.value, lang=o.language)
        return Literal(o.value, datatype=None if o.datatype.value == str(XSD.string) else URIRef(o.datatype.value))

    def bindings(self, solutions) -> list[dict]:
        """The solutions of a SELECT query as dicts of rdflib terms."""
        names = [(v, v.value) for v in solutions.variables]
        return [{name: self.to_rdflib(s[v]) for v, name in names if s[v] is not None} for s in solutions]

    def store(self):
        if self._store is None:
            data, store = self.data, ox.Store()
            predicates = data.predicates() if self.predicates is None else self.predicates
            quads = {(s, p, o) for p in predicates for s, _, o in data.triples_with(p)}
            store.extend([ox.Quad(self.to_ox(s), self.to_ox(p), self.to_ox(o)) for s, p, o in quads])
            self._store = store
        return self._store


class Shapes:
    """A compiled shapes graph; :meth:`validate` checks a data graph against it."""

    def __init__(self, shapes: list[_Shape]):
        self.shapes = shapes
        sparql = [c for s in _reachable(shapes) for c in s.components if isinstance(c, Sparql)]
        #: the predicates the SPARQL constraints read (None: any)
        self.sparql_predicates = (None if any(c.predicates is None for c in sparql)
                                  else set().union(*[c.predicates for c in sparql]))

    def focus_nodes(self, shape: _Shape, data: DataGraph) -> set:
        nodes = set(shape.target_nodes)
        for cls in shape.target_classes:
            nodes.update(data.instances(cls))
        for p in shape.subjects_of:
            nodes |= data.subjects_of(p)
        for p in shape.objects_of:
            nodes |= data.objects_of(p)
        return nodes

    def validate(self, data: Graph | DataGraph) -> list[Result]:
        """Every validation result for ``data`` (a data graph conforms when none is a violation)."""
        run = _Run(DataGraph.of(data), self.sparql_predicates)
        out: list[Result] = []
        for shape in self.shapes:
            if shape.deactivated:
                continue
            focus_nodes = list(self.focus_nodes(shape, run.data))
            if not focus_nodes:
                continue
            for component, owner in _sparql_of(shape):  # run each SPARQL constraint once for all nodes
                if not component.deactivated and not owner.deactivated:
                    run.sparql.setdefault(component, {}).update(component.rows(run, focus_nodes))
            for focus in focus_nodes:
                run.validate(shape, focus, out)
        return out


def _sparql_of(shape: _Shape) -> Iterator[tuple[Sparql, _Shape]]:
    for c in shape.components:
        if isinstance(c, Sparql):
            yield c, shape
        elif isinstance(c, Property):
            yield from ((p, c.shape) for p in c.shape.components if isinstance(p, Sparql))


def _reachable(shapes: list[_Shape]) -> list[_Shape]:
    seen: dict = {}
    todo = list(shapes)
    while todo:
        s = todo.pop()
        if id(s) in seen:
            continue
        seen[id(s)] = s
        for c in s.components:
            todo += getattr(c, "shapes", []) + [x for x in (getattr(c, "shape", None),) if x is not None]
            todo += getattr(c, "siblings", [])
    return list(seen.values())


def compile_shapes(graph: Graph) -> Shapes:
    """Compile a shapes graph; raises :class:`UnsupportedShapeError` for constructs not implemented."""
    compiler = _Compiler(graph)
    nodes = set(graph.subjects(RDF_TYPE, SH.NodeShape)) | set(graph.subjects(RDF_TYPE, SH.PropertyShape))
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        nodes |= set(graph.subjects(p, None))
    nodes |= {s for s in graph.subjects(RDF_TYPE, RDFS.Class) if (s, RDF_TYPE, SH.NodeShape) in graph}
    shapes = [compiler.shape(n) for n in sorted(nodes, key=lambda n: (type(n).__name__, n))]
    return Shapes([s for s in shapes if s.target_classes or s.target_nodes or s.subjects_of or s.objects_of])
