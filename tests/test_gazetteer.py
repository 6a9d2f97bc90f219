"""The curated gazetteer: its data files are consistent and its loader indexes them as documented."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import rdflib
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from aseankg import naming, settings
from aseankg.gazetteer import (
    AKG,
    Gazetteer,
    GazetteerError,
    is_case_sensitive,
    load_gazetteer,
    read_gazetteer,
)

ID = re.escape(settings.ID_NS)
KEY = r"[a-z0-9]+(?:-[a-z0-9]+)*"
IRI_PATTERNS = {
    "country": re.compile(rf"^{ID}country/[A-Z]{{3}}$"),
    "organization": re.compile(rf"^{ID}org/{KEY}$"),
    "series": re.compile(rf"^{ID}series/{KEY}$"),
    "role": re.compile(rf"^{ID}role/{KEY}$"),
    "place": re.compile(rf"^{ID}place/{KEY}$"),
    "level": re.compile(rf"^{ID}level/{KEY}$"),
}
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")

ASEAN_MEMBERS = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"}
DIALOGUE_PARTNERS = {"AUS", "CAN", "CHN", "IND", "JPN", "KOR", "NZL", "RUS", "GBR", "USA"}
MEETING_CLASSES = {"Summit", "MinisterialMeeting", "SeniorOfficialsMeeting", "Retreat", "WorkingGroupMeeting",
                   "Forum", "Meeting"}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def records(gaz: Gazetteer):
    """(kind, record) for every record with an IRI."""
    tables = (("country", gaz.countries), ("organization", gaz.organizations), ("series", gaz.series),
              ("role", gaz.roles), ("place", gaz.places), ("level", gaz.levels))
    for kind, table in tables:
        for record in table.values():
            yield kind, record


# --- the data -------------------------------------------------------------------------------------


def test_iso_codes_are_well_formed_and_unique(gaz):
    iso2 = [c.iso2 for c in gaz.countries.values()]
    assert len(iso2) == len(set(iso2)), "duplicate ISO alpha-2 codes"
    for c in gaz.countries.values():
        assert re.fullmatch(r"[A-Z]{3}", c.iso3), c
        assert re.fullmatch(r"[A-Z]{2}", c.iso2), c


def test_about_sixty_countries_or_more(gaz):
    assert len(gaz.countries) >= 60
    assert len(gaz.organizations) >= 40


def test_members_and_dialogue_partners_have_their_groups(gaz):
    members = {c.iso3 for c in gaz.countries.values() if "asean-member" in c.groups}
    partners = {c.iso3 for c in gaz.countries.values() if "dialogue-partner" in c.groups}
    assert members == ASEAN_MEMBERS
    assert partners == DIALOGUE_PARTNERS
    assert {c.iso3 for c in gaz.countries.values() if "apt" in c.groups} == {"CHN", "JPN", "KOR"}
    eas = {c.iso3 for c in gaz.countries.values() if "eas" in c.groups}
    assert eas == (ASEAN_MEMBERS - {"TLS"}) | {"AUS", "CHN", "IND", "JPN", "KOR", "NZL", "RUS", "USA"}
    assert len(eas) == 18
    assert gaz.in_group("asean-member") == sorted(gaz.in_group("asean-member"), key=lambda c: c.iso3)


def test_country_names_follow_asean_usage(gaz):
    assert gaz.countries["VNM"].name == "Viet Nam"
    assert "Vietnam" in gaz.countries["VNM"].aliases
    assert gaz.countries["KOR"].name == "Republic of Korea"


def test_every_alias_names_one_entity_within_its_kind(gaz):
    """A folded surface form maps to one record per kind; countries and demonyms are one kind."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, entries in gaz.aliases().items():
        for e in entries:
            family = "country" if e.kind in ("country", "demonym") else e.kind
            owners[(family, key)].add(e.iri)
    collisions = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not collisions, f"aliases naming several entities of one kind: {collisions}"


def test_lao_is_both_an_alias_and_the_demonym_of_one_country(gaz):
    hits = gaz.lookup("Lao")
    assert {e.kind for e in hits} == {"country", "demonym"}
    assert {e.entry.iso3 for e in hits} == {"LAO"}


def test_every_alias_folds_to_something(gaz):
    for kind, record in records(gaz):
        for name in record.names:
            assert naming.fold(name), (kind, record.iri, name)
    for c in gaz.countries.values():
        for demonym in c.demonyms:
            assert naming.fold(demonym), (c.iso3, demonym)


def test_wikidata_ids_are_well_formed_and_not_shared(gaz):
    seen: dict[str, str] = {}
    for kind, record in records(gaz):
        if kind in ("role", "level"):
            continue
        if record.wikidata:
            assert WIKIDATA_ID.match(record.wikidata), (record.iri, record.wikidata)
            assert record.wikidata not in seen, (record.wikidata, seen.get(record.wikidata), record.iri)
            seen[record.wikidata] = record.iri
    assert gaz.countries["VNM"].wikidata == "Q881"
    assert gaz.organizations["asean"].wikidata == "Q7768"
    assert gaz.places["kuala-lumpur"].wikidata == "Q1865"


def test_iris_follow_the_design_scheme(gaz):
    for kind, record in records(gaz):
        assert IRI_PATTERNS[kind].match(record.iri), (kind, record.iri)
    for kind, record in records(gaz):
        if kind != "country":
            assert naming.slug(record.key) == record.key, f"{kind} key {record.key!r} is not a slug"
    assert gaz.countries["VNM"].iri == settings.ID_NS + "country/VNM"
    assert gaz.series["amm"].iri == naming.series_iri("amm")
    post = naming.post_iri("vnm", gaz.roles["foreign-minister"].key)
    assert post == settings.ID_NS + "post/vnm-foreign-minister"


def test_places_are_in_known_countries_and_venues_in_known_cities(gaz):
    for p in gaz.places.values():
        assert p.country in gaz.countries, p
        assert p.kind in ("city", "venue", "region"), p
        if p.kind == "venue":
            assert p.city in gaz.places, f"venue {p.key} needs a city"
            assert gaz.places[p.city].country == p.country, p
        else:
            assert not p.city, p


def test_member_and_partner_capitals_are_places(gaz):
    for iso3 in ASEAN_MEMBERS | DIALOGUE_PARTNERS:
        c = gaz.countries[iso3]
        hits = [e.entry for e in gaz.lookup(c.capital) if e.kind == "place"]
        assert any(p.country == iso3 for p in hits), f"capital {c.capital!r} of {iso3} is not in places.csv"


def test_series_are_consistent(gaz):
    for s in gaz.series.values():
        assert s.meeting_class in MEETING_CLASSES, s
        assert s.convener in gaz.organizations, s
        assert s.body or not s.body_aliases, f"{s.key}: body aliases without a body"


def test_body_names_belong_to_one_series_per_convener(gaz):
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s in gaz.series.values():
        for body in s.bodies:
            owners[(s.convener, naming.fold(body))].add(s.key)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, shared


def test_composite_bodies_resolve_to_the_asean_series(gaz):
    assert [s.key for s in gaz.series_for_body("Foreign Ministers’ Meeting")] == ["amm"]
    assert [s.key for s in gaz.series_for_body("Summit")] == ["asean-summit"]
    assert [s.key for s in gaz.series_for_body("Foreign Ministers' Meeting", convener="apt")] == ["apt-fmm"]
    assert {s.key for s in gaz.series_for_body("SOM", convener=None)} == {"asean-som", "apt-som", "eas-som"}
    assert gaz.series_for_body("Summitry") == []


def test_required_series_keys_are_present(gaz):
    for key in ("asean-summit", "amm", "asean-som", "apt-summit", "apt-fmm", "apt-som", "eas", "eas-fmm",
                "eas-som", "arf", "arf-som", "pmc", "acc", "apsc-council", "aec-council", "ascc-council",
                "aem", "admm", "admm-plus", "admm-retreat", "amm-retreat", "aem-retreat",
                "asean-leaders-meeting", "iai-task-force-meeting", "aipa-general-assembly",
                "seanwfz-commission-meeting"):
        assert key in gaz.series, key
    assert gaz.series["eas"].meeting_class == "Summit"
    assert gaz.series["arf"].meeting_class == "MinisterialMeeting"


def test_sectoral_and_plus_three_series(gaz):
    """The wider landscape: sectoral ministerial bodies, their Plus Three meetings, forums, task forces."""
    expected = {
        "somtc": ("SeniorOfficialsMeeting", "asean"), "ammin": ("MinisterialMeeting", "asean"),
        "amrdpe": ("MinisterialMeeting", "asean"), "acdfm": ("Meeting", "asean"),
        "adsom-plus": ("SeniorOfficialsMeeting", "admm-plus"), "amf": ("Forum", "asean"),
        "eamf": ("Forum", "asean"), "atf": ("Forum", "asean"), "afta-council": ("MinisterialMeeting", "asean"),
        "apthmm": ("MinisterialMeeting", "apt"), "aem-plus-three": ("MinisterialMeeting", "apt"),
        "afmgm-plus-three": ("MinisterialMeeting", "apt"), "ammtc-plus-three": ("MinisterialMeeting", "apt"),
        "eas-economic-ministers-meeting": ("MinisterialMeeting", "eas"),
        "hltf-ei-meeting": ("WorkingGroupMeeting", "hltf-ei"),
    }
    for key, (cls, convener) in expected.items():
        assert (gaz.series[key].meeting_class, gaz.series[key].convener) == (cls, convener), key
        assert convener in gaz.organizations, convener


@pytest.mark.parametrize("alias,key", [
    ("ASEAN Defense Ministers' Meeting", "admm"), ("ASEAN Defense Ministers’ Meeting Retreat", "admm-retreat"),
    ("ASEAN Defense Ministers' Meeting-Plus", "admm-plus"), ("AECC", "aec-council"), ("AMMin", "ammin"),
    ("AMMST", "ammsti"), ("TELMIN", "adgmin"), ("AMEM+3", "amem-plus-three"), ("SOMTC", "somtc"),
])
def test_series_aliases_and_spelling_variants(gaz, alias, key):
    hits = {e.entry.key for e in gaz.lookup_exact(alias) if e.kind == "series"}
    assert hits == {key}, (alias, hits)


def test_plus_three_bodies_resolve_to_their_own_series(gaz):
    assert [s.key for s in gaz.series_for_body("Health Ministers' Meeting", convener="apt")] == ["apthmm"]
    assert [s.key for s in gaz.series_for_body("Health Ministers' Meeting")] == ["ahmm"]
    assert [s.key for s in gaz.series_for_body("Defense Ministers' Informal Meeting")] == ["admm"]
    assert [s.key for s in gaz.series_for_body("Commemorative Summit", convener="apt")] == ["apt-summit"]


def test_honorifics_are_never_role_aliases_and_come_longest_first(gaz):
    role_names = {naming.fold(n) for r in gaz.roles.values() for n in r.names}
    clashes = [h for h in gaz.honorifics if naming.fold(h) in role_names]
    assert not clashes, clashes
    lengths = [len(h) for h in gaz.honorifics]
    assert lengths == sorted(lengths, reverse=True)
    assert "Datuk Seri" in gaz.honorifics and "H.E." in gaz.honorifics


def test_partnership_levels_are_ranked(gaz):
    rank = {k: lv.rank for k, lv in gaz.levels.items()}
    assert rank["dialogue-partnership"] < rank["strategic-partnership"]
    assert rank["strategic-partnership"] < rank["comprehensive-strategic-partnership"]
    assert gaz.lookup("CSP")[0].entry.key == "comprehensive-strategic-partnership"


# --- the loader -----------------------------------------------------------------------------------


def test_lookup_folds_case_and_diacritics(gaz):
    assert {e.entry.iso3 for e in gaz.lookup("VIETNAM")} == {"VNM"}
    assert {e.entry.iso3 for e in gaz.lookup("Türkiye")} == {"TUR"}
    assert gaz.lookup("Turkiye")[0].entry.iso3 == "TUR"
    assert gaz.lookup("no such place") == []


def test_lookup_exact_keeps_acronyms_apart_from_words(gaz):
    assert gaz.lookup_exact("us") == []
    assert [e.kind for e in gaz.lookup("us")] == ["country", "demonym"]
    assert {e.entry.iso3 for e in gaz.lookup_exact("US")} == {"USA"}
    assert {e.entry.iso3 for e in gaz.lookup_exact("U.S.")} == {"USA"}
    assert gaz.lookup_exact("who") == []
    assert gaz.lookup_exact("WHO")[0].entry.key == "who"
    assert gaz.lookup_exact("Vietnam") and gaz.lookup_exact("vietnam")
    entry = gaz.lookup("AMM")[0]
    assert entry.exact and entry.accepts("AMM") and not entry.accepts("Amm")


def test_case_sensitivity_rule():
    assert is_case_sensitive("ASEAN+3") and is_case_sensitive("10+3") and is_case_sensitive("G20")
    assert not is_case_sensitive("Asean") and not is_case_sensitive("Viet Nam") and not is_case_sensitive("U")


def test_country_resolves_names_codes_and_demonyms(gaz):
    cases = (("Viet Nam", "VNM"), ("Lao", "LAO"), ("Laotian", "LAO"), ("ROK", "KOR"), ("South Korea", "KOR"),
             ("the Philippines", "PHL"), ("Filipino", "PHL"), ("Burma", "MMR"), ("East Timor", "TLS"),
             ("VNM", "VNM"), ("VN", "VNM"), ("UK", "GBR"), ("British", "GBR"), ("Russian Federation", "RUS"),
             ("PRC", "CHN"))
    for text, iso3 in cases:
        found = gaz.country(text)
        assert found is not None and found.iso3 == iso3, text
    assert gaz.country("us") is None
    assert gaz.country("in") is None
    assert gaz.country("ASEAN") is None


def test_seed_article_surface_forms_are_known(gaz):
    """Names as the seed articles write them resolve to the expected kind of entity."""
    expected = {
        "Port Dickson": "place", "Kuala Lumpur": "place", "Vientiane": "place",
        "ASEAN Secretariat": "organization", "ASEAN+3": "organization", "East Asia Summit": "organization",
        "ASEAN Senior Officials’ Meeting": "series",
        "ASEAN Foreign Ministers' Meeting": "series", "ASEAN Foreign Ministers' Retreat": "series",
        "ASEAN Summits": "series", "Deputy Foreign Minister": "role", "Minister of Foreign Affairs": "role",
        "Deputy Prime Minister": "role", "Head of SOM ASEAN": "role", "General Secretary": "role",
        "Ambassador": "role", "Comprehensive Strategic Partnership": "level", "Dialogue Partner": "level",
        "Timor-Leste": "country", "Timor Leste": "country", "South Korea": "country",
        "Czech Republic": "country",
        "Vietnamese": "demonym", "Lao": "demonym", "IAI Task Force": "organization",
    }
    for text, kind in expected.items():
        assert kind in {e.kind for e in gaz.lookup_exact(text)}, text


def test_aliases_returns_a_copy(gaz):
    index = gaz.aliases()
    index["us"].clear()
    assert gaz.lookup("us")


def test_load_is_cached_per_directory(gaz, tmp_path):
    assert load_gazetteer() is gaz
    assert load_gazetteer(settings.GAZETTEER_DIR) is gaz
    copy = tmp_path / "gazetteer"
    shutil.copytree(settings.GAZETTEER_DIR, copy)
    other = load_gazetteer(copy)
    assert other is not gaz and other.countries.keys() == gaz.countries.keys()


def _broken_copy(tmp_path: Path, name: str, edit) -> Path:
    copy = tmp_path / "gazetteer"
    shutil.copytree(settings.GAZETTEER_DIR, copy)
    path = copy / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def test_malformed_files_are_reported_with_file_and_line(tmp_path):
    copy = _broken_copy(tmp_path, "places.csv", lambda t: t + "atlantis,Atlantis,,city,ATL,,\n")
    with pytest.raises(GazetteerError, match=r"places\.csv.*unknown country 'ATL'"):
        read_gazetteer(copy)


def test_duplicate_keys_are_refused(tmp_path):
    def duplicate(text: str) -> str:
        lines = text.splitlines(keepends=True)
        return "".join(lines + [lines[1]])
    copy = _broken_copy(tmp_path, "roles.csv", duplicate)
    with pytest.raises(GazetteerError, match=r"roles\.csv:\d+: duplicate key"):
        read_gazetteer(copy)


def test_wrong_header_is_refused(tmp_path):
    copy = _broken_copy(tmp_path, "partnership_levels.csv", lambda t: t.replace("rank", "order", 1))
    with pytest.raises(GazetteerError, match=r"partnership_levels\.csv:1: columns"):
        read_gazetteer(copy)


# --- the reference graph --------------------------------------------------------------------------


def test_reference_graph_describes_records_in_the_vocabulary(gaz):
    g = gaz.reference_graph()
    vnm = rdflib.URIRef(gaz.countries["VNM"].iri)
    assert (vnm, ns.RDF.type, AKG.Country) in g
    assert (vnm, ns.RDFS.label, rdflib.Literal("Viet Nam", lang="en")) in g
    assert (vnm, ns.SKOS.altLabel, rdflib.Literal("Vietnam", lang="en")) in g
    assert (vnm, ns.SKOS.exactMatch, rdflib.URIRef("http://www.wikidata.org/entity/Q881")) in g
    assert (vnm, AKG.iso3, rdflib.Literal("VNM", datatype=ns.XSD.string)) in g
    assert (vnm, AKG.capital, rdflib.URIRef(gaz.places["hanoi"].iri)) in g
    secretariat = rdflib.URIRef(gaz.organizations["asean-secretariat"].iri)
    assert (secretariat, ns.ORG.subOrganizationOf, rdflib.URIRef(gaz.organizations["asean"].iri)) in g
    assert (rdflib.URIRef(gaz.series["amm"].iri), ns.RDF.type, AKG.MeetingSeries) in g
    assert (rdflib.URIRef(gaz.roles["foreign-minister"].iri), ns.RDF.type, ns.ORG.Role) in g
    port_dickson = rdflib.URIRef(gaz.places["port-dickson"].iri)
    assert (port_dickson, AKG.inCountry, rdflib.URIRef(gaz.countries["MYS"].iri)) in g
    assert (rdflib.URIRef(gaz.levels["dialogue-partnership"].iri), ns.RDF.type, AKG.PartnershipLevel) in g
    labels = defaultdict(list)
    for s, o in g.subject_objects(ns.RDFS.label):
        labels[s].append(o)
    assert all(len(v) == 1 for v in labels.values()), "one rdfs:label per entity"
    assert gaz.reference_graph() is not g, "each call builds a new graph"


def test_reference_graph_round_trips_through_turtle(gaz):
    g = gaz.reference_graph()
    text = g.serialize(format="turtle")
    back = rdflib.Graph().parse(data=text, format="turtle")
    assert len(back) == len(g)
    assert isomorphic(back, g)


@pytest.mark.slow
@pytest.mark.skipif(not (settings.ONTOLOGY.exists() and settings.SHAPES.exists()),
                    reason="ontology/aseankg.ttl and ontology/shapes.ttl not written yet")
def test_reference_graph_conforms_to_the_shapes(gaz):
    import pyshacl

    ontology = rdflib.Graph().parse(settings.ONTOLOGY)
    shapes = rdflib.Graph().parse(settings.SHAPES)
    conforms, _, report = pyshacl.validate(data_graph=gaz.reference_graph(), shacl_graph=shapes,
                                           ont_graph=ontology, inference="rdfs")
    assert conforms, report


@pytest.mark.skipif(not settings.ONTOLOGY.exists(), reason="ontology/aseankg.ttl not written yet")
def test_meeting_classes_and_properties_exist_in_the_ontology(gaz):
    ontology = rdflib.Graph().parse(settings.ONTOLOGY)
    for name in {s.meeting_class for s in gaz.series.values()}:
        cls = AKG[name]
        assert (cls, ns.RDF.type, rdflib.OWL.Class) in ontology, name
        assert AKG.Meeting in set(ontology.transitive_objects(cls, ns.RDFS.subClassOf)), name
    used = {p for p in gaz.reference_graph().predicates() if str(p).startswith(settings.ONTOLOGY_NS)}
    for prop in used:
        assert (prop, None, None) in ontology, prop
