"""The KnowledgeGraph API: typed answers agree with the saved queries, the rdflib view reads the very
same store, and the object survives reopening."""

from __future__ import annotations

import io

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef

import aseankg
from aseankg import settings
from aseankg.graph import Chairmanship, KnowledgeGraph, Meeting, Participant
from aseankg.queries import run_saved
from aseankg.safety import QueryRefused
from aseankg.store import EmbeddedStore, StoreError

AKG = Namespace("https://w3id.org/aseankg/ontology#")
ID = Namespace(settings.ID_NS)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """The seed articles built once into an on-disk store (read-only use in this module)."""
    kg = aseankg.open(tmp_path_factory.mktemp("kg") / "store")
    report = kg.build([settings.ARTICLES_DIR])
    assert report.added == 5 and not report.quarantined
    yield kg
    kg.close()


def test_open_returns_a_knowledge_graph(tmp_path):
    with aseankg.open(tmp_path / "kg") as kg:
        assert isinstance(kg, KnowledgeGraph) and isinstance(kg.store, EmbeddedStore)
        assert kg.location == str(tmp_path / "kg")
        assert kg.meetings() == [] and kg.chair_of(2025) is None
    with pytest.raises(StoreError):
        kg.query("ASK { ?s ?p ?o }")


def test_meetings_agree_with_the_saved_query(seeds):
    saved = [str(r["meeting"]) for r in run_saved(seeds.store, "meetings-in-place", {"place": "MYS"}).dicts()]
    found = seeds.meetings(country="MYS")
    assert all(isinstance(m, Meeting) for m in found)
    assert [m.iri for m in found] == saved and len(saved) >= 3
    amm = next(m for m in found if m.iri == str(ID["meeting/amm-58"]))
    assert (amm.ordinal, amm.start, amm.end) == (58, "2025-07-08", "2025-07-11")
    assert seeds.meetings(country=str(ID["country/MYS"])) == found
    everything = seeds.meetings()
    assert set(found) <= set(everything) and len(everything) > len(found)
    starts = [m.start for m in everything if m.start]
    assert starts == sorted(starts)


def test_meetings_by_place_and_year(seeds):
    in_kl = seeds.meetings(place="id:place/kuala-lumpur")
    assert in_kl and set(in_kl) <= set(seeds.meetings(country="MYS"))
    in_2025 = seeds.meetings(year=2025)
    assert in_2025 and all("2025" in (m.start or "") + (m.end or "") for m in in_2025)
    assert seeds.meetings(year="1999") == []
    assert seeds.meetings(country="MYS", year=2025) == [m for m in seeds.meetings(country="MYS")
                                                       if m in in_2025]
    with pytest.raises(ValueError, match="not an IRI"):
        seeds.meetings(place="kuala lumpur")


def test_participants_agree_with_the_saved_query(seeds):
    meeting = str(ID["meeting/amm-58"])
    people = seeds.participants(meeting)
    assert all(isinstance(p, Participant) for p in people)
    rows = run_saved(seeds.store, "meeting-participants", {"meeting": meeting}).dicts()
    assert [(p.iri, p.name, p.capacity, p.country) for p in people] == \
        [(r["participant"], r["name"], r["capacity"], r["country"]) for r in rows]
    assert ("Bui Thanh Son", "HeadOfDelegation", "Viet Nam") in {(p.name, p.capacity, p.country_name)
                                                                 for p in people}
    assert seeds.participants("id:meeting/amm-58") == people
    assert seeds.participants("id:meeting/no-such-meeting") == []


def test_chair_of(seeds):
    chair = seeds.chair_of(2025)
    assert chair == Chairmanship(str(ID["chairmanship/asean-2025"]), 2025, str(ID["country/MYS"]), "Malaysia",
                                 "Inclusive and Sustainable")
    laos = seeds.chair_of("2024")
    assert laos is not None and laos.country == str(ID["country/LAO"])
    assert seeds.chair_of(1990) is None
    with pytest.raises(ValueError, match="gYear"):
        seeds.chair_of("2025 } ?s ?p ?o {")


def test_query_binds_values_safely(seeds):
    sparql = "SELECT DISTINCT ?name WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    assert seeds.query(sparql, bindings={"p": ID["person/bui-thanh-son"]}).dicts() == [{"name": "Bui Thanh Son"}]
    hostile = Literal('x" } ?p ?q ?name { "')
    assert seeds.query(sparql, bindings={"p": hostile}).rows == []
    assert len(seeds.query(sparql, max_rows=2)) == 2
    with pytest.raises(QueryRefused):
        seeds.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_graph_is_a_view_of_the_same_store_not_a_copy(seeds):
    view = seeds.graph
    assert isinstance(view, Dataset) and view is seeds.graph
    assert view.store._inner is seeds.store.db  # oxrdflib over the EmbeddedStore's own pyoxigraph.Store
    # the default graph: each triple once (len(view) is oxrdflib's union of every graph, which also
    # holds the values consolidation did not prefer)
    assert len(view.default_context) == len(seeds.store.union_graph())
    assert sum(1 for _ in view.quads()) == seeds.store.triple_count() + len(view.default_context)
    article = seeds.store.named_graphs()[0]
    assert len(view.graph(URIRef(article))) == len(seeds.store.graph(article))
    count = f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a <{AKG.MinisterialMeeting}> }}"
    assert int(next(iter(view.query(count)))[0]) == int(seeds.query(count).rows[0][0]) >= 3
    named = view.query("SELECT DISTINCT ?name WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?name }",
                       initBindings={"p": ID["person/bui-thanh-son"]})
    assert [str(r[0]) for r in named] == ["Bui Thanh Son"]


def test_graph_view_sees_later_writes_and_keeps_the_safety_rules(tmp_path, make_article):
    with KnowledgeGraph(EmbeddedStore(tmp_path / "kg")) as kg:
        view = kg.graph
        assert sum(1 for _ in view.quads()) == 0
        iri, triples = make_article(1)
        kg.store.write_article(iri, triples)
        assert len(view.graph(URIRef(iri))) == len(set(triples))  # written after the view was made
        for refused in ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }",
                        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"):
            with pytest.raises(QueryRefused):
                view.query(refused)
        with pytest.raises(QueryRefused):
            view.update("LOAD <http://example.org/data.ttl>")
        from rdflib.plugins.sparql import prepareQuery

        with pytest.raises(QueryRefused):  # parsed queries would run in rdflib's engine, unchecked
            view.query(prepareQuery("SELECT * WHERE { ?s ?p ?o }"))


def test_remote_knowledge_graph_and_its_view(oxigraph_factory, make_article):
    url = oxigraph_factory()
    with aseankg.open(url) as kg:
        assert kg.location == url
        iri, triples = make_article(2)
        kg.store.write_article(iri, triples)
        rows = kg.graph.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(next(iter(rows))[0]) == len(set(triples))
        with pytest.raises(QueryRefused):
            kg.graph.query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
        assert kg.meetings()[0].iri in {str(t[0]) for t in triples}


def test_reason_dump_and_reopen(tmp_path, make_article):
    location = tmp_path / "kg"
    with aseankg.open(location) as kg:
        for i in range(6):
            kg.store.write_article(*make_article(i))
        report = kg.reason()
        assert report.triples_inferred > 0
        assert kg.query(f"ASK {{ ?who <{AKG.attended}> ?m }}").boolean
        count = kg.dump(tmp_path / "kg.nq")
        expected = io.BytesIO()
        kg.store.dump(expected)
    assert (tmp_path / "kg.nq").read_bytes() == expected.getvalue() and count > 0
    with aseankg.open(location, read_only=True) as again:  # persisted: the same data after reopening
        assert again.store.triple_count() == count
        assert again.query(f"ASK {{ ?who <{AKG.attended}> ?m }}").boolean
        assert len(again.meetings()) == len({str(t[0]) for i in range(6) for t in make_article(i)[1]
                                             if "/meeting/" in str(t[0])})


def test_build_accepts_a_knowledge_graph(tmp_path):
    with aseankg.open(tmp_path / "kg") as kg:
        assert aseankg.build([settings.ARTICLES_DIR / "000_e8db50cd34dc12c4.txt"], kg).added == 1
        assert kg.build([settings.ARTICLES_DIR / "000_e8db50cd34dc12c4.txt"]).unchanged == 1


def test_to_networkx(seeds):
    pytest.importorskip("aseankg.projections")
    G = seeds.to_networkx(projection="actors")
    assert str(ID["person/bui-thanh-son"]) in G
    assert G.number_of_edges() > 0
