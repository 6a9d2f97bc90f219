"""Network projections on the seed articles: the expected values are computed here, independently,
from the participations and meetings in the store (SPARQL), not by the projection code."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import combinations

import networkx as nx
import pytest
from rdflib import URIRef

from aseankg import settings
from aseankg.ingest import build_articles
from aseankg.projections import PROJECTIONS, network_data, period, project, selected_meetings
from aseankg.stores import open_store

ID = settings.ID_NS
PREFIX = "PREFIX akg: <https://w3id.org/aseankg/ontology#> PREFIX schema: <https://schema.org/>\n"


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("projections") / "kg")
    build_articles([settings.ARTICLES_DIR], store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def seed_data(seed_store):
    return network_data(seed_store)


def meeting_actors(store) -> dict[str, set[str]]:
    """Meeting -> actors (participants and the countries/organisations they represent)."""
    rows = store.query(PREFIX + """SELECT DISTINCT ?m ?who ?rep WHERE {
        ?p a akg:Participation ; akg:meeting ?m ; akg:participant ?who .
        OPTIONAL { ?p akg:represents ?rep } }""", inference=False).rows
    out: dict[str, set[str]] = defaultdict(set)
    for m, who, rep in rows:
        out[str(m)].add(str(who))
        if rep is not None:
            out[str(m)].add(str(rep))
    return out


def test_co_attendance_weight_is_the_number_of_shared_meetings(seed_store, seed_data):
    expected: dict[frozenset, int] = defaultdict(int)
    for actors in meeting_actors(seed_store).values():
        for a, b in combinations(sorted(actors), 2):
            expected[frozenset((a, b))] += 1
    G = project(seed_data, "actors")
    assert type(G) is nx.Graph
    assert {frozenset(e): w for *e, w in G.edges(data="weight")} == dict(expected)
    son, giang = ID + "person/bui-thanh-son", ID + "person/dang-hoang-giang"
    vnm = ID + "country/VNM"
    # Bui Thanh Son represented Viet Nam at five meetings (57th/58th AMM, the retreat, two FMMs);
    # Dang Hoang Giang led Viet Nam's delegation to three SOMs and never met him.
    assert G.edges[son, vnm]["weight"] == 5 and G.edges[giang, vnm]["weight"] == 3
    assert not G.has_edge(son, giang)
    assert G.nodes[son]["meetings"] == len([m for m, a in meeting_actors(seed_store).items() if son in a])


def test_actor_nodes_are_typed_labelled_and_dated(seed_store, seed_data):
    G = project(seed_data, "actors")
    assert {d["type"] for _, d in G.nodes(data=True)} == {"Person", "Country"}
    vnm = G.nodes[ID + "country/VNM"]
    wikidata = seed_store.query("SELECT ?w WHERE { GRAPH ?g { ?c <http://www.w3.org/2004/02/skos/core#exactMatch> "
                                "?w } }", bindings={"c": URIRef(ID + "country/VNM"),
                                                   "g": URIRef(settings.REFERENCE_GRAPH)},
                                inference=False).rows
    assert vnm["wikidata"] == str(wikidata[0][0]).rsplit("/", 1)[1]
    son = G.nodes[ID + "person/bui-thanh-son"]
    assert (son["label"], son["country"]) == ("Bui Thanh Son", "VNM")
    # first seen at the January 2025 retreat (gYearMonth: first day), last at the 58th AMM (ended July 11)
    assert (son["first_seen"], son["last_seen"]) == ("2025-01-01", "2025-07-11")
    for node, data in G.nodes(data=True):
        assert data["degree"] == G.degree(node)
        assert data["strength"] == pytest.approx(sum(w for *_, w in G.edges(node, data="weight")))
        assert None not in data.values()


def test_meeting_dates_take_the_widest_reported_span_and_partial_dates_expand(seed_data):
    G = project(seed_data, "meetings")
    amm58 = G.nodes[ID + "meeting/amm-58"]
    # one article: July 8-11 (AMM and related meetings); another: July 9 only
    assert (amm58["start_date"], amm58["end_date"]) == ("2025-07-08", "2025-07-11")
    summit = G.nodes[ID + "meeting/asean-summit-47"]
    assert (summit["start_date"], summit["end_date"]) == ("2025-10-01", "2025-10-31")
    assert summit["subtype"] == "Summit" and summit["type"] == "Meeting" and summit["country"] == "MYS"


def test_meeting_graph_links_shared_participants_and_series(seed_store, seed_data):
    actors = meeting_actors(seed_store)
    rows = seed_store.query(PREFIX + "SELECT DISTINCT ?m ?s WHERE { ?m akg:inSeries ?s }", inference=False).rows
    series = defaultdict(set)
    for m, s in rows:
        series[str(m)].add(str(s))
    G = project(seed_data, "meetings")
    assert isinstance(G, nx.MultiGraph)
    shared = {frozenset((u, v)): d["weight"] for u, v, k, d in G.edges(keys=True, data=True)
              if k == "shared-participants"}
    expected = {frozenset((a, b)): len(actors[a] & actors[b]) for a, b in combinations(sorted(actors), 2)
                if actors[a] & actors[b]}
    assert shared == expected
    same = {frozenset((u, v)) for u, v, k in G.edges(keys=True) if k == "same-series"}
    assert same == {frozenset((a, b)) for a, b in combinations(sorted(G), 2) if series[a] & series[b]}
    assert frozenset((ID + "meeting/amm-57", ID + "meeting/amm-58")) in same


def test_bipartite_graph_has_one_edge_per_actor_and_meeting(seed_store, seed_data):
    G = project(seed_data, "bipartite")
    expected = {frozenset((m, a)) for m, actors in meeting_actors(seed_store).items() for a in actors}
    assert {frozenset(e) for e in G.edges} == expected
    top = {n for n, d in G.nodes(data="bipartite") if d == 0}
    assert nx.is_bipartite(G) and all(G.nodes[n]["type"] != "Meeting" for n in top)
    edge = G.edges[ID + "person/dang-hoang-giang", ID + "meeting/asean-som-2025-09-09"]
    assert (edge["kind"], edge["capacity"], edge["start_date"]) == ("participant", "HeadOfDelegation",
                                                                      "2025-09-09")
    assert G.edges[ID + "country/VNM", ID + "meeting/asean-som-2025-09-09"]["kind"] == "represented"


def test_full_graph_keeps_every_relation_between_entities(seed_store, seed_data):
    G = project(seed_data, "full")
    assert isinstance(G, nx.MultiDiGraph)
    assert not [n for n in G if n.startswith((ID + "mention/", ID + "article/"))]
    rows = seed_store.query(PREFIX + "SELECT DISTINCT ?p ?who ?m WHERE { ?p a akg:Participation ; "
                            "akg:participant ?who ; akg:meeting ?m }", inference=False).rows
    assert rows
    for p, who, m in rows:
        assert G.has_edge(str(p), str(who), key="participant") and G.has_edge(str(p), str(m), key="meeting")
        assert G.nodes[str(p)]["type"] == "Participation"
    held = seed_store.query(PREFIX + "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a akg:Article . "
                            "?m akg:inSeries ?s } }",
                            bindings={"m": URIRef(ID + "meeting/amm-58")}, inference=False).rows[0][0]
    assert G.edges[ID + "meeting/amm-58", ID + "series/amm", "inSeries"]["weight"] == int(held) == 2
    assert "Held" in G.nodes[ID + "meeting/amm-58"]["reportedStatus"]


def test_inferences_do_not_change_the_projection(tmp_path):
    """The reasoner's graph (superclasses, akg:attended, ...) is left out: the full projection of a
    store is the same before and after ``reasoning.infer``."""
    from aseankg.reasoning import infer

    def described(G):
        return (sorted((n, sorted(d.items())) for n, d in G.nodes(data=True)),
                sorted((u, v, k, sorted(d.items())) for u, v, k, d in G.edges(keys=True, data=True)))

    store = open_store(tmp_path / "kg")
    try:
        build_articles([settings.ARTICLES_DIR], store)
        before = described(project(store, "full"))
        infer(store)
        assert store.has_graph(settings.INFERENCE_GRAPH)
        assert described(project(store, "full")) == before
    finally:
        store.close()


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_filters_select_meetings(seed_store, seed_data, projection):
    hosted = {str(m) for (m,) in seed_store.query(
        PREFIX + f"SELECT DISTINCT ?m WHERE {{ ?m akg:hostCountry <{ID}country/LAO> }}", inference=False).rows}
    G = project(seed_data, projection, country="LAO")
    meetings = {n for n, t in G.nodes(data="type") if t == "Meeting"}
    if projection == "actors":
        allowed = set().union(*(a for m, a in meeting_actors(seed_store).items() if m in hosted))
        assert set(G) == allowed and allowed
    else:
        assert meetings == hosted
    G = project(seed_data, projection, since="2025-09", until="2025-09-30")
    for _, data in G.nodes(data=True):
        if data["type"] == "Meeting":
            assert data["end_date"] >= "2025-09-01" and data["start_date"] <= "2025-09-30"
    if projection != "actors":
        assert ID + "meeting/asean-som-2025-09-09" in G and ID + "meeting/amm-58" not in G


def test_series_filter_and_bad_arguments(seed_data):
    assert selected_meetings(seed_data, series="amm") == {ID + "meeting/amm-57", ID + "meeting/amm-58"}
    assert selected_meetings(seed_data, series=ID + "series/amm") == selected_meetings(seed_data, series="amm")
    with pytest.raises(ValueError, match="not a date"):
        project(seed_data, "actors", since="last year")
    with pytest.raises(ValueError, match="unknown projection"):
        project(seed_data, "everything")


def test_period_of_partial_dates():
    assert period("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    assert period("2025-07-09+07:00") == (date(2025, 7, 9), date(2025, 7, 9))
    assert period("2025-13") is None and period("July") is None
