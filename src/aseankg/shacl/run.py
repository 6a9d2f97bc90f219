"""The SHACL engine's compiled shape (:class:`_Shape`, what the compiler makes of a shape node)
and the state of one validation run (:class:`_Run`): the types the constraint components
(:mod:`.components`) check against and the compiler (:mod:`.compiler`) builds, below both."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .data import EMPTY, XSD, DataGraph, Result, path_values


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

    @cached_property
    def value_tests(self) -> tuple | None:
        """The tests a node must pass to conform, when the shape is nothing but tests of the node
        itself (``[ sh:datatype xsd:string ]`` in an ``sh:or``, ``[ sh:class owl:Class ]``); None
        otherwise. Read once the shape is compiled."""
        if self.deactivated:
            return ()
        if self.path is None and all(c.tests_each_value for c in self.components):
            return tuple(c.test for c in self.components)
        return None

    def result(self, focus, component: URIRef, value, default: str, *, path=None, constraint=None) -> Result:
        """A result of this shape; its sh:message, if any, replaces the default (but not a SPARQL
        constraint's own, already formatted, message)."""
        message = default if constraint is not None or not self.messages else " ".join(map(str, self.messages))
        return Result(focus, path if path is not None else self.path_node, component, value, message,
                      self.severity, self.node, constraint)


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
        tests = shape.value_tests
        if tests is not None:  # as validate() would answer, without the memo (mostly one-off literals)
            data = self.data
            for test in tests:
                if not test(data, node):
                    return False
            return True
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
