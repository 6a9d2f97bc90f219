"""The constraint components of the SHACL engine (one class per SHACL constraint component) and
the value tests and comparisons they use, as pyshacl does them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from ..safety import PARSER_LOCK
from .data import XSD, UnsupportedShapeError

if TYPE_CHECKING:  # annotations only: at run time components depend on .data alone
    from .run import _Run, _Shape


# ---------------------------------------------------------------------------------------------
# Constraint components: each checks a focus node's value nodes and records its results
# ---------------------------------------------------------------------------------------------

class Component:
    """One constraint of a shape. ``check`` appends results to ``out`` (or, when ``out`` is None,
    only answers whether the focus node conforms) and returns whether it conforms."""

    name = ""
    #: whether the component is a :class:`ValueTest` (tests each value node on its own)
    tests_each_value = False

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

    tests_each_value = True

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
            with PARSER_LOCK:  # rdflib's parser is not thread-safe
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


def _integers(a: Node, b: Node) -> tuple[int, int] | None:
    """The values of two well-typed xsd:integer literals, which rdflib compares by value; None for
    anything else. The common case (offsets, ordinals), answered without rdflib's general rules."""
    if (type(getattr(a, "value", None)) is int and type(getattr(b, "value", None)) is int
            and isinstance(a, Literal) and isinstance(b, Literal) and a.datatype == _INTEGER
            and b.datatype == _INTEGER and not a.ill_typed and not b.ill_typed):
        return a.value, b.value
    return None


def _ordered(a: Node, b: Node, strict: bool) -> bool:
    """pyshacl's sh:lessThan(OrEquals) comparison: strings (IRIs, string literals) with strings,
    other literals by value; anything else does not compare."""
    if strict and (values := _integers(a, b)) is not None:
        return values[0] < values[1]

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
    if (values := _integers(v, bound)) is not None:
        return (values[0] > values[1]) - (values[0] < values[1])
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


_STRING, _LANG_STRING, _INTEGER = XSD.string, RDF.langString, XSD.integer
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
