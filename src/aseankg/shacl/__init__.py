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

The engine is split by responsibility, dependencies pointing one way: :mod:`.data` (results, the
indexed data graph, property paths) <- :mod:`.run` (a compiled shape, the state of a validation
run) <- :mod:`.components` (the constraint components and value tests) <- :mod:`.compiler` (the
shapes compiler, :class:`Shapes`).

>>> from rdflib import Graph
>>> shapes = compile_shapes(Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
...     ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .'''))
>>> data = Graph().parse(format="turtle", data='''@prefix ex: <http://example.org/> .
...     ex:a a ex:C ; ex:name "A" . ex:b a ex:C .''')
>>> [(str(r.focus), str(r.path), r.component.split("#")[1]) for r in shapes.validate(data)]
[('http://example.org/b', 'http://example.org/name', 'MinCountConstraintComponent')]
"""

from .compiler import PARAMETERS, Shapes, compile_shapes
from .data import DataGraph, IndexStore, Result, TripleIndex, UnsupportedShapeError
from .data import path_values as path_values

__all__ = ["PARAMETERS", "DataGraph", "IndexStore", "Result", "Shapes", "TripleIndex", "UnsupportedShapeError",
           "compile_shapes"]
