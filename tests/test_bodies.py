"""National bodies named in full (aseankg.extraction.bodies): sentences in the styles of several
outlets, their country from the name, the words around it or the dateline, and the graph they make."""

from __future__ import annotations

import pytest

from aseankg.extraction import extract
from aseankg.rdf import AKG, article_graph
from aseankg.reading import read_file


def bodies(tmp_path, body: str, date: str = "2021-10-25"):
    path = tmp_path / "article.txt"
    path.write_text(f"Headline\nDate: {date}\n\n{body}\n", encoding="utf-8")
    (article,) = read_file(path)
    ex = extract(article)
    return ex, {(b.iri.rsplit("/", 1)[1], b.label) for b in ex.bodies}


@pytest.mark.parametrize(("body", "expected"), [
    # CNA style: a possessive country, an acronym in brackets
    ("Singapore supported the decision, Singapore's Ministry of Foreign Affairs (MFA) said on Oct 16.",
     ("sgp-ministry-of-foreign-affairs", "Ministry of Foreign Affairs (Singapore)")),
    # Bernama style: the portfolio before the head noun
    ("Malaysia's International Trade and Industry Ministry secretary-general Abdul Rahman Mamat was there.",
     ("mys-international-trade-and-industry-ministry", "International Trade and Industry Ministry (Malaysia)")),
    # a demonym inside the name (The Star style)
    ("The Malaysian Industrial Development Authority said investment grew.",
     ("mys-industrial-development-authority", "Malaysian Industrial Development Authority (Malaysia)")),
    # the country after the name (VNA style)
    ("The Ministry of Foreign Affairs of Viet Nam said the talks went well.",
     ("vnm-ministry-of-foreign-affairs", "Ministry of Foreign Affairs (Viet Nam)")),
])
def test_a_body_and_its_country(tmp_path, body, expected):
    assert expected in bodies(tmp_path, body)[1]


def test_the_dateline_gives_the_country_of_a_body_named_alone(tmp_path):
    # CNN Philippines / PNA style: "MANILA -" and "the DFA" with no country in the sentence
    _, got = bodies(tmp_path, "MANILA, July 31 (PNA) -- Ministers will meet on Saturday, according to the "
                              "Department of Foreign Affairs (DFA).")
    assert ("phl-department-of-foreign-affairs", "Department of Foreign Affairs (Philippines)") in got


def test_no_country_no_body(tmp_path):
    # a national body whose country nothing says is not guessed
    assert bodies(tmp_path, "The Ministry of Foreign Affairs said the talks went well.")[1] == set()


@pytest.mark.parametrize("body", [
    "Minister of Foreign Affairs Bui Thanh Son attended the meeting.",  # a title, not a ministry
    "The Ministry said the talks went well.",  # a reference, not a name
    "Singapore's country office said nothing.",  # not capitalised: not a name
])
def test_not_a_body(tmp_path, body):
    assert bodies(tmp_path, body)[1] == set()


def test_one_body_however_written_and_its_graph(tmp_path):
    ex, got = bodies(tmp_path, "The Singapore Ministry of Foreign Affairs said on Monday that Singapore's "
                               "Ministry of Foreign Affairs (MFA) supported it.")
    assert {iri for iri, _ in got} == {"sgp-ministry-of-foreign-affairs"}
    g = article_graph(ex)
    node = next(s for s in g.subjects(AKG.inCountry, None) if "/org/" in str(s))
    assert str(g.value(node, AKG.inCountry)).endswith("/country/SGP")
    assert {str(a) for a in g.objects(node, None) if getattr(a, "language", None) == "en"} >= {"MFA"}
