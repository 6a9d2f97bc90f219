"""The SHACL engine's shapes compiler (a shapes graph into :class:`Shapes` of constraint
components) and :func:`compile_shapes`; the shape and run types are in :mod:`.run`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from .components import (
    _NODE_KINDS,
    Closed,
    Count,
    HasValue,
    Logical,
    Pair,
    Property,
    Qualified,
    Sparql,
    ValueTest,
    _compare,
    _datatype_test,
    _string,
)
from .data import (
    RDF_TYPE,
    DataGraph,
    Result,
    UnsupportedShapeError,
    _path,
    _sparql_path,
)
from .run import _Run, _Shape

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
