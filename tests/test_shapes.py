"""The SHACL shapes (ontology/shapes.ttl), each exercised with conforming and violating data.

``tests/fixtures/shapes/valid.ttl`` is a small conforming data graph (reference data plus one
article's graph) with an instance of every class the shapes target. Each case below adds a Turtle
snippet of NEW nodes to it and names the exact results it must cause: focus node, result path,
constraint component, value, and the node shape the result comes from.

pyshacl spends most of a run on fixed costs (building the shapes, parsing their SPARQL), so the
violating snippets are validated together in one run and each result is attributed to the case
whose new nodes it is about; ``test_cases_are_independent`` checks that attribution is sound and
``test_case_alone_gives_the_same_results`` checks a sample of cases validated on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from aseankg import settings

FIXTURE = Path(__file__).parent / "fixtures" / "shapes" / "valid.ttl"
AKG = Namespace(settings.ONTOLOGY_NS)
AKGSH = Namespace("https://w3id.org/aseankg/shapes#")
# rdflib.namespace.XSD warns when pytest probes module globals for mocks; a plain Namespace does not.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

PREFIXES = "\n".join(line for line in FIXTURE.read_text(encoding="utf-8").splitlines()
                     if line.startswith("@prefix")) + "\n"

# (node shape exercised, Turtle snippet, expected results as (focus, path, component, value)):
# names are CURIEs of the fixture's prefixes; a component is the local name without
# "ConstraintComponent"; a value is a CURIE, a Literal, or None when SHACL reports none. A fifth
# element names the node shape of a result when it is not the case's own.
VIOLATIONS = [
    ("CountryShape", """country:XAA a akg:Country ; rdfs:label "A" .""",
     {("country:XAA", "akg:iso3", "MinCount", None)}),
    ("CountryShape", """country:XAB a akg:Country ; rdfs:label "B" ; akg:iso3 "xab" .""",
     {("country:XAB", "akg:iso3", "Pattern", Literal("xab"))}),
    ("CountryShape", """country:XAC a akg:Country ; rdfs:label "C" ; akg:iso3 "XAC" ; akg:iso2 "X1" .""",
     {("country:XAC", "akg:iso2", "Pattern", Literal("X1"))}),
    ("CountryShape", """country:XAD a akg:Country ; akg:iso3 "XAD" .""",
     {("country:XAD", "rdfs:label", "MinCount", None)}),
    ("CountryShape", """country:XAE a akg:Country ; rdfs:label 42 ; akg:iso3 "XAE" .""",
     {("country:XAE", "rdfs:label", "Or", Literal(42))}),
    ("CountryShape",
     """country:XAF a akg:Country ; rdfs:label "F" ; akg:iso3 "XAF" ; akg:capital country:VNM .""",
     {("country:XAF", "akg:capital", "Class", "country:VNM")}),
    ("CountryShape", """country:XAG a akg:Country ; rdfs:label "G" ; akg:iso3 "XAG", "XAH" .""",
     {("country:XAG", "akg:iso3", "MaxCount", None)}),
    ("OrganizationShape",
     """orgid:o1 a akg:Organization ; rdfs:label "O1" ; org:subOrganizationOf country:VNM .""",
     {("orgid:o1", "org:subOrganizationOf", "Class", "country:VNM")}),
    ("OrganizationShape", """orgid:o2 a akg:Organization .""",
     {("orgid:o2", "rdfs:label", "MinCount", None)}),
    ("PersonShape", """person:p1 a akg:Person .""",
     {("person:p1", "rdfs:label", "MinCount", None)}),
    ("PersonShape", """person:p2 a akg:Person ; rdfs:label "P2" ; org:holds role:foreign-minister .""",
     {("person:p2", "org:holds", "Class", "role:foreign-minister")}),
    ("PersonShape", """person:p3 a akg:Person ; rdfs:label "P3" ; akg:nationality place:hanoi .""",
     {("person:p3", "akg:nationality", "Class", "place:hanoi")}),
    ("PostShape", """post:q1 a org:Post ; rdfs:label "Q1" ; org:postIn country:VNM .""",
     {("post:q1", "org:role", "MinCount", None)}),
    ("PostShape",
     """post:q2 a org:Post ; rdfs:label "Q2" ; org:role role:foreign-minister, role:r2 .
role:r2 a org:Role ;
        rdfs:label "R2" .""",
     {("post:q2", "org:role", "MaxCount", None)}),
    ("PostShape",
     """post:q3 a org:Post ; rdfs:label "Q3" ; org:role role:foreign-minister ; org:postIn place:hanoi .""",
     {("post:q3", "org:postIn", "Or", "place:hanoi")}),
    ("PostShape",
     """post:q4 a org:Post ; rdfs:label "Q4" ; org:role role:foreign-minister ;
        org:postIn country:VNM, orgid:asean .""",
     {("post:q4", "org:postIn", "MaxCount", None)}),
    ("PostShape", """post:q5 a org:Post ; rdfs:label "Q5" ; org:role country:VNM .""",
     {("post:q5", "org:role", "Class", "country:VNM")}),
    ("RoleShape", """role:r1 a org:Role .""",
     {("role:r1", "rdfs:label", "MinCount", None)}),
    ("PlaceShape", """place:x1 a akg:Place ; rdfs:label "X1" ; akg:inCountry country:VNM, country:MYS .""",
     {("place:x1", "akg:inCountry", "MaxCount", None)}),
    ("PlaceShape", """place:x2 a akg:Place ; rdfs:label "X2" ; akg:inCountry orgid:asean .""",
     {("place:x2", "akg:inCountry", "Class", "orgid:asean")}),
    ("PlaceShape", """place:x3 a akg:Place .""",
     {("place:x3", "rdfs:label", "MinCount", None)}),
    ("MeetingShape", """meeting:m1 a akg:Meeting ; rdfs:label "M1" ; akg:ordinal 0 .""",
     {("meeting:m1", "akg:ordinal", "MinInclusive", Literal(0))}),
    ("MeetingShape", """meeting:m2 a akg:Meeting ; rdfs:label "M2" ; akg:ordinal "58" .""",
     {("meeting:m2", "akg:ordinal", "Datatype", Literal("58")),
      ("meeting:m2", "akg:ordinal", "MinInclusive", Literal("58"))}),  # a string does not compare with 1
    ("MeetingShape",
     """meeting:m3 a akg:Meeting ; rdfs:label "M3" ; schema:startDate "2025-07-12"^^xsd:date ;
        schema:endDate "2025-07-11"^^xsd:date .""",
     {("meeting:m3", "schema:startDate", "SPARQL", Literal("2025-07-12", datatype=XSD.date))}),
    ("MeetingShape",
     """meeting:m4 a akg:Meeting ; rdfs:label "M4" ; schema:startDate "2026"^^xsd:gYear ;
        schema:endDate "2025-12-31"^^xsd:date .""",
     {("meeting:m4", "schema:startDate", "SPARQL", Literal("2026", datatype=XSD.gYear))}),
    ("MeetingShape",
     """meeting:m5 a akg:Meeting ; rdfs:label "M5" ; schema:startDate "2025-08"^^xsd:gYearMonth ;
        schema:endDate "2025-07"^^xsd:gYearMonth .""",
     {("meeting:m5", "schema:startDate", "SPARQL", Literal("2025-08", datatype=XSD.gYearMonth))}),
    ("MeetingShape", """meeting:m6 a akg:Meeting ; rdfs:label "M6" ; schema:startDate "July 2025" .""",
     {("meeting:m6", "schema:startDate", "Or", Literal("July 2025"))}),
    ("MeetingShape",
     """meeting:m7 a akg:Meeting ; rdfs:label "M7" ;
        schema:endDate "2025-07-11"^^xsd:date, "2025-07-10"^^xsd:date .""",
     {("meeting:m7", "schema:endDate", "MaxCount", None)}),
    ("MeetingShape",
     """meeting:m8 a akg:Meeting ; rdfs:label "M8" ; schema:endDate "2025-07-11T10:00:00"^^xsd:dateTime .""",
     {("meeting:m8", "schema:endDate", "Or", Literal("2025-07-11T10:00:00", datatype=XSD.dateTime))}),
    ("MeetingShape", """meeting:m9 a akg:Meeting ; rdfs:label "M9" ; akg:inSeries country:VNM .""",
     {("meeting:m9", "akg:inSeries", "Class", "country:VNM")}),
    ("MeetingShape", """meeting:m10 a akg:Meeting ; rdfs:label "M10" ; akg:location country:MYS .""",
     {("meeting:m10", "akg:location", "Class", "country:MYS")}),
    ("MeetingShape",
     """meeting:m11 a akg:Meeting ; rdfs:label "M11" ; akg:hostCountry place:kuala-lumpur .""",
     {("meeting:m11", "akg:hostCountry", "Class", "place:kuala-lumpur")}),
    ("MeetingShape",
     """meeting:m12 a akg:Meeting ; rdfs:label "M12" ; akg:adopted initiative:asean-power-grid .""",
     {("meeting:m12", "akg:adopted", "Class", "initiative:asean-power-grid")}),
    ("MeetingShape",
     """meeting:m13 a akg:Meeting ; rdfs:label "M13" ; akg:discussed person:bui-thanh-son .""",
     {("meeting:m13", "akg:discussed", "Or", "person:bui-thanh-son")}),
    ("MeetingShape", """meeting:m14 a akg:Meeting ; rdfs:label "M14" ; akg:preparesFor series:amm .""",
     {("meeting:m14", "akg:preparesFor", "Class", "series:amm")}),
    ("MeetingShape",
     """meeting:m15 a akg:Meeting ; rdfs:label "M15" ;
        schema:superEvent document:asean-community-vision-2045 .""",
     {("meeting:m15", "schema:superEvent", "Class", "document:asean-community-vision-2045")}),
    ("MeetingShape", """meeting:m16 a akg:Meeting ; rdfs:label "M16" ; akg:reportedStatus akg:Chair .""",
     {("meeting:m16", "akg:reportedStatus", "In", "akg:Chair")}),
    ("MeetingShape",
     """meeting:m17 a akg:Meeting ; rdfs:label "M17" ; akg:reportedStatus akg:Upcoming, akg:Held .""",
     {("meeting:m17", "akg:reportedStatus", "MaxCount", None)}),
    ("MeetingShape",
     """meeting:m18 a akg:Meeting ; rdfs:label "M18" ; schema:eventAttendanceMode schema:Online .""",
     {("meeting:m18", "schema:eventAttendanceMode", "In", "schema:Online")}),
    ("MeetingShape", """meeting:m19 a akg:Summit ; akg:ordinal 48 .""",
     {("meeting:m19", "rdfs:label", "MinCount", None)}),
    ("MeetingShape", """meeting:m20 a akg:Retreat ; rdfs:label "M20" ; akg:ordinal 1, 2 .""",
     {("meeting:m20", "akg:ordinal", "MaxCount", None)}),
    ("MeetingSeriesShape", """series:s1 a akg:MeetingSeries .""",
     {("series:s1", "rdfs:label", "MinCount", None)}),
    ("MeetingStatusShape", """akg:Postponed a akg:MeetingStatus ; rdfs:label "postponed" .""",
     {("akg:Postponed", None, "In", "akg:Postponed")}),
    ("InitiativeShape", """initiative:i1 a akg:Initiative .""",
     {("initiative:i1", "rdfs:label", "MinCount", None)}),
    ("DocumentShape", """document:d1 a akg:Document ; rdfs:label "D1"@en, 7 .""",
     {("document:d1", "rdfs:label", "Or", Literal(7))}),
    ("ParticipationShape",
     """participation:x1 a akg:Participation ; rdfs:label "X1" ; akg:participant person:bui-thanh-son ;
        akg:capacity akg:Delegate .""",
     {("participation:x1", "akg:meeting", "MinCount", None)}),
    ("ParticipationShape",
     """participation:x2 a akg:Participation ; rdfs:label "X2" ; akg:meeting meeting:amm-58 ;
        akg:participant person:bui-thanh-son, country:VNM ; akg:capacity akg:Delegate .""",
     {("participation:x2", "akg:participant", "MaxCount", None)}),
    ("ParticipationShape",
     """participation:x3 a akg:Participation ; rdfs:label "X3" ; akg:meeting meeting:amm-58 ;
        akg:participant meeting:asean-summit-47 ; akg:capacity akg:Delegate .""",
     {("participation:x3", "akg:participant", "Or", "meeting:asean-summit-47")}),
    ("ParticipationShape",
     """participation:x4 a akg:Participation ; rdfs:label "X4" ; akg:meeting meeting:amm-58 ;
        akg:participant person:bui-thanh-son ; akg:capacity akg:Held .""",
     {("participation:x4", "akg:capacity", "In", "akg:Held")}),
    ("ParticipationShape",
     """participation:x5 a akg:Participation ; rdfs:label "X5" ; akg:meeting meeting:amm-58 ;
        akg:participant person:bui-thanh-son .""",
     {("participation:x5", "akg:capacity", "MinCount", None)}),
    ("ParticipationShape",
     """participation:x6 a akg:Participation ; rdfs:label "X6" ; akg:meeting meeting:amm-58 ;
        akg:participant person:bui-thanh-son ; akg:capacity akg:Delegate ; akg:represents place:hanoi .""",
     {("participation:x6", "akg:represents", "Or", "place:hanoi")}),
    ("ParticipationShape",
     """participation:x7 a akg:Participation ; rdfs:label "X7" ; akg:meeting person:bui-thanh-son ;
        akg:participant country:VNM ; akg:capacity akg:Delegate .""",
     {("participation:x7", "akg:meeting", "Class", "person:bui-thanh-son")}),
    ("ParticipationShape",
     """participation:x8 a akg:Participation ; akg:meeting meeting:amm-58 ; akg:participant country:VNM ;
        akg:capacity akg:Delegate .""",
     {("participation:x8", "rdfs:label", "MinCount", None)}),
    ("ChairingParticipationShape",
     """participation:x9 a akg:ChairingParticipation ; rdfs:label "X9" ; akg:meeting meeting:amm-58 ;
        akg:participant country:VNM ; akg:capacity akg:Delegate .""",
     {("participation:x9", "akg:capacity", "QualifiedMinCount", None)}),
    ("CapacityShape", """akg:Observer a akg:Capacity ; rdfs:label "observer" .""",
     {("akg:Observer", None, "In", "akg:Observer")}),
    ("ChairmanshipShape",
     """chairmanship:c1 a akg:Chairmanship ; rdfs:label "C1" ; akg:ofOrganization orgid:asean ;
        akg:year "2024"^^xsd:gYear .""",
     {("chairmanship:c1", "akg:chairCountry", "MinCount", None)}),
    ("ChairmanshipShape",
     """chairmanship:c2 a akg:Chairmanship ; rdfs:label "C2" ; akg:chairCountry orgid:asean ;
        akg:ofOrganization orgid:asean ; akg:year "2024"^^xsd:gYear .""",
     {("chairmanship:c2", "akg:chairCountry", "Class", "orgid:asean")}),
    ("ChairmanshipShape",
     """chairmanship:c3 a akg:Chairmanship ; rdfs:label "C3" ; akg:chairCountry country:VNM ;
        akg:ofOrganization orgid:asean ; akg:year 2020 .""",
     {("chairmanship:c3", "akg:year", "Datatype", Literal(2020))}),
    ("ChairmanshipShape",
     """chairmanship:c4 a akg:Chairmanship ; rdfs:label "C4" ; akg:chairCountry country:VNM ;
        akg:ofOrganization orgid:asean ; akg:year "2020"^^xsd:gYear, "2010"^^xsd:gYear .""",
     {("chairmanship:c4", "akg:year", "MaxCount", None)}),
    ("ChairmanshipShape",
     """chairmanship:c5 a akg:Chairmanship ; rdfs:label "C5" ; akg:chairCountry country:VNM ;
        akg:year "2020"^^xsd:gYear ; akg:theme "Cohesive and Responsive"@en .""",
     {("chairmanship:c5", "akg:ofOrganization", "MinCount", None)}),
    ("ChairmanshipShape",
     """chairmanship:c6 a akg:Chairmanship ; rdfs:label "C6" ; akg:chairCountry country:VNM ;
        akg:ofOrganization orgid:asean ; akg:year "2020"^^xsd:gYear ; akg:theme 2020 .""",
     {("chairmanship:c6", "akg:theme", "Or", Literal(2020))}),
    ("PartnershipShape", """partnership:y1 a akg:Partnership ; rdfs:label "Y1" ; akg:party orgid:asean .""",
     {("partnership:y1", "akg:party", "MinCount", None)}),
    ("PartnershipShape",
     """partnership:y2 a akg:Partnership ; rdfs:label "Y2" ; akg:party orgid:asean, person:bui-thanh-son .""",
     {("partnership:y2", "akg:party", "Or", "person:bui-thanh-son")}),
    ("PartnershipShape",
     """partnership:y3 a akg:Partnership ; rdfs:label "Y3" ; akg:party orgid:asean, country:JPN ;
        akg:level country:JPN .""",
     {("partnership:y3", "akg:level", "Class", "country:JPN")}),
    ("PartnershipShape",
     """partnership:y4 a akg:Partnership ; rdfs:label "Y4" ; akg:party orgid:asean, country:JPN ;
        akg:established "1977-01-01"^^xsd:date .""",
     {("partnership:y4", "akg:established", "Datatype", Literal("1977-01-01", datatype=XSD.date))}),
    ("PartnershipShape",
     """partnership:y5 a akg:Partnership ; rdfs:label "Y5" ; akg:party orgid:asean, country:JPN ;
        akg:coordinator country:VNM ; akg:from "2027"^^xsd:gYear ; akg:until "2024"^^xsd:gYear .""",
     {("partnership:y5", "akg:from", "SPARQL", Literal("2027", datatype=XSD.gYear))}),
    ("PartnershipShape",
     """partnership:y6 a akg:Partnership ; rdfs:label "Y6" ; akg:party orgid:asean, country:JPN ;
        akg:coordinator orgid:asean-secretariat .""",
     {("partnership:y6", "akg:coordinator", "Class", "orgid:asean-secretariat")}),
    ("PartnershipLevelShape", """level:l1 a akg:PartnershipLevel .""",
     {("level:l1", "rdfs:label", "MinCount", None)}),
    ("ArticleShape",
     """article:00000000000000a1 a akg:Article ; rdfs:label "A1" ;
        akg:contentHash "00000000000000a1000000000000000000000000000000000000000000000000" .""",
     {("article:00000000000000a1", None, "Or", "article:00000000000000a1")}),
    ("ArticleShape",
     """article:00000000000000a2 a akg:Article ; rdfs:label "A2" ; akg:sourceFile "a2.txt" ;
        akg:contentHash "00000000000000A2000000000000000000000000000000000000000000000000" .""",
     {("article:00000000000000a2", "akg:contentHash", "Pattern",
       Literal("00000000000000A2000000000000000000000000000000000000000000000000")),
      ("article:00000000000000a2", "akg:contentHash", "SPARQL",
       Literal("00000000000000A2000000000000000000000000000000000000000000000000"))}),
    ("ArticleShape",
     """article:00000000000000a3 a akg:Article ; rdfs:label "A3" ; akg:sourceFile "a3.txt" .""",
     {("article:00000000000000a3", "akg:contentHash", "MinCount", None)}),
    ("ArticleShape",
     """article:00000000000000a4 a akg:Article ; rdfs:label "A4" ; akg:sourceFile "a4.txt" ;
        akg:contentHash "ffffffffffffffff000000000000000000000000000000000000000000000000" .""",
     {("article:00000000000000a4", "akg:contentHash", "SPARQL",
       Literal("ffffffffffffffff000000000000000000000000000000000000000000000000"))}),
    ("ArticleShape",
     """article:00000000000000a5 a akg:Article ; rdfs:label "A5" ; akg:sourceFile "a5.txt" ;
        akg:contentHash "00000000000000a5000000000000000000000000000000000000000000000000" ;
        schema:datePublished "2025-07-09T08:00:00"^^xsd:dateTime .""",
     {("article:00000000000000a5", "schema:datePublished", "Datatype",
       Literal("2025-07-09T08:00:00", datatype=XSD.dateTime))}),
    ("ArticleShape",
     """article:00000000000000a6 a akg:Article ; rdfs:label "A6" ; akg:sourceFile "a6.txt" ;
        akg:contentHash "00000000000000a6000000000000000000000000000000000000000000000000" ;
        schema:datePublished "2025-07-09"^^xsd:date, "2025-07-10"^^xsd:date .""",
     {("article:00000000000000a6", "schema:datePublished", "MaxCount", None)}),
    ("ArticleShape",
     """article:00000000000000a7 a akg:Article ; rdfs:label "A7" ; schema:url "https://example.org/a7" ;
        akg:contentHash "00000000000000a7000000000000000000000000000000000000000000000000" .""",
     {("article:00000000000000a7", "schema:url", "NodeKind", Literal("https://example.org/a7"))}),
    ("ArticleShape",
     """article:00000000000000a8 a akg:Article ; rdfs:label "A8" ; akg:sourceFile "data/a8.txt" ;
        akg:contentHash "00000000000000a8000000000000000000000000000000000000000000000000" .""",
     {("article:00000000000000a8", "akg:sourceFile", "Pattern", Literal("data/a8.txt"))}),
    ("ArticleShape",
     """article:00000000000000a9 a akg:Article ; rdfs:label "A9" ; akg:sourceFile "a9.txt" ;
        akg:contentHash "00000000000000a9000000000000000000000000000000000000000000000000" ;
        schema:publisher "Example"@en .""",
     {("article:00000000000000a9", "schema:publisher", "Datatype", Literal("Example", lang="en"))}),
    ("ArticleShape",
     """article:a10 a akg:Article ; rdfs:label "A10" ; akg:sourceFile "a10.txt" ;
        akg:contentHash "00000000000000aa000000000000000000000000000000000000000000000000" .""",
     {("article:a10", "akg:contentHash", "SPARQL",
       Literal("00000000000000aa000000000000000000000000000000000000000000000000")),
      ("article:a10", None, "Pattern", "article:a10")}),
    ("ArticleShape",
     """article:00000000000000ab a akg:Article ; akg:sourceFile "ab.txt" ;
        akg:contentHash "00000000000000ab000000000000000000000000000000000000000000000000" .""",
     {("article:00000000000000ab", "rdfs:label", "MinCount", None)}),
    ("MentionShape",
     """mention:n1 a akg:Mention ; akg:refersTo country:VNM ; akg:text "Viet Nam" ; akg:sentence "S." ;
        akg:start 12 ; akg:end 12 ; akg:inArticle article:0123456789abcdef .""",
     {("mention:n1", "akg:start", "LessThan", Literal(12))}),
    ("MentionShape",
     """mention:n2 a akg:Mention ; akg:refersTo country:VNM ; akg:text "Viet Nam" ; akg:sentence "S." ;
        akg:start -1 ; akg:end 7 ; akg:inArticle article:0123456789abcdef .""",
     {("mention:n2", "akg:start", "MinInclusive", Literal(-1))}),
    ("MentionShape",
     """mention:n3 a akg:Mention ; akg:refersTo country:VNM ; akg:text "Viet Nam" ; akg:sentence "S." ;
        akg:start 0 ; akg:inArticle article:0123456789abcdef .""",
     {("mention:n3", "akg:end", "MinCount", None)}),
    ("MentionShape",
     """mention:n4 a akg:Mention ; akg:refersTo country:VNM ; akg:text "Viet Nam" ; akg:sentence "S." ;
        akg:start 0 ; akg:end 8 ; akg:inArticle person:bui-thanh-son .""",
     {("mention:n4", "akg:inArticle", "Class", "person:bui-thanh-son")}),
    ("MentionShape",
     """mention:n5 a akg:Mention ; akg:refersTo "Viet Nam (n5)" ; akg:text "Viet Nam" ; akg:sentence "S." ;
        akg:start 0 ; akg:end 8 ; akg:inArticle article:0123456789abcdef .""",
     {("mention:n5", "akg:refersTo", "NodeKind", Literal("Viet Nam (n5)")),
      # a literal is no entity either: TypedEntityShape targets the objects of akg:refersTo
      (Literal("Viet Nam (n5)"), "rdf:type", "QualifiedMinCount", None, "TypedEntityShape")}),
    ("MentionShape",
     """mention:n6 a akg:Mention ; akg:refersTo country:VNM ; akg:text "" ; akg:sentence "S." ; akg:start 0 ;
        akg:end 8 ; akg:inArticle article:0123456789abcdef .""",
     {("mention:n6", "akg:text", "MinLength", Literal(""))}),
    ("MentionShape",
     """mention:n7 a akg:Mention ; akg:refersTo country:VNM ; akg:text "Viet Nam" ;
        akg:start "0"^^xsd:decimal ; akg:end 8 ; akg:inArticle article:0123456789abcdef .""",
     {("mention:n7", "akg:sentence", "MinCount", None),
      ("mention:n7", "akg:start", "Datatype", Literal("0", datatype=XSD.decimal))}),
    ("MentionShape",
     """mention:n10 a akg:Mention ; akg:refersTo country:VNM ; akg:text "VN" ; akg:sentence "VN." ;
        akg:start 0 ; akg:end 2 ; akg:textPart 1 ; akg:inArticle article:0123456789abcdef .""",
     {("mention:n10", "akg:textPart", "Datatype", Literal(1))}),
    ("EvidenceShape",
     """initiative:i2 a akg:Initiative ; rdfs:label "I2" ; prov:wasDerivedFrom article:0123456789abcdef .""",
     {("initiative:i2", "prov:wasDerivedFrom", "Class", "article:0123456789abcdef")}),
    ("AltLabelShape", """place:x4 a akg:Place ; rdfs:label "X4" ; skos:altLabel 4 .""",
     {("place:x4", "skos:altLabel", "Or", Literal(4))}),
    ("ExactMatchShape",
     """place:x5 a akg:Place ; rdfs:label "X5" ; skos:exactMatch <https://www.wikidata.org/wiki/Q1858> .""",
     {("place:x5", "skos:exactMatch", "Pattern", "<https://www.wikidata.org/wiki/Q1858>")}),
    ("ExactMatchShape", """place:x6 a akg:Place ; rdfs:label "X6" ; skos:exactMatch "Q1858" .""",
     {("place:x6", "skos:exactMatch", "NodeKind", Literal("Q1858")),
      ("place:x6", "skos:exactMatch", "Pattern", Literal("Q1858"))}),
    ("DerivedOnlyShape", """person:p4 a akg:Person ; rdfs:label "P4" ; akg:attended meeting:amm-58 .""",
     {("person:p4", "akg:attended", "MaxCount", None)}),
    ("DerivedOnlyShape",
     """country:XAI a akg:Country ; rdfs:label "I" ; akg:iso3 "XAI" ; akg:chaired meeting:amm-58 .""",
     {("country:XAI", "akg:chaired", "MaxCount", None)}),
    ("CountryShape", """country:Viet-Nam a akg:Country ; rdfs:label "Viet Nam" ; akg:iso3 "VNM" .""",
     {("country:Viet-Nam", None, "Pattern", "country:Viet-Nam")}),
    ("MeetingShape", """meeting:AMM-59 a akg:MinisterialMeeting ; rdfs:label "AMM-59" .""",
     {("meeting:AMM-59", None, "Pattern", "meeting:AMM-59")}),
    ("PlaceShape", """meeting:m21 a akg:Summit, akg:Place ; rdfs:label "M21" .""",
     {("meeting:m21", None, "Pattern", "meeting:m21")}),
    ("PersonShape", """initiative:i3 a akg:Initiative, akg:Person ; rdfs:label "I3" .""",
     {("initiative:i3", None, "Pattern", "initiative:i3")}),
    ("TypedEntityShape",
     """mention:n8 a akg:Mention ; akg:refersTo person:nobody ; akg:text "Nobody" ; akg:sentence "S." ;
        akg:start 0 ; akg:end 6 ; akg:inArticle article:0123456789abcdef .""",
     {("person:nobody", "rdf:type", "QualifiedMinCount", None)}),
    ("TypedEntityShape", """person:p5 a <http://xmlns.com/foaf/0.1/Person> ; akg:nationality country:VNM .""",
     {("person:p5", "rdf:type", "QualifiedMinCount", None)}),
    ("TypedEntityShape", """person:p6 a akg:Official ; akg:nationality country:VNM .""",
     {("person:p6", "rdf:type", "QualifiedMinCount", None)}),
    ("TypedEntityShape", """chairmanship:c8 akg:chairCountry country:VNM .""",
     {("chairmanship:c8", "rdf:type", "QualifiedMinCount", None)}),
]

# Conforming edge cases, one or more per shape, on top of the fixture (which has one of each).
CONFORMING = [
    ("CountryShape", """country:XBA a akg:Country ; rdfs:label "Ba"@en, "Ba (fr)"@fr ; akg:iso3 "XBA" ."""),
    ("OrganizationShape",
     """orgid:o3 a akg:Organization ; rdfs:label "O3" ; org:subOrganizationOf orgid:asean ."""),
    ("PersonShape",
     """person:p7 a akg:Person ; rdfs:label "P7" ; akg:nationality country:VNM, country:MYS ."""),
    ("PostShape",
     """post:q6 a org:Post ; rdfs:label "Q6" ; org:role role:foreign-minister ; org:postIn orgid:asean ."""),
    ("PostShape", """post:q7 a org:Post ; rdfs:label "Q7" ; org:role role:foreign-minister ."""),
    ("RoleShape", """role:r3 a org:Role ; rdfs:label "R3"@en ."""),
    ("PlaceShape", """place:x7 a akg:Place ; rdfs:label "X7" ."""),
    ("MeetingShape",
     """meeting:m22 a akg:Meeting ; rdfs:label "M22" ; schema:startDate "2025"^^xsd:gYear ;
        schema:endDate "2025-01-31"^^xsd:date ; akg:ordinal 1 ."""),
    ("MeetingShape",
     """meeting:m23 a akg:Forum ; rdfs:label "M23" ; schema:startDate "2025-07-11"^^xsd:date ;
        schema:endDate "2025-07-11"^^xsd:date ; schema:eventAttendanceMode schema:OnlineEventAttendanceMode ;
        akg:discussed initiative:asean-power-grid ; akg:preparesFor meeting:asean-summit-47 ."""),
    ("MeetingShape",
     """meeting:m24 a akg:WorkingGroupMeeting ; rdfs:label "M24" ;
        schema:startDate "2025-07"^^xsd:gYearMonth ."""),
    ("MeetingSeriesShape", """series:s2 a akg:MeetingSeries ; rdfs:label "S2" ; skos:altLabel "S-2" ."""),
    ("InitiativeShape", """initiative:i4 a akg:Initiative ; rdfs:label "I4" ."""),
    ("DocumentShape", """document:d2 a akg:Document ; rdfs:label "D2"@en ."""),
    ("ParticipationShape",
     """participation:x10 a akg:Participation ; rdfs:label "X10" ; akg:meeting meeting:amm-58 ;
        akg:participant orgid:asean-secretariat ; akg:capacity akg:Speaker, akg:Delegate ."""),
    ("ChairingParticipationShape",
     """participation:x11 a akg:ChairingParticipation ; rdfs:label "X11" ;
        akg:meeting meeting:asean-summit-47 ; akg:participant country:MYS ; akg:capacity akg:CoChair ."""),
    ("ChairmanshipShape",
     """chairmanship:c7 a akg:Chairmanship ; rdfs:label "C7" ; akg:chairCountry country:VNM ;
        akg:ofOrganization orgid:asean ; akg:year "2020"^^xsd:gYear ."""),
    ("ChairmanshipShape",  # the year is not always stated
     """chairmanship:c9 a akg:Chairmanship ; rdfs:label "C9" ; akg:chairCountry country:MYS ;
        akg:ofOrganization orgid:asean ."""),
    ("PartnershipShape",
     """partnership:y7 a akg:Partnership ; rdfs:label "Y7" ;
        akg:party orgid:asean, country:JPN, country:VNM ; akg:from "2024"^^xsd:gYear ;
        akg:until "2024"^^xsd:gYear ."""),
    ("ArticleShape",
     """article:00000000000000ac a akg:Article ; rdfs:label "ac.txt" ; akg:sourceFile "ac.txt" ;
        akg:contentHash "00000000000000ac000000000000000000000000000000000000000000000000" ."""),
    ("ArticleShape",
     """article:00000000000000ad a akg:Article ; rdfs:label "AD" ; schema:url <http://example.org/ad> ;
        akg:contentHash "00000000000000ad000000000000000000000000000000000000000000000000" ."""),
    ("MentionShape",
     """mention:n9 a akg:Mention ; akg:refersTo meeting:amm-58 ; akg:text "AMM" ; akg:sentence "AMM." ;
        akg:start 0 ; akg:end 3 ; akg:textPart "caption:0" ; akg:inArticle article:0123456789abcdef ."""),
    ("ExactMatchShape",
     """orgid:o4 a akg:Organization ; rdfs:label "O4" ;
        skos:exactMatch <http://www.wikidata.org/entity/Q1065> ."""),
]


@dataclass(frozen=True)
class Result:
    focus: object
    path: object
    component: str
    value: object
    shape: object



@pytest.fixture(scope="module")
def base() -> Graph:
    return Graph().parse(FIXTURE)


def term(curie, graph: Graph):
    """A fixture CURIE, ``<iri>`` or literal as an rdflib term (None stays None)."""
    if curie is None or isinstance(curie, Literal):
        return curie
    if curie.startswith("<"):
        return URIRef(curie[1:-1])
    return graph.namespace_manager.expand_curie(curie)


def snippet_graph(snippet: str) -> Graph:
    return Graph().parse(data=PREFIXES + snippet, format="turtle")


def validate(data: Graph, ontology: Graph, shapes: Graph, inference: str = "none") -> tuple[bool, set]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference=inference)
    results = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        component = str(report.value(r, SH.sourceConstraintComponent))
        results.add(Result(report.value(r, SH.focusNode), report.value(r, SH.resultPath),
                           component.rsplit("#", 1)[1].removesuffix("ConstraintComponent"),
                           report.value(r, SH.value), report.value(r, SH.sourceShape)))
    return conforms, results


def new_nodes(snippet: Graph, base: Graph) -> set:
    """The IRIs a snippet introduces (its subjects, and entity IRIs the base does not know)."""
    known = set(base.subjects()) | set(base.objects())
    nodes = set(snippet.subjects())
    nodes |= {o for o in snippet.objects() if str(o).startswith(settings.ID_NS) and o not in known}
    return nodes


def new_terms(snippet: Graph, base: Graph) -> set:
    """New IRIs and the literals of the snippet that the base does not have."""
    known = set(base.objects())
    literals = {o for o in snippet.objects() if isinstance(o, Literal) and o not in known}
    return new_nodes(snippet, base) | literals


def attribute(result: Result, nodes: set) -> bool:
    return result.focus in nodes


def owner_shapes(result: Result, shapes: Graph) -> set:
    """The node shapes a result comes from: its source shape, or those holding that property shape."""
    if (result.shape, RDF.type, SH.NodeShape) in shapes:
        return {result.shape}
    return set(shapes.subjects(SH.property, result.shape))


@pytest.fixture(scope="module")
def batch(base, ontology, shapes):
    """All violating snippets validated together: (report results, new nodes per case)."""
    data = Graph() + base
    nodes = []
    for _, snippet, _ in VIOLATIONS:
        g = snippet_graph(snippet)
        nodes.append(new_terms(g, base))
        data += g
    conforms, results = validate(data, ontology, shapes)
    assert not conforms
    return results, nodes


def test_fixture_conforms(base, ontology, shapes):
    conforms, results = validate(base, ontology, shapes)
    assert conforms, results


def test_fixture_conforms_with_rdfs_inference(base, ontology, shapes):
    conforms, results = validate(base, ontology, shapes, inference="rdfs")
    assert conforms, results


def test_conforming_examples(base, ontology, shapes):
    data = Graph() + base
    for _, snippet in CONFORMING:
        data += snippet_graph(snippet)
    conforms, results = validate(data, ontology, shapes)
    assert conforms, sorted(map(str, results))


def test_every_shape_has_cases(shapes):
    node_shapes = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if str(s).startswith(str(AKGSH))}
    assert {AKGSH[name] for name, _, _ in VIOLATIONS} == node_shapes
    assert {AKGSH[name] for name, _ in CONFORMING} | {AKGSH.TypedEntityShape, AKGSH.EvidenceShape,
                                                      AKGSH.AltLabelShape, AKGSH.DerivedOnlyShape,
                                                      AKGSH.CapacityShape, AKGSH.MeetingStatusShape,
                                                      AKGSH.PartnershipLevelShape} == node_shapes


def test_cases_are_independent(base):
    """Cases add disjoint sets of new nodes, so a result about one case's nodes is that case's."""
    seen: set = set()
    base_subjects = set(base.subjects())
    for _, snippet, _ in VIOLATIONS:
        nodes = new_nodes(snippet_graph(snippet), base)
        assert not nodes & seen, nodes & seen
        assert not nodes & base_subjects
        seen |= nodes


def test_every_result_belongs_to_a_case(batch):
    results, nodes = batch
    all_nodes = set().union(*nodes)
    assert {r for r in results if not attribute(r, all_nodes)} == set()


@pytest.mark.parametrize(("shape", "snippet", "expected"), VIOLATIONS,
                         ids=[f"{i:02d}-{v[0]}" for i, v in enumerate(VIOLATIONS)])
def test_violation(shape, snippet, expected, batch, shapes, base):
    results, nodes = batch
    case_nodes = nodes[[v[1] for v in VIOLATIONS].index(snippet)]
    mine = {r for r in results if attribute(r, case_nodes)}
    wanted = {(term(f, base), term(p, base), c, term(v, base)): AKGSH[rest[0] if rest else shape]
              for f, p, c, v, *rest in expected}
    assert {(r.focus, r.path, r.component, r.value) for r in mine} == set(wanted)
    for r in mine:
        assert wanted[(r.focus, r.path, r.component, r.value)] in owner_shapes(r, shapes)


def case(subject: str) -> tuple:
    """The violating case whose snippet starts with ``subject``."""
    return next(v for v in VIOLATIONS if v[1].startswith(subject + " "))


@pytest.mark.parametrize("subject", ["meeting:m3", "partnership:y5", "article:00000000000000a4",
                                     "meeting:m21", "participation:x9", "mention:n8"])
def test_case_alone_gives_the_same_results(subject, base, ontology, shapes):
    _, snippet, expected = case(subject)
    conforms, results = validate(base + snippet_graph(snippet), ontology, shapes)
    assert not conforms
    assert {(r.focus, r.path, r.component, r.value) for r in results} == {
        (term(f, base), term(p, base), c, term(v, base)) for f, p, c, v, *_ in expected}


def test_conforming_examples_with_rdfs_inference(base, ontology, shapes):
    data = Graph() + base
    for _, snippet in CONFORMING:
        data += snippet_graph(snippet)
    conforms, results = validate(data, ontology, shapes, inference="rdfs")
    assert conforms, sorted(map(str, results))


@pytest.mark.parametrize(("subject", "expected"), [
    # rdfs:range makes the wrong value a Document; its IRI then fails DocumentShape's pattern
    ("meeting:m12", {("initiative:asean-power-grid", None, "Pattern", "initiative:asean-power-grid")}),
    # rdfs:domain makes the wrongly typed node an akg:Person, which then lacks a label
    ("person:p6", {("person:p6", "rdfs:label", "MinCount", None)}),
])
def test_rdfs_inference_moves_range_errors(subject, expected, base, ontology, shapes):
    """With inference="rdfs" wrong values are still caught, but range and domain inference type the
    offending node first, so the report names a different node and constraint: one reason the
    loader validates with inference="none"."""
    _, snippet, _ = case(subject)
    conforms, results = validate(base + snippet_graph(snippet), ontology, shapes, inference="rdfs")
    assert not conforms
    assert {(r.focus, r.path, r.component, r.value) for r in results} == {
        (term(f, base), term(p, base), c, term(v, base)) for f, p, c, v in expected}


def test_focus_nodes_restrict_validation_to_one_article(base, ontology, shapes):
    """How the loader keeps validation cheap: the data graph is article + reference data, but only
    the IRIs the article graph mentions are focus nodes, so the reference data is not re-checked
    for every article. The results for the article's own nodes are the same."""
    subjects = ["meeting:m3", "participation:x7", "mention:n8", "akg:Postponed", "article:00000000000000a4",
                "partnership:y5", "person:p4", "meeting:m21"]
    article = Graph()
    expected = set()
    for subject in subjects:
        _, snippet, results = case(subject)
        article += snippet_graph(snippet)
        expected |= {(term(f, base), term(p, base), c, term(v, base)) for f, p, c, v, *_ in results}
    focus = sorted({t for s, _, o in article for t in (s, o) if isinstance(t, URIRef)})
    conforms, report, _ = pyshacl.validate(base + article, shacl_graph=shapes, ont_graph=ontology,
                                           inference="none", focus_nodes=focus)
    assert not conforms
    found = {(report.value(r, SH.focusNode), report.value(r, SH.resultPath),
              str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1].removesuffix(
                  "ConstraintComponent"), report.value(r, SH.value))
             for r in report.subjects(RDF.type, SH.ValidationResult)}
    assert found == expected


def test_typed_entity_targets_cover_the_vocabulary(ontology, shapes):
    shape = AKGSH.TypedEntityShape
    objects = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    properties = objects | set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    schema = Namespace("https://schema.org/")
    assert set(shapes.objects(shape, SH.targetSubjectsOf)) == properties | {skos.altLabel}
    # object properties whose values are entities (not the ontology's own individuals, web pages or Wikidata)
    outside = {AKG.capacity, AKG.reportedStatus, schema.eventAttendanceMode, schema.url, skos.exactMatch,
               AKG.rank, AKG.correctionAction}
    assert set(shapes.objects(shape, SH.targetObjectsOf)) == objects - outside


def test_iri_patterns_keep_disjoint_classes_apart(ontology, shapes):
    """Every class the ontology declares disjoint has a shape that requires IRIs under its own
    folder of https://w3id.org/aseankg/id/, so no IRI can be an instance of two of them."""
    folders = {}
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        pattern = shapes.value(shape, SH.pattern)
        if pattern is not None and str(pattern).startswith("^https://w3id\\.org/aseankg/id/"):
            folder = str(pattern).split("/id/", 1)[1].split("/", 1)[0]
            for cls in shapes.objects(shape, SH.targetClass):
                folders[cls] = folder
    disjoint = set()
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        disjoint |= set(Collection(ontology, ontology.value(node, OWL.members)))
    disjoint |= set(ontology.subjects(OWL.disjointWith, None)) | set(ontology.objects(None, OWL.disjointWith))
    assert disjoint <= set(folders)
    assert len({folders[c] for c in disjoint}) == len(disjoint)


@pytest.mark.slow
def test_shapes_are_valid_shacl(shapes):
    """shapes.ttl itself conforms to the SHACL-SHACL shapes graph."""
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text
