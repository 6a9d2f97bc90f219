"""The OWL ontology (ontology/aseankg.ttl): declarations, documentation, and OWL RL behaviour."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection

from aseankg import settings
from aseankg.reasoning import OWLRLWithSelf

AKG = Namespace(settings.ONTOLOGY_NS)
ID = Namespace(settings.ID_NS)
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")  # where owlrl writes inconsistencies
ONTOLOGY_IRI = URIRef("https://w3id.org/aseankg/ontology")
FIXTURE = Path(__file__).parent / "fixtures" / "shapes" / "valid.ttl"

# DESIGN.md, "Vocabulary (the contract)": the classes it lists.
DESIGN_CLASSES = [AKG.Country, AKG.Organization, AKG.Person, ORG.Post, ORG.Role, AKG.Meeting, AKG.Summit,
                  AKG.MinisterialMeeting, AKG.SeniorOfficialsMeeting, AKG.MeetingSeries, AKG.Place,
                  AKG.Initiative, AKG.Document, AKG.Partnership, AKG.Chairmanship, AKG.Participation,
                  AKG.Article, AKG.Mention]
# Classes added by the extensions (ontology/README.md).
EXTENSION_CLASSES = [AKG.Retreat, AKG.WorkingGroupMeeting, AKG.Forum, AKG.MeetingStatus, AKG.Capacity,
                     AKG.PartnershipLevel, AKG.ChairingParticipation, AKG.Claim, AKG.Rank, AKG.Correction,
                     AKG.CorrectionAction]
SUPERCLASSES = {AKG.Country: SCHEMA.Country, AKG.Organization: ORG.Organization, AKG.Person: SCHEMA.Person,
                AKG.Place: SCHEMA.Place, AKG.Meeting: SCHEMA.Event, AKG.Article: SCHEMA.NewsArticle,
                AKG.Summit: AKG.Meeting, AKG.MinisterialMeeting: AKG.Meeting,
                AKG.SeniorOfficialsMeeting: AKG.Meeting, AKG.Retreat: AKG.Meeting,
                AKG.WorkingGroupMeeting: AKG.Meeting, AKG.Forum: AKG.Meeting,
                AKG.PartnershipLevel: SKOS.Concept, AKG.ChairingParticipation: AKG.Participation,
                AKG.Correction: PROV.Entity}

PERSON_COUNTRY_ORG = {AKG.Person, AKG.Country, AKG.Organization}
COUNTRY_ORG = {AKG.Country, AKG.Organization}
DATES = {XSD.date, XSD.gYearMonth, XSD.gYear}
TEXT = RDF.PlainLiteral  # OWL 2's strings with or without a language tag
# property: (domain, range); a set is a union. DESIGN.md's properties, then the extensions.
SIGNATURES = {
    AKG.inSeries: (AKG.Meeting, AKG.MeetingSeries),
    AKG.ordinal: (AKG.Meeting, XSD.integer),
    SCHEMA.startDate: (AKG.Meeting, DATES),
    SCHEMA.endDate: (AKG.Meeting, DATES),
    AKG.location: (AKG.Meeting, AKG.Place),
    AKG.hostCountry: (AKG.Meeting, AKG.Country),
    AKG.adopted: (AKG.Meeting, AKG.Document),
    AKG.discussed: (AKG.Meeting, {AKG.Initiative, AKG.Document}),
    AKG.preparesFor: (AKG.Meeting, AKG.Meeting),
    SCHEMA.superEvent: (AKG.Meeting, AKG.Meeting),
    AKG.inCountry: ({AKG.Place, AKG.Organization}, AKG.Country),
    ORG.holds: (AKG.Person, ORG.Post),
    ORG.postIn: (ORG.Post, COUNTRY_ORG),
    ORG.role: (ORG.Post, ORG.Role),
    AKG.nationality: (AKG.Person, AKG.Country),
    AKG.participant: (AKG.Participation, PERSON_COUNTRY_ORG),
    AKG.meeting: (AKG.Participation, AKG.Meeting),
    AKG.capacity: (AKG.Participation, AKG.Capacity),
    AKG.represents: (AKG.Participation, COUNTRY_ORG),
    AKG.attended: (PERSON_COUNTRY_ORG, AKG.Meeting),
    AKG.chaired: (PERSON_COUNTRY_ORG, AKG.Meeting),
    AKG.chairCountry: (AKG.Chairmanship, AKG.Country),
    AKG.ofOrganization: (AKG.Chairmanship, AKG.Organization),
    AKG.year: (AKG.Chairmanship, XSD.gYear),
    AKG.theme: (AKG.Chairmanship, TEXT),
    AKG.party: (AKG.Partnership, COUNTRY_ORG),
    AKG.level: (AKG.Partnership, AKG.PartnershipLevel),
    AKG.established: (AKG.Partnership, XSD.gYear),
    AKG.coordinator: (AKG.Partnership, AKG.Country),
    AKG.refersTo: (AKG.Mention, None),
    AKG.text: (AKG.Mention, XSD.string),
    AKG.sentence: (AKG.Mention, XSD.string),
    AKG.start: (AKG.Mention, XSD.integer),
    AKG.end: (AKG.Mention, XSD.integer),
    SCHEMA.url: (AKG.Article, None),
    SCHEMA.headline: (AKG.Article, TEXT),
    SCHEMA.datePublished: (AKG.Article, XSD.date),
    SCHEMA.publisher: (AKG.Article, XSD.string),
    # extensions
    AKG.reportedStatus: ({AKG.Meeting, AKG.Participation}, AKG.MeetingStatus),
    AKG.extractionRule: ({AKG.Meeting, AKG.Participation, AKG.Chairmanship}, XSD.string),
    SCHEMA.eventAttendanceMode: (AKG.Meeting, SCHEMA.EventAttendanceModeEnumeration),
    AKG["from"]: (AKG.Partnership, XSD.gYear),
    AKG.until: (AKG.Partnership, XSD.gYear),
    AKG.sourceFile: (AKG.Article, XSD.string),
    AKG.sourceKey: (AKG.Article, XSD.string),
    AKG.contentHash: (AKG.Article, XSD.string),
    AKG.inArticle: (AKG.Mention, AKG.Article),
    AKG.textPart: (AKG.Mention, XSD.string),
    AKG.iso3: (AKG.Country, XSD.string),
    AKG.iso2: (AKG.Country, XSD.string),
    AKG.capital: (AKG.Country, AKG.Place),
    ORG.subOrganizationOf: (AKG.Organization, AKG.Organization),
    AKG.chairingSelf: (AKG.ChairingParticipation, AKG.ChairingParticipation),
    # claims, ranks and corrections (consolidation.py, corrections.py)
    AKG.rank: (AKG.Claim, AKG.Rank),
    AKG.articleCount: (AKG.Claim, XSD.integer),
    AKG.outletCount: (AKG.Claim, XSD.integer),
    AKG.preferenceRule: (AKG.Claim, XSD.string),
    AKG.openConflict: (AKG.Claim, XSD.boolean),
    AKG.decidedBy: (AKG.Claim, AKG.Correction),
    AKG.correctionAction: (AKG.Correction, AKG.CorrectionAction),
    AKG.reason: (AKG.Correction, XSD.string),
}
INDIVIDUALS = {AKG.Chair: AKG.Capacity, AKG.CoChair: AKG.Capacity, AKG.HeadOfDelegation: AKG.Capacity,
               AKG.Delegate: AKG.Capacity, AKG.Speaker: AKG.Capacity,
               AKG.Upcoming: AKG.MeetingStatus, AKG.Held: AKG.MeetingStatus,
               AKG.PreferredRank: AKG.Rank, AKG.NormalRank: AKG.Rank, AKG.DeprecatedRank: AKG.Rank,
               AKG.Reject: AKG.CorrectionAction, AKG.Assert: AKG.CorrectionAction}


def local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]



def union_members(graph: Graph, node) -> set:
    """The members of a class or datatype expression: a named term, or an owl:unionOf (also behind a
    named datatype's owl:equivalentClass)."""
    if node is None:
        return set()
    union = graph.value(node, OWL.unionOf)
    if union is None:
        equivalent = graph.value(node, OWL.equivalentClass)
        union = graph.value(equivalent, OWL.unionOf) if equivalent is not None else None
    return set(Collection(graph, union)) if union is not None else {node}


def closure(graph: Graph, semantics) -> Graph:
    g = Graph()
    g += graph
    owlrl.DeductiveClosure(semantics).expand(g)
    return g


def errors(graph: Graph) -> list[str]:
    return sorted(str(m) for m in graph.objects(None, ERR.error))


def test_both_files_parse(ontology, shapes):
    assert len(ontology) > 300
    assert len(shapes) > 300


def test_ontology_metadata(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/aseankg/ontology/0.1.0")
    for prop in (DCTERMS.license, DCTERMS.creator, DCTERMS.title, DCTERMS.description):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop


def test_every_term_has_an_english_label_and_a_definition(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual, RDFS.Datatype)
    terms = {t for kind in kinds for t in ontology.subjects(RDF.type, kind) if isinstance(t, URIRef)}
    assert set(DESIGN_CLASSES + EXTENSION_CLASSES) | set(SIGNATURES) | set(INDIVIDUALS) <= terms
    for t in terms:
        labels = [lab for lab in ontology.objects(t, RDFS.label) if lab.language == "en"]
        definitions = [d for d in ontology.objects(t, SKOS.definition) if d.language == "en"]
        assert len(labels) == 1, t
        assert len(definitions) == 1, t


@pytest.mark.parametrize("cls", DESIGN_CLASSES + EXTENSION_CLASSES, ids=local)
def test_class_is_declared(cls, ontology):
    assert (cls, RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize(("cls", "superclass"), SUPERCLASSES.items(), ids=map(local, SUPERCLASSES))
def test_superclass(cls, superclass, ontology):
    assert (cls, RDFS.subClassOf, superclass) in ontology


@pytest.mark.parametrize(("prop", "signature"), SIGNATURES.items(), ids=map(local, SIGNATURES))
def test_property_domain_and_range(prop, signature, ontology):
    domain, range_ = signature
    kinds = set(ontology.objects(prop, RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, prop
    assert union_members(ontology, ontology.value(prop, RDFS.domain)) == (
        domain if isinstance(domain, set) else {domain})
    expected_range = range_ if isinstance(range_, set) else ({range_} if range_ is not None else set())
    assert union_members(ontology, ontology.value(prop, RDFS.range)) == expected_range
    is_datatype = next(iter(expected_range), AKG).startswith(str(XSD)) or expected_range == {TEXT}
    assert (OWL.DatatypeProperty if is_datatype else OWL.ObjectProperty) in kinds


def test_every_akg_property_has_a_signature(ontology):
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    props = {p for kind in kinds for p in ontology.subjects(RDF.type, kind) if p.startswith(AKG)}
    assert props == {p for p in SIGNATURES if p.startswith(AKG)}


@pytest.mark.parametrize(("individual", "cls"), INDIVIDUALS.items(), ids=map(local, INDIVIDUALS))
def test_individuals(individual, cls, ontology):
    assert (individual, RDF.type, cls) in ontology
    assert (individual, RDF.type, OWL.NamedIndividual) in ontology


def test_disjointness(ontology):
    disjoint = [set(Collection(ontology, ontology.value(node, OWL.members)))
                for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert any({AKG.Person, AKG.Country, AKG.Organization, AKG.Meeting, AKG.Place} <= d for d in disjoint)
    for work in (AKG.Initiative, AKG.Document):
        assert set(ontology.objects(work, OWL.disjointWith)) == {AKG.Meeting, AKG.Person}


def test_property_chains(ontology):
    def chain(prop):
        steps = list(Collection(ontology, ontology.value(prop, OWL.propertyChainAxiom)))
        return [("inverse", ontology.value(s, OWL.inverseOf)) if isinstance(s, BNode) else s for s in steps]

    assert chain(AKG.attended) == [("inverse", AKG.participant), AKG.meeting]
    assert chain(AKG.chaired) == [("inverse", AKG.participant), AKG.chairingSelf, AKG.meeting]


def test_shapes_use_only_declared_terms(ontology, shapes):
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and t.startswith(AKG)}
    declared = set(ontology.subjects(RDF.type, None))
    assert used - declared == set()


def test_owl_rl_closure_of_the_ontology_is_consistent(ontology):
    closed = closure(ontology, owlrl.OWLRL_Semantics)
    assert errors(closed) == []
    assert list(closed.subjects(RDF.type, OWL.Nothing)) == []


@pytest.fixture(scope="module")
def example(ontology) -> Graph:
    """The ontology plus the shapes' conforming example data (reference data and one article)."""
    return ontology + Graph().parse(FIXTURE)


# In the example: Malaysia chairs the 58th AMM, Japan co-chairs the 47th Summit (and speaks), Bui
# Thanh Son heads Viet Nam's delegation to the AMM.
CHAIRED = {(ID["country/MYS"], ID["meeting/amm-58"]), (ID["country/JPN"], ID["meeting/asean-summit-47"])}


@pytest.fixture(scope="module")
def extended(example) -> Graph:
    return closure(example, owlrl.OWLRL_Extension)


def test_chains_derive_attended_and_chaired(extended):
    meeting = ID["meeting/amm-58"]
    assert errors(extended) == []
    assert set(extended.subjects(AKG.attended, meeting)) == {ID["person/bui-thanh-son"], ID["country/MYS"]}
    assert set(extended.subject_objects(AKG.chaired)) == CHAIRED
    assert set(extended.subjects(RDF.type, AKG.ChairingParticipation)) == {ID["participation/p2"],
                                                                          ID["participation/p3"]}


def test_plain_owl_rl_needs_the_has_self_rule_for_chaired(example):
    """Plain OWL 2 RL has no owl:hasSelf rule, so it derives akg:attended but not akg:chaired; the
    project's reasoner (plain RL plus that one rule) derives both."""
    plain = closure(example, owlrl.OWLRL_Semantics)
    assert (ID["person/bui-thanh-son"], AKG.attended, ID["meeting/amm-58"]) in plain
    assert list(plain.subject_objects(AKG.chaired)) == []
    with_rule = closure(example, OWLRLWithSelf)
    assert errors(with_rule) == []
    assert set(with_rule.subject_objects(AKG.chaired)) == CHAIRED


def test_owl_rl_reports_disjoint_types(ontology):
    pairs = {"a": (AKG.Person, AKG.Country), "b": (AKG.Summit, AKG.Place), "c": (AKG.Initiative, AKG.Meeting),
             "d": (AKG.Document, AKG.Person), "e": (AKG.Article, AKG.Mention)}
    data = ontology + Graph()
    for key, types in pairs.items():
        for t in types:
            data.add((ID[f"thing/{key}"], RDF.type, t))
    data.add((ID["thing/ok"], RDF.type, AKG.Summit))
    data.add((ID["thing/ok"], RDF.type, AKG.MinisterialMeeting))  # meeting kinds are not disjoint
    messages = errors(closure(data, owlrl.OWLRL_Semantics))
    assert {key for key in [*pairs, "ok"] if any(ID[f"thing/{key}"] in m for m in messages)} == set(pairs)
