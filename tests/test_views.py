"""The graph views in process (Flask test client) on the seed articles: entity pages as Linked Data
(content negotiation, ``Vary: Accept``, ``.ttl``/``.jsonld``/``.nt``/``.rdf``, 404s), evidence, search folding,
ego networks, the timeline, export downloads, the ontology page, and escaping of article text."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from aseankg import settings
from aseankg.ingest import build_articles
from aseankg.stores import open_store
from aseankg.web import close_app, create_app

AKG = Namespace("https://w3id.org/aseankg/ontology#")
ID = "https://w3id.org/aseankg/id/"
SON = URIRef(ID + "person/bui-thanh-son")
AMM58 = ID + "meeting/amm-58"
#: The sentence of the seed article that states Bui Thanh Son's part in AMM-58.
LEADS = "will lead the Vietnamese delegation"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    kg = open_store(tmp_path_factory.mktemp("views") / "kg")
    build_articles([settings.ARTICLES_DIR], kg)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def app(store):
    app = create_app(store, workers=0)
    yield app
    close_app(app)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.mark.parametrize(("accept", "media", "rdflib_format"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("text/html;q=0.5, text/turtle", "text/turtle", "turtle"),
])
def test_entity_rdf_by_accept(client, accept, media, rdflib_format):
    r = client.get("/id/person/bui-thanh-son", headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == media
    assert "Accept" in r.headers["Vary"]
    assert r.headers["Content-Location"].startswith("/id/person/bui-thanh-son.")
    graph = Graph().parse(data=r.data, format=rdflib_format)
    assert (SON, RDF.type, AKG.Person) in graph
    assert str(graph.value(SON, RDFS.label)) == "Bui Thanh Son"
    # the entity on the object side too: a participation naming it
    participations = set(graph.subjects(AKG.participant, SON))
    assert participations and any((p, AKG.meeting, URIRef(AMM58)) in graph for p in participations)


@pytest.mark.parametrize(("extension", "media", "rdflib_format"), [
    ("ttl", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld"),
    ("nt", "application/n-triples", "nt"), ("rdf", "application/rdf+xml", "xml")])
def test_entity_rdf_by_address(client, extension, media, rdflib_format):
    r = client.get(f"/id/meeting/amm-58.{extension}", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == media
    graph = Graph().parse(data=r.data, format=rdflib_format)
    assert (URIRef(AMM58), AKG.inSeries, URIRef(ID + "series/amm")) in graph


@pytest.mark.parametrize("accept", ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*", None])
def test_entity_html(client, accept):
    r = client.get("/id/person/bui-thanh-son", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "Accept" in r.headers["Vary"]
    page = r.get_data(as_text=True)
    assert '<h1 id="entity-label">' in page and "Bui Thanh Son</h1>" in page
    # the participation in AMM-58, its capacity and the sentence that states it, with its article
    group = page[page.index('id="in-akg-participant"'):]
    assert "58th ASEAN Foreign Ministers&#39; Meeting" in group and "head of delegation" in group
    assert LEADS in group
    assert "Báo Quốc Tế" in group and "2025-07-03" in group
    # the ego network (SVG links), the time axis and the downloads
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="ego"' in page
    assert '<a href="/id/meeting/amm-58" class="node" data-type="Meeting">' in page
    assert 'class="person-timeline"' in page
    assert "/export?projection=actors&amp;format=gexf" in page
    assert '<a href="/id/person/bui-thanh-son.rdf">RDF/XML</a>' in page


def test_entity_page_shows_facts_both_ways(client):
    page = client.get("/id/meeting/amm-58").get_data(as_text=True)
    assert 'id="out-akg-inSeries"' in page and 'id="in-akg-meeting"' in page
    assert '<a href="/id/person/bui-thanh-son"' in page
    assert 'href="https://www.wikidata.org' not in page or "Q" in page
    vnm = client.get("/id/country/VNM").get_data(as_text=True)
    assert 'id="wikidata"' in vnm and "http://www.wikidata.org/entity/Q881" in vnm
    assert "/export?projection=actors&amp;format=gexf&amp;country=VNM" in vnm


def test_unknown_entities_are_404(client):
    for path in ["/id/person/nobody-at-all", "/id/person/nobody-at-all.ttl", "/id/nothing",
                 "/id/person/nobody-at-all/ego.json"]:
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 404, path
    page = client.get("/id/person/nobody-at-all").get_data(as_text=True)
    assert "knows nothing about" in page and "/id/person/nobody-at-all" in page
    assert client.get("/id/person/nobody-at-all", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/id/person/bui-thanh-son", headers={"Accept": "image/png"}).status_code == 406


def _first_hit(client, query: str) -> str:
    r = client.get("/search.json", query_string={"q": query})
    assert r.status_code == 200
    results = r.json["results"]
    assert results, query
    return results[0]["href"]


def test_search_folds_case_and_diacritics(client):
    spellings = ["Bui Thanh Son", "Bùi Thanh Sơn", "BÙI THANH SƠN", "bui thanh son"]
    assert {_first_hit(client, q) for q in spellings} == {"/id/person/bui-thanh-son"}
    assert _first_hit(client, "Viet Nam") == "/id/country/VNM"
    page = client.get("/search", query_string={"q": "Bùi Thanh Sơn"}).get_data(as_text=True)
    assert '<a href="/id/person/bui-thanh-son">Bui Thanh Son</a>' in page
    assert client.get("/search.json", query_string={"q": "zzzz qqqq"}).json["results"] == []


def test_search_finds_aliases(client):
    hits = client.get("/search.json", query_string={"q": "AMM 58"}).json["results"]
    assert hits[0]["iri"] == AMM58 and hits[0]["matched"] == "AMM 58"


def test_meetings_of_one_label_are_told_apart_in_search(client):
    hits = client.get("/search.json", query_string={"q": "ASEAN Senior Officials' Meeting"}).json["results"]
    meetings = [h for h in hits if "/id/meeting/" in h["iri"]]
    assert len(meetings) >= 2
    labels = [h["label"] for h in meetings]
    assert len(set(labels)) == len(labels)  # the day and place (or the meeting's key) added
    assert any("2025-09-09" in label for label in labels)


def test_ego_json(client):
    r = client.get("/id/person/bui-thanh-son/ego.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    ego = r.json
    assert ego["center"] == str(SON)
    nodes = {n["id"]: n for n in ego["nodes"]}
    assert set(ego["nodes"][0]) >= {"id", "label", "type", "href"} and ego["nodes"][0]["center"] is True
    assert nodes[AMM58]["type"] == "Meeting" and nodes[AMM58]["href"] == "/id/meeting/amm-58"
    assert nodes[ID + "country/VNM"]["type"] == "Country"
    assert any(n["type"] == "Post" for n in nodes.values())
    assert ego["edges"] and all(e["source"] in nodes and e["target"] in nodes and e["label"] for e in ego["edges"])
    assert {"source": str(SON), "target": AMM58, "label": "took part in (HeadOfDelegation)"} in ego["edges"]
    # no provenance nodes among the neighbours
    assert not [n for n in nodes if "/mention/" in n or "/article/" in n or "/participation/" in n]



def test_two_meetings_of_one_label_are_told_apart_in_an_ego_network(client):
    """Viet Nam's neighbours include two "ASEAN Senior Officials' Meeting"s: each gets its day and place
    (or its key when it has no date), in the JSON and in the drawing."""
    ego = client.get("/id/country/VNM/ego.json").json
    meetings = [n["label"] for n in ego["nodes"] if n["type"] == "Meeting"]
    assert len(meetings) >= 2 and len(set(meetings)) == len(meetings)
    som = [label for label in meetings if label.startswith("ASEAN Senior Officials' Meeting (")]
    assert len(som) == 2 and any("2025-09-09" in label for label in som)
    svg = client.get("/id/country/VNM/ego.svg").get_data(as_text=True)
    assert all(label.replace("'", "&#39;") in svg for label in som)

def test_ego_svg(client):
    r = client.get("/id/meeting/amm-58/ego.svg")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    svg = etree.fromstring(r.data)
    links = svg.findall(".//{http://www.w3.org/2000/svg}a")
    assert "/id/person/bui-thanh-son" in {a.get("href") for a in links}


def test_timeline(client):
    page = client.get("/timeline").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="timeline"' in page
    assert 'href="/id/meeting/amm-58"' in page and "ASEAN Foreign Ministers&#39; Meeting" in page
    data = client.get("/timeline.json", query_string={"country": "MYS", "year": "2025"}).json
    meetings = [m["iri"] for row in data["rows"] for m in row["marks"]]
    assert AMM58 in meetings and all(m["date"].startswith("2025") for row in data["rows"] for m in row["marks"])
    assert client.get("/timeline.json", query_string={"year": "1999"}).json["rows"] == []
    assert client.get("/timeline.json", query_string={"country": "PER"}).json["rows"] == []
    assert client.get("/timeline", query_string={"year": "last"}).status_code == 400


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_export_downloads(client, fmt):
    r = client.get("/export", query_string={"projection": "actors", "format": fmt})
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f'attachment; filename="aseankg-actors.{fmt}"'
    if fmt == "json":
        ids = {n["id"] for n in json.loads(r.data)["nodes"]}
    else:
        root = etree.fromstring(r.data)
        ids = {n.get("id") for n in root.iter() if etree.QName(n).localname == "node"}
        assert etree.QName(root).localname == ("gexf" if fmt == "gexf" else "graphml")
    assert str(SON) in ids


def test_export_errors(client):
    assert client.get("/export", query_string={"projection": "people"}).status_code == 400
    assert client.get("/export", query_string={"format": "csv"}).status_code == 400


def test_home(client):
    r = client.get("/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert 'id="holdings"' in page and ">Person</a>" in page
    assert "5 news articles" in page and "2025-07-03" in page
    for link in ['href="/sparql"', 'href="/timeline"', 'href="/ontology"', 'href="/id/meeting/amm-58"',
                 "/export?projection=meetings&amp;format=graphml"]:
        assert link in page, link
    assert page.count('href="/sparql?query=') >= 12  # the saved queries


def test_ontology_page(client):
    r = client.get("/ontology")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    for anchor in ["akg-Participation", "akg-participant", "akg-HeadOfDelegation", "akgsh-PersonShape"]:
        assert f'id="{anchor}"' in page, anchor
    term = page[page.index('id="akg-participant"'):]
    term = term[:term.index('<div class="term"')]
    assert "Participation" in term and 'class="example"' in term and 'href="/id/' in term


def test_article_text_is_escaped(tmp_path):
    article = tmp_path / "script.json"
    article.write_text(json.dumps({
        "headline": "Ministers meet <script>alert('x')</script> in Kuala Lumpur",
        "url": "https://example.org/news/1", "date": "2025-07-10", "publisher": "Example <b>News</b>",
        "text": "Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son attended the 58th ASEAN "
                "Foreign Ministers' Meeting in Kuala Lumpur on 9 July 2025.\n\nThe meeting discussed regional "
                "cooperation <script>alert(2)</script> and the ASEAN Community Vision 2045."}), encoding="utf-8")
    kg = open_store(tmp_path / "kg")
    try:
        assert build_articles([article], kg).added
        app = create_app(kg, workers=0)
        try:
            page = app.test_client().get("/id/person/bui-thanh-son").get_data(as_text=True)
        finally:
            close_app(app)
    finally:
        kg.close()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Example &lt;b&gt;News&lt;/b&gt;" in page
    assert "<script>alert" not in page and "<b>News" not in page


def test_an_article_without_a_headline_is_named_by_its_file(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "wire-note.json").write_text(json.dumps({"text": (
        "Deputy Foreign Minister Dang Hoang Giang led the Vietnamese delegation to the 58th ASEAN Foreign "
        "Ministers' Meeting in Kuala Lumpur on July 9, 2025.")}), encoding="utf-8")
    kg = open_store(tmp_path / "kg")
    build_articles([folder], kg)
    app = create_app(kg, workers=0)
    try:
        page = app.test_client().get("/id/person/dang-hoang-giang").get_data(as_text=True)
        assert "wire-note.json" in page and ">https://w3id.org/aseankg/id/article/" not in page
    finally:
        close_app(app)
        kg.close()


def test_consolidation_claims_are_not_neighbours(client):
    # the ranked claims about amm-58's dates point at it (rdf:subject): bookkeeping, not a neighbour
    nodes = client.get("/id/meeting/amm-58/ego.json").json["nodes"]
    assert nodes and not any("/claim/" in n["id"] or "/correction/" in n["id"] for n in nodes)
    assert any(n["id"].endswith("/person/bui-thanh-son") for n in nodes)
