"""Analysts' corrections: reject a claimed value or fact, or assert the right one, with a reason.

Corrections live in their own named graph (``settings.CORRECTIONS_GRAPH``), which no build writes,
so they survive every rebuild and every re-extraction: they name the fact they correct (its
``rdf:subject``, ``rdf:predicate``, ``rdf:object``), not the article graph it was read in. Each is an
``akg:Correction`` (a ``prov:Entity``) with ``akg:correctionAction`` (``akg:Reject`` or ``akg:Assert``),
``akg:reason``, who made it (``prov:wasAttributedTo`` an analyst, a ``prov:Agent``) and when
(``prov:generatedAtTime``). Undoing one keeps it, with ``prov:invalidatedAtTime``. Consolidation
(:mod:`aseankg.consolidation`) applies the active ones: an assertion beats every article, a rejected
value is deprecated (a rejected fact of a many-valued property leaves the default graph).
:func:`export_corrections` writes them to a Turtle file a team can share; :func:`import_corrections`
reads one back.

>>> from aseankg.store import EmbeddedStore
>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import XSD
>>> store = EmbeddedStore(None)
>>> m, start = URIRef(settings.ID_NS + "meeting/amm-58"), URIRef("https://schema.org/startDate")
>>> a = URIRef(settings.ID_NS + "article/1")
>>> store.write_article(a, [(a, RDF.type, AKG.Article), (m, start, Literal("2025-07-08", datatype=XSD.date))])
>>> fix = record(store, "assert", "id:meeting/amm-58", "schema:startDate", "2025-07-09",
...              reason="the host's programme", analyst="alice")
>>> [str(d) for (d,) in store.query("SELECT ?d WHERE { ?m <https://schema.org/startDate> ?d }", bindings={"m": m}).rows]
['2025-07-09']
>>> undo(store, fix.iri, analyst="alice").undone is not None
True
>>> [str(d) for (d,) in store.query("SELECT ?d WHERE { ?m <https://schema.org/startDate> ?d }", bindings={"m": m}).rows]
['2025-07-08']
>>> store.close()
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from . import settings
from .consolidation import AKG, PROV, SINGLE_VALUED, consolidate
from .correction_log import ACTIONS, Correction, active_corrections, corrections, short  # noqa: F401  (re-exported)
from .results import PREFIXES


class CorrectionError(ValueError):
    """A correction that cannot be made (unknown action, unknown correction, bad term)."""


def iri(text: str) -> URIRef:
    """An IRI from ``<...>``, ``prefix:local`` (the project's prefixes) or an absolute IRI."""
    text = text.strip().strip("<>")
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text, re.I):
        return URIRef(text)
    raise CorrectionError(f"not an IRI: {text!r} (write id:meeting/amm-58 or a full IRI)")


def term(store, subject: URIRef, prop: URIRef, text: str) -> Node:
    """The value ``text`` means for ``subject``'s ``prop``: an IRI if written as one, else a literal
    with the datatype of the values already claimed for the property (dates by their shape)."""
    if text.startswith("<") or re.match(r"^[a-z]+:\S", text) and text.split(":", 1)[0] in PREFIXES \
            or text.startswith(("http://", "https://")):
        return iri(text)
    rows = store.query("SELECT DISTINCT ?v WHERE { GRAPH ?g { ?s ?p ?v } FILTER (isLiteral(?v)) }",
                       bindings={"s": subject, "p": prop}, inference=False).rows
    for (v,) in rows:
        if str(v) == text:
            return v
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return Literal(text, datatype=XSD.gYearMonth)
    if prop == AKG.year or (re.fullmatch(r"\d{4}", text) and prop != AKG.ordinal):
        return Literal(text, datatype=XSD.gYear)
    if prop == AKG.ordinal:
        return Literal(int(text))
    return Literal(text)


def _now() -> Literal:
    return Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _analyst(name: str) -> URIRef:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "analyst"
    return URIRef(settings.ID_NS + "analyst/" + slug)


def correction_triples(k: Correction) -> list[tuple]:
    agent = _analyst(k.analyst)
    triples = [(k.iri, RDF.type, AKG.Correction), (k.iri, AKG.correctionAction, ACTIONS[k.action]),
               (k.iri, RDF.subject, k.subject), (k.iri, RDF.predicate, k.property), (k.iri, RDF.object, k.value),
               (k.iri, AKG.reason, Literal(k.reason)), (k.iri, PROV.wasAttributedTo, agent),
               (k.iri, PROV.generatedAtTime, Literal(k.time, datatype=XSD.dateTime)),
               (agent, RDF.type, PROV.Agent), (agent, RDFS.label, Literal(k.analyst))]
    if k.undone:
        triples.append((k.iri, PROV.invalidatedAtTime, Literal(k.undone, datatype=XSD.dateTime)))
    return triples


def _write(store, graph: Graph, subjects) -> None:
    store.put_graph(settings.CORRECTIONS_GRAPH, graph)
    consolidate(store, subjects)


def record(store, action: str, subject: str, prop: str, value: str, *, reason: str, analyst: str) -> Correction:
    """Record a correction (``action`` "reject" or "assert") and re-consolidate its subject."""
    if action not in ACTIONS:
        raise CorrectionError(f"unknown action {action!r}: use reject or assert")
    if not reason.strip():
        raise CorrectionError("a correction needs a reason")
    s, p = iri(subject), iri(prop)
    v = term(store, s, p, value) if isinstance(value, str) else value
    time = str(_now())
    key = f"{action}|{s}|{p}|{v.n3()}|{time}".encode()
    k = Correction(URIRef(settings.ID_NS + "correction/" + hashlib.sha1(key).hexdigest()[:16]),
                   action, s, p, v, reason.strip(), analyst.strip() or "analyst", time)
    graph = store.graph(settings.CORRECTIONS_GRAPH)
    for t in correction_triples(k):
        graph.add(t)
    _write(store, graph, {s})
    return k


def find(store, ident: str) -> Correction:
    """The correction whose IRI or id (the IRI's last segment) is ``ident``."""
    for k in corrections(store):
        if ident in (str(k.iri), k.id, short(k.iri)):
            return k
    raise CorrectionError(f"no correction {ident!r} (aseankg review list shows them)")


def undo(store, ident: str, *, analyst: str = "analyst") -> Correction:
    """Mark a correction undone (it stays, with ``prov:invalidatedAtTime``) and re-consolidate."""
    k = find(store, str(ident))
    if k.undone:
        return k
    graph = store.graph(settings.CORRECTIONS_GRAPH)
    when = _now()
    graph.add((k.iri, PROV.invalidatedAtTime, when))
    _write(store, graph, {k.subject})
    return find(store, k.id)


def export_corrections(store, path: str | os.PathLike) -> int:
    """Write every correction (undone ones too) to a Turtle file; returns how many."""
    graph = store.graph(settings.CORRECTIONS_GRAPH)
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    for t in graph:
        out.add(t)
    out.serialize(destination=str(path), format="turtle")
    return len(set(graph.subjects(RDF.type, AKG.Correction)))


def import_corrections(store, path: str | os.PathLike) -> int:
    """Add the corrections of a Turtle file (:func:`export_corrections`) to the store's and apply
    them; returns how many the file holds."""
    incoming = Graph().parse(str(path), format="turtle")
    ks = set(incoming.subjects(RDF.type, AKG.Correction))
    graph = store.graph(settings.CORRECTIONS_GRAPH)
    for t in incoming:
        graph.add(t)
    _write(store, graph, {incoming.value(k, RDF.subject) for k in ks} - {None})
    return len(ks)


def single_valued(prop: URIRef) -> bool:
    return prop in SINGLE_VALUED
