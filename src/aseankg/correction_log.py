"""The corrections graph read back as records: what analysts rejected or asserted, by whom, when and
why. Below both ``consolidation`` (which applies the active corrections) and ``corrections`` (which
records and undoes them), so neither imports the other in a circle."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, Namespace, URIRef
from rdflib.term import Node

from . import settings
from .results import PREFIXES

AKG = Namespace(settings.ONTOLOGY_NS)
PROV = Namespace("http://www.w3.org/ns/prov#")
ACTIONS = {"reject": AKG.Reject, "assert": AKG.Assert}


@dataclass(frozen=True)
class Correction:
    iri: URIRef
    action: str  # "reject" or "assert"
    subject: URIRef
    property: URIRef
    value: Node
    reason: str
    analyst: str
    time: str
    undone: str | None = None

    @property
    def id(self) -> str:
        return str(self.iri).rsplit("/", 1)[-1]

    def __str__(self) -> str:
        state = f" (undone {self.undone})" if self.undone else ""
        return (f"{self.id}  {self.action} {short(self.subject)} {short(self.property)} {short(self.value)}"
                f"  by {self.analyst} at {self.time}: {self.reason}{state}")


def short(term: Node) -> str:
    """``term`` with a known prefix (``id:meeting/amm-58``), or its lexical form for a literal."""
    text = str(term)
    if isinstance(term, URIRef):
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns):
                return f"{prefix}:{text[len(ns):]}"
    return text


def corrections(store) -> list[Correction]:
    """Every correction, undone ones too, oldest first."""
    graph = store.graph(settings.CORRECTIONS_GRAPH)
    found = []
    for c in graph.subjects(RDF.type, AKG.Correction):
        action = next((k for k, v in ACTIONS.items() if (c, AKG.correctionAction, v) in graph), None)
        agent = graph.value(c, PROV.wasAttributedTo)
        undone = graph.value(c, PROV.invalidatedAtTime)
        found.append(Correction(c, action or "reject", graph.value(c, RDF.subject), graph.value(c, RDF.predicate),
                                graph.value(c, RDF.object), str(graph.value(c, AKG.reason) or ""),
                                str(graph.value(agent, RDFS.label) or short(agent)) if agent else "",
                                str(graph.value(c, PROV.generatedAtTime) or ""), str(undone) if undone else None))
    return sorted(found, key=lambda k: (k.time, str(k.iri)))


def active_corrections(store) -> list[Correction]:
    """The corrections consolidation applies (not undone)."""
    return [k for k in corrections(store) if k.undone is None]


__all__ = ["ACTIONS", "Correction", "active_corrections", "corrections", "short"]
