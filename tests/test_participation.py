"""Participation constructions (aseankg.extraction.participation), each with sentences in the styles
of more than one outlet, lists on both sides, modality, and the rule recorded with each fact."""

from __future__ import annotations

import pytest
from rdflib import Literal

from aseankg.extraction import extract
from aseankg.extraction.participation import CONSTRUCTIONS
from aseankg.rdf import AKG, article_graph
from aseankg.reading import parse_text


def facts(text: str, date: str = "2024-10-12"):
    """(person slug, meeting slug, capacity, rule, upcoming) of every participation in ``text``."""
    ex = extract(parse_text(f"Date: {date}\n\n{text}"))
    return {(x.participant.rsplit("/", 1)[1], x.meeting.rsplit("/", 1)[1], x.capacity, x.rule, x.upcoming)
            for x in ex.participations}


def pairs(text: str, date: str = "2024-10-12"):
    return {(p, m) for p, m, *_ in facts(text, date)}


def meetings(text: str, date: str = "2024-10-12"):
    return [(m.iri.rsplit("/", 1)[1], m.label) for m in extract(parse_text(f"Date: {date}\n\n{text}")).meetings]


def test_every_construction_is_named_and_documented():
    assert set(CONSTRUCTIONS) == {"roster-list", "verb", "verb-object", "chair-title", "roster", "at-meeting"}
    for name, fn in CONSTRUCTIONS.items():
        assert fn.__doc__, name


@pytest.mark.parametrize("text", [
    # VNA style: title, name, verb, numbered meeting with its acronym
    "Prime Minister Pham Minh Chinh attended the 44th ASEAN Summit in Vientiane on October 9.",
    # Bernama style: a list of two subjects
    "Prime Minister Anwar Ibrahim and Prime Minister Pham Minh Chinh attended the 44th ASEAN Summit.",
])
def test_verb_with_subject(text):
    assert ("pham-minh-chinh", "asean-summit-44") in pairs(text)


def test_subject_list_shares_the_verb():
    got = pairs("Indonesian President Joko Widodo, Philippine President Ferdinand Marcos Jr. and Thai Prime "
                "Minister Srettha Thavisin took part in the 43rd ASEAN Summit in Jakarta.", "2023-09-06")
    assert {p for p, _ in got} >= {"joko-widodo", "srettha-thavisin"}
    assert {m for _, m in got} == {"asean-summit-43"}


def test_passive_chair():
    got = facts("The 57th ASEAN Foreign Ministers' Meeting was chaired by Lao Foreign Minister "
                "Saleumxay Kommasith.", "2024-07-26")
    assert ("saleumxay-kommasith", "amm-57", "Chair", "passive-verb", False) in got


@pytest.mark.parametrize(("text", "date"), [
    # Xinhua style: "as chair of the meeting" with a meeting named one sentence before
    ("Officials taking part in the 25th ASEAN Economic Community Council (AECC) Meeting discussed trade. "
     "In his remarks as chair of the meeting, Malaysian Minister Tengku Zafrul Aziz said cooperation "
     "must deepen.", "2025-05-25"),
    # ASEAN Secretariat style: the chair title in an apposition
    ("This was stressed by Dr Tedros Nguyen, Minister of Health of Viet Nam and Chair of the 9th "
     "ASEAN Plus Three Health Ministers' Meeting (APTHMM).", "2023-05-14"),
])
def test_chair_title(text, date):
    got = facts(text, date)
    assert any(cap == "Chair" and rule == "chair-title" for _, _, cap, rule, _ in got), got


def test_chair_of_a_task_force_is_not_a_meeting_chair():
    got = facts("Viet Nam, Chair of the IAI Task Force, hosted a reception.", "2024-03-01")
    assert not any(cap == "Chair" for _, _, cap, _, _ in got)


@pytest.mark.parametrize("text", [
    # a copular list (Bernama)
    "The 56th ASEAN Economic Ministers' Meeting opened in Vientiane on Tuesday. The ministers are "
    "Cambodia's Minister of Commerce Cham Nimul, Indonesia's Minister of Trade Zulkifli Hasan and "
    "Malaysia's Minister of Investment, Trade and Industry Tengku Zafrul Aziz.",
    # a photo caption (Manila Bulletin / Philstar style)
    "The 56th ASEAN Economic Ministers' Meeting opened in Vientiane on Tuesday. In photo are (L-R) "
    "Cambodian Minister of Commerce Cham Nimul, Indonesian Minister of Trade Zulkifli Hasan and "
    "Malaysian Minister Tengku Zafrul Aziz.",
])
def test_roster(text):
    got = facts(text, "2024-09-21")
    assert {(p, rule) for p, _, _, rule, _ in got} >= {("cham-nimul", "roster"), ("zulkifli-hasan", "roster")}
    assert {m for _, m, *_ in got} == {"aem-56"}


def test_roster_needs_a_group_noun_as_its_head():
    got = facts("The 56th ASEAN Economic Ministers' Meeting opened in Vientiane on Tuesday. Senior officials "
                "playing golf are Cambodian Director Sok Chenda and Malaysian Director Abdul Rahman Mamat.",
                "2024-09-21")
    assert not any(rule == "roster" for *_, rule, _ in got)


def test_roster_list_after_a_heading():
    text = ("Top diplomats to visit Manila\n\n"
            "Foreign ministers will meet at the 50th ASEAN Foreign Ministers' Meeting (AMM) on Saturday "
            "and the 24th ASEAN Regional Forum (ARF) on Monday.\n\n"
            "The following are the ASEAN foreign ministers:\n\n"
            "Prak Sokhonn - Cambodia\n\nRetno Marsudi - Indonesia\n\n"
            "Watch: the member states of ASEAN\n\n"
            "The following are non-ASEAN members of the ARF:\n\n"
            "Julie Bishop - Australia\n\nAbul Hassan Mahmood Ali - Bangladesh\n\n"
            "Smt. Sushma Swaraj - India\n\nRi Yong-ho - North Korea\n\n"
            "ASEAN Secretary-General Le Luong Minh will be present at the meetings.\n\n"
            "The bloc will also discuss the Korean Peninsula.")
    got = pairs(text, "2017-07-31")
    # a list runs on past an abbreviation split off as a sentence, and takes hyphenated names
    assert {("sushma-swaraj", "arf-24"), ("ri-yong-ho", "arf-24")} <= got
    # "the meetings": every meeting the last sentence naming meetings named
    assert {("le-luong-minh", "amm-50"), ("le-luong-minh", "arf-24")} <= got
    assert {("prak-sokhonn", "amm-50"), ("prak-sokhonn", "arf-24"), ("retno-marsudi", "amm-50")} <= got
    # the second list is of the meeting its heading names
    assert ("julie-bishop", "arf-24") in got and ("julie-bishop", "amm-50") not in got
    assert ("abul-hassan-mahmood-ali", "arf-24") in got


def test_related_meetings_extend_to_the_summits_of_the_article():
    text = ("Prime Minister Lee Hsien Loong will attend the 38th and 39th ASEAN Summits and related summits "
            "from Oct 26 to 28. The leaders will also meet their counterparts at the 24th ASEAN Plus Three "
            "Summit and the 16th East Asia Summit. The decision was made at the Emergency ASEAN Foreign "
            "Ministers' Meeting on Oct 15.")
    got = facts(text, "2021-10-25")
    lee = {(m, rule) for p, m, _, rule, _ in got if p == "lee-hsien-loong"}
    assert {("asean-summit-38", "verb"), ("asean-summit-39", "verb")} <= lee
    assert {("apt-summit-24", "related-meetings"), ("eas-16", "related-meetings")} <= lee
    assert not any(m.startswith("amm") for m, _ in lee)  # a ministerial meeting is not a related summit


@pytest.mark.parametrize(("text", "upcoming"), [
    ("Prime Minister Hun Manet will attend the 45th ASEAN Summit in Vientiane.", True),
    ("Prime Minister Hun Manet is expected to attend the 45th ASEAN Summit in Vientiane.", True),
    ("Prime Minister Hun Manet attended the 45th ASEAN Summit in Vientiane.", False),
])
def test_modality_is_recorded(text, upcoming):
    got = facts(text)
    assert {(p, up) for p, _, _, _, up in got} == {("hun-manet", upcoming)}


@pytest.mark.parametrize("text", [
    "Senior General Min Aung Hlaing is expected to be absent from the 38th ASEAN Summit.",
    "President Rodrigo Duterte did not attend the 35th ASEAN Summit in Bangkok.",
])
def test_negation_gives_no_participation(text):
    assert not pairs(text, "2021-10-25")


def test_person_hosting_a_meeting_took_part():
    got = pairs("Prime Minister Anwar Ibrahim is hosting the leaders for the 46th ASEAN Summit in "
                "Kuala Lumpur on Monday.", "2025-05-25")
    assert ("anwar-ibrahim", "asean-summit-46") in got


@pytest.mark.parametrize(("text", "expected"), [
    # TASS / Xinhua style: the partner first
    ("Russian President Vladimir Putin opened the Russia-ASEAN summit in Sochi on Thursday.",
     {"ASEAN-Russia Summit"}),
    ("Prime Minister Narendra Modi will attend the India-ASEAN Summit in Jakarta.", {"ASEAN-India Summit"}),
    # a bracketed acronym between the mechanism and the body, lower-case plural body (CNA style)
    ("Lee will attend the 38th and 39th Association of Southeast Asian Nations (ASEAN) summits.",
     {"38th ASEAN Summit", "39th ASEAN Summit"}),
    # partner meetings listed after "with"
    ("Leaders will also hold summits with Australia, Japan and the United States.",
     {"ASEAN-Australia Summit", "ASEAN-Japan Summit", "ASEAN-United States Summit"}),
    # a list of ASEAN-partner names sharing one body (Kyodo / VNA style)
    ("Abe attended the ASEAN-China, ASEAN-Japan and ASEAN-Republic of Korea Summits in Bandar Seri Begawan.",
     {"ASEAN-China Summit", "ASEAN-Japan Summit", "ASEAN-Republic of Korea Summit"}),
    # a lower-case qualifier (The Scoop / Bernama)
    ("The Sultan will join other leaders for a special ASEAN summit on COVID-19.", {"Special ASEAN Summit"}),
])
def test_meeting_names(text, expected):
    assert {label for _, label in meetings(text, "2016-05-19")} == expected


def test_a_title_is_not_a_meeting():
    assert not meetings("Permanent Secretary and ASEAN-Myanmar SOM Leader U Chan Aye spoke.", "2023-08-01")


def test_rule_and_status_reach_the_graph():
    ex = extract(parse_text("Date: 2024-10-12\n\nPrime Minister Hun Manet will attend the 45th ASEAN Summit."))
    g = article_graph(ex)
    node = next(g.subjects(AKG.participant, None))
    assert g.value(node, AKG.extractionRule) == Literal("verb")
    assert g.value(node, AKG.reportedStatus) == AKG.Upcoming


def test_meetings_and_chairmanships_record_their_construction():
    ex = extract(parse_text("Date: 2022-11-13\n\nHeadline\n\nLeaders attended the 40th ASEAN Summit and the "
                            "ASEAN-China, ASEAN-Japan and ASEAN-Republic of Korea Summits. Prime Minister Hun Sen "
                            "handed over the ASEAN Chairmanship to Indonesia for 2023."))
    rules = {m.iri.rsplit("/", 1)[1].rsplit("-", 1)[0]: m.rules for m in ex.meetings}
    assert rules["asean-summit"] == {"series-name"}
    assert rules["asean-china-summit"] == {"shared-body-list"}
    assert rules["asean-republic-of-korea-summit"] == {"mechanism-body"}
    assert [(c.year, c.rule) for c in ex.chairmanships] == [(2023, "gavel-handover")]
    g = article_graph(ex)
    assert {str(o) for o in g.objects(None, AKG.extractionRule)} >= {"series-name", "shared-body-list",
                                                                     "gavel-handover"}


@pytest.mark.parametrize(("text", "work"), [
    ("Ministers adopted the 7th APTHMM Joint Statement.", "7th APTHMM Joint Statement"),
    ("ASEAN leaders adopted the Chair's Statement of the 48th ASEAN Summit in Cebu.",
     "Chair's Statement of the 48th ASEAN Summit"),
    ("The 58th AMM Joint Communiqué was issued on Friday.", "58th AMM Joint Communiqué"),
])
def test_a_meeting_names_its_own_statement(text, work):
    ex = extract(parse_text(f"Date: 2025-07-11\n\nHeadline\n\n{text}"))
    assert [w.label for w in ex.works] == [work]
    assert ex.meetings  # the meeting is still read as a meeting


@pytest.mark.parametrize(("text", "label"), [
    # Business Standard / domain-b style
    ("The commemorative summit marking 25 years of India's ties with the Association of Southeast Asian "
     "Nations is to start in New Delhi on Thursday.", "Commemorative ASEAN-India Summit"),
    # Kyodo / Japan Times style
    ("Leaders will hold a special summit celebrating 50 years of ASEAN-Japan friendship in Tokyo.",
     "Special ASEAN-Japan Summit"),
])
def test_a_qualified_summit_takes_its_partner_from_the_phrase_after_it(text, label):
    assert [lab for _, lab in meetings(text, "2018-01-24")] == [label]


def test_arrivals_for_a_summit_are_a_roster():
    text = ("The countdown to the commemorative summit marking 25 years of India's ties with ASEAN has begun. "
            "The first to arrive today was Vietnam Prime Minister Nguyen Xuan Phuc, followed by Cambodia Prime "
            "Minister Hun Sen and Philippines President Rodrigo Duterte.")
    got = facts(text, "2018-01-24")
    assert {(p, rule) for p, _, _, rule, _ in got} == {
        ("nguyen-xuan-phuc", "roster"), ("hun-sen", "roster"), ("rodrigo-duterte", "roster")}


def test_a_meeting_of_a_body_is_that_bodys_series():
    # ASEAN Secretariat style: the spelled-out "Meeting of ... Council" and "the 32nd ASCC Council" are one meeting
    text = ("The Thirty-Second Meeting of ASEAN Socio-Cultural Community (ASCC) Council was held on 26 September "
            "in Vientiane. Outcome documents were endorsed at the 32nd ASCC Council.")
    assert [m for m, _ in meetings(text, "2024-09-26")] == ["ascc-council-32"]


def test_a_list_of_meetings_each_with_its_day_is_one_list():
    # CNN Philippines style: "in the X on Saturday, and in the Y on Monday" ... "the meetings"
    text = ("Ministers will discuss the sea in the 50th ASEAN Foreign Ministers' Meeting on Saturday, and in the "
            "24th ASEAN Regional Forum on Monday. Secretary-General Le Luong Minh will be present at the meetings.")
    got = facts(text, "2017-07-31")
    assert {(m, up) for p, m, _, _, up in got if p == "le-luong-minh"} == {("amm-50", True), ("arf-24", True)}
    dates = {m.iri.rsplit("/", 1)[1]: m.start for m in extract(parse_text(f"Date: 2017-07-31\n\nH\n\n{text}")).meetings}
    assert dates == {"amm-50": "2017-08-05", "arf-24": "2017-08-07"}  # each keeps its own day
