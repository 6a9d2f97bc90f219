"""The saved analyst queries (queries/*.rq) on the five seed articles.

Expected rows come from the gold annotation tests/gold/seeds.json, not from running the queries:
each test checks that gold facts appear in the rows (the extractor's recall is below 100 %).
"""

from __future__ import annotations

import json
import re
import subprocess
from itertools import combinations
from pathlib import Path

import pytest
from conftest import seed_store_folder

from aseankg import naming, settings
from aseankg.queries import QueryNotFound, QueryParamError, load_query, parse_query, run_saved, saved_queries
from aseankg.stores import open_store

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
CLI = ROOT / ".venv" / "bin" / "aseankg"

#: Gold country names (short English) → ISO3; gold partner names → IRIs.
COUNTRY = {"Vietnam": "VNM", "Malaysia": "MYS", "Laos": "LAO", "Australia": "AUS", "Canada": "CAN",
           "China": "CHN", "India": "IND", "Japan": "JPN", "Republic of Korea": "KOR", "New Zealand": "NZL",
           "Russia": "RUS", "United States": "USA", "United Kingdom": "GBR", "Timor-Leste": "TLS"}
PARTNER_ORG = {"European Union": "eu"}
#: Gold series names → series keys of the IRI scheme.
SERIES = {"ASEAN Foreign Ministers' Meeting": "amm", "ASEAN Summit": "asean-summit"}
ID = settings.ID_NS


def country(name: str) -> str:
    return naming.country_iri(COUNTRY[name])


def partner(name: str) -> str:
    return naming.org_iri(PARTNER_ORG[name]) if name in PARTNER_ORG else country(name)


def gold_items(key: str):
    for file, article in GOLD.items():
        for item in article.get(key, []):
            yield file, article, item


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> str:
    """The seed articles built once into a store folder (closed again, so the CLI can open it too)."""
    return seed_store_folder(tmp_path_factory.mktemp("queries") / "kg")


@pytest.fixture(scope="module")
def kg(seed_store):
    store = open_store(seed_store, read_only=True)
    yield store
    store.close()


def rows(kg, name: str, **params: str) -> list[dict]:
    return run_saved(kg, name, params).dicts()


# ------------------------------------------------------------------------------------------ headers

def test_every_saved_query_has_a_well_formed_header():
    queries = saved_queries()
    assert len(queries) >= 16
    for number, query in enumerate(queries, start=1):
        assert re.fullmatch(rf"{number:02d}-[a-z0-9-]+", query.name), query.name
        assert query.title and query.question.endswith("?"), query.name
        assert query.example, f"{query.name} has no example"
        text = query.path.read_text(encoding="utf-8")
        assert re.search(r"^# inference: (yes|no)$", text, re.M), query.name
        for param in query.params:
            assert re.search(rf"\?{param.name}\b", text.split("\nPREFIX", 1)[-1]), (query.name, param.name)
            param.term()  # the default fits the declared type
    names = [q.name for q in queries]
    assert names[:12] == ["01-meetings-in-place", "02-meeting-participants", "03-posts-of-person",
                          "04-country-representatives", "05-meeting-outcomes", "06-chair-of-year",
                          "07-asean-partnerships", "08-initiatives-ranked", "09-co-attendance",
                          "10-fact-evidence", "11-upcoming-then-held", "12-timor-leste-accession"]


def test_malformed_headers_are_refused():
    with pytest.raises(ValueError, match="no '# question:'"):
        parse_query("# title: t\n# inference: no\nSELECT * {}", name="x", strict=True)
    with pytest.raises(ValueError, match="does not occur"):
        parse_query("# title: t\n# question: q?\n# param: c = <http://e/x>\n# inference: no\n"
                    "SELECT ?s { ?s ?p ?o }", name="x", strict=True)
    with pytest.raises(ValueError, match="does not fit"):
        parse_query("# param: y : xsd:gYear = soon\nSELECT ?y {}", name="x")


def test_load_query_by_name_number_and_path():
    assert load_query("06-chair-of-year").name == "06-chair-of-year"
    assert load_query("chair-of-year").name == "06-chair-of-year"
    assert load_query("6").name == "06-chair-of-year"
    assert load_query(str(ROOT / "queries" / "06-chair-of-year.rq")).params[0].name == "year"
    with pytest.raises(QueryNotFound, match="no saved query"):
        load_query("meetings-on-mars")


def test_param_values_become_terms():
    place = load_query("meetings-in-place").param("place")
    assert str(place.term("vnm")) == ID + "country/VNM"
    assert str(place.term("id:place/kuala-lumpur")) == ID + "place/kuala-lumpur"
    assert str(place.term(f"<{ID}place/vientiane>")) == ID + "place/vientiane"
    year = load_query("chair-of-year").param("year")
    assert year.term("2024").datatype == naming_xsd("gYear")
    with pytest.raises(QueryParamError, match="no parameter 'country'"):
        load_query("chair-of-year").bindings({"country": "VNM"})


def naming_xsd(local: str):
    from rdflib.namespace import XSD

    return XSD[local]


# ------------------------------------------------------------------------------------------- safety

@pytest.mark.parametrize("value", ["} . ?s ?p ?o {", '" ) } UNION { ?s ?p ?o } #', "x' . ?s ?p ?o . #",
                                   '"""} ?s ?p ?o {"""'])
def test_a_literal_param_stays_a_literal(kg, value):
    result = run_saved(kg, "timor-leste-accession", {"wording": value})
    assert result.variables == ["date", "article", "headline", "sentence"]
    assert result.rows == []  # the text is a regular expression no sentence matches, not query syntax


@pytest.mark.parametrize("value", ["<x> } . ?s ?p ?o {", f"<{ID}country/VNM> . ?s ?p ?o",
                                   "id:country/VNM> } UNION { ?s ?p ?o", 'VNM" }'])
def test_an_iri_param_cannot_change_the_query(kg, value):
    with pytest.raises(QueryParamError):
        run_saved(kg, "country-representatives", {"country": value})


def test_a_quoted_value_is_matched_as_written(kg):
    result = rows(kg, "timor-leste-accession", wording='"11th member')
    assert result == []
    result = rows(kg, "timor-leste-accession", wording="11th member")
    assert result and all("11th member" in r["sentence"] for r in result)


# --------------------------------------------------------------------------- competency questions

def _fold(text) -> str:
    return naming.fold(str(text or ""))


def test_01_meetings_in_place(kg):
    for place, gold_key, iri in (("Malaysia", "country", "MYS"), ("Vientiane", "city", "id:place/vientiane")):
        result = rows(kg, "meetings-in-place", place=iri)
        starts = [r["start"] for r in result if r["start"]]
        assert starts == sorted(starts)
        expected = [m for _, _, m in gold_items("meetings") if m.get(gold_key) == place]
        assert expected
        for meeting in expected:
            match = [r for r in result if _fold(r["series"]) == _fold(meeting["series"])
                     and r["ordinal"] == meeting.get("ordinal", r["ordinal"])]
            assert match, (place, meeting["key"])
            if "month" in meeting:
                assert any(str(r["start"]).startswith(meeting["month"]) for r in match), meeting["key"]


def test_02_meeting_participants(kg):
    checked = 0
    for _, article, meeting in gold_items("meetings"):
        if meeting.get("series") not in SERIES or "ordinal" not in meeting:
            continue
        attendees = [p for p in article["persons"] if meeting["key"] in p.get("attended", [])]
        if not attendees or meeting["ordinal"] != 58:
            continue
        result = rows(kg, "meeting-participants",
                      meeting=naming.meeting_iri(SERIES[meeting["series"]], ordinal=meeting["ordinal"]))
        for person in attendees:
            found = [r for r in result if r["participant"] == naming.person_iri(person["name"])]
            assert found, person["name"]
            if "country" in person:
                assert any(r["country"] == country(person["country"]) for r in found), person["name"]
            checked += 1
    assert checked >= 3
    # seed 001: Bui Thanh Son "will lead the Vietnamese delegation" to AMM-58
    amm58 = rows(kg, "meeting-participants", meeting="id:meeting/amm-58")
    assert {"participant": ID + "person/bui-thanh-son", "capacity": "HeadOfDelegation",
            "country": ID + "country/VNM"}.items() <= next(
        r for r in amm58 if r["capacity"] == "HeadOfDelegation").items()


def test_02_a_participant_without_country_has_one_row():
    """Neither akg:represents nor akg:nationality: no country (not one row per labelled entity)."""
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import RDFS

    from aseankg.store import EmbeddedStore

    akg = Namespace(settings.ONTOLOGY_NS)
    part, person, meeting = (URIRef(ID + "participation/x"), URIRef(ID + "person/someone"),
                             URIRef(ID + "meeting/amm-58"))
    store = EmbeddedStore(None)
    store.write_article(ID + "article/0123456789abcdef", [
        (part, akg.meeting, meeting), (part, akg.participant, person), (part, akg.capacity, akg.Chair),
        (person, RDFS.label, Literal("Someone")), (meeting, RDFS.label, Literal("58th AMM")),
        (URIRef(ID + "country/VNM"), RDFS.label, Literal("Viet Nam"))])
    try:
        assert run_saved(store, "meeting-participants", {"meeting": "id:meeting/amm-58"}).dicts() == [
            {"participant": str(person), "name": "Someone", "capacity": "Chair", "country": None,
             "countryName": None}]
    finally:
        store.close()


def test_03_posts_of_person(kg):
    result = rows(kg, "posts-of-person", person=naming.person_iri("Bui Thanh Son"))
    roles = {_fold(r["role"]) for r in result}
    synonyms = {"minister of foreign affairs": "foreign minister"}
    dates = []
    for _, article, person in gold_items("persons"):
        if person["name"] == "Bui Thanh Son":
            for role in person["roles"]:
                assert synonyms.get(_fold(role), _fold(role)) in roles, role
            if article["published"]:
                dates.append(article["published"])
    earliest = min(str(r["earliest"]) for r in result if r["earliest"])
    latest = max(str(r["latest"]) for r in result if r["latest"])
    assert earliest == min(dates) and latest == max(dates)


def test_04_country_representatives(kg):
    result = rows(kg, "country-representatives", country="VNM")
    dated = [r["date"] for r in result if r["date"]]
    assert dated == sorted(dated)
    people = {r["person"] for r in result}
    for _, _, person in gold_items("persons"):
        if person.get("country") == "Vietnam" and person.get("attended"):
            assert naming.person_iri(person["name"]) in people, person["name"]
    giang = [r for r in result if r["person"] == naming.person_iri("Dang Hoang Giang")]
    gold_giang = [m for _, _, m in gold_items("meetings") if m["key"].startswith("s000-")
                  and m["key"].endswith("som-2025-09")]
    assert len(giang) == len(gold_giang) == 3
    assert {r["date"] for r in giang} == {m["start"] for m in gold_giang}


def test_05_meeting_outcomes(kg):
    for _, article, adopted in gold_items("adopted"):
        meeting = next(m for m in article["meetings"] if m["key"] == adopted["meeting"])
        if "ordinal" not in meeting:
            continue  # s004's SOM has no IRI derivable from the gold (and its TOR is not extracted)
        result = rows(kg, "meeting-outcomes",
                      meeting=naming.meeting_iri(SERIES[meeting["series"]], ordinal=meeting["ordinal"]))
        found = {_fold(r["label"]) for r in result if r["relation"] == "adopted"}
        for document in adopted["documents"]:
            assert _fold(document) in found, document


def test_06_chair_of_year(kg):
    chairmanships = list(gold_items("chairmanships"))
    assert len(chairmanships) >= 2
    for _, _, chair in chairmanships:
        result = rows(kg, "chair-of-year", year=str(chair["year"]))
        assert any(r["country"] == country(chair["country"]) for r in result), chair
        if "theme" in chair:
            assert chair["theme"] in {r["theme"] for r in result}


def test_07_asean_partnerships(kg):
    result = {r["partner"]: r for r in rows(kg, "asean-partnerships")}
    for _, _, partnership in gold_items("partnerships"):
        iri = partner(partnership["partner"])
        assert iri in result, partnership["partner"]
        if "level" in partnership:
            assert partnership["level"] in result[iri]["levels"].split("; ")
    for _, _, coordinator in gold_items("coordinators"):
        row = result[partner(coordinator["relation"][1])]
        assert row["coordinators"] == "Viet Nam" and coordinator["country"] == "Vietnam"
        if "from" in coordinator:
            assert (row["from"], row["until"]) == (str(coordinator["from"]), str(coordinator["until"]))


def test_08_initiatives_ranked(kg):
    result = rows(kg, "initiatives-ranked")
    counts = [(r["articles"], r["meetings"]) for r in result]
    assert counts == sorted(counts, reverse=True)
    by_label = {_fold(r["label"]): r for r in result}
    gold_counts: dict[str, int] = {}
    for _, _, name in gold_items("initiatives"):
        gold_counts[_fold(name)] = gold_counts.get(_fold(name), 0) + 1
    assert result[0]["label"] == "ASEAN Community" and result[0]["articles"] == gold_counts["asean community"]
    for name in ("asean community vision 2045", "initiative for asean integration iai"):
        assert by_label[name]["articles"] >= gold_counts[name], name


def test_09_co_attendance(kg):
    result = rows(kg, "co-attendance")
    pairs = {(r["person1"], r["person2"]): r for r in result}
    expected = set()
    for _, article, meeting in gold_items("meetings"):
        people = sorted(naming.person_iri(p["name"]) for p in article["persons"]
                        if meeting["key"] in p.get("attended", []))
        expected.update(combinations(people, 2))
    assert expected
    for pair in expected:
        assert pair in pairs and pairs[pair]["meetings"] >= 1, pair


def test_10_fact_evidence(kg):
    (file, article, chair), = [(f, a, c) for f, a, c in gold_items("chairmanships") if c.get("theme")
                               and a["published"] == "2025-09-11"]
    result = rows(kg, "fact-evidence", fact=naming.chairmanship_iri("asean", chair["year"]))
    assert result
    # every article whose gold states this chairmanship, and no other
    stating = {a["published"] for _, a, c in gold_items("chairmanships")
               if (c["country"], c["year"]) == (chair["country"], chair["year"])}
    assert {str(r["date"]) for r in result} == stating
    assert any(chair["country"] in r["sentence"] for r in result)
    assert all(r["url"].startswith("https://baoquocte.vn/") for r in result)


def test_11_upcoming_then_held(kg):
    result = rows(kg, "upcoming-then-held")
    # a gold meeting reported in one article before its start and in a later one on/after it
    reports: dict[tuple, list] = {}
    for _, article, meeting in gold_items("meetings"):
        if "ordinal" in meeting and article["published"]:
            key = (meeting["series"], meeting["ordinal"])
            reports.setdefault(key, []).append((article["published"], meeting.get("start")))
    checked = 0
    for (series, ordinal), seen in reports.items():
        start = min((s for _, s in seen if s), default=None)
        upcoming = [p for p, _ in seen if start and p < start]
        held = [p for p, _ in seen if start and p >= start]
        if upcoming and held:
            iri = naming.meeting_iri(SERIES[series], ordinal=ordinal)
            assert any(r["meeting"] == iri and str(r["announcedOn"]) == min(upcoming)
                       and str(r["heldOn"]) == min(held) for r in result), (series, ordinal)
            checked += 1
    assert checked >= 1
    summit47 = [r for r in result if r["meeting"] == naming.meeting_iri("asean-summit", ordinal=47)]
    assert summit47 and all(r["heldReport"] is None for r in summit47)


def test_12_timor_leste_accession(kg):
    result = rows(kg, "timor-leste-accession")
    dates = [str(r["date"]) for r in result if r["date"]]
    assert dates == sorted(dates)
    assert all(re.search("accession|member|admission|join", r["sentence"], re.I) for r in result)
    # seed 000's gold: "'11th member of ASEAN' (Timor-Leste's admission)" in October 2025
    (published,) = [a["published"] for a in GOLD.values()
                    if any("Timor-Leste's admission" in t for t in a.get("traps", []))]
    assert any("11th member of ASEAN" in r["sentence"] and str(r["date"]) == published for r in result)
    assert len({r["article"] for r in result}) >= 2


def test_13_meetings_by_series(kg):
    result = rows(kg, "meetings-by-series", series="id:series/asean-summit")
    ordinals = [r["ordinal"] for r in result]
    assert ordinals == sorted(ordinals)
    gold = {m["ordinal"]: m for _, _, m in gold_items("meetings") if m["series"] == "ASEAN Summit"}
    assert set(gold) <= set(ordinals)
    for row in result:
        if "month" in gold.get(row["ordinal"], {}):
            assert row["start"] == gold[row["ordinal"]]["month"]


def test_14_partners_by_level(kg):
    for _, _, partnership in gold_items("partnerships"):
        if "level" in partnership and partnership["partner"] in COUNTRY:
            result = rows(kg, "partners-by-level", party=COUNTRY[partnership["partner"]])
            assert {"level": partnership["level"], "partner": ID + "org/asean"}.items() <= next(
                r for r in result if r["level"] == partnership["level"]).items(), partnership


def test_15_officials_by_country_role(kg):
    result = rows(kg, "officials-by-country-role", country="VNM", role="id:role/deputy-foreign-minister")
    people = {r["person"] for r in result}
    expected = {naming.person_iri(p["name"]) for _, _, p in gold_items("persons")
                if p.get("country") == "Vietnam" and "Deputy Foreign Minister" in p["roles"]}
    assert len(expected) == 3 and expected <= people


def test_16_initiative_meetings(kg):
    for _, article, adopted in gold_items("adopted"):
        meeting = next(m for m in article["meetings"] if m["key"] == adopted["meeting"])
        if "ordinal" not in meeting:
            continue
        iri = naming.meeting_iri(SERIES[meeting["series"]], ordinal=meeting["ordinal"])
        for document in adopted["documents"]:
            result = rows(kg, "initiative-meetings", item=naming.work_iri("document", document))
            assert any(r["meeting"] == iri and r["relation"] == "adopted" for r in result), document


# ---------------------------------------------------------------------------------------------- CLI

def test_cli_lists_saved_queries():
    out = subprocess.run([str(CLI), "queries"], capture_output=True, text=True, check=True).stdout
    for query in saved_queries():
        assert re.search(rf"^{re.escape(query.name)} +{re.escape(query.title)}$", out, re.M), query.name
        for param in query.params:
            assert f"--param {param.name}={param.default}" in out


def test_cli_runs_a_saved_query_with_params_as_json(seed_store):
    location = seed_store
    done = subprocess.run([str(CLI), "query", "chair-of-year", "--store", location, "--param", "year=2024",
                           "--format", "json"], capture_output=True, text=True, check=True)
    data = json.loads(done.stdout)
    assert data["head"]["vars"] == ["chairmanship", "country", "countryName", "theme"]
    assert [b["country"]["value"] for b in data["results"]["bindings"]] == [country("Laos")]
    bad = subprocess.run([str(CLI), "query", "chair-of-year", "--store", location, "--param", "mood=1"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "no parameter 'mood'" in bad.stderr
    sparql = "SELECT ?l WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    text = subprocess.run([str(CLI), "query", sparql, "--store", location, "-p", "c=id:country/VNM",
                           "--format", "csv"], capture_output=True, text=True, check=True).stdout
    assert text.splitlines() == ["l", "Viet Nam"]
