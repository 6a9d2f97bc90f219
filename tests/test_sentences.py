"""Sentence splitting: where sentences end, where they must not, and that no text is lost."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aseankg import settings as aseankg_settings
from aseankg.reading import read_file
from aseankg.sentences import split_sentences


def texts(body):
    return [s.text for s in split_sentences(body)]


@pytest.mark.parametrize("text", [
    "The U.S. Secretary of State met ASEAN ministers in Vientiane.",
    "Dr. Vivian Balakrishnan chaired the meeting.",
    "Mr. Bui Thanh Son attended the retreat.",
    "H.E. Jurin Laksanawisit chaired the 51st AEM.",
    "The plan was listed as No. 5 on the agenda.",
    "The summit opened on Jan. 20 in Kuala Lumpur.",
    "Delegates visited St. Petersburg after the talks.",
    "The report was written by J. Smith and K. Lee of the secretariat.",
    "Growth was 1.5 percent, down from 4.8 percent.",
    "“We will continue... together with our partners,” the minister said.",
    "“We will continue... Together we are stronger,” the minister said.",
    "Trade grew at 5.2% a year, i.e. faster than expected.",
    "1. Regional and global developments",
    "The Lao PDR is the Country Coordinator for the ASEAN-U.S. Dialogue Relations.",
])
def test_no_split_inside(text):
    assert texts(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("The meeting opened. Ministers spoke.", ["The meeting opened.", "Ministers spoke."]),
    ("Could you tell us about the results? Taking place over 4 days, it left many marks.",
     ["Could you tell us about the results?", "Taking place over 4 days, it left many marks."]),
    ("He said: “ASEAN must act together.” The talks then closed.",
     ["He said: “ASEAN must act together.”", "The talks then closed."]),
    ("“Is this the right time?” The minister paused.", ["“Is this the right time?”", "The minister paused."]),
    ("What next? “We wait,” she said.", ["What next?", "“We wait,” she said."]),
    ("Relations with the U.S. The talks covered trade.",
     ["Relations with the U.S.", "The talks covered trade."]),
    ("The summit ended. 2025 marks the 30th anniversary.",
     ["The summit ended.", "2025 marks the 30th anniversary."]),
    ("They met in 2019 (in Bangkok.) Then they left.", ["They met in 2019 (in Bangkok.)", "Then they left."]),
    ("Countries such as the US, China, Japan... Vietnam will lead the delegation.",
     ["Countries such as the US, China, Japan...", "Vietnam will lead the delegation."]),
    ("The target was met in 2019. 2. Trade grew.", ["The target was met in 2019.", "2. Trade grew."]),
    ("The agenda was No. Ten on the list. It passed.",
     ["The agenda was No.", "Ten on the list.", "It passed."]),
])
def test_split_at(text, expected):
    assert texts(text) == expected


def test_never_across_paragraphs():
    body = "The meeting closed with no statement\n\nThe next one is in October."
    assert texts(body) == ["The meeting closed with no statement", "The next one is in October."]
    body = "A question without an answer?\n\nthe next paragraph starts in lower case"
    assert len(split_sentences(body)) == 2


def test_offsets_point_into_body():
    body = "  First sentence here.   Second one!\n\n\nThird?  "
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == ["First sentence here.", "Second one!", "Third?"]
    assert all(body[s.start:s.end] == s.text for s in sentences)


def test_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \n") == []


def test_seed_quotation_ends_a_sentence():
    article = read_file(aseankg_settings.ARTICLES_DIR / "002_3936f493bb5b3000.txt")[0]
    assert ("From there, ASEAN learned how to cooperate, together maintain peace and develop prosperity.”"
            in [s.text for s in article.sentences])


def _check_covers(body):
    sentences = split_sentences(body)
    for s in sentences:
        assert body[s.start:s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert not re.search(r"\n\s*\n", s.text)
    assert all(b.start >= a.end for a, b in zip(sentences, sentences[1:], strict=False))
    # every non-space character of the body is in exactly one sentence, in order
    assert "".join("".join(s.text.split()) for s in sentences) == "".join(body.split())


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_loses_text(body):
    _check_covers(body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Dr.", "U.S.", "No.", "5", "J.", "Smith", "...", "…", "?", "!", "“", "”",
                                 '"', "The", "said", "1.5", ".", " ", "\n", "\n\n", "etc.", "a", "(", ")"]),
                max_size=40))
def test_never_loses_text_with_tricky_tokens(tokens):
    _check_covers(" ".join(tokens))
