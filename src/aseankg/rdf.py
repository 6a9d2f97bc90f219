"""The RDF stage: one article's ``Extraction`` as the triples of its own named graph.

Entities from the gazetteer (countries, organisations, series, roles, places) are referred to by
IRI and described in the reference graph; everything the article introduces (people, meetings,
posts, works, n-ary facts, mentions) is described here, each fact linked to the sentence that
states it.

>>> from aseankg.reading import parse_text
>>> from aseankg.extraction import extract
>>> ex = extract(parse_text("The 58th ASEAN Foreign Ministers' Meeting opened on July 9, 2025.",
...                         source_file="amm.txt"))
>>> g = article_graph(ex)
>>> str(g.identifier).startswith("https://w3id.org/aseankg/id/article/")
True
>>> len(list(g.subjects(RDF.type, AKG.MinisterialMeeting)))
1
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePath

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD, NamespaceManager
from rdflib.store import Store

from . import naming, settings
from .model import Article, Evidence, Extraction
from .shacl import IndexStore


class _Vocabulary(Namespace):
    """A ``Namespace`` that makes each term once, as rdflib's own vocabularies (``RDF.type``) do: a
    plain one checks and builds a new ``URIRef`` at every use, and the indexes (rdflib's, the SHACL
    engine's) find a key quickest when it is the very same object."""

    @lru_cache(maxsize=1024)  # noqa: B019 (the vocabularies live as long as the module)
    def term(self, name: str) -> URIRef:
        return super().term(name)


AKG = _Vocabulary(settings.ONTOLOGY_NS)
SCHEMA = _Vocabulary("https://schema.org/")
ID = _Vocabulary(settings.ID_NS)

# The terms of a mention (most of an article's triples), looked up once.
_TYPE, _MENTION, _REFERS_TO, _TEXT, _SENTENCE, _START, _END, _TEXT_PART, _IN_ARTICLE = (
    RDF.type, AKG.Mention, AKG.refersTo, AKG.text, AKG.sentence, AKG.start, AKG.end, AKG.textPart, AKG.inArticle)


@lru_cache(maxsize=1 << 12)
def _offset(n: int) -> Literal:
    """``Literal(n)`` for a character offset (an xsd:integer): offsets recur from article to article."""
    return Literal(n)


@lru_cache(maxsize=1 << 14)
def _ref(iri: str) -> URIRef:
    """``URIRef(iri)`` for an entity's IRI, one object per IRI (as in ``_Vocabulary``): countries,
    roles, series and people recur from article to article."""
    return URIRef(iri)


def bind_prefixes(g: Graph) -> Graph:
    """Bind the project's prefixes (akg, schema, org, skos, prov, id) on ``g``; returns ``g``."""
    for prefix, ns in (("akg", AKG), ("schema", SCHEMA), ("org", ORG), ("skos", SKOS), ("prov", PROV),
                       ("id", ID)):
        g.bind(prefix, ns, override=True)
    return g


def _date(value: str) -> Literal:
    dtype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=dtype)


def _year(value: int) -> Literal:
    return Literal(f"{value:04d}", datatype=XSD.gYear)


class ArticleGraph(Graph):
    """An rdflib ``Graph`` as :func:`article_graph` makes it: stored alone in an
    :class:`aseankg.shacl.IndexStore` (the article's triples indexed once, by subject and by
    predicate, and read from that index by the SHACL gate), with one more shortcut for the ingest,
    which never asks for a prefix and iterates every graph once:

    - its namespace manager, with rdflib's ~30 prefixes and the project's (``bind_prefixes``), is
      made when first asked for, not up front (binding them was a sixth of the RDF stage);
    - iterating it reads the index as a list, without ``Graph.triples``' two generators.

    >>> g = ArticleGraph(identifier=ID.g)
    >>> g.namespace_manager.store.namespace("akg") == URIRef(AKG), g.qname(AKG.Meeting)
    (True, 'akg:Meeting')
    >>> _ = g.add((ID.a, RDFS.label, Literal("A"))).add((ID.a, AKG.start, Literal(3)))
    >>> sorted(g) == sorted(Graph.__iter__(g)), len(list(g))
    (True, 2)
    """

    def __init__(self, store: Store | str | None = None, *args, **kwargs):
        super().__init__(IndexStore() if store is None else store, *args, **kwargs)
        self._prefixes_bound = False

    @property
    def namespace_manager(self) -> NamespaceManager:
        manager = Graph.namespace_manager.fget(self)
        if not self._prefixes_bound:
            self._prefixes_bound = True
            bind_prefixes(self)
        return manager

    @namespace_manager.setter
    def namespace_manager(self, manager: NamespaceManager) -> None:
        self._prefixes_bound = True
        Graph.namespace_manager.fset(self, manager)

    def __reduce__(self):
        return ArticleGraph, (self.store, self.identifier)

    def __iter__(self):
        store = self.store
        if isinstance(store, IndexStore):  # the store holds this graph alone
            return iter(store.index.triples())
        return super().__iter__()


def article_url(art: Article) -> str | None:
    """The address an article's graph records as ``schema:url``: an http(s) IRI, else none."""
    url = art.url
    if url and url.startswith(("http://", "https://")) and not any(c in url for c in ' <>"{}|\\^`'):
        return url
    return None


def article_graph(ex: Extraction, *, source_key: str | None = None) -> Graph:
    """The named graph of one article (its identifier is the article's IRI); ``source_key``, when
    given, is written as the article's ``akg:sourceKey`` (see :func:`aseankg.ingest.source_keys`)."""
    art = ex.article
    article = URIRef(naming.article_iri(art.id))
    triples: list[tuple] = []  # the graph's store is made of them at once, at the end
    add = triples.append
    literals: dict[str, Literal] = {}

    def plain(text: str) -> Literal:
        """``Literal(text)``, made once per article: a sentence's text recurs in each of its mentions."""
        found = literals.get(text)
        if found is None:
            found = literals[text] = Literal(text)
        return found

    def put(node: URIRef, predicate: URIRef, value, term=_ref) -> None:
        """Add ``node predicate term(value)`` when the value is known."""
        if value is not None and value != "":
            add((node, predicate, term(value)))

    add((article, RDF.type, AKG.Article))
    add((article, AKG.contentHash, Literal(art.id)))
    if article_url(art):
        add((article, SCHEMA.url, URIRef(art.url)))
    if art.source_file:
        add((article, AKG.sourceFile, Literal(PurePath(art.source_file).name)))
    if source_key:
        add((article, AKG.sourceKey, Literal(source_key)))
    if art.headline:
        add((article, SCHEMA.headline, Literal(art.headline)))
        add((article, RDFS.label, Literal(art.headline)))
    else:
        add((article, RDFS.label, Literal(art.source_file or art.url or art.id[:16])))
    if art.published:
        add((article, SCHEMA.datePublished, Literal(art.published.isoformat(), datatype=XSD.date)))
    if art.publisher:
        add((article, SCHEMA.publisher, Literal(art.publisher)))

    def evidence(node: URIRef, ev: Evidence | None, text: str | None = None) -> None:
        """A mention of ``node`` at ``ev``, linked from ``node`` with prov:wasDerivedFrom."""
        if ev is None:
            return
        mention = mention_node(node, ev, text)
        add((node, PROV.wasDerivedFrom, mention))

    def mention_node(node: URIRef, ev: Evidence, text: str | None = None) -> URIRef:
        sentence = ev.sentence
        mention = URIRef(naming.derived_iri("mention", art.id, sentence.part, str(ev.start), str(ev.end),
                                            str(node), text or ""))
        add((mention, _TYPE, _MENTION))
        add((mention, _REFERS_TO, node))
        add((mention, _TEXT, plain(text if text is not None else ev.text)))
        add((mention, _SENTENCE, plain(sentence.text)))
        add((mention, _START, _offset(ev.start)))
        add((mention, _END, _offset(ev.end)))
        if sentence.part != "body":
            add((mention, _TEXT_PART, plain(sentence.part)))
        add((mention, _IN_ARTICLE, article))
        return mention

    for iri, (label, _) in ex.series_labels.items():
        add((_ref(iri), RDF.type, AKG.MeetingSeries))
        add((_ref(iri), RDFS.label, Literal(label, lang="en")))
    for iri, label in ex.role_labels.items():
        add((_ref(iri), RDF.type, ORG.Role))
        add((_ref(iri), RDFS.label, Literal(label, lang="en")))
    for p in ex.places:
        node = _ref(p.iri)
        add((node, RDF.type, AKG.Place))
        add((node, RDFS.label, Literal(p.label, lang="en")))
        if p.country:
            add((node, AKG.inCountry, _ref(p.country)))

    for m in ex.meetings:
        node = _ref(m.iri)
        add((node, RDF.type, AKG[m.kind]))
        add((node, RDFS.label, Literal(m.label, lang="en")))
        for alt in sorted(m.alt_labels):
            add((node, SKOS.altLabel, Literal(alt, lang="en")))
        put(node, AKG.inSeries, m.series)
        put(node, AKG.ordinal, m.ordinal, lambda n: Literal(n, datatype=XSD.integer))
        put(node, SCHEMA.startDate, m.start, _date)
        put(node, SCHEMA.endDate, m.end, _date)
        put(node, AKG.location, m.location)
        put(node, AKG.hostCountry, m.host_country)
        if m.virtual:
            add((node, SCHEMA.eventAttendanceMode, SCHEMA.OnlineEventAttendanceMode))
        add((node, AKG.reportedStatus, AKG.Upcoming if m.upcoming else AKG.Held))
        for rule in sorted(m.rules):
            add((node, AKG.extractionRule, Literal(rule)))
        put(node, SCHEMA.superEvent, m.related_to)
        for ev in m.evidence[:1]:
            evidence(node, ev)

    for p in ex.persons:
        node = _ref(p.iri)
        add((node, RDF.type, AKG.Person))
        add((node, RDFS.label, Literal(p.label)))
        for alt in sorted(p.alt_labels | ({naming.ascii_fold(p.label)} - {p.label})):
            add((node, SKOS.altLabel, Literal(alt)))
        put(node, AKG.nationality, p.nationality)
    for post in ex.posts:
        node = _ref(post.iri)
        add((node, RDF.type, ORG.Post))
        add((node, RDFS.label, Literal(post.label, lang="en")))
        add((node, ORG.role, _ref(post.role)))
        put(node, ORG.postIn, post.post_in)
        for alias in sorted(ex.post_aliases.get(post.iri, ())):
            if alias != post.label:
                add((node, SKOS.altLabel, Literal(alias, lang="en")))
    for h in ex.holdings:
        add((_ref(h.person), ORG.holds, _ref(h.post)))

    labels = {p.iri: p.label for p in ex.persons} | {m.iri: m.label for m in ex.meetings}
    for x in ex.participations:
        node = URIRef(naming.derived_iri("participation", x.participant, x.meeting, x.capacity))
        add((node, RDF.type, AKG.Participation))
        add((node, RDFS.label, Literal(f"{labels.get(x.participant, x.participant)} at "
                                       f"{labels.get(x.meeting, x.meeting)} ({x.capacity})")))
        add((node, AKG.participant, _ref(x.participant)))
        add((node, AKG.meeting, _ref(x.meeting)))
        add((node, AKG.capacity, AKG[x.capacity]))
        put(node, AKG.represents, x.represents)
        put(node, AKG.extractionRule, x.rule, Literal)
        if x.upcoming is not None:
            add((node, AKG.reportedStatus, AKG.Upcoming if x.upcoming else AKG.Held))
        evidence(node, x.evidence)
    for c in ex.chairmanships:
        key = c.year if c.year is not None else c.country.rsplit("/", 1)[-1].lower()
        node = _ref(naming.chairmanship_iri("asean", key))
        add((node, RDF.type, AKG.Chairmanship))
        add((node, RDFS.label, Literal(f"ASEAN Chairmanship {c.year or ''}".strip(), lang="en")))
        add((node, AKG.chairCountry, _ref(c.country)))
        add((node, AKG.ofOrganization, _ref(c.organization)))
        put(node, AKG.year, c.year, _year)
        put(node, AKG.theme, c.theme, lambda t: Literal(t, lang="en"))
        put(node, AKG.extractionRule, c.rule, Literal)
        evidence(node, c.evidence)
    for p in ex.partnerships:
        node = _ref(naming.partnership_iri(*p.parties))
        add((node, RDF.type, AKG.Partnership))
        add((node, RDFS.label, Literal("Partnership " + " – ".join(x.rsplit("/", 1)[-1] for x in p.parties))))
        for party in p.parties:
            add((node, AKG.party, _ref(party)))
        put(node, AKG.level, p.level)
        put(node, AKG.established, p.established, _year)
        put(node, AKG.coordinator, p.coordinator)
        put(node, AKG["from"], p.coordinator_from, _year)
        put(node, AKG.until, p.coordinator_until, _year)
        evidence(node, p.evidence)
    for w in ex.works:
        node = _ref(w.iri)
        add((node, RDF.type, AKG[w.kind]))
        add((node, RDFS.label, Literal(w.label, lang="en")))
    for b in ex.bodies:
        node = _ref(b.iri)
        add((node, RDF.type, AKG.Organization))
        add((node, RDFS.label, Literal(b.label, lang="en")))
        for alias in sorted(b.aliases):
            add((node, SKOS.altLabel, Literal(alias, lang="en")))
        add((node, AKG.inCountry, _ref(b.country)))
        for ev in b.evidence[:1]:
            evidence(node, ev)
    for o in ex.outcomes:
        add((_ref(o.meeting), AKG[o.relation], _ref(o.work)))
    for m in ex.mentions:
        mention_node(_ref(m.entity), m.evidence, m.text)
    # (the prefixes are bound when first asked for)
    return ArticleGraph(IndexStore(triples), identifier=article)

