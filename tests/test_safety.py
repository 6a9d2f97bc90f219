"""Query safety: SERVICE, LOAD, non-local FROM and updates are refused before evaluation, in the
embedded store and the remote store alike; bindings cannot break out of their terms."""

from __future__ import annotations

import socket
import threading
import time

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Literal, URIRef

from aseankg.remote import RemoteStore
from aseankg.safety import QueryRefused, QuerySyntaxError, bind_values, check_query, inspect_query
from aseankg.store import EmbeddedStore


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives (and closes them)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def settle(self) -> int:
        time.sleep(0.2)  # let any connection attempt in flight arrive
        return self.connections

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "kg") as db:
        db.write_article("https://w3id.org/aseankg/id/article/00000000000000aa",
                         [(URIRef("https://w3id.org/aseankg/id/x"), URIRef("https://w3id.org/aseankg/id/p"),
                           Literal("v"))])
        yield db


def service_queries(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ ?a ?b ?c OPTIONAL {{ service <{url}> {{ ?s ?p ?o }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?x ?y ?z UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}"
        .replace("?x ?y ?z UNION", "{ ?x ?y ?z } UNION"),
        # SPARQL applies \\u escapes before parsing: this is SERVICE too
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def test_service_reaches_no_listener_from_the_embedded_store(store, listener):
    for query in service_queries(listener.port):
        with pytest.raises(QueryRefused, match="SERVICE"):
            store.query(query)
    assert listener.settle() == 0


def test_service_reaches_no_listener_from_the_remote_store(listener):
    # The "remote store" is the listener itself: a refused query must not even be sent.
    remote = RemoteStore(f"http://127.0.0.1:{listener.port}/query")
    for query in service_queries(listener.port):
        with pytest.raises(QueryRefused, match="SERVICE"):
            remote.query(query)
    with pytest.raises(QueryRefused, match="FROM <file:///etc/passwd>"):
        remote.query("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    with pytest.raises(QueryRefused, match="LOAD"):
        remote.query("LOAD <file:///etc/passwd>")
    assert listener.settle() == 0


def test_the_listener_does_see_an_unchecked_service_call(listener):
    """Control: pyoxigraph on its own does call SERVICE endpoints, so the listener tests can fail."""
    raw = ox.Store()
    try:
        list(raw.query(f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/sparql> "
                       "{ ?s ?p ?o } }"))
    except (OSError, RuntimeError, SyntaxError):
        pass
    if listener.settle() == 0:
        pytest.skip("this pyoxigraph build has no HTTP client")
    assert listener.connections >= 1


def test_from_a_file_is_refused_before_anything_reads_it(store, tmp_path):
    secret = tmp_path / "secret.nt"
    secret.write_text('<https://w3id.org/aseankg/id/s> <https://w3id.org/aseankg/id/p> "secret" .\n')
    for query in (f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
                  "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
                  f"SELECT * FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                  f"BASE <{tmp_path.as_uri()}/> SELECT * FROM <secret.nt> WHERE {{ ?s ?p ?o }}",
                  f"PREFIX f: <{tmp_path.as_uri()}/> ASK FROM f:secret.nt {{ ?s ?p ?o }}"):
        with pytest.raises(QueryRefused, match="FROM"):
            store.query(query)


def test_rdflib_alone_would_read_the_file(tmp_path):
    """Control: rdflib's own engine dereferences FROM <file:…>, which is why the check exists."""
    secret = tmp_path / "secret.nt"
    secret.write_text('<https://w3id.org/aseankg/id/s> <https://w3id.org/aseankg/id/p> "secret" .\n')
    rows = list(Dataset().query(f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"))
    assert [str(r[0]) for r in rows] == ["secret"]


def test_local_dataset_clauses_are_allowed():
    info = inspect_query("SELECT * FROM <https://w3id.org/aseankg/id/graph/reference> FROM NAMED "
                         "<https://w3id.org/aseankg/id/article/0123456789abcdef> WHERE { ?s ?p ?o }")
    assert info.kind == "select"
    assert info.from_graphs == ("https://w3id.org/aseankg/id/graph/reference",)
    assert info.from_named_graphs == ("https://w3id.org/aseankg/id/article/0123456789abcdef",)
    assert info.has_dataset


@pytest.mark.parametrize("update", [
    "LOAD <http://example.org/data.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <https://w3id.org/aseankg/id/g>",
    "CLEAR ALL ; LOAD <file:///etc/passwd>",
])
def test_load_is_refused(store, update):
    with pytest.raises(QueryRefused, match="LOAD"):
        store.query(update)


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "INSERT DATA { <https://w3id.org/aseankg/id/a> <https://w3id.org/aseankg/id/b> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR GRAPH <https://w3id.org/aseankg/id/article/00000000000000aa>",
])
def test_updates_are_refused_through_query(store, update):
    before = store.triple_count()
    with pytest.raises(QueryRefused, match="updates are refused"):
        store.query(update)
    assert store.triple_count() == before == 1


def test_keywords_in_comments_and_strings_are_not_clauses():
    check_query("# SERVICE <http://127.0.0.1/> LOAD <file:///etc/passwd>\n"
                "SELECT ?s WHERE { ?s ?p 'SERVICE <http://x/> { }' . ?s ?p \"\"\"FROM <file:///x>\"\"\" }")
    check_query("SELECT ?service ?load WHERE { ?service <https://w3id.org/aseankg/id/load> ?load }")


def test_syntax_errors_are_value_errors_with_the_parser_message(store):
    with pytest.raises(QuerySyntaxError, match="syntax error") as caught:
        store.query("SELECT ?s WHERE { ?s ?p }")
    assert isinstance(caught.value, ValueError)
    assert not isinstance(caught.value, QueryRefused)
    with pytest.raises(ValueError):
        check_query("PREFIX : <x> SELEC * { }")


# ----------------------------------------------------------------------------------------- bindings

def test_values_go_first_in_the_where_clause_whatever_precedes_it():
    iri = URIRef("https://w3id.org/aseankg/id/country/VNM")
    query = ("PREFIX akg: <https://w3id.org/aseankg/ontology#> # a { brace in a comment\n"
             "SELECT ?m (EXISTS { ?m akg:x 1 } AS ?e) (\"{\" AS ?b) FROM <https://w3id.org/aseankg/id/g> "
             "WHERE { ?m akg:hostCountry ?c }")
    bound = bind_values(query, {"c": iri})
    assert bound.endswith("WHERE { VALUES (?c) { (<https://w3id.org/aseankg/id/country/VNM>) } "
                          "?m akg:hostCountry ?c }")
    construct = bind_values("CONSTRUCT { ?m <https://w3id.org/aseankg/id/p> '}' } WHERE { ?m ?p ?c }",
                            {"c": iri})
    assert construct.endswith("WHERE { VALUES (?c) { (<https://w3id.org/aseankg/id/country/VNM>) } "
                              "?m ?p ?c }")
    check_query(bound)
    check_query(construct)


def test_values_also_bind_the_subqueries_that_use_them():
    """A subquery is evaluated on its own: bound only outside, a variable it does not project would be
    free in it, and one it projects would be computed for every value before the join."""
    import pyoxigraph as ox

    a, b = URIRef("https://w3id.org/aseankg/id/a"), URIRef("https://w3id.org/aseankg/id/b")
    query = ("SELECT ?n ?m WHERE { ?x <urn:p> ?y # SELECT { in a comment\n"
             "  { SELECT (COUNT(*) AS ?n) WHERE { ?x <urn:p> ?z FILTER (?z != \"{ SELECT\") } } "
             "  { SELECT ?m WHERE { { SELECT ?m WHERE { ?m <urn:p> ?x } } } } "
             "  { SELECT ?w WHERE { ?w <urn:p> ?w } } }")
    bound = bind_values(query, {"x": a})
    assert bound.count("VALUES (?x) { (<https://w3id.org/aseankg/id/a>) }") == 4  # not in the ?w subquery
    check_query(bound)
    store = ox.Store()
    for s, o in ((a, b), (b, a), (b, b)):
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:p"), ox.NamedNode(o)))
    assert [(int(r["n"].value), r["m"].value) for r in store.query(bound)] == [(1, str(b))]


def test_bindings_reject_bad_names_and_blank_nodes():
    with pytest.raises(ValueError):
        bind_values("SELECT * { ?s ?p ?o }", {"s } DROP ALL": URIRef("https://w3id.org/aseankg/id/x")})
    with pytest.raises(TypeError):
        bind_values("SELECT * { ?s ?p ?o }", {"s": BNode()})
    with pytest.raises(TypeError):
        bind_values("SELECT * { ?s ?p ?o }", {"s": "https://w3id.org/aseankg/id/x"})
    with pytest.raises(ValueError):
        bind_values("SELECT * { ?s ?p ?o }", {"s": URIRef("https://w3id.org/aseankg/id/x> } ; DROP ALL #")})
    with pytest.raises(ValueError, match="CONSTRUCT template"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": URIRef("https://w3id.org/aseankg/id/x")})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
       lang=st.sampled_from([None, "en", "vi"]))
def test_any_string_binds_as_itself(store, text, lang):
    literal = Literal(text, lang=lang)
    result = store.query("SELECT ?x WHERE { BIND(?v AS ?x) }", bindings={"v": literal})
    assert result.rows == [(literal,)]
    assert store.triple_count() == 1  # and nothing else happened
