"""Standards: ontology/aseankg.ttl is OWL 2 DL by the OWL API's profile checker and leaves OWL 2 RL only
where the README says; the seed articles' dump with the ontology is consistent for HermiT and Pellet.

Needs Java 17 (``javac``, ``java``), Debian's OWL API 5 (``libowlapi-java``, jars in /usr/share/java)
and owlready2 (the test extra: only for the HermiT and Pellet jars it ships, run here with the
machine's Java). A test skips, saying what is missing, where one of these is."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ASEANKG, seed_store_folder
from rdflib import OWL, RDFS

from aseankg import settings

JAVA_DIR = Path("/usr/share/java")
#: The OWL API and the jars it loads (libowlapi-java's dependencies; slf4j-nop keeps it quiet).
OWLAPI_JARS = ["owlapi-distribution", "guava", "caffeine", "commons-io", "commons-rdf-api", "hppcrt", "jsr305",
               "atinject-jsr330-api", "xz", "slf4j-api", "slf4j-nop", "rdf4j-model-api", "rdf4j-model",
               "rdf4j-rio-api", "rdf4j-util"]
CHECKER = Path(__file__).parent / "java" / "ProfileCheck.java"
AKG = settings.ONTOLOGY_NS
XSD = "http://www.w3.org/2001/XMLSchema#"
#: The datatypes outside OWL 2 RL (and outside the OWL 2 datatype map) that the ontology uses.
DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear", AKG + "DateOrYearMonthOrYear"}
REASONERS = ["hermit", "pellet"]


def java_tool(name: str) -> str:
    """``java`` or ``javac`` on the PATH, else skip."""
    found = shutil.which(name)
    if not found:
        pytest.skip(f"Java's {name} is not installed (Debian: openjdk-17-jdk-headless)")
    return found


@pytest.fixture(scope="module")
def profile_checker(tmp_path_factory) -> list[str]:
    """The java command that runs tests/java/ProfileCheck.java, compiled here against Debian's OWL API."""
    java, javac = java_tool("java"), java_tool("javac")
    jars = [JAVA_DIR / f"{name}.jar" for name in OWLAPI_JARS]
    missing = [jar.name for jar in jars if not jar.exists()]
    if missing:
        pytest.skip(f"Debian's OWL API is not installed (apt-get install libowlapi-java): no {', '.join(missing)}")
    classes = tmp_path_factory.mktemp("profilecheck")
    classpath = os.pathsep.join(map(str, jars))
    subprocess.run([javac, "-d", str(classes), "-cp", classpath, str(CHECKER)], check=True, timeout=120)
    return [java, "-cp", os.pathsep.join([str(classes), classpath]), "ProfileCheck"]


def profile_violations(checker: list[str], *profiles: str) -> dict[str, list[tuple[str, str]]]:
    """Profile → its violations of ontology/aseankg.ttl as (violation class, axiom), from ProfileCheck."""
    done = subprocess.run([*checker, ",".join(profiles), str(settings.ONTOLOGY)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    found: dict[str, list[tuple[str, str]]] = {p: [] for p in profiles}
    counts = {}
    for line in done.stdout.splitlines():
        profile, rest = line.split("\t", 1)
        if rest.startswith("violations: "):
            counts[profile] = int(rest.split(": ")[1])
        else:
            kind, axiom, _message = rest.split("\t")
            found[profile].append((kind, axiom))
    assert counts == {p: len(v) for p, v in found.items()}, done.stdout  # every violation was read
    return found


def test_the_ontology_is_owl2_dl(profile_checker):
    """The OWL API's OWL 2 DL profile (Profiles.OWL2_DL) finds no violation."""
    assert profile_violations(profile_checker, "DL") == {"DL": []}


def rl_kind(kind: str, axiom: str) -> str:
    """Which of the README's three ways out of OWL 2 RL an RL violation is, or 'other'."""
    if kind == "UseOfNonSuperClassExpression" and "ObjectHasSelf(" in axiom:
        return "hasSelf"
    if kind == "UseOfNonSuperClassExpression" and re.match(r"(Object|Data)Property(Domain|Range)\(\S+ ObjectUnionOf\(",
                                                           axiom):
        return "union"
    named = {XSD + m for m in re.findall(r"\bxsd:(\w+)", axiom)} | set(re.findall(r"<([^>]+)>", axiom))
    datatypes = {n for n in named if n.startswith(XSD) or n.endswith("DateOrYearMonthOrYear")}
    if kind in {"UseOfIllegalDataRange", "UseOfIllegalAxiom"} and datatypes and datatypes <= DATE_TYPES:
        return "dates"
    return "other"


def subject_of(axiom: str) -> str:
    """The first IRI of an axiom: the property of a domain or range, the class of a subclass axiom."""
    return re.search(r"\(<([^>]+)>", axiom).group(1)


def test_the_ontology_leaves_owl2_rl_only_where_the_readme_says(profile_checker, ontology):
    """README, "Standards": outside OWL 2 RL are only the hasSelf restriction behind akg:chaired, the
    domains and ranges that are unions of classes, and the date datatypes; the rest is OWL 2 RL."""
    by_kind: dict[str, set[str]] = {}
    for kind, axiom in profile_violations(profile_checker, "RL")["RL"]:
        which = rl_kind(kind, axiom)
        by_kind.setdefault(which, set()).add(axiom if which == "other" else subject_of(axiom))
    assert "other" not in by_kind, by_kind.get("other")
    assert by_kind["hasSelf"] == {AKG + "ChairingParticipation"}
    unions = {str(p) for rel in (RDFS.domain, RDFS.range) for p, c in ontology.subject_objects(rel)
              if (c, OWL.unionOf, None) in ontology}
    assert by_kind["union"] == unions and len(unions) == 10
    dated = {str(p) for p, d in ontology.subject_objects(RDFS.range) if str(d) in DATE_TYPES}
    assert by_kind["dates"] == dated | {AKG + "DateOrYearMonthOrYear"}


# --- consistency: HermiT and Pellet as owlready2 ships them ----------------------------------------

@pytest.fixture(scope="module")
def reasoners() -> dict[str, list[str]]:
    """Reasoner name → the java command that checks the consistency of the file appended to it."""
    java = java_tool("java")
    spec = importlib.util.find_spec("owlready2")
    if spec is None:
        pytest.skip("owlready2 is not installed (pip install -e '.[test]'): it ships HermiT and Pellet")
    home = Path(spec.submodule_search_locations[0])
    hermit = os.pathsep.join([str(home / "hermit"), str(home / "hermit" / "HermiT.jar")])  # owlready2's own order
    pellet = os.pathsep.join(sorted(str(jar) for jar in (home / "pellet").glob("*.jar")))
    return {
        # HermiT knows only the OWL 2 datatype map: without the flag it stops at xsd:gYear; with it,
        # xsd:date, gYearMonth and gYear are opaque datatypes (their values are not checked).
        "hermit": [java, "-Xmx1g", "-cp", hermit, "org.semanticweb.HermiT.cli.CommandLine", "-k",
                   "--ignoreUnsupportedDatatypes"],
        # Pellet's own OWL API loader: owlready2's Jena loader (0.50, 0.51) has a class built for Java 25.
        "pellet": [java, "-Xmx1g", "-cp", pellet, "pellet.Pellet", "consistency", "--loader", "OWLAPIv3"],
    }


def verdict(command: list[str], name: str, path: Path) -> tuple[bool, str]:
    """Whether reasoner ``name`` finds the ontology in ``path`` consistent, and what it said; fails
    when it says neither (a Java error, a file it cannot read)."""
    done = subprocess.run([*command, path.as_uri() if name == "hermit" else str(path)], capture_output=True,
                          text=True, timeout=300)
    said = (done.stdout + done.stderr)[-2000:]
    if name == "hermit":
        if done.returncode == 0 and "owl#Thing is satisfiable" in done.stdout:
            return True, said
        assert "InconsistentOntologyException" in done.stderr, said
        return False, said
    assert done.returncode == 0 and "Consistent: " in done.stdout, said
    return "Consistent: Yes" in done.stdout, said  # else "Consistent: No" and Pellet's "Reason: ..."


def with_ontology(path: Path, data: ox.Store | None = None) -> Path:
    """ontology/aseankg.ttl plus ``data``'s triples (every graph's, the dump's copy of the ontology
    left out: blank-node axioms would be there twice), as one N-Triples file at ``path``."""
    store = ox.Store()
    store.bulk_load(path=str(settings.ONTOLOGY), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    for q in data or []:
        if q.graph_name != ox.NamedNode(settings.ONTOLOGY_GRAPH):
            store.add(ox.Quad(q.subject, q.predicate, q.object))
    ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), output=str(path),
                 format=ox.RdfFormat.N_TRIPLES)
    return path


@pytest.fixture(scope="module")
def seed_dump(tmp_path_factory) -> Path:
    """The five seed articles built into a store and dumped with ``aseankg dump``, plus the ontology."""
    folder = tmp_path_factory.mktemp("standards")
    store = seed_store_folder(folder / "store")
    dump = folder / "kg.nq"
    subprocess.run([str(ASEANKG), "dump", "--store", store, "--format", "nquads", "-o", str(dump)], check=True,
                   capture_output=True, timeout=300)
    data = ox.Store()
    data.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    return with_ontology(folder / "ontology-and-dump.nt", data)


@pytest.mark.parametrize("name", REASONERS)
def test_hermit_and_pellet_find_the_seed_dump_consistent(name, reasoners, seed_dump):
    """What made Pellet call it inconsistent before is in the dump: a language-tagged theme, and
    dates of all three kinds."""
    text = seed_dump.read_text(encoding="utf-8")
    assert re.search(rf'<{AKG}theme> "[^"]+"@en', text)
    for datatype in ("date", "gYearMonth", "gYear"):
        assert f'"^^<{XSD}{datatype}>' in text, datatype
    ok, said = verdict(reasoners[name], name, seed_dump)
    assert ok, said


CHAIR = "<https://w3id.org/aseankg/id/chairmanship/x>"
ARTICLE = "<https://w3id.org/aseankg/id/article/0123456789abcdef>"
PREFIXES = f"@prefix akg: <{AKG}> . @prefix schema: <https://schema.org/> . @prefix xsd: <{XSD}> .\n"
#: (case, Turtle, whether HermiT finds it consistent, whether Pellet does): the reasoners read the
#: datatypes as the README says, and do find an inconsistency when there is one.
CONTROLS = [
    ("text-with-and-without-language", f'{CHAIR} akg:theme "Inclusivity"@en, "Inclusivity" . '
     f'{ARTICLE} schema:headline "ASEAN meets"@en .', True, True),
    ("dates-of-each-kind", f'{ARTICLE} schema:datePublished "2025-07-09"^^xsd:date . '
     f'{CHAIR} akg:year "2025"^^xsd:gYear .', True, True),
    ("disjoint-classes", f"{ARTICLE} a akg:Article, akg:Person .", False, False),
    ("a-number-as-theme", f"{CHAIR} akg:theme 5 .", False, False),
    # HermiT reads xsd:date and xsd:gYear as opaque datatypes: only Pellet sees a year is not a date.
    ("a-year-as-publication-date", f'{ARTICLE} schema:datePublished "2025"^^xsd:gYear .', True, False),
]


@pytest.mark.parametrize("name", REASONERS)
@pytest.mark.parametrize(("case", "turtle", "hermit", "pellet"), CONTROLS, ids=[c[0] for c in CONTROLS])
def test_the_reasoners_read_small_graphs_as_the_readme_says(name, case, turtle, hermit, pellet, reasoners, tmp_path):
    data = ox.Store()
    data.load(PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
    path = with_ontology(tmp_path / f"{case}.nt", data)
    ok, said = verdict(reasoners[name], name, path)
    assert ok == {"hermit": hermit, "pellet": pellet}[name], said

