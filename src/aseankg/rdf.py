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

from pathlib import PurePath

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD

from . import naming, settings
from .model import Evidence, Extraction

AKG = Namespace(settings.ONTOLOGY_NS)
SCHEMA = Namespace("https://schema.org/")
ID = Namespace(settings.ID_NS)


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


def article_graph(ex: Extraction) -> Graph:
    """The named graph of one article (its identifier is the article's IRI)."""
    art = ex.article
    article = URIRef(naming.article_iri(art.id))
    g = bind_prefixes(Graph(identifier=article))
    add = g.add

    def put(node: URIRef, predicate: URIRef, value, term=URIRef) -> None:
        """Add ``node predicate term(value)`` when the value is known."""
        if value is not None and value != "":
            add((node, predicate, term(value)))

    add((article, RDF.type, AKG.Article))
    add((article, AKG.contentHash, Literal(art.id)))
    if art.url and art.url.startswith(("http://", "https://")) and not any(c in art.url for c in ' <>"{}|\\^`'):
        add((article, SCHEMA.url, URIRef(art.url)))
    if art.source_file:
        add((article, AKG.sourceFile, Literal(PurePath(art.source_file).name)))
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
        mention = URIRef(naming.derived_iri("mention", art.id, ev.sentence.part, str(ev.start), str(ev.end),
                                            str(node), text or ""))
        add((mention, RDF.type, AKG.Mention))
        add((mention, AKG.refersTo, node))
        add((mention, AKG.text, Literal(text if text is not None else ev.text)))
        add((mention, AKG.sentence, Literal(ev.sentence.text)))
        add((mention, AKG.start, Literal(ev.start)))
        add((mention, AKG.end, Literal(ev.end)))
        if ev.sentence.part != "body":
            add((mention, AKG.textPart, Literal(ev.sentence.part)))
        add((mention, AKG.inArticle, article))
        return mention

    for iri, (label, _) in ex.series_labels.items():
        add((URIRef(iri), RDF.type, AKG.MeetingSeries))
        add((URIRef(iri), RDFS.label, Literal(label, lang="en")))
    for iri, label in ex.role_labels.items():
        add((URIRef(iri), RDF.type, ORG.Role))
        add((URIRef(iri), RDFS.label, Literal(label, lang="en")))
    for p in ex.places:
        node = URIRef(p.iri)
        add((node, RDF.type, AKG.Place))
        add((node, RDFS.label, Literal(p.label, lang="en")))
        if p.country:
            add((node, AKG.inCountry, URIRef(p.country)))

    for m in ex.meetings:
        node = URIRef(m.iri)
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
        put(node, SCHEMA.superEvent, m.related_to)
        for ev in m.evidence[:1]:
            evidence(node, ev)

    for p in ex.persons:
        node = URIRef(p.iri)
        add((node, RDF.type, AKG.Person))
        add((node, RDFS.label, Literal(p.label)))
        for alt in sorted(p.alt_labels | ({naming.ascii_fold(p.label)} - {p.label})):
            add((node, SKOS.altLabel, Literal(alt)))
        put(node, AKG.nationality, p.nationality)
    for post in ex.posts:
        node = URIRef(post.iri)
        add((node, RDF.type, ORG.Post))
        add((node, RDFS.label, Literal(post.label, lang="en")))
        add((node, ORG.role, URIRef(post.role)))
        put(node, ORG.postIn, post.post_in)
        for alias in sorted(ex.post_aliases.get(post.iri, ())):
            if alias != post.label:
                add((node, SKOS.altLabel, Literal(alias, lang="en")))
    for h in ex.holdings:
        add((URIRef(h.person), ORG.holds, URIRef(h.post)))

    labels = {p.iri: p.label for p in ex.persons} | {m.iri: m.label for m in ex.meetings}
    for x in ex.participations:
        node = URIRef(naming.derived_iri("participation", x.participant, x.meeting, x.capacity))
        add((node, RDF.type, AKG.Participation))
        add((node, RDFS.label, Literal(f"{labels.get(x.participant, x.participant)} at "
                                       f"{labels.get(x.meeting, x.meeting)} ({x.capacity})")))
        add((node, AKG.participant, URIRef(x.participant)))
        add((node, AKG.meeting, URIRef(x.meeting)))
        add((node, AKG.capacity, AKG[x.capacity]))
        put(node, AKG.represents, x.represents)
        evidence(node, x.evidence)
    for c in ex.chairmanships:
        key = c.year if c.year is not None else c.country.rsplit("/", 1)[-1].lower()
        node = URIRef(naming.chairmanship_iri("asean", key))
        add((node, RDF.type, AKG.Chairmanship))
        add((node, RDFS.label, Literal(f"ASEAN Chairmanship {c.year or ''}".strip(), lang="en")))
        add((node, AKG.chairCountry, URIRef(c.country)))
        add((node, AKG.ofOrganization, URIRef(c.organization)))
        put(node, AKG.year, c.year, _year)
        put(node, AKG.theme, c.theme, lambda t: Literal(t, lang="en"))
        evidence(node, c.evidence)
    for p in ex.partnerships:
        node = URIRef(naming.partnership_iri(*p.parties))
        add((node, RDF.type, AKG.Partnership))
        add((node, RDFS.label, Literal("Partnership " + " – ".join(x.rsplit("/", 1)[-1] for x in p.parties))))
        for party in p.parties:
            add((node, AKG.party, URIRef(party)))
        put(node, AKG.level, p.level)
        put(node, AKG.established, p.established, _year)
        put(node, AKG.coordinator, p.coordinator)
        put(node, AKG["from"], p.coordinator_from, _year)
        put(node, AKG.until, p.coordinator_until, _year)
        evidence(node, p.evidence)
    for w in ex.works:
        node = URIRef(w.iri)
        add((node, RDF.type, AKG[w.kind]))
        add((node, RDFS.label, Literal(w.label, lang="en")))
    for o in ex.outcomes:
        add((URIRef(o.meeting), AKG[o.relation], URIRef(o.work)))
    for m in ex.mentions:
        mention_node(URIRef(m.entity), m.evidence, m.text)
    return g
