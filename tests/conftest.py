"""Shared fixtures: synthetic article graphs in the project vocabulary, a tiny ontology, and a real
``oxigraph serve`` on 127.0.0.1 for the remote-store tests."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from aseankg import naming, settings

AKG = Namespace("https://w3id.org/aseankg/ontology#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
PROV = Namespace("http://www.w3.org/ns/prov#")

#: The axioms behind akg:attended / akg:chaired, as in ontology/aseankg.ttl, small enough for tests.
TINY_ONTOLOGY = """
@prefix akg: <https://w3id.org/aseankg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
akg:Summit rdfs:subClassOf akg:Meeting .
akg:MinisterialMeeting rdfs:subClassOf akg:Meeting .
akg:participant a owl:ObjectProperty .
akg:meeting a owl:ObjectProperty .
akg:capacity a owl:ObjectProperty .
akg:chairingSelf a owl:ObjectProperty .
akg:ChairingParticipation rdfs:subClassOf akg:Participation ,
    [ a owl:Restriction ; owl:onProperty akg:chairingSelf ; owl:hasSelf true ] .
[ a owl:Class ; owl:unionOf (
    [ a owl:Restriction ; owl:onProperty akg:capacity ; owl:hasValue akg:Chair ]
    [ a owl:Restriction ; owl:onProperty akg:capacity ; owl:hasValue akg:CoChair ] ) ]
  rdfs:subClassOf akg:ChairingParticipation .
akg:attended a owl:ObjectProperty ;
    owl:propertyChainAxiom ( [ owl:inverseOf akg:participant ] akg:meeting ) .
akg:chaired a owl:ObjectProperty ; rdfs:subPropertyOf akg:attended ;
    owl:propertyChainAxiom ( [ owl:inverseOf akg:participant ] akg:chairingSelf akg:meeting ) .
"""

_COUNTRIES = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"]
_SERIES = ["amm", "asean-summit", "asean-som", "eas-fmm", "arf"]
_ROLES = ["foreign-minister", "deputy-foreign-minister", "head-of-som-delegation", "ambassador"]
_CAPACITIES = ["Chair", "CoChair", "HeadOfDelegation", "Delegate", "Speaker"]


def synthetic_article(i: int, *, people: int = 400, meetings: int = 120) -> tuple[str, list[tuple]]:
    """Article number ``i`` as (graph IRI, triples): a realistic article graph of about 60 triples
    (article metadata, a meeting, participations with evidence, people, posts and mentions) whose
    entities are shared with other articles, as in a real corpus."""
    digest = hashlib.sha256(f"article {i}".encode()).hexdigest()
    article = URIRef(naming.article_iri(digest))
    triples: list[tuple] = [
        (article, RDF.type, AKG.Article),
        (article, SCHEMA.headline, Literal(f"ASEAN ministers meet, report {i}")),
        (article, SCHEMA.url, URIRef(f"https://example.org/news/{i}")),
        (article, SCHEMA.datePublished, Literal(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                                datatype=XSD_DATE)),
        (article, SCHEMA.publisher, Literal("Example News Agency")),
        (article, AKG.contentHash, Literal(digest)),
        (article, AKG.sourceFile, Literal(f"{i:04d}_{digest[:16]}.txt")),
    ]
    series = _SERIES[i % len(_SERIES)]
    ordinal = 40 + (i * 7) % meetings
    meeting = URIRef(naming.meeting_iri(series, ordinal=ordinal))
    host = _COUNTRIES[ordinal % len(_COUNTRIES)]
    triples += [
        (meeting, RDF.type, AKG.Summit if series == "asean-summit" else AKG.MinisterialMeeting),
        (meeting, RDFS.label, Literal(f"{ordinal}th {series.upper()}", lang="en")),
        (meeting, AKG.inSeries, URIRef(naming.series_iri(series))),
        (meeting, AKG.ordinal, Literal(ordinal)),
        (meeting, SCHEMA.startDate, Literal(f"{1967 + ordinal % 58}-07-08", datatype=XSD_DATE)),
        (meeting, AKG.hostCountry, URIRef(naming.country_iri(host))),
    ]
    for k in range(3):
        n = (i * 13 + k * 101) % people
        person = URIRef(naming.person_iri(f"Official Number {n}"))
        country = _COUNTRIES[n % len(_COUNTRIES)]
        post = URIRef(naming.post_iri(country, _ROLES[n % len(_ROLES)]))
        part = URIRef(naming.derived_iri("participation", str(person), str(meeting)))
        mention = URIRef(naming.derived_iri("mention", str(article), str(k)))
        sentence = f"Official Number {n} of {country} attended the {ordinal}th meeting."
        capacity = _CAPACITIES[0] if k == 0 and i % 3 == 0 else _CAPACITIES[1 + (n + k) % 4]
        triples += [
            (person, RDF.type, AKG.Person),
            (person, RDFS.label, Literal(f"Official Number {n}")),
            (person, ORG.holds, post),
            (person, AKG.nationality, URIRef(naming.country_iri(country))),
            (post, RDF.type, ORG.Post),
            (post, ORG.postIn, URIRef(naming.country_iri(country))),
            (post, ORG.role, URIRef(naming.role_iri(_ROLES[n % len(_ROLES)]))),
            (part, RDF.type, AKG.Participation),
            (part, AKG.participant, person),
            (part, AKG.meeting, meeting),
            (part, AKG.capacity, AKG[capacity]),
            (part, AKG.represents, URIRef(naming.country_iri(country))),
            (part, PROV.wasDerivedFrom, mention),
            (mention, RDF.type, AKG.Mention),
            (mention, AKG.refersTo, person),
            (mention, AKG.text, Literal(f"Official Number {n}")),
            (mention, AKG.sentence, Literal(sentence)),
            (mention, AKG.start, Literal(100 * k)),
            (mention, AKG.end, Literal(100 * k + 18)),
        ]
    return str(article), triples


@pytest.fixture
def tiny_ontology():
    from rdflib import Graph

    return Graph().parse(data=TINY_ONTOLOGY, format="turtle")


# --------------------------------------------------------------------------- a real Oxigraph server

#: The ``oxigraph`` server binary of the PyPI package ``oxigraph``: next to this Python, else on PATH.
OXIGRAPH = Path(os.environ.get("OXIGRAPH_BIN") or (Path(sys.executable).parent / "oxigraph"))
if not OXIGRAPH.exists() and shutil.which("oxigraph"):
    OXIGRAPH = Path(shutil.which("oxigraph"))


def _ephemeral_ports() -> range:
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    return range(low, high + 1)


def free_port() -> int:
    """A loopback port nothing listens on, below the kernel's ephemeral range: a client polling a
    port in that range before its server binds it can be given the same port as its own source and
    connect to itself (TCP simultaneous open), reading its own request back as the answer (CI saw
    ``BadStatusLine: GET /health HTTP/1.1``)."""
    ephemeral = _ephemeral_ports()
    outside = [p for p in (range(10000, ephemeral.start), range(ephemeral.stop, 65536)) if len(p) > 100]
    for _ in range(200 if outside else 0):
        port = random.choice(random.choice(outside))
        with socket.socket() as s, contextlib.suppress(OSError):
            s.bind(("127.0.0.1", port))
            return port
    with socket.socket() as s:  # no room outside the range: any free port
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(location: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start ``oxigraph serve`` on a free loopback port; returns the process and its query URL."""
    if not OXIGRAPH.exists():
        pytest.skip(f"no oxigraph server binary at {OXIGRAPH}")
    port = free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location),
                                "--bind", f"127.0.0.1:{port}", *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited: {process.stderr.read().decode()}")
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
            return process, url
        except OSError:
            time.sleep(0.05)
    stop_process(process)
    raise RuntimeError("oxigraph serve did not answer within 20 s")


ASEANKG = Path(sys.executable).parent / "aseankg"


def seed_store_folder(location: Path) -> str:
    """The seed articles built into a new store folder at ``location``, closed again so the CLI and
    other processes can open it; returns the folder."""
    from aseankg.ingest import build_articles
    from aseankg.stores import open_store

    store = open_store(location)
    try:
        build_articles([settings.ARTICLES_DIR], store)
    finally:
        store.close()
    return str(location)


@contextlib.contextmanager
def served(store: Path | str, *args: str, workers: int = 1, check_stderr: bool = True, timeout: float = 120,
           logs: Path | None = None):
    """``aseankg serve`` on ``store`` (a folder, or a remote store's URL with ``logs`` a folder) at a free
    loopback port, ready once ``/health`` lists ``workers`` query workers; yields the base URL and stops
    the server by its own pid. Its stderr goes to a file (a full pipe would stall it) and, with
    ``check_stderr``, must hold no traceback."""
    port = free_port()
    log = (logs or Path(store).parent) / f"serve-{port}.log"
    base = f"http://127.0.0.1:{port}"
    with open(log, "wb") as err:
        process = subprocess.Popen([str(ASEANKG), "serve", "--store", str(store), "--port", str(port), *args],
                                   stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited: {log.read_text(errors='replace')}")
                with contextlib.suppress(OSError, ValueError):
                    with urllib.request.urlopen(base + "/health", timeout=5) as r:
                        if r.status == 200 and len(json.loads(r.read())["workers"]) >= workers:
                            break
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start")
                time.sleep(0.2)
            yield base
        finally:
            stop_process(process)
    if check_stderr:
        assert_no_server_traceback(log)


def stop_process(process: subprocess.Popen) -> None:
    """Stop a process this test session started, by its own pid."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stderr:
        process.stderr.close()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server (default graph NOT the union: the portable, explicit-dataset path)."""
    process, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield url
    finally:
        stop_process(process)


@pytest.fixture
def oxigraph_factory(tmp_path):
    """Start extra Oxigraph servers (``factory(*flags) -> query URL``); all stopped at teardown."""
    started: list[subprocess.Popen] = []

    def factory(*extra: str) -> str:
        location = tmp_path / f"oxigraph-{len(started)}"
        process, url = start_oxigraph(location, *extra)
        started.append(process)
        return url

    try:
        yield factory
    finally:
        for process in started:
            stop_process(process)


@pytest.fixture
def make_article():
    """``make_article(i) -> (graph IRI, triples)``: see ``synthetic_article``."""
    return synthetic_article


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """``ontology/aseankg.ttl``, parsed once for the session."""
    return Graph().parse(settings.ONTOLOGY)


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """``ontology/shapes.ttl``, parsed once for the session."""
    return Graph().parse(settings.SHAPES)



def assert_no_server_traceback(log: Path) -> None:
    """Fail when a server's stderr log holds a Python traceback or an ignored exception (such as
    pyoxigraph's "... is unsendable, but is being dropped on another thread"): the pages may all
    have answered 200 while the console shows errors."""
    text = log.read_text(encoding="utf-8", errors="replace")
    for marker in ("Traceback (most recent call last)", "Exception ignored in"):
        at = text.find(marker)
        assert at < 0, f"the server's stderr holds a traceback:\n{text[max(0, at - 200):at + 3000]}"


VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_ISQL = shutil.which("isql-vt")
VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""
#: What the test Virtuoso lets its anonymous SPARQL user do: SPARQL Update and Graph Store writes
#: (a real deployment would give these to an authenticated user behind /sparql-auth instead).
VIRTUOSO_GRANTS = ("GRANT SPARQL_UPDATE TO \"SPARQL\";\n"
                   "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);\n"
                   "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('SPARQL', 7);\n")


def start_virtuoso(folder: Path) -> tuple[subprocess.Popen, str]:
    """Start Debian's Virtuoso 7 in the foreground on free loopback ports, with its own data folder
    and ini, anonymous SPARQL Update allowed; returns the process and its query URL (``/sparql``)."""
    if not (VIRTUOSO and VIRTUOSO_ISQL):
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=http))
    process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http}/sparql"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"virtuoso-t exited: {log}")
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            time.sleep(0.3)
    else:
        stop_process(process)
        raise RuntimeError("Virtuoso did not answer within 120 s")
    try:
        virtuoso_sql(folder, VIRTUOSO_GRANTS)
    except RuntimeError:
        stop_process(process)
        raise
    return process, url


def virtuoso_sql(folder: Path, script: str, *, timeout: float = 300) -> str:
    """Run an SQL ``script`` with ``isql-vt`` as ``dba`` on the Virtuoso that ``start_virtuoso(folder)``
    started (its SQL port read from the folder's ini); returns what isql printed."""
    port = re.search(r"^ServerPort = 127\.0\.0\.1:(\d+)", (folder / "virtuoso.ini").read_text(), re.M).group(1)
    done = subprocess.run([VIRTUOSO_ISQL, port, "dba", "dba"], input=script, text=True, capture_output=True,
                          timeout=timeout)
    if done.returncode or "*** Error" in done.stdout:
        raise RuntimeError(f"isql-vt failed: {done.stdout}{done.stderr}")
    return done.stdout
