"""Every saved query through Apache Jena ARQ (Debian's ``libapache-jena-java`` 4.5) gives the embedded
store's rows: the seed articles are built into an embedded store, dumped with ``aseankg dump``, and
that N-Quads file is what Jena reads. Debian packages no Fuseki, so Jena is checked as a query engine
over the dump, not as a server ``aseankg build --store`` writes to.

The dump holds the named graphs only, so ``tests/java/RunQueries.java`` copies the union of the named
graphs into Jena's default graph before it runs anything: what a remote store's queries read (the
Oxigraph server and Virtuoso are sent the named graphs as the dataset), and what loading the dump
into a new store makes its merged default graph. The embedded store's own default graph is that union
less the values consolidation did not prefer (on the seeds, three triples: amm-58's "upcoming" status
and the one-day dates of the article that called it upcoming); the saved queries give the same rows
over both.

Each query's text is what ``run_saved`` sends: the saved query with its default parameters bound by
``safety.bind_values`` (a ``VALUES`` block). All queries run in one JVM: one ``arq.sparql`` run, which
starts Java and loads the dump, took 3–4 s here, eighteen of them about a minute.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import seed_store_folder
from test_remote_build import OTHER_PARAMETERS, rows_as_text, run

from aseankg import settings
from aseankg.queries import load_query, run_saved, saved_queries
from aseankg.results import from_oxigraph
from aseankg.safety import bind_values
from aseankg.stores import open_store

JAVA, JAVAC = shutil.which("java"), shutil.which("javac")
JARS = Path("/usr/share/java")
#: Debian's Jena jars and the jars of the packages libapache-jena-java depends on (its classpath; all
#: of /usr/share/java is not one: it holds two SLF4J bindings that refuse to start together).
CLASSPATH = ("jena-arq", "jena-base", "jena-core", "jena-iri", "commons-cli", "commons-codec", "commons-compress",
             "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava", "httpclient",
             "httpcore", "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java",
             "jakarta.json-api", "protobuf", "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld")
RUNNER = Path(__file__).parent / "java" / "RunQueries.java"
#: Checks of the dataset itself, beside the saved queries, as (the embedded store's query, Jena's):
#: Jena's default graph is the union of the named graphs (a set: a triple two articles state counts
#: once), and its named graphs are the store's.
DATASET_CHECKS = {
    "default-graph": ("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
                      "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
    "named-graphs": ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",) * 2,
}


def debian_xerces_messages(folder: Path) -> Path:
    """A classpath folder with the regular-expression messages of the Xerces inside jena-core.

    Debian's jena-core 4.5.0 has Jena's copy of Xerces under the package ``xerces`` but left its
    resources under ``org/apache/jena/ext/xerces``; Xerces' regular-expression parser loads its
    ``xerces.impl.xpath.regex.message`` bundle when it starts, so without this copy Jena's first use
    of an XSD datatype fails ("internal error" in ``XSSimpleTypeDecl.applyFacets1``)."""
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        names = set(jar.namelist())
        for name in names:
            moved = "xerces/" + name.removeprefix("org/apache/jena/ext/xerces/")
            if (name.startswith("org/apache/jena/ext/xerces/impl/xpath/regex/message")
                    and moved not in names):
                (folder / moved).parent.mkdir(parents=True, exist_ok=True)
                (folder / moved).write_bytes(jar.read(name))
    return folder


def jena_classpath(tmp: Path) -> str:
    """The classpath for Jena ARQ and the compiled runner; skips when Java or Jena is not installed."""
    if not (JAVA and JAVAC):
        pytest.skip("no java/javac (Debian: apt-get install default-jdk-headless)")
    missing = [name for name in CLASSPATH if not (JARS / f"{name}.jar").exists()]
    if missing:
        pytest.skip(f"Jena is not installed (Debian: apt-get install libapache-jena-java); missing {missing}")
    classes = tmp / "classes"
    jars = [str(JARS / f"{name}.jar") for name in CLASSPATH]
    subprocess.run([JAVAC, "-d", str(classes), "-cp", ":".join(jars), str(RUNNER)], check=True, timeout=120)
    return ":".join([*jars, str(debian_xerces_messages(tmp / "resources")), str(classes)])


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    """Per query name: the embedded store's rows and Jena's, each as ``rows_as_text`` gives them."""
    tmp = tmp_path_factory.mktemp("jena")
    classpath = jena_classpath(tmp)
    store = seed_store_folder(tmp / "kg")
    run("dump", "--store", store, "-o", str(tmp / "kg.nq"))
    texts = {name: jena for name, (_, jena) in DATASET_CHECKS.items()}
    with open_store(store, read_only=True) as local:
        # No inference graph, so "inference: no" (every saved query's) leaves nothing out.
        assert settings.INFERENCE_GRAPH not in local.named_graphs()
        expected = {name: rows_as_text(local.query(ours, inference=False))
                    for name, (ours, _) in DATASET_CHECKS.items()}
        cases = [(q.name, q, None) for q in saved_queries()]
        cases += [(f"{name}-other-{n}", load_query(name), params) for n, (name, params) in enumerate(OTHER_PARAMETERS)]
        for key, query, params in cases:
            bindings = query.bindings(params)
            texts[key] = bind_values(query.text, bindings) if bindings else query.text
            expected[key] = rows_as_text(run_saved(local, query, params), in_order=True)
    folder = tmp / "queries"
    folder.mkdir()
    for name, text in texts.items():
        (folder / f"{name}.rq").write_text(text, encoding="utf-8")
    done = subprocess.run([JAVA, "-cp", classpath, "RunQueries", str(tmp / "kg.nq"),
                           *(str(folder / f"{name}.rq") for name in texts)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    got = {}
    for name in texts:
        body = (folder / f"{name}.srj").read_bytes()
        json.loads(body)  # Jena's JSON, as written
        answer = from_oxigraph(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        got[name] = rows_as_text(answer, in_order=name not in DATASET_CHECKS)
    return expected, got


@pytest.mark.parametrize("name", list(DATASET_CHECKS))
def test_the_dataset_is_the_embedded_stores(answers, name):
    expected, got = answers
    assert got[name] == expected[name] and expected[name]


@pytest.mark.parametrize("query", saved_queries(), ids=lambda q: q.name)
def test_every_saved_query_answers_the_same(answers, query):
    """The same rows in the same order (see queries/README.md for the portable subset they keep to)."""
    expected, got = answers
    assert got[query.name] == expected[query.name]


@pytest.mark.parametrize("n", range(len(OTHER_PARAMETERS)), ids=[name for name, _ in OTHER_PARAMETERS])
def test_other_parameters_answer_the_same(answers, n):
    expected, got = answers
    key = f"{OTHER_PARAMETERS[n][0]}-other-{n}"
    assert expected[key] and got[key] == expected[key]


def test_saved_queries_return_something(answers):
    """The comparison above is not between two empty answers."""
    expected, _ = answers
    assert sum(1 for q in saved_queries() if expected[q.name]) >= len(saved_queries()) - 3
