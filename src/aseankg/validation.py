"""The SHACL gate: an article's graph must conform to ``ontology/shapes.ttl`` before it is stored.

Each article is checked on its own, with the ontology and only the reference data it points to
(the descriptions of the countries, organisations, series, roles and places it mentions), so the
cost of a check does not grow with the store or the gazetteer.

>>> from aseankg.reading import parse_text
>>> from aseankg.extraction import extract
>>> from aseankg.rdf import article_graph
>>> ex = extract(parse_text("The 58th ASEAN Foreign Ministers' Meeting opened in Kuala Lumpur on July 9, 2025.",
...                         source_file="amm.txt"))
>>> load_validator().validate(article_graph(ex)).conforms
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from . import settings
from .gazetteer import load_gazetteer


@dataclass
class Violation:
    focus: str
    path: str | None
    constraint: str
    message: str
    value: str | None = None

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
    """Checks article graphs against the shapes, with the reference data each one refers to."""

    def __init__(self, shapes: Graph, ontology: Graph, reference: Graph):
        self.shapes = shapes
        self.ontology = ontology
        self._described: dict[URIRef, list[tuple]] = defaultdict(list)
        for s, p, o in reference:
            self._described[s].append((s, p, o))

    def _data_graph(self, graph: Graph) -> Graph:
        data = Graph()
        for t in graph:
            data.add(t)
        pending = {n for t in graph for n in (t[0], t[2]) if isinstance(n, URIRef) and n in self._described}
        seen: set[URIRef] = set()
        while pending:  # a venue's city, a place's country: described too
            node = pending.pop()
            seen.add(node)
            for t in self._described[node]:
                data.add(t)
                if isinstance(t[2], URIRef) and t[2] in self._described and t[2] not in seen:
                    pending.add(t[2])
        return data

    def validate(self, graph: Graph) -> ValidationResult:
        conforms, report, _ = pyshacl.validate(
            self._data_graph(graph), shacl_graph=self.shapes, ont_graph=self.ontology, inference="none",
            advanced=True, allow_warnings=True)
        violations = []
        for result in report.subjects(SH.resultSeverity, SH.Violation):
            violations.append(Violation(
                _short(report.value(result, SH.focusNode)), _short(report.value(result, SH.resultPath)),
                _short(report.value(result, SH.sourceConstraintComponent)),
                str(report.value(result, SH.resultMessage) or ""), _short(report.value(result, SH.value))))
        return ValidationResult(bool(conforms) or not violations, sorted(violations, key=str))


@lru_cache(maxsize=2)
def load_validator(shapes: Path = settings.SHAPES, ontology: Path = settings.ONTOLOGY,
                   gazetteer: Path = settings.GAZETTEER_DIR) -> ArticleValidator:
    """The validator for the project's shapes, ontology and gazetteer (cached)."""
    return ArticleValidator(Graph().parse(shapes, format="turtle"), Graph().parse(ontology, format="turtle"),
                            load_gazetteer(gazetteer).reference_graph())
