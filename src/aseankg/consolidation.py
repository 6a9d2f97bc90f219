"""Consolidation: one preferred value for each single-valued property, chosen from what articles claim.

Every article graph keeps what that article claims. When two articles disagree (two start dates for
one meeting, "upcoming" in a preview and "held" in a report), the default graph that queries read
keeps only the **preferred** value; every claimed value stays queryable in the consolidated graph
(``settings.CONSOLIDATED_GRAPH``) as an ``akg:Claim`` (reified like an ``rdf:Statement``: ``rdf:subject``,
``rdf:predicate``, ``rdf:object``) with its rank (``akg:PreferredRank``, ``akg:NormalRank``,
``akg:DeprecatedRank``, Wikidata's statement ranks), the articles it comes from
(``prov:hadPrimarySource``), ``akg:articleCount`` and ``akg:outletCount``; the preferred claim also
names the rule that chose it (``akg:preferenceRule``) and whether an undecided disagreement remains
(``akg:openConflict``). So the default graph is the merge of the named graphs (``store``) except the
non-preferred values of :data:`SINGLE_VALUED` properties and the facts an analyst rejected
(:mod:`aseankg.corrections`); the consolidated graph states the preferred values and is merged too.

The rules, in order (the first that tells the values apart decides, and names the claim's rule):

1. ``correction``: an analyst's assertion beats every article; a rejected value is deprecated.
2. ``recency`` (status only): the status of the most recently published article wins, "held" on a
   tie: a report after the meeting supersedes the preview that called it upcoming.
3. ``agreement``: more outlets (``schema:publisher``, else the url's host), then more articles. A
   less precise date supports every date it is a prefix of (``2025-07`` supports ``2025-07-09``).
4. ``precision``: the more precise value (a full date over a month, a month over a year).
5. ``span`` (dates only): the earliest start date, the latest end date. An article on one day of a
   meeting reports that day as its start and end; the widest span covers every day reported.
6. ``extraction-rule``: the claim made by the extraction rules with the better measured precision
   (:data:`RULE_PRECISION`, from ``data/rule_precision.csv``; rules with no measurement count 0.5).
7. ``recency``: the claim of the most recently published article.
8. ``order``: the smallest value, so that a tie is decided the same way on every build.

A value alone is ``single``. :func:`consolidate` runs at the end of every build for the entities the
build's articles touched (``touched_entities``), and at once for the subject of a correction.

>>> from aseankg.store import EmbeddedStore
>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import XSD
>>> store = EmbeddedStore(None)
>>> m, start = URIRef(settings.ID_NS + "meeting/amm-58"), URIRef("https://schema.org/startDate")
>>> for n, day in enumerate(["2025-07-08", "2025-07-09", "2025-07-09"]):
...     a = URIRef(settings.ID_NS + f"article/{n}")
...     store.write_article(a, [(a, RDF.type, AKG.Article), (m, start, Literal(day, datatype=XSD.date))])
>>> consolidate(store, {m}).entities
1
>>> [str(d) for (d,) in store.query("SELECT ?d WHERE { ?m <https://schema.org/startDate> ?d }", bindings={"m": m}).rows]
['2025-07-09']
>>> [(c.value, c.rank, c.rule, c.articles) for c in claims_about(store, m)]
[('2025-07-09', 'preferred', 'agreement', 2), ('2025-07-08', 'normal', None, 1)]
>>> store.close()
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from urllib.parse import urlparse

from rdflib import RDF, XSD, BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from . import settings
from .correction_log import active_corrections
from .results import NTriples

AKG = Namespace(settings.ONTOLOGY_NS)
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")

#: The properties one entity has one value of that articles can disagree on (meetings,
#: participations, chairmanships). A post's ``org:role`` and ``org:postIn`` are single-valued too, but
#: its IRI is minted from them (``post/sgp-foreign-minister``), so every article that names the post
#: states the same two values: ranking them would find nothing to decide, and a country's foreign
#: minister is named in thousands of articles, whose support every new article made consolidation
#: re-read (1.4 s an article at 10,000 articles).
SINGLE_VALUED = (SCHEMA.startDate, SCHEMA.endDate, AKG.ordinal, AKG.location, AKG.hostCountry,
                 AKG.reportedStatus, AKG.inSeries, SCHEMA.eventAttendanceMode, AKG.represents,
                 AKG.chairCountry, AKG.ofOrganization, AKG.year, AKG.theme)
#: Where claims' IRIs start (a correction is reified with ``rdf:subject`` too).
CLAIM_NS = settings.ID_NS + "claim/"
#: Rules measured on fewer facts than this count as unmeasured (0.5).
MIN_RULE_SAMPLE = 10


def rule_precision(path=None) -> dict[str, float]:
    """Measured precision of extraction rules (``akg:extractionRule``) from ``data/rule_precision.csv``
    (``aseankg evaluate --format rules`` over annotated articles: the share of a rule's meetings and
    participations that the gold holds), for rules measured on at least :data:`MIN_RULE_SAMPLE` facts.

    >>> rule_precision()["roster"]
    1.0
    """
    import csv

    path = settings.RULE_PRECISION_FILE if path is None else path
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return {row["rule"]: float(row["precision"]) for row in csv.DictReader(f)
                    if row.get("precision") and int(row.get("found") or 0) >= MIN_RULE_SAMPLE}
    except FileNotFoundError:
        return {}


RULE_PRECISION: dict[str, float] = rule_precision()
RANKS = {"preferred": AKG.PreferredRank, "normal": AKG.NormalRank, "deprecated": AKG.DeprecatedRank}
#: How many entities one update handles (keeps each SPARQL update a few hundred kB).
BATCH = 500
#: From this many new lines on, a store that can (``EmbeddedStore.update_in_bulk``) adds them in a
#: bulk load, whose fixed cost (24 ms) a transaction's growing cost per quad repays: consolidating a
#: 1,000-article store took 3.4-3.5 s with 5,000, 3.5 with 2,000, 3.8-4.0 with 15,000, 5.7 with none.
BULK_MIN = 5_000


@dataclass
class Claim:
    """One value claimed for one entity's property, with who claims it and how it ranks."""

    subject: URIRef
    property: URIRef
    term: Node
    articles: int = 0
    outlets: int = 0
    sources: list[str] = field(default_factory=list)  # article IRIs, sorted
    rank: str = "normal"
    rule: str | None = None  # for the preferred claim: the rule that chose it
    open_conflict: bool = False
    corrections: list[str] = field(default_factory=list)

    @property
    def value(self) -> str:
        return str(self.term)

    @property
    def iri(self) -> URIRef:
        key = f"{self.subject}|{self.property}|{self.term.n3()}".encode()
        return URIRef(CLAIM_NS + hashlib.sha1(key).hexdigest()[:16])


@dataclass
class ConsolidationReport:
    entities: int = 0
    contested: int = 0  # (entity, property) pairs with more than one value claimed
    open_conflicts: int = 0


@dataclass
class _Source:
    outlet: str
    published: str  # "" when unknown
    rules: tuple[str, ...] = ()


def consolidated_articles(store) -> set[str]:
    """The articles whose claims consolidation has ranked, in one query (a build stopped before its
    end leaves the articles it wrote unranked; the next build ranks them)."""
    query = (f"SELECT DISTINCT ?a WHERE {{ GRAPH <{settings.CONSOLIDATED_GRAPH}> "
             f"{{ ?c <{PROV.hadPrimarySource}> ?a }} }}")
    return {str(a) for (a,) in store.query(query, inference=False).rows}


def touched_entities(triples: Iterable[tuple]) -> set[URIRef]:
    """The subjects of single-valued properties among ``triples`` (an article graph)."""
    props = set(SINGLE_VALUED)
    return {s for s, p, _ in triples if p in props and isinstance(s, URIRef)}


def _values(name: str, terms: Iterable[Node]) -> str:
    return f"VALUES ?{name} {{ {' '.join(sorted(t.n3() for t in terms))} }}"


def _among(name: str, terms: Iterable[Node]) -> str:
    """A FILTER for a second list of values: Oxigraph joins two VALUES blocks with a scan of every
    named graph (0.49 against 0.08 s for 500 entities of a 1,000-article store)."""
    return f"FILTER (?{name} IN ({', '.join(t.n3() for t in terms)}))"


def _sources(store, graphs: Iterable[Node]) -> dict[str, _Source]:
    """Outlet and publication date of each article among ``graphs`` (other graphs are left out)."""
    graphs = set(graphs)
    if not graphs:
        return {}
    rows = store.query(f"""SELECT ?a ?pub ?url ?date WHERE {{ {_values('a', graphs)}
        GRAPH ?a {{ ?a a <{AKG.Article}> }}
        OPTIONAL {{ GRAPH ?a {{ ?a <https://schema.org/publisher> ?pub }} }}
        OPTIONAL {{ GRAPH ?a {{ ?a <https://schema.org/url> ?url }} }}
        OPTIONAL {{ GRAPH ?a {{ ?a <https://schema.org/datePublished> ?date }} }} }}""", inference=False).rows
    found: dict[str, _Source] = {}
    for a, pub, url, date in sorted(rows, key=lambda r: tuple(str(t) for t in r)):
        outlet = str(pub) if pub else (urlparse(str(url)).hostname or str(a)) if url else str(a)
        found.setdefault(str(a), _Source(outlet.strip().lower(), str(date or "")))
    return found


def _read(store, entities: Iterable[URIRef]) -> tuple[dict, dict[str, _Source], dict]:
    """What ranking the claims about ``entities`` needs, in two queries: (entity, property) → value →
    the article graphs that state it (only article graphs); the outlet and date of those articles;
    (entity, article) → the extraction rules the article names for the entity."""
    entities = sorted(set(entities))
    claims: dict = defaultdict(lambda: defaultdict(set))
    if not entities:
        return claims, {}, {}
    rows = store.query(f"""SELECT ?e ?p ?v ?g WHERE {{ {_values('e', entities)} GRAPH ?g {{ ?e ?p ?v }}
        {_among('p', (*SINGLE_VALUED, AKG.extractionRule))} }}""", inference=False).rows
    sources = _sources(store, {g for *_, g in rows})  # only articles: the consolidated graph states values too
    rules: dict = defaultdict(set)
    for e, p, v, g in rows:
        if str(g) in sources:
            if p == AKG.extractionRule:
                rules[(e, str(g))].add(str(v))
            else:
                claims[(e, p)][v].add(str(g))
    return claims, sources, {k: tuple(sorted(v)) for k, v in rules.items()}


def claimed(store, entities: Iterable[URIRef]) -> dict[tuple[URIRef, URIRef], dict[Node, set[str]]]:
    """(entity, property) → value → the article graphs that state it (only article graphs)."""
    return _read(store, entities)[0]


def _precision(term: Node) -> int:
    return len(str(term)) if isinstance(term, Literal) and term.datatype in (XSD.date, XSD.gYearMonth, XSD.gYear) else 0


def _supports(weaker: Node, stronger: Node) -> bool:
    """Whether claiming ``weaker`` also supports ``stronger`` (a date that is a prefix of it)."""
    return weaker == stronger or (_precision(weaker) and _precision(stronger) > _precision(weaker)
                                  and str(stronger).startswith(str(weaker)))


def _span(prop: URIRef, term: Node) -> tuple:
    """Wider first: the earliest start date, the latest end date."""
    digits = tuple(-ord(ch) if prop == SCHEMA.startDate else ord(ch) for ch in str(term))
    return digits


def compatible(a: Node, b: Node) -> bool:
    """Two values that do not disagree: equal, or one date a prefix of the other."""
    return _supports(a, b) or _supports(b, a)


def ranked(subject: URIRef, prop: URIRef, values: dict[Node, set[str]], sources: dict[str, _Source],
           rules: dict[tuple[URIRef, str], tuple[str, ...]], rejected: set[Node], asserted: list[Node]) -> list[Claim]:
    """The claims for one (entity, property), best first, ranked by the rules of the module docstring."""
    for term in asserted:
        values.setdefault(term, set())
    claims = []
    for term, articles in values.items():
        supporting = {a for other, arts in values.items() if _supports(other, term) for a in arts}
        claims.append(Claim(subject, prop, term, len(supporting),
                            len({sources[a].outlet if a in sources else a for a in supporting}), sorted(articles)))
    newest = {c.term: max((sources[a].published for a in c.sources if a in sources), default="") for c in claims}

    def rule_score(c: Claim) -> float:
        scores = [RULE_PRECISION.get(r, 0.5) for a in c.sources for r in rules.get((subject, a), ())]
        return max(scores, default=0.5)

    status = prop == AKG.reportedStatus
    keys = [("correction", lambda c: c.term in asserted),
            *([("recency", lambda c: (newest[c.term], c.term == AKG.Held))] if status else []),
            ("agreement", lambda c: (c.outlets, c.articles)),
            ("precision", lambda c: _precision(c.term)),
            *([("span", lambda c: _span(prop, c.term))] if prop in (SCHEMA.startDate, SCHEMA.endDate) else []),
            ("extraction-rule", rule_score),
            ("recency", lambda c: newest[c.term])]
    live = [c for c in claims if c.term not in rejected]
    live.sort(key=lambda c: str(c.term))
    live.sort(key=lambda c: tuple(k(c) for _, k in keys), reverse=True)
    for c in claims:
        if c.term in rejected:
            c.rank = "deprecated"
    if live:
        best = live[0]
        best.rank = "preferred"
        best.rule = "single" if len(claims) == 1 else "order"
        if len(live) > 1:
            for name, key in keys:
                if key(best) != key(live[1]):
                    best.rule = name
                    break
        elif len(claims) > 1:
            best.rule = "correction"
        superseded = status and best.rule == "recency"  # a later report updates an earlier one
        disagree = any(not compatible(best.term, c.term) for c in live[1:])
        best.open_conflict = best.rule != "correction" and not superseded and disagree
    return live + [c for c in claims if c.term in rejected]


def claim_lines(claim: Claim) -> list[str]:
    """The triples describing ``claim`` in the consolidated graph, as N-Triples lines (written
    directly: making rdflib terms to serialise them was a third of consolidation's Python time)."""
    c, s, term = claim.iri.n3(), claim.subject.n3(), claim.term.n3()
    lines = [f"{c} {_TYPE} {_CLAIM} .\n", f"{c} {_SUBJECT} {s} .\n", f"{c} {_PREDICATE} {claim.property.n3()} .\n",
             f"{c} {_OBJECT} {term} .\n", f"{c} {_RANK} {RANKS[claim.rank].n3()} .\n",
             f'{c} {_ARTICLES} "{claim.articles}"^^{_INTEGER} .\n', f'{c} {_OUTLETS} "{claim.outlets}"^^{_INTEGER} .\n']
    lines += [f"{c} {_SOURCE} <{a}> .\n" for a in claim.sources]
    lines += [f"{c} {_DECIDED_BY} <{k}> .\n" for k in claim.corrections]
    if claim.rule:
        lines += [f"{c} {_RULE} {Literal(claim.rule).n3()} .\n",
                  f'{c} {_OPEN} "{str(claim.open_conflict).lower()}"^^{_BOOLEAN} .\n',
                  f"{s} {claim.property.n3()} {term} .\n"]
    return lines


_TYPE, _CLAIM, _SUBJECT, _PREDICATE, _OBJECT = (t.n3() for t in (RDF.type, AKG.Claim, RDF.subject, RDF.predicate,
                                                                  RDF.object))
_RANK, _ARTICLES, _OUTLETS, _SOURCE, _DECIDED_BY = (t.n3() for t in (AKG.rank, AKG.articleCount, AKG.outletCount,
                                                                      PROV.hadPrimarySource, AKG.decidedBy))
_RULE, _OPEN, _INTEGER, _BOOLEAN = (t.n3() for t in (AKG.preferenceRule, AKG.openConflict, XSD.integer, XSD.boolean))


def consolidate(store, entities: Iterable[URIRef] | None = None, *, jobs: int = 1) -> ConsolidationReport:
    """Rank the claims about ``entities`` (all entities with a single-valued property if None) and
    write the result: claims into the consolidated graph, preferred values into the default graph,
    other values of single-valued properties and rejected facts out of it. With ``jobs`` > 1 and an
    on-disk embedded store, that many worker processes read and rank batches of entities while this
    process writes them (``build --jobs``)."""
    everything = entities is None
    if entities is None:
        rows = store.query(f"SELECT DISTINCT ?e WHERE {{ {_values('p', SINGLE_VALUED)} GRAPH ?g {{ ?e ?p ?v }} }}",
                           inference=False).rows
        entities = {r[0] for r in rows if isinstance(r[0], URIRef)}
    corrections = active_corrections(store)
    entities = sorted(set(entities) | {k.subject for k in corrections if everything})
    report = ConsolidationReport()
    if everything:
        _drop_claims_of_other_properties(store)
    # A run killed part-way leaves its articles looking consolidated (some of their claims are in)
    # and a bulk load half-written, so an embedded store lists every entity of the run until its
    # end; the next run ranks those left first.
    listed = hasattr(store, "listed_until_done")
    redo = sorted({URIRef(e) for e in store.unfinished()}) if listed else []
    rest = sorted(set(entities) - set(redo))
    batches = [part[start:start + BATCH] for part in (redo, rest) for start in range(0, len(part), BATCH)]
    parallel = jobs > 1 and len(batches) > 1 and listed
    with store.snapshot() if parallel else contextlib.nullcontext() as location, \
            store.listed_until_done(map(str, [*redo, *rest])) if listed else contextlib.nullcontext():
        if location:
            changes = _changes_in_workers(location, batches, corrections, jobs)
        else:
            changes = (_change(store, batch, corrections) for batch in batches)
        for batch, change in zip(batches, changes, strict=True):
            _apply(store, change or _change(store, batch, corrections), report)
    return report


# what forked consolidation workers inherit: the corrections and the snapshot's folder; then each
# opens it read-only
_corrections: list = []
_location = ""
_reader = None


def _open_reader() -> None:
    global _reader
    from .store import EmbeddedStore

    _reader = EmbeddedStore(_location, read_only=True)


def _change_of(entities: list[URIRef]) -> _Change | None:
    """In a worker: the change of one batch, or None if the snapshot could not be read (the
    writer then ranks the batch itself)."""
    from .store import StoreError

    try:
        if _reader is None:
            _open_reader()
        return _change(_reader, entities, _corrections)
    except (StoreError, OSError, RuntimeError):  # RocksDB reports a missing file as either
        return None


def _start_worker() -> None:
    from .buildjobs import worker_signals

    worker_signals()
    with contextlib.suppress(Exception):  # a view that fails now is tried again for the first batch
        _open_reader()


def _changes_in_workers(location: str, batches: list[list[URIRef]], corrections,
                        jobs: int) -> Iterator[_Change | None]:
    """Each batch's change (None: the caller makes it), read and ranked by ``jobs`` forked processes
    that open a snapshot of the store taken before the first batch is written (the batches share no
    entity: what one batch writes is not what another reads), in order."""
    import multiprocessing

    global _corrections, _location
    _corrections, _location = corrections, location
    with multiprocessing.get_context("fork").Pool(min(jobs, len(batches)), _start_worker) as pool:
        yield from pool.imap(_change_of, batches)


def _drop_claims_of_other_properties(store) -> None:
    """Remove the claims about properties no longer ranked (a store consolidated by an earlier
    version ranked posts' roles), from the consolidated graph and from the default graph."""
    cons = f"<{settings.CONSOLIDATED_GRAPH}>"
    outside = f"FILTER (?q NOT IN ({', '.join(p.n3() for p in SINGLE_VALUED)}))"
    claim = f"?c a <{AKG.Claim}> ; <{RDF.predicate}> ?q ; ?p ?o {outside}"
    store.update(f"DELETE {{ GRAPH {cons} {{ ?c ?p ?o }} }} WHERE {{ GRAPH {cons} {{ {claim} }} }} ;\n"
                 f"DELETE {{ ?c ?p ?o }} WHERE {{ {claim} }}")


@dataclass
class _Change:
    """What consolidating a batch of entities writes: a SPARQL Update, then N-Quads to bulk-load."""

    entities: list[URIRef]
    update: str = ""
    bulk: bytes = b""
    contested: int = 0
    open_conflicts: int = 0


def _change(store, entities: list[URIRef], corrections) -> _Change:
    """The change that consolidates ``entities`` (reads ``store``, writes nothing)."""
    claims, sources, rules = _read(store, entities)
    change = _Change(entities)
    batch = set(entities)
    mine = [k for k in corrections if k.subject in batch]
    single = set(SINGLE_VALUED)
    for k in mine:
        if k.property in single:
            claims.setdefault((k.subject, k.property), defaultdict(set))
    lines: list[str] = []
    blank = False
    for (e, p), values in sorted(claims.items()):
        here = [k for k in mine if k.subject == e and k.property == p]
        rejected = {k.value for k in here if k.action == "reject"}
        asserted = [k.value for k in sorted(here, key=lambda k: k.time, reverse=True) if k.action == "assert"][:1]
        ranking = ranked(e, p, values, sources, rules, rejected, asserted)
        for c in ranking:
            c.corrections = sorted(str(k.iri) for k in here if k.value == c.term)
            lines += claim_lines(c)
            blank = blank or type(c.term) is BNode
        change.contested += len(ranking) > 1
        change.open_conflicts += bool(ranking and ranking[0].open_conflict)
    many = [k for k in mine if k.property not in single]  # facts of many-valued properties
    other_rejects = [(k.subject, k.property, k.value) for k in many if k.action == "reject"]
    other_asserts = [(k.subject, k.property, k.value) for k in many if k.action == "assert"]
    blank = blank or any(type(s) is BNode or type(o) is BNode for s, _, o in chain(other_asserts, other_rejects))
    change.update, change.bulk = _difference(store, entities, {*lines, *map(_line, other_asserts)},
                                             set(map(_line, other_rejects)), blank=blank)
    return change


def _apply(store, change: _Change, report: ConsolidationReport) -> None:
    if change.bulk:
        store.update_in_bulk(change.update, change.bulk)
    elif change.update:
        store.update(change.update)
    report.entities += len(change.entities)
    report.contested += change.contested
    report.open_conflicts += change.open_conflicts


def _line(triple: tuple) -> str:
    s, p, o = triple
    return f"{s.n3()} {p.n3()} {o.n3()} .\n"


def _current(store, entities: list[URIRef]) -> tuple[set[str], set[str], bool]:
    """What consolidation wrote last about ``entities``, read in one query, as N-Triples lines: (the
    consolidated graph's triples about them: their claims and the triples whose subject they are; the
    default graph's: their claims and their single-valued properties; whether a blank node is among
    them). The default graph is read for itself, not taken to be the merge: a bulk load cut short by a
    kill (``EmbeddedStore.update_in_bulk``) may have written a claim to one graph only."""
    cons = f"<{settings.CONSOLIDATED_GRAPH}>"
    rows = store.query(f"""SELECT ?s ?p ?o ?in WHERE {{ {_values('e', entities)}
      {{ GRAPH {cons} {{ ?s <{RDF.subject}> ?e ; ?p ?o }} BIND(1 AS ?in) }}
      UNION {{ GRAPH {cons} {{ ?e ?p ?o }} BIND(?e AS ?s) BIND(2 AS ?in) }}
      UNION {{ ?s <{RDF.subject}> ?e ; ?p ?o FILTER (STRSTARTS(STR(?s), "{CLAIM_NS}")) BIND(3 AS ?in) }}
      UNION {{ {_values('p', SINGLE_VALUED)} ?e ?p ?o BIND(?e AS ?s) BIND(4 AS ?in) }} }}""", inference=False).rows
    graph: set[str] = set()
    default: set[str] = set()
    blank = False
    for s, p, o, where in rows:
        blank = blank or type(s) is BNode or type(o) is BNode
        (graph if int(where) < 3 else default).add(_line((s, p, o)))
    return graph, default, blank


def _difference(store, entities: list[URIRef], lines: set[str], drops: set[str], *,
                blank: bool) -> tuple[str, bytes]:
    """What makes the consolidated graph's triples about ``entities`` (their claims and the triples
    whose subject they are) ``lines`` (N-Triples), and the default graph's claims and single-valued
    properties of ``entities`` ``lines`` too, without ``drops`` (rejected facts of many-valued
    properties; ``blank``: whether a blank node is among them): a SPARQL Update with only the
    difference from what is there ("" when nothing changed), and the N-Quads a store that can
    (``EmbeddedStore.update_in_bulk``) adds in a bulk load once there are enough (b"" otherwise)."""
    graph, default, stored_blank = _current(store, entities)
    if blank or stored_blank:
        return _rewrite(entities, lines, drops), b""  # blank nodes cannot be named in DELETE DATA
    added_graph, added = lines - graph, lines - default
    cons = f"<{settings.CONSOLIDATED_GRAPH}>"
    bulk = len(added_graph) + len(added) >= BULK_MIN and hasattr(store, "update_in_bulk")
    # one operation a graph, and none for an empty block: Virtuoso reads neither default-graph
    # triples after a GRAPH block in one DATA block nor an empty one
    operations = [_data("DELETE", cons, graph - lines), _data("DELETE", None, (default | drops) - lines),
                  *([] if bulk else [_data("INSERT", cons, added_graph), _data("INSERT", None, added)])]
    update = " ;\n".join(op for op in operations if op)
    if not bulk:
        return update, b""
    in_graph = NTriples("".join(sorted(added_graph)).encode()).in_graph(settings.CONSOLIDATED_GRAPH)
    return update, in_graph + "".join(sorted(added)).encode()


def _data(verb: str, graph: str | None, lines: set[str]) -> str:
    """``INSERT DATA``/``DELETE DATA`` of N-Triples ``lines`` in ``graph`` (None: the default graph),
    sorted; "" for no lines."""
    if not lines:
        return ""
    body = "".join(sorted(lines))
    return f"{verb} DATA {{ GRAPH {graph} {{ {body} }} }}" if graph else f"{verb} DATA {{ {body} }}"


def _rewrite(entities: list[URIRef], lines: set[str], drops: set[str]) -> str:
    """What :func:`_difference` does, without reading first: the update that removes by pattern
    everything consolidation may have written about ``entities``, then inserts ``lines`` (slower:
    every triple is rewritten)."""
    cons = f"<{settings.CONSOLIDATED_GRAPH}>"
    ents = _values('e', entities)
    lines = "".join(sorted(lines))
    return f"""DELETE {{ ?e ?p ?v }} WHERE {{ {ents} ?e ?p ?v {_among('p', SINGLE_VALUED)} }} ;
DELETE {{ ?c ?cp ?co }} WHERE {{ {ents} GRAPH {cons} {{ ?c <{RDF.subject}> ?e ; ?cp ?co }} }} ;
DELETE {{ GRAPH {cons} {{ ?x ?y ?z }} }} WHERE {{ {_values('x', entities)} GRAPH {cons} {{ ?x ?y ?z }} }} ;
DELETE {{ GRAPH {cons} {{ ?c ?cp ?co }} }} WHERE {{ {ents} GRAPH {cons} {{ ?c <{RDF.subject}> ?e ; ?cp ?co }} }} ;
DELETE DATA {{ {"".join(drops)} }} ;
INSERT DATA {{ GRAPH {cons} {{ {lines} }} }} ;
INSERT DATA {{ {lines} }}"""


def claims_about(store, entity: URIRef, prop: URIRef | None = None) -> list[Claim]:
    """The claims of the consolidated graph about ``entity`` (one property or all), best first."""
    rows = store.query(f"""SELECT ?c ?p ?v ?rank ?n ?o ?rule ?open ?a ?k WHERE {{
      GRAPH <{settings.CONSOLIDATED_GRAPH}> {{
        ?c <{RDF.subject}> ?e ; <{RDF.predicate}> ?p ; <{RDF.object}> ?v ; <{AKG.rank}> ?rank ;
           <{AKG.articleCount}> ?n ; <{AKG.outletCount}> ?o .
        OPTIONAL {{ ?c <{AKG.preferenceRule}> ?rule ; <{AKG.openConflict}> ?open }}
        OPTIONAL {{ ?c <{PROV.hadPrimarySource}> ?a }} OPTIONAL {{ ?c <{AKG.decidedBy}> ?k }} }} }}""",
                       bindings={"e": entity, **({"p": prop} if prop else {})}, inference=False).rows
    order = {v: i for i, v in enumerate(RANKS.values())}
    found: dict[str, Claim] = {}
    for c, p, v, rank, n, o, rule, open_, a, k in rows:
        claim = found.get(str(c))
        if claim is None:
            rank_name = next(name for name, iri in RANKS.items() if iri == rank)
            claim = found[str(c)] = Claim(entity, p, v, int(n), int(o), [], rank_name, str(rule) if rule else None,
                                          bool(open_ and open_.toPython()))
        if a is not None and str(a) not in claim.sources:
            claim.sources.append(str(a))
        if k is not None and str(k) not in claim.corrections:
            claim.corrections.append(str(k))
    return sorted(found.values(), key=lambda c: (str(c.property), order[RANKS[c.rank]], -c.articles, str(c.term)))


def open_conflicts(store) -> list[dict]:
    """Entities whose claims disagree and no correction decides, most-reported first
    (``queries/18-open-conflicts.rq``)."""
    from .queries import run_saved

    return run_saved(store, "open-conflicts").dicts()
