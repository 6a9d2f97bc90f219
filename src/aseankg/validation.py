"""The SHACL gate: an article's graph must conform to ``ontology/shapes.ttl`` before it is stored.

Each article is checked on its own, with the ontology and only the reference data it points to
(the descriptions of the countries, organisations, series, roles and places it mentions), so the
cost of a check does not grow with the store or the gazetteer. The check runs on the project's own
SHACL engine (:mod:`aseankg.shacl`, a few milliseconds an article); ``engine="pyshacl"`` runs
pyshacl on the same data graph instead, for cross-checking (~0.35 s an article).

>>> from aseankg.reading import parse_text
>>> from aseankg.extraction import extract
>>> from aseankg.rdf import article_graph
>>> ex = extract(parse_text("The 58th ASEAN Foreign Ministers' Meeting opened in Kuala Lumpur on July 9, 2025.",
...                         source_file="amm.txt"))
>>> load_validator().validate(article_graph(ex)).conforms
True
>>> load_validator().validate(article_graph(ex), engine="pyshacl").conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from . import settings
from .gazetteer import load_gazetteer
from .shacl import DataGraph, Result, TripleIndex, compile_shapes

#: The validation engines :meth:`ArticleValidator.validate` can run.
ENGINES = ("aseankg", "pyshacl")


@dataclass
class Violation:
    focus: str
    path: str | None
    constraint: str
    message: str
    value: str | None = None
    severity: str = "sh:Violation"

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.focus}{where}: {self.message}{value} [{self.constraint}]"


@dataclass
class ValidationResult:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def report(self) -> str:
        """A readable report, one violation a line."""
        if self.conforms:
            return "conforms"
        return "\n".join(str(v) for v in self.violations)


def _short(term) -> str | None:
    if term is None:
        return None
    text = str(term)
    for prefix, ns in (("akg:", settings.ONTOLOGY_NS), ("id:", settings.ID_NS), ("sh:", str(SH))):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


class ArticleValidator:
    """Checks article graphs against the shapes, with the reference data each one refers to.

    The data graph of an article is its own triples, the ontology (as pyshacl's ``ont_graph``:
    mixed into the data) and the reference slice: the descriptions of the reference nodes the
    article mentions and, transitively, of the reference nodes those mention (a venue's city, a
    place's country).
    """

    def __init__(self, shapes: Graph, ontology: Graph, reference: Graph):
        self.shapes = shapes
        self.ontology = ontology
        self.reference = reference
        self.engine = compile_shapes(shapes)
        self._ontology = TripleIndex(ontology)
        self._reference = TripleIndex(reference)
        self._closure: dict[URIRef, frozenset] = {}

    def _described_from(self, node: URIRef) -> frozenset:
        """``node`` and the reference nodes its description leads to (computed once per node)."""
        found = self._closure.get(node)
        if found is None:
            spo = self._reference.spo
            seen, todo = {node}, [node]
            while todo:
                for objects in spo[todo.pop()].values():
                    for o in objects:
                        if o not in seen and isinstance(o, URIRef) and o in spo:
                            seen.add(o)
                            todo.append(o)
            found = self._closure[node] = frozenset(seen)
        return found

    def reference_slice(self, article: TripleIndex) -> set[URIRef]:
        """The reference nodes whose descriptions join the article's data graph."""
        spo = self._reference.spo
        nodes = {s for s in article.spo if s in spo}
        nodes.update(o for objects in article.pos.values() for o in objects if o in spo and isinstance(o, URIRef))
        described: set[URIRef] = set()
        for node in nodes:
            if node not in described:
                described |= self._described_from(node)
        return described

    def data_graph(self, graph: Graph) -> DataGraph:
        """The article's data graph for the engine: the article, its reference slice, the ontology."""
        article = TripleIndex.of_graph(graph)
        return DataGraph(article, (self._reference, self.reference_slice(article)), self._ontology)

    def _data_graph(self, graph: Graph) -> Graph:
        """The same data graph as an rdflib graph (ontology excluded: pyshacl mixes it in)."""
        data = Graph()
        for t in graph:
            data.add(t)
        for node in self.reference_slice(TripleIndex.of_graph(graph)):
            for p, objects in self._reference.spo[node].items():
                for o in objects:
                    data.add((node, p, o))
        return data

    def results(self, graph: Graph) -> list[Result]:
        """Every result of the project's engine for ``graph``, at any severity."""
        return self.engine.validate(self.data_graph(graph))

    def validate(self, graph: Graph, *, engine: str = "aseankg") -> ValidationResult:
        """Check ``graph``; it conforms when no result has severity sh:Violation."""
        if engine == "aseankg":
            violations = [Violation(_short(r.focus), _short(r.path), _short(r.component), r.message,
                                    _short(r.value)) for r in self.results(graph) if r.severity == SH.Violation]
        elif engine == "pyshacl":
            violations = self._pyshacl(graph)
        else:
            raise ValueError(f"unknown SHACL engine {engine!r}: use one of {', '.join(ENGINES)}")
        return ValidationResult(not violations, sorted(violations, key=str))

    def _pyshacl(self, graph: Graph) -> list[Violation]:
        _, report, _ = pyshacl.validate(
            self._data_graph(graph), shacl_graph=self.shapes, ont_graph=self.ontology, inference="none",
            advanced=True, allow_warnings=True)
        return [Violation(_short(report.value(r, SH.focusNode)), _short(report.value(r, SH.resultPath)),
                          _short(report.value(r, SH.sourceConstraintComponent)),
                          str(report.value(r, SH.resultMessage) or ""), _short(report.value(r, SH.value)))
                for r in report.subjects(SH.resultSeverity, SH.Violation)]


@lru_cache(maxsize=2)
def load_validator(shapes: Path = settings.SHAPES, ontology: Path = settings.ONTOLOGY,
                   gazetteer: Path = settings.GAZETTEER_DIR) -> ArticleValidator:
    """The validator for the project's shapes, ontology and gazetteer (cached)."""
    return ArticleValidator(Graph().parse(shapes, format="turtle"), Graph().parse(ontology, format="turtle"),
                            load_gazetteer(gazetteer).reference_graph())
