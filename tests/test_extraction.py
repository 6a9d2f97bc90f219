"""Extraction: each pattern on real sentences from ASEAN news (the seeds and other outlets)."""

from datetime import date

import pytest

from aseankg import naming
from aseankg.extraction import extract
from aseankg.model import Article
from aseankg.reading import parse_text
from aseankg.sentences import split_sentences


def run(text: str, published: date | None = date(2025, 7, 3)):
    """Extraction from ``text`` as an article body (the reader's cleaning is tested elsewhere)."""
    return extract(Article(naming.content_hash(text), text, source_file="test.txt", published=published,
                           sentences=split_sentences(text)))


def meeting(ex, key: str):
    found = [m for m in ex.meetings if m.iri.endswith("/meeting/" + key)]
    assert found, f"no meeting {key} in {[m.iri for m in ex.meetings]}"
    return found[0]


def person(ex, name: str):
    found = [p for p in ex.persons if naming.fold(p.label) == naming.fold(name)]
    assert found, f"no person {name} in {[p.label for p in ex.persons]}"
    return found[0]


def capacities(ex) -> set[tuple[str, str, str]]:
    return {(x.participant.rsplit("/", 1)[1], x.meeting.rsplit("/", 1)[1], x.capacity) for x in ex.participations}


# -- meetings: series, ordinals, acronyms ------------------------------------------------------------

@pytest.mark.parametrize("text,key", [
    ("The 58th ASEAN Foreign Ministers' Meeting (AMM 58) and related meetings will take place in Kuala Lumpur.",
     "amm-58"),
    ("AMM-58 officially opened at the Kuala Lumpur Convention Center.", "amm-58"),
    ("Ministers gathered for the 54th AMM in Jakarta.", "amm-54"),
    ("The 51st ASEAN Economic Ministers (AEM) Meeting was held in Bangkok.", "aem-51"),
    ("On Tuesday, Duterte will chair the 20th Asean Plus 3 Summit.", "apt-summit-20"),
    ("The 12th East Asia Summit (EAS) opened in Manila.", "eas-12"),
    ("the 14th East Asia Summit Foreign Ministers' Meeting will be held", "eas-fmm-14"),
    ("The 6th ADMM-Plus concluded on November 18.", "admm-plus-6"),
])
def test_meeting_series_and_ordinals(text, key):
    meeting(run(text), key)


def test_partner_meetings_are_composed_from_the_gazetteer():
    ex = run("On this occasion, the Deputy Prime Minister will also co-chair the ASEAN-New Zealand Foreign "
             "Ministers' Meeting and the 20th Asean-Japan Summit.")
    labels = {m.label for m in ex.meetings}
    assert "20th ASEAN-Japan Summit" in labels
    assert "ASEAN-New Zealand Foreign Ministers' Meeting" in labels
    assert ex.series_labels  # composed series are described in the article graph


def test_one_list_names_several_meetings():
    ex = run("On September 9 and 10, the Senior Officials Meeting (SOM) of ASEAN, ASEAN+3 (APT) and East Asia "
             "Summit (EAS) took place in Port Dickson, Malaysia.", date(2025, 9, 11))
    keys = {m.iri.rsplit("/", 1)[1] for m in ex.meetings}
    assert keys == {"asean-som-2025-09-09", "apt-som-2025-09-09", "eas-som-2025-09-09"}
    for m in ex.meetings:
        assert (m.start, m.end) == ("2025-09-09", "2025-09-10")
        assert m.host_country == naming.country_iri("MYS")
        assert m.location == naming.place_iri("port-dickson")


def test_ordinals_in_coordination():
    ex = run("This is a step towards the 44th and 45th ASEAN Summits that will take place in October this year "
             "in Vientiane, Laos.", date(2024, 7, 30))
    assert {meeting(ex, "asean-summit-44").start, meeting(ex, "asean-summit-45").start} == {"2024-10"}
    assert meeting(ex, "asean-summit-44").upcoming


@pytest.mark.parametrize("text,key", [
    # defence (Xinhua, VNA, Bernama styles; US and British spelling)
    ("JAKARTA, Nov. 15 (Xinhua) -- The 17th ASEAN Defense Ministers' Meeting (ADMM) opened here on Wednesday.",
     "admm-17"),
    ("The 10th ADMM-Plus took place in Jakarta on November 16.", "admm-plus-10"),
    ("Defence Minister Mohamed Khaled Nordin attended the 18th ADSOM-Plus in Kuala Lumpur.", "adsom-plus-18"),
    ("The 21st ASEAN Chiefs of Defence Forces Meeting (ACDFM) was held in Vientiane.", "acdfm-21"),
    ("The 12th ASEAN Defense Ministers' Meeting-Plus was held in Manila.", "admm-plus-12"),
    # economic pillar
    ("KUALA LUMPUR, Sept 24 (Bernama) -- The 57th ASEAN Economic Ministers' (AEM) Meeting begins today.",
     "aem-57"),
    ("The 25th ASEAN Economic Community Council (AECC) Meeting was held in Kuala Lumpur.", "aec-council-25"),
    ("Ministers also attended the 38th AFTA Council Meeting.", "afta-council-38"),
    ("The 27th AEM Plus Three Consultations were held in Vientiane.", "aem-plus-three-27"),
    ("The 12th EAS Economic Ministers' Meeting was held in Vientiane.", "eas-economic-ministers-meeting-12"),
    ("The 45th Meeting of the High Level Task Force on ASEAN Economic Integration (HLTF-EI) was held today.",
     "hltf-ei-meeting-45"),
    ("The 27th ASEAN+3 Finance Ministers' and Central Bank Governors' Meeting (AFMGM+3) was held in Tbilisi.",
     "afmgm-plus-three-27"),
    ("HA NOI (VNA) - The 42nd ASEAN Ministers on Energy Meeting (AMEM) opened in Vientiane.", "amem-42"),
    ("The 21st ASEAN+3 Ministers on Energy Meeting (AMEM+3) followed.", "amem-plus-three-21"),
    ("The 18th East Asia Summit Energy Ministers Meeting was held.", "eas-energy-ministers-meeting-18"),
    ("The 9th ASEAN Ministerial Meeting on Minerals (AMMin) was held.", "ammin-9"),
    ("The 24th Meeting of the ASEAN Plus Three Ministers on Agriculture and Forestry (AMAF Plus Three) ended.",
     "amaf-plus-three-24"),
    ("The 24th ASEAN Tourism Forum (ATF) was held in Vientiane.", "atf-24"),
    # socio-cultural pillar and transnational crime
    ("The 7th ASEAN Plus Three Health Ministers Meeting (APTHMM) opened in Bandar Seri Begawan.", "apthmm-7"),
    ("The 11th ASEAN Ministers Meeting on Rural Development and Poverty Eradication (AMRDPE) opened.",
     "amrdpe-11"),
    ("The 13th ASEAN Plus Three Labour Ministers' Meeting was held.", "almm-plus-three-13"),
    ("The 7th ASEAN Ministerial Meeting on Sports (AMMS) was held in Hanoi.", "amms-7"),
    ("The 8th ASEAN Ministerial Meeting on Drug Matters (AMMD) was held.", "ammd-8"),
    ("The 23rd ASEAN Senior Officials Meeting on Transnational Crime (SOMTC) was held.", "somtc-23"),
    ("The 9th ASEAN Plus Three Ministerial Meeting on Transnational Crime (AMMTC+3) was held.",
     "ammtc-plus-three-9"),
    ("The 18th ASEAN Ministerial Meeting on Science and Technology (AMMST) was held.", "ammsti-18"),
    # political-security pillar
    ("The 13th ASEAN Maritime Forum (AMF) was held in Bali.", "amf-13"),
    ("The 11th Expanded ASEAN Maritime Forum (EAMF) was held in Bali.", "eamf-11"),
    ("The 30th ASEAN Regional Forum Senior Officials' Meeting was held in Jakarta.", "arf-som-30"),
])
def test_meeting_landscape(text, key):
    meeting(run(text), key)


def test_meeting_landscape_in_a_parsed_article():
    ex = extract(parse_text(
        "VIENTIANE, Sept 20 (Bernama) -- The 56th ASEAN Economic Ministers' (AEM) Meeting and Related "
        "Meetings opened here today.\n\nOn Saturday, ministers will hold the Twenty-Seventh AEM Plus Three "
        "Consultations and the 12th EAS Economic Ministers' Meeting.\n\nMeanwhile the 42nd ASEAN Ministers "
        "on Energy Meeting (AMEM) is set for next month.", source_file="test.txt"))
    keys = {m.iri.rsplit("/", 1)[1] for m in ex.meetings}
    assert {"aem-56", "aem-plus-three-27", "eas-economic-ministers-meeting-12", "amem-42"} <= keys


def test_other_events_named_after_a_semicolon_share_the_place():
    ex = run("Officials attended the ASEAN Defence Senior Officials' Meeting and other related meetings; the "
             "21st ASEAN Chiefs of Defence Forces Meeting and the 19th ADSOM-Plus held in Vientiane, Laos.",
             date(2024, 3, 1))
    for key in ("adsom", "acdfm-21", "adsom-plus-19"):
        found = [m for m in ex.meetings if m.iri.rsplit("/", 1)[1].startswith(key)]
        assert found and found[0].location == naming.place_iri("vientiane"), key


def test_a_plus_three_meeting_is_not_composed_as_an_asean_partner():
    ex = run("The ASEAN Plus Three Commemorative Summit was held in Manila on 14 November.")
    assert [m.series.rsplit("/", 1)[1] for m in ex.meetings] == ["apt-summit"]


def test_partner_meetings_with_us_spelling():
    ex = run("The ASEAN-US Defense Ministers' Informal Meeting was held in Hawaii.")
    assert [m.label for m in ex.meetings] == ["ASEAN-United States Defence Ministers' Meeting"]


@pytest.mark.parametrize("text,key", [
    ("The Thirty-Second ASEAN Summit was held in Singapore on 28 April 2018.", "asean-summit-32"),
    ("Minister Balakrishnan attended the Fifty-Eighth ASEAN Foreign Ministers' Meeting.", "amm-58"),
    ("The Twenty-first ASEAN Summit and Related Summits were held in Phnom Penh.", "asean-summit-21"),
    ("the Twenty first ASEAN Summit", "asean-summit-21"),
    ("The Thirtieth ASEAN Summit opened in Manila.", "asean-summit-30"),
    ("The Seventeenth ASEAN Summit was held in Ha Noi.", "asean-summit-17"),
    ("Malaysia hosted the inaugural ASEAN Defence Ministers' Meeting in 2006.", "admm-1"),
])
def test_spelled_out_ordinals(text, key):
    meeting(run(text), key)


def test_spelled_out_ordinals_in_coordination():
    ex = run("The Forty-Fourth and Forty-Fifth ASEAN Summits were held in Vientiane.")
    meeting(ex, "asean-summit-44")
    meeting(ex, "asean-summit-45")


def test_a_tens_word_alone_is_no_ordinal():
    ex = run("Twenty ASEAN Summits later, the Charter was signed.")
    assert all(m.ordinal is None for m in ex.meetings)


@pytest.mark.parametrize("text,series,label", [
    ("The Special ASEAN Summit on COVID-19 was held via videoconference on 14 April.", "asean-summit",
     "Special ASEAN Summit"),
    ("Indonesia hosted the Special ASEAN Leaders' Meeting in Jakarta on Saturday.", "asean-leaders-meeting",
     "Special ASEAN Leaders' Meeting"),
    ("Ministers met at an Informal ASEAN Foreign Ministers' Meeting in New York.", "amm",
     "Informal ASEAN Foreign Ministers' Meeting"),
    ("The Special ASEAN Plus Three Summit on COVID-19 was held on 14 April.", "apt-summit",
     "Special ASEAN Plus Three Summit"),
])
def test_qualifiers_before_a_series_name(text, series, label):
    (m,) = run(text).meetings
    assert m.series.endswith("/series/" + series) and m.label == label and m.ordinal is None


def test_garbled_text_makes_no_meeting():
    ex = run("Deputy Foreign Minister Do Hung Viet attended the 3th ASEAN+25 Foreign Ministers' Meeting.")
    assert not ex.meetings


def test_a_mechanism_is_not_a_meeting():
    ex = run("After 20 years of establishment and development, EAS continues to affirm its role.")
    assert not ex.meetings


# -- dates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,published,start,end", [
    ("The 58th ASEAN Foreign Ministers' Meeting will take place from July 8-11 in Kuala Lumpur.", date(2025, 7, 3),
     "2025-07-08", "2025-07-11"),
    ("The ASEAN Summit will be held from July 31 to August 4.", date(2025, 7, 3), "2025-07-31", "2025-08-04"),
    ("The 47th ASEAN Summit will take place next October.", date(2025, 9, 11), "2025-10", None),
    ("The ASEAN Plus Three Foreign Ministers' Meeting was held on Thursday.", date(2025, 7, 11), "2025-07-10",
     "2025-07-10"),
    ("The 69th Meeting of the Initiative for ASEAN Integration (IAI) Task Force was held today.",
     date(2023, 3, 16), "2023-03-16", "2023-03-16"),
])
def test_dates_resolved_against_the_article(text, published, start, end):
    [m] = run(text, published).meetings
    assert (m.start, m.end) == (start, end)


@pytest.mark.parametrize("when", ["in ſep", "on ſeptember 9", "next ſunday", "in ſeptember"])
def test_letters_that_only_fold_to_ascii_do_not_break_dates(when):
    # "ſ" (long s) matches s under re.IGNORECASE, but "ſep".lower() is no month name: this was a KeyError
    [m] = run(f"The 47th ASEAN Summit will be held {when} in Kuala Lumpur.", date(2025, 9, 1)).meetings
    assert m.start is None or m.start.startswith("2025-09")


def test_year_less_dates_stay_unresolved_without_an_article_date():
    [m] = run("The 27th ASEAN Summit wrapped up in Kuala Lumpur on November 22.", None).meetings
    assert m.start is None and m.location == naming.place_iri("kuala-lumpur")


def test_virtual_and_held():
    ex = run("Heads of ASEAN Senior Officials' Meeting (SOM) delegations have met. At the virtual meeting held on "
             "October 7, they emphasized the importance of ASEAN Centrality.", date(2020, 10, 8))
    [m] = ex.meetings
    assert m.virtual and not m.upcoming and m.start == "2020-10-07"


# -- people ------------------------------------------------------------------------------------------

def test_title_before_name_with_posts_and_country():
    ex = run("The Vietnamese delegation, led by Deputy Foreign Minister Dang Hoang Giang, Head of SOM ASEAN "
             "Vietnam, actively participated in the 58th ASEAN Foreign Ministers' Meeting.")
    p = person(ex, "Dang Hoang Giang")
    assert p.nationality == naming.country_iri("VNM")
    posts = {h.post.rsplit("/", 1)[1] for h in ex.holdings}
    assert "vnm-deputy-foreign-minister" in posts
    assert ("dang-hoang-giang", "amm-58", "HeadOfDelegation") in capacities(ex)


def test_apposition_and_honorifics():
    ex = run("The 51st ASEAN Economic Ministers (AEM) Meeting was held in Bangkok on September 6, 2019 and chaired "
             "by H.E. Jurin Laksanawisit, Deputy Prime Minister and Minister of Commerce of Thailand.")
    p = person(ex, "Jurin Laksanawisit")
    assert p.nationality == naming.country_iri("THA")
    assert ("jurin-laksanawisit", "aem-51", "Chair") in capacities(ex)



@pytest.mark.parametrize(("line", "name", "country"), [
    ("Pehin Dato' Lim Jock Seng - Brunei Darussalam", "Lim Jock Seng", "BRN"),
    ("U Kyaw Tin - Myanmar", "Kyaw Tin", "MMR"),
    ("Datuk Seri Mustapa Mohamed – Malaysia", "Mustapa Mohamed", "MYS"),
    ("H.E. Don Pramudwinai — Thailand", "Don Pramudwinai", "THA"),
])
def test_a_list_line_gives_its_country_to_a_name_behind_an_honorific(line, name, country):
    ex = run("Ministers will meet at the 50th ASEAN Foreign Ministers' Meeting on Saturday.\n\n"
             f"The following are the ministers:\n\nProk Sokhonn - Cambodia\n\n{line}\n\n"
             "The bloc will also discuss the Korean Peninsula.", date(2017, 7, 31))
    assert person(ex, name).nationality == naming.country_iri(country)


@pytest.mark.parametrize("sentence", [
    "Authorized by Minister of Foreign Affairs Bui Thanh Son, Deputy Foreign Minister Do Hung Viet, Head of "
    "Vietnam's ASEAN SOM attended the 57th ASEAN Foreign Ministers' Meeting in Vientiane.",
    "Deputy Foreign Minister Do Hung Viet, Head of Vietnam ASEAN SOM at the 57th ASEAN Foreign Ministers' "
    "Meeting in Vientiane.",
])
def test_a_title_with_a_possessive_or_running_into_the_sentence_makes_no_stray_post(sentence):
    """"Head of Vietnam's ASEAN SOM" once made a post "Head s", and "... SOM at the" a post "Head at"."""
    ex = run(sentence, date(2024, 7, 27))
    assert person(ex, "Do Hung Viet").nationality == naming.country_iri("VNM")
    words = {w for post in ex.posts for w in post.label.split()}
    assert not words & {"s", "at"}, [post.label for post in ex.posts]

def test_title_after_name_with_the_new():
    ex = run("Kao Kim Hourn praised the contributions at a meeting with Tôn Thị Ngọc Hương, the new ambassador and "
             "permanent representative of Vietnam to the bloc in Jakarta on May 13.", date(2024, 5, 13))
    p = person(ex, "Ton Thi Ngoc Huong")
    assert p.label == "Tôn Thị Ngọc Hương"  # diacritics kept for the label
    assert p.iri.endswith("/person/ton-thi-ngoc-huong")  # and folded for identity
    assert p.nationality == naming.country_iri("VNM")


def test_demonym_prefix_and_short_name_reference():
    ex = run("Speaking at the opening ceremony of the 58th ASEAN Foreign Ministers' Meeting, Malaysian Prime "
             "Minister Anwar Ibrahim emphasized solidarity. Prime Minister Anwar also expressed his expectation "
             "to welcome Timor-Leste.")
    assert [p.label for p in ex.persons] == ["Anwar Ibrahim"]
    assert person(ex, "Anwar Ibrahim").nationality == naming.country_iri("MYS")
    assert ("anwar-ibrahim", "amm-58", "Speaker") in capacities(ex)


def test_title_reference_resolves_to_the_person_named_before():
    ex = run("Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son will lead the Vietnamese "
             "delegation to the 58th ASEAN Foreign Ministers' Meeting. On this occasion, the Deputy Prime Minister "
             "and Minister will also co-chair the ASEAN-New Zealand Foreign Ministers' Meeting.")
    caps = capacities(ex)
    assert ("bui-thanh-son", "amm-58", "HeadOfDelegation") in caps
    assert any(p == "bui-thanh-son" and m.startswith("asean-new-zealand") and c == "CoChair" for p, m, c in caps)
    assert {h.post.rsplit("/", 1)[1] for h in ex.holdings} >= {"vnm-deputy-prime-minister", "vnm-foreign-minister"}


def test_lists_of_people_keep_their_own_titles():
    ex = run("From left: Laotian Foreign Minister Saleumxay Kommasith, Myanmar International Cooperation Minister "
             "Kyaw Tin and Asean Secretary-General Lim Jock Hoi at the Asean Foreign Ministers' Retreat in "
             "Singapore on Feb 6.", date(2018, 7, 30))
    assert person(ex, "Saleumxay Kommasith").nationality == naming.country_iri("LAO")
    assert person(ex, "Kyaw Tin").nationality == naming.country_iri("MMR")
    assert {p for p, m, c in capacities(ex)} == {"saleumxay-kommasith", "kyaw-tin", "lim-jock-hoi"}
    lim = [h.post for h in ex.holdings if h.person.endswith("lim-jock-hoi")]
    assert lim == [naming.post_iri("asean", "secretary-general")]


def test_page_credits_are_not_people():
    ex = extract(parse_text("HÀ NỘI – The 27th ARF is chaired by Vietnamese Deputy Prime Minister Pham Binh "
                            "Minh.\n\nThe forum adopted several documents. VNA/VNS Photo Lâm Khánh",
                            source_file="test.txt"))
    assert [p.label for p in ex.persons] == ["Pham Binh Minh"]


# -- chairmanships, partnerships, works ------------------------------------------------------------------

def test_chairmanship_with_year_and_theme():
    ex = run("Vietnam will closely coordinate with ASEAN Chair 2025 Malaysia. Accordingly, under the theme "
             "“Inclusive and Sustainable” of ASEAN in 2025, the Leaders will attend nearly 40 activities.",
             date(2025, 9, 11))
    [c] = ex.chairmanships
    assert (c.country, c.year, c.theme) == (naming.country_iri("MYS"), 2025, "Inclusive and Sustainable")


def test_chairmanship_handed_over_to_a_person():
    ex = run("Najib Razak handed over the Chairmanship of ASEAN for 2016 to Lao Prime Minister Thongsing "
             "Thammavong.", None)
    assert [(c.country, c.year) for c in ex.chairmanships] == [(naming.country_iri("LAO"), 2016)]


def test_partnership_level_coordinator_and_anniversary():
    ex = run("Vietnam is currently coordinating ASEAN-New Zealand relations and ASEAN-UK relations (2024-2027). "
             "2025 marks the 50th anniversary of the establishment of the ASEAN-New Zealand partnership. Vietnam "
             "will consider the proposal to establish the ASEAN-New Zealand Comprehensive Strategic Partnership.")
    by_partner = {p.parties[1].rsplit("/", 1)[1]: p for p in ex.partnerships}
    nz, uk = by_partner["NZL"], by_partner["GBR"]
    assert nz.coordinator == uk.coordinator == naming.country_iri("VNM")
    assert (nz.coordinator_from, nz.coordinator_until) == (2024, 2027)
    assert nz.established == 1975
    assert nz.level.endswith("/level/comprehensive-strategic-partnership")


def test_named_documents_and_what_a_meeting_adopted():
    ex = run("Another defining achievement at the 46th ASEAN Summit was the adoption of the Kuala Lumpur "
             "Declaration on ASEAN 2045: Our Shared Future.")
    assert [w.label for w in ex.works] == ["Kuala Lumpur Declaration on ASEAN 2045: Our Shared Future"]
    [o] = ex.outcomes
    assert (o.meeting.rsplit("/", 1)[1], o.relation) == ("asean-summit-46", "adopted")


def test_every_fact_has_evidence_in_the_text():
    text = ("The 58th ASEAN Foreign Ministers' Meeting officially opened in Kuala Lumpur on July 9, with Deputy "
            "Prime Minister Bui Thanh Son attending.")
    ex = run(text)
    for fact in ex.participations:
        ev = fact.evidence
        assert ev.sentence.text in text and text[ev.start:ev.end] == ev.text
    for m in ex.mentions:
        assert text[m.evidence.start:m.evidence.end] == m.evidence.text


def test_related_meetings_are_linked_to_their_main_meeting():
    ex = run("The 27th ASEAN Regional Forum (ARF), as part of the 53rd ASEAN Foreign Ministers Meeting (AMM 53) and "
             "Related Meetings, has adopted the ARF Hanoi Plan of Action II.", date(2020, 9, 27))
    assert meeting(ex, "arf-27").related_to == meeting(ex, "amm-53").iri
    assert [w.label for w in ex.works] == ["ARF Hanoi Plan of Action II"]
    assert [(o.meeting.rsplit("/", 1)[1], o.relation) for o in ex.outcomes] == [("arf-27", "adopted")]
