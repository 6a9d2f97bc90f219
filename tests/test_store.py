"""The embedded store: article graphs, union queries, bindings, results, dumps, persistence, crashes."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from aseankg import batches, settings
from aseankg.dumps import dump_to_path
from aseankg.remote import RemoteStore
from aseankg.results import quad_to_triple, to_oxigraph, to_rdflib, triple_to_quad
from aseankg.store import (
    ArticleRecord,
    EmbeddedStore,
    QueryTimeout,
    Store,
    StoreError,
)
from aseankg.stores import open_store

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
AKG = Namespace("https://w3id.org/aseankg/ontology#")
ID = Namespace("https://w3id.org/aseankg/id/")
VNM, MYS = ID["country/VNM"], ID["country/MYS"]
A1 = "https://w3id.org/aseankg/id/article/00000000000000a1"
A2 = "https://w3id.org/aseankg/id/article/00000000000000a2"


def article(iri: str, url: str, *facts) -> list[tuple]:
    g = URIRef(iri)
    return [(g, RDF.type, AKG.Article), (g, AKG.contentHash, Literal(iri[-16:] * 4)),
            (g, AKG.sourceFile, Literal(f"{iri[-2:]}.txt")),
            (g, URIRef("https://schema.org/url"), URIRef(url)), *facts]


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "kg") as db:
        db.write_article(A1, article(A1, "https://example.org/1",
                                     (VNM, RDFS.label, Literal("Viet Nam", lang="en")),
                                     (ID["meeting/amm-58"], AKG.hostCountry, MYS)))
        db.write_article(A2, article(A2, "https://example.org/2",
                                     (VNM, RDFS.label, Literal("Viet Nam", lang="en")),
                                     (MYS, RDFS.label, Literal("Malaysia", lang="en"))))
        yield db


def test_embedded_store_implements_the_protocol(store):
    assert isinstance(store, Store)
    assert isinstance(RemoteStore("http://127.0.0.1:1/query"), Store)


def test_each_article_is_its_own_named_graph(store):
    assert store.has_graph(A1) and store.has_graph(A2)
    assert not store.has_graph("https://w3id.org/aseankg/id/article/ffffffffffffffff")
    g = store.graph(A1)
    assert str(g.identifier) == A1
    assert (VNM, RDFS.label, Literal("Viet Nam", lang="en")) in g
    assert (MYS, RDFS.label, Literal("Malaysia", lang="en")) not in g
    assert len(g) == 6
    assert store.triple_count() == 12


def test_article_records_come_from_the_article_graphs(store):
    records = store.article_records()
    assert records == {
        A1: ArticleRecord(A1, "00000000000000a1" * 4, "a1.txt", "https://example.org/1"),
        A2: ArticleRecord(A2, "00000000000000a2" * 4, "a2.txt", "https://example.org/2"),
    }


def test_rewriting_an_article_is_idempotent_and_replaces_drop_old_versions(store):
    before = store.graph(A1)
    store.write_article(A1, list(before))
    assert store.triple_count() == 12
    a3 = "https://w3id.org/aseankg/id/article/00000000000000a3"
    store.write_article(a3, article(a3, "https://example.org/1"), replaces=[A1])
    assert not store.has_graph(A1)
    assert set(store.article_records()) == {A2, a3}
    assert store.triple_count() == 6 + 4


def test_queries_see_the_merge_and_can_address_one_graph(store):
    labels = store.query("SELECT ?l WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    # a triple two articles state is one triple of the default graph (a set, as SPARQL's RDF merge)
    assert sorted(str(r[0]) for r in labels.rows) == ["Malaysia", "Viet Nam"]
    per_graph = store.query("SELECT ?l WHERE { GRAPH ?g { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
    assert sorted(str(r[0]) for r in per_graph.rows) == ["Malaysia", "Viet Nam", "Viet Nam"]
    one = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c <http://www.w3.org/2000/01/rdf-schema#label> "
                      "'Malaysia'@en } }")
    assert one.rows == [(URIRef(A2),)]
    from_one = store.query(f"SELECT ?l FROM <{A1}> WHERE {{ ?c <{RDFS.label}> ?l }}")
    assert from_one.rows == [(Literal("Viet Nam", lang="en"),)]


def test_inference_false_leaves_out_the_inference_graph(store):
    inferred = Graph()
    inferred.add((VNM, RDF.type, AKG.Country))
    store.put_graph(settings.INFERENCE_GRAPH, inferred)
    ask = "ASK { ?c a <https://w3id.org/aseankg/ontology#Country> }"
    assert store.query(ask).boolean is True
    assert store.query(ask, inference=False).boolean is False
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert URIRef(settings.INFERENCE_GRAPH) in {r[0] for r in store.query(graphs).rows}
    assert URIRef(settings.INFERENCE_GRAPH) not in {r[0] for r in store.query(graphs, inference=False).rows}
    assert len(store.union_graph()) == len(store.union_graph(inference=True)) - 1


def merged(store) -> set:
    return set(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", inference=False).graph)


def graphs_union(store) -> set:
    return set(store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
                           f"FILTER (?g != <{settings.INFERENCE_GRAPH}>) }}").graph)


def test_the_merge_follows_every_write(store):
    assert merged(store) == graphs_union(store) and len(merged(store)) == 11
    # replacing an article drops from the merge only what no other graph states
    a3 = "https://w3id.org/aseankg/id/article/00000000000000a3"
    store.write_article(a3, article(a3, "https://example.org/1", (MYS, RDFS.label, Literal("Malaysia", lang="en"))),
                        replaces=[A1])
    assert merged(store) == graphs_union(store)
    assert (ID["meeting/amm-58"], AKG.hostCountry, MYS) not in merged(store)
    assert (VNM, RDFS.label, Literal("Viet Nam", lang="en")) in merged(store)  # A2 still says it
    # put_graph: adding, changing, blank nodes
    reference = Graph()
    reference.add((VNM, RDF.type, AKG.Country))
    store.put_graph(settings.REFERENCE_GRAPH, reference)
    assert (VNM, RDF.type, AKG.Country) in merged(store)
    node = BNode()
    reference = Graph()
    reference.add((MYS, RDF.type, AKG.Country))
    reference.add((MYS, AKG.note, node))
    reference.add((node, RDFS.label, Literal("x")))
    store.put_graph(settings.REFERENCE_GRAPH, reference)
    assert (VNM, RDF.type, AKG.Country) not in merged(store)
    assert merged(store) == graphs_union(store)
    assert store.query("ASK { ?m <https://w3id.org/aseankg/ontology#note> ?b . ?b ?p 'x' }").boolean
    store.put_graph(settings.REFERENCE_GRAPH, reference)  # again: same blank node structure, once
    assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?b <http://www.w3.org/2000/01/rdf-schema#label> 'x' }"
                       ).rows[0][0].toPython() == 1


def test_a_store_without_the_merge_is_merged_when_opened_for_writing(tmp_path):
    import pyoxigraph as ox

    db = ox.Store(str(tmp_path / "old"))
    db.add(ox.Quad(ox.NamedNode(VNM), ox.NamedNode(RDFS.label), ox.Literal("Viet Nam"), ox.NamedNode(A1)))
    db.add(ox.Quad(ox.NamedNode(VNM), ox.NamedNode(RDFS.label), ox.Literal("Viet Nam"), ox.NamedNode(A2)))
    db.flush()
    del db
    with EmbeddedStore(tmp_path / "old", read_only=True) as old:  # read-only: the union, computed per query
        assert len(old.query("SELECT * WHERE { ?s ?p ?o }").rows) == 2
    with EmbeddedStore(tmp_path / "old") as store:
        assert len(store.query("SELECT * WHERE { ?s ?p ?o }").rows) == 1
        assert store.triple_count() == 2


def test_bindings_bind_terms_without_pasting_text(store):
    query = "SELECT ?m WHERE { ?m <https://w3id.org/aseankg/ontology#hostCountry> ?country }"
    assert store.query(query, bindings={"country": MYS}).rows == [(ID["meeting/amm-58"],)]
    assert store.query(query, bindings={"country": VNM}).rows == []
    evil = Literal('Viet Nam"@en } ; DROP ALL ; SELECT * { #')
    found = store.query("SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
                        bindings={"l": evil})
    assert found.rows == []
    assert store.triple_count() == 12


def test_result_kinds_and_plain_values(store):
    ask = store.query("ASK { ?s ?p ?o }")
    assert ask.kind == "ask" and ask.boolean is True and bool(ask)
    construct = store.query("CONSTRUCT { ?c <https://w3id.org/aseankg/id/named> ?l } "
                            "WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert construct.kind == "graph" and isinstance(construct.graph, Graph)
    assert (VNM, ID.named, Literal("Viet Nam", lang="en")) in construct.graph
    assert len(construct) == 2
    select = store.query("SELECT ?g ?n ?missing WHERE { GRAPH ?g { ?g a ?t } BIND(42 AS ?n) } ORDER BY ?g")
    assert select.variables == ["g", "n", "missing"]
    assert select.dicts()[0] == {"g": A1, "n": 42, "missing": None}


def test_serialisations_are_standard(store):
    result = store.query(f"SELECT ?c ?l WHERE {{ ?c <{RDFS.label}> ?l }} ORDER BY ?l")
    document = json.loads(result.serialize("json"))
    assert document["head"]["vars"] == ["c", "l"]
    first = document["results"]["bindings"][0]
    assert first["l"] == {"type": "literal", "value": "Malaysia", "xml:lang": "en"}
    root = ElementTree.fromstring(result.serialize("xml"))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [v.get("name") for v in root.iter(f"{ns}variable")] == ["c", "l"]
    assert result.serialize("csv").decode().splitlines()[:2] == ["c,l", f"{MYS},Malaysia"]
    assert result.serialize("tsv").decode().splitlines()[1] == f"<{MYS}>\t\"Malaysia\"@en"
    graph = store.query("CONSTRUCT WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    for fmt, parse_as in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")):
        assert len(Graph().parse(data=graph.serialize(fmt), format=parse_as)) == 2
    with pytest.raises(ValueError):
        result.serialize("turtle")


def test_max_rows_and_timeout(store):
    limited = store.query("SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert len(limited.rows) == 5 and limited.truncated
    assert not store.query("SELECT * WHERE { ?s ?p ?o }").truncated
    with pytest.raises(QueryTimeout):
        store.query("SELECT * WHERE { ?s ?p ?o }", timeout=0)


def test_term_conversion_round_trips():
    terms = [URIRef("https://w3id.org/aseankg/id/person/bui-thanh-son"), Literal("plain"),
             Literal("Sơn", lang="vi"), Literal(58), Literal("2025-07", datatype=XSD.gYearMonth),
             Literal("x", datatype=XSD.string), BNode("b1")]
    for term in terms:
        back = to_rdflib(to_oxigraph(term))
        assert back == term or (term.datatype == XSD.string and back == Literal("x"))
    triple = (VNM, RDFS.label, Literal("Viet Nam", lang="en"))
    assert quad_to_triple(triple_to_quad(triple, A1)) == triple


def test_put_graph_replaces_a_whole_graph(store):
    reference = settings.REFERENCE_GRAPH
    first = Graph()
    for n in range(50):
        first.add((ID[f"x/{n}"], RDFS.label, Literal(f"x{n}")))
    store.put_graph(reference, first)
    second = Graph()
    for n in range(25, 75):
        second.add((ID[f"x/{n}"], RDFS.label, Literal(f"x{n}")))
    store.put_graph(reference, second)  # the difference path
    assert set(store.graph(reference)) == set(second)
    with_bnodes = Graph()
    node = BNode()
    with_bnodes.add((ID.x, RDFS.seeAlso, node))
    with_bnodes.add((node, RDFS.label, Literal("anonymous")))
    store.put_graph(reference, with_bnodes)  # the full-replacement path
    assert len(store.graph(reference)) == 2
    store.put_graph(reference, Graph())
    assert not store.has_graph(reference)
    assert store.has_graph(A1) and store.triple_count() == 12


def test_dumps_are_deterministic_and_complete(tmp_path):
    ontology = Graph().parse(data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <https://w3id.org/aseankg/ontology#chaired> owl:propertyChainAxiom
            ( [ owl:inverseOf <https://w3id.org/aseankg/ontology#participant> ]
              <https://w3id.org/aseankg/ontology#meeting> ) .""", format="turtle")
    dumps = []
    for name, order in (("one", [A1, A2]), ("two", [A2, A1])):
        with EmbeddedStore(tmp_path / name) as db:
            for iri in order:
                facts = article(iri, "https://example.org/" + iri[-1], (VNM, RDF.type, AKG.Country))
                db.write_article(iri, facts)
            db.put_graph(settings.ONTOLOGY_GRAPH, ontology)
            out = io.BytesIO()
            count = db.dump(out)
            dumps.append(out.getvalue())
            assert count == db.triple_count() == 10 + len(ontology)
            trig = dump_to_path(db, tmp_path / f"{name}.trig")
            assert trig == count
            assert len(list(Dataset().parse(tmp_path / f"{name}.trig", format="trig").quads())) == count
    assert dumps[0] == dumps[1]
    assert len(list(Dataset().parse(data=dumps[0], format="nquads").quads())) == 10 + len(ontology)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_store_persists_across_restarts(tmp_path):
    location = tmp_path / "kg"
    with EmbeddedStore(location) as db:
        db.write_article(A1, article(A1, "https://example.org/1", (VNM, RDF.type, AKG.Country)))
    with EmbeddedStore(location) as db:
        assert db.has_graph(A1)
        assert (VNM, RDF.type, AKG.Country) in db.graph(A1)
        assert db.article_records()[A1].url == "https://example.org/1"
    with EmbeddedStore(location, read_only=True) as db:
        assert db.triple_count() == 5
        with pytest.raises(StoreError, match="read-only"):
            db.write_article(A2, [])


def test_clear_errors_when_the_store_cannot_be_opened(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="a-file"):
        EmbeddedStore(blocker / "kg")
    with EmbeddedStore(tmp_path / "kg"):
        with pytest.raises(StoreError, match="kg"):
            EmbeddedStore(tmp_path / "kg")
    closed = EmbeddedStore(tmp_path / "kg")
    closed.close()
    with pytest.raises(StoreError, match="closed"):
        closed.triple_count()


def test_open_store_picks_the_implementation(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEANKG_STORE", str(tmp_path / "from-env"))
    with open_store() as db:
        assert isinstance(db, EmbeddedStore) and db.location == str(tmp_path / "from-env")
    remote = open_store("http://127.0.0.1:7878/query", gsp_url="http://127.0.0.1:7878/graphs")
    assert isinstance(remote, RemoteStore)
    assert (remote.update_url, remote.gsp_url) == ("http://127.0.0.1:7878/update", "http://127.0.0.1:7878/graphs")
    with pytest.raises(ValueError):
        open_store(tmp_path / "x", update_url="http://127.0.0.1:7878/update")


# ---------------------------------------------------------------------------------------- crashes

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from conftest import synthetic_article
    from aseankg.store import EmbeddedStore
    store = EmbeddedStore({location!r})
    for i in range(100000):
        # a large article (20 synthetic ones in one graph), so that the kill often lands inside a write
        iri = synthetic_article(i * 20)[0]
        triples = [t for k in range(20) for t in synthetic_article(i * 20 + k)[1]]
        store.write_article(iri, triples)
        print(i, flush=True)
""")


def test_a_killed_writer_leaves_only_whole_articles(tmp_path, make_article):
    location = tmp_path / "kg"
    code = CHILD.format(tests=str(Path(__file__).parent), location=str(location))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        written = 0
        for line in child.stdout:
            written = int(line) + 1
            if written >= 15:
                break
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert written >= 15
    with EmbeddedStore(location) as db:
        present = sorted(db.article_records())
        assert len(present) >= written  # every acknowledged article survived
        for n in range(written + 5):
            iri, _ = make_article(n * 20)
            expected = {t for k in range(20) for t in make_article(n * 20 + k)[1]}
            if db.has_graph(iri):
                assert set(db.graph(iri)) == expected, f"article {n} is not whole"
        assert db.triple_count() == sum(len(db.graph(iri)) for iri in present)


def default_graph(store: EmbeddedStore) -> set:
    """The merged default graph as stored, read without writing what a build has in its batch."""
    import pyoxigraph as ox

    return {quad_to_triple(q) for q in store.db.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def test_a_build_writes_new_articles_in_batches(tmp_path, make_article):
    with EmbeddedStore(tmp_path / "kg") as db:
        with db.writing_in_batches(3):
            articles = [make_article(n) for n in range(8)]
            for iri, triples in articles[:2]:
                db.write_article(iri, triples)
            assert default_graph(db) == set() and not db.db.contains_named_graph(ox_name(articles[0][0]))
            assert db.has_graph(articles[0][0])  # the build's own look sees its batch
            db.write_article(*articles[2])  # the third: the batch is written
            assert default_graph(db) == graphs_union(db) and len(db.article_records()) == 3
            db.write_article(*articles[3])
            assert set(articles[3][1]) <= merged(db)  # a query writes the batch first
            db.write_article(*articles[4])
            db.write_article(articles[5][0], articles[5][1], replaces=[articles[4][0]])  # an edited article
            assert not db.has_graph(articles[4][0]) and default_graph(db) == graphs_union(db)
            db.write_article(*articles[6])
            db.write_article(articles[6][0], articles[7][1])  # the same article again, changed
            assert set(db.graph(articles[6][0])) == set(articles[7][1])
        assert default_graph(db) == graphs_union(db) and not (tmp_path / "kg" / batches.BATCH_FILE).exists()
        in_batches = db.dump(io.BytesIO())
    with EmbeddedStore(tmp_path / "plain") as plain:  # the same store as writing each article in turn
        for iri, triples in articles[:4] + [articles[5]]:
            plain.write_article(iri, triples)
        plain.write_article(articles[6][0], articles[7][1])
        assert plain.dump(io.BytesIO()) == in_batches
        assert default_graph(plain) == default_graph(EmbeddedStore(tmp_path / "kg", read_only=True))


def test_a_batch_loads_ntriples_as_the_same_quads(tmp_path, make_article):
    """Articles handed over as N-Triples bytes (``ingest.store_form``, what a build writes) give the
    store the bytes that writing their triples one at a time gives, literals that hold " .", a
    newline, quotes and a backslash included; a graph with a blank node is handed over as triples."""
    from aseankg.ingest import store_form
    from aseankg.results import NTriples

    tricky = Literal('ends with " .\n and a \\ then .\n', lang="en")
    articles = [make_article(n) for n in range(5)]
    articles[1][1].append((VNM, RDFS.comment, tricky))
    blank = BNode()
    articles[2][1].extend([(VNM, AKG.note, blank), (blank, RDFS.label, Literal("x"))])
    forms = [store_form(triples) for _, triples in articles]
    assert [isinstance(f, NTriples) for f in forms] == [True, True, False, True, True]
    assert set(forms[1]) == {to_oxigraph_triple(t) for t in articles[1][1]}
    with EmbeddedStore(tmp_path / "kg") as db:
        with db.writing_in_batches(3):
            for (iri, _), form in zip(articles, forms, strict=True):
                db.write_article(iri, form)
        assert tricky in {o for _, _, o in default_graph(db)}
        merge = default_graph(db)
        assert merge == graphs_union(db)
        loaded = io.BytesIO()
        db.dump(loaded)
    with EmbeddedStore(tmp_path / "plain") as plain:
        for iri, triples in articles:
            plain.write_article(iri, triples)
        written = io.BytesIO()
        plain.dump(written)
        assert written.getvalue() == loaded.getvalue() and default_graph(plain) == merge


def to_oxigraph_triple(triple):
    import pyoxigraph as ox

    return ox.Triple(*(to_oxigraph(t) for t in triple))


def ox_name(iri: str):
    import pyoxigraph as ox

    return ox.NamedNode(iri)


KILLED_BUILD = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from conftest import synthetic_article
    import pyoxigraph
    from aseankg.ingest import store_form
    from aseankg.store import EmbeddedStore
    bulk, batches = pyoxigraph.Store.bulk_extend, []

    def killed_half_way(self, quads):  # SIGKILL in the middle of the third batch
        quads = list(quads)
        batches.append(1)  # each batch extends, with no quads when its articles are N-Triples
        if len(batches) == 3 and quads:
            bulk(self, quads[:len(quads) // 4 + 5])  # half the graphs, one cut after 5 of its triples
            os.kill(os.getpid(), signal.SIGKILL)
        bulk(self, quads)

    def killed_loading(self, text, format):  # the same, for articles given as N-Triples (in parts)
        if len(batches) == 3:
            lines = text.splitlines(keepends=True)
            load(self, b"".join(lines[:len(lines) // 4 + 5]), format=format)
            os.kill(os.getpid(), signal.SIGKILL)
        load(self, text, format=format)

    load = pyoxigraph.Store.bulk_load
    pyoxigraph.Store.bulk_extend = killed_half_way
    pyoxigraph.Store.bulk_load = killed_loading
    store = EmbeddedStore({location!r})
    with store.writing_in_batches(40):
        for i in range(100000):
            iri, triples = synthetic_article(i)
            store.write_article(iri, store_form(triples) if {ntriples} else triples)
            print(i, flush=True)
""")


@pytest.mark.parametrize("ntriples", [False, True], ids=["triples", "ntriples"])
def test_a_build_killed_while_writing_a_batch_leaves_whole_articles(tmp_path, make_article, ntriples):
    location = tmp_path / "kg"
    code = KILLED_BUILD.format(tests=str(Path(__file__).parent), location=str(location), ntriples=ntriples)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert (location / batches.BATCH_FILE).exists()
    written = dict(make_article(i) for i in range(200))
    with EmbeddedStore(location, read_only=True) as reader:  # as the kill left it: part of a batch
        torn = [g for g in reader.named_graphs() if set(reader.graph(g)) != set(written[g])]
        assert torn and len(reader.named_graphs()) > 80
    with EmbeddedStore(location) as db:
        assert db.named_graphs() == sorted(make_article(i)[0] for i in range(80))  # the two whole batches
        assert all(set(db.graph(g)) == set(written[g]) for g in db.named_graphs())
        assert default_graph(db) == graphs_union(db)
    assert not (location / batches.BATCH_FILE).exists()


def test_a_snapshot_is_the_store_as_it_was_and_goes_at_the_end(tmp_path):
    """``snapshot`` gives readers in other processes a folder that later writes (and the compactions
    they set off) do not change; it is removed at the end, and one a killed writer left behind is
    removed when the store is next opened for writing."""
    from aseankg.storefolder import SNAPSHOT_PREFIX

    location = tmp_path / "kg"
    with EmbeddedStore(location) as db:
        db.write_article(A1, article(A1, "https://example.org/1", (VNM, RDFS.label, Literal("Viet Nam"))))
        with db.snapshot() as folder:
            db.write_article(A2, article(A2, "https://example.org/2", (MYS, RDFS.label, Literal("Malaysia"))))
            db.db.optimize()  # a compaction of the live store
            with EmbeddedStore(folder, read_only=True) as view:
                assert view.has_graph(A1) and not view.has_graph(A2)
                assert view.query("ASK { ?c ?p 'Viet Nam' }").boolean
        assert not Path(folder).exists() and db.has_graph(A2)
    with EmbeddedStore(None) as memory, memory.snapshot() as none:
        assert none is None
    left = location / f"{SNAPSHOT_PREFIX}12345"
    left.mkdir()
    EmbeddedStore(location, read_only=True).close()
    assert left.exists()  # a reader leaves it to the writer
    EmbeddedStore(location).close()
    assert not left.exists()
