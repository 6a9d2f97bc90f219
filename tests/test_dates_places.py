"""When, where and who chairs: date constructions, datelines, venues and ASEAN chairmanships, each
in at least two outlets' styles, with a regression case per validation miss (phrased as the
construction, not the article)."""

from datetime import date

import pytest

from aseankg import naming
from aseankg.extraction import extract
from aseankg.extraction.datelines import find_dateline, reference_date
from aseankg.extraction.dates import find_dates
from aseankg.model import Article
from aseankg.sentences import split_sentences


def run(text: str, published: date | None = date(2025, 7, 3), dateline: str | None = None):
    return extract(Article(naming.content_hash(text), text, source_file="test.txt", published=published,
                           dateline=dateline, sentences=split_sentences(text)))


def meeting(ex, key: str):
    found = [m for m in ex.meetings if m.iri.endswith("/meeting/" + key)]
    assert found, f"no meeting {key} in {[m.iri for m in ex.meetings]}"
    return found[0]


def place(m) -> str | None:
    return m.location.rsplit("/", 1)[1] if m.location else None


def host(m) -> str | None:
    return m.host_country.rsplit("/", 1)[1] if m.host_country else None


def chairs(ex) -> set[tuple[str, int | None]]:
    return {(c.country.rsplit("/", 1)[1], c.year) for c in ex.chairmanships}


# -- dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,published,start,end", [
    # Antara / VNA: the weekday with a day-first numeric date in brackets
    ("The ministers met in Jakarta on Wednesday (12/10).", date(2022, 10, 13), "2022-10-12", None),
    ("Hội nghị khai mạc Thursday (6/7) at the hotel.", date(2023, 7, 7), "2023-07-06", None),
    # Bernama / ANI: the weekday with the month-day in brackets
    ("The summit opens on Monday (Oct 25) in Brunei.", date(2021, 10, 24), "2021-10-25", None),
    ("The meeting will be held tomorrow (Oct 3) in Vientiane.", date(2024, 10, 2), "2024-10-03", None),
    # weekday ranges
    ("Leaders met from Tuesday to Thursday in Jakarta.", date(2023, 9, 8), "2023-09-05", "2023-09-07"),
    ("He attended the meetings in Brunei on Wednesday and Thursday.", date(2013, 10, 11),
     "2013-10-09", "2013-10-10"),
    # CNA / asean.org: month-day ranges and day-month dates
    ("He will attend the summits from Oct 26 to 28, the office said.", date(2021, 10, 25), "2021-10-26", "2021-10-28"),
    ("The Council was held on 26 September in Vientiane.", date(2024, 9, 26), "2024-09-26", None),
])
def test_date_constructions(text, published, start, end):
    found = find_dates(text, published)
    assert (found[0].start, found[0].end) == (start, end), found


@pytest.mark.parametrize("text,published,start,end", [
    # regression: "the two-day retreat beginning Saturday" (a Bernama-style report filed on Sunday)
    ("Ministers are at the two-day retreat beginning Saturday.", date(2010, 2, 28), "2010-02-27", "2010-02-28"),
    ("Leaders are gathering for a three-day summit starting Tuesday.", date(2023, 9, 4), "2023-09-05",
     "2023-09-07"),
])
def test_a_duration_gives_the_last_day(text, published, start, end):
    found = find_dates(text, published)
    assert (found[0].start, found[0].end) == (start, end)


@pytest.mark.parametrize("text,published,expected", [
    ("The ministers met on Saturday in Putrajaya.", date(2018, 10, 19), "2018-10-13"),  # past: the one before
    ("The leaders will meet on Thursday.", date(2018, 10, 19), "2018-10-25"),  # future: the next one
    # Straits Times: the present progressive speaks of the coming days
    ("Singapore is hosting the ADMM-Plus on Saturday.", date(2018, 10, 19), "2018-10-20"),
    ("The leaders are meeting on Monday in Manila.", date(2017, 11, 10), "2017-11-13"),
])
def test_weekdays_follow_the_tense(text, published, expected):
    future = False if " met " in text else True if " will " in text else None
    assert find_dates(text, published, future=future)[0].start == expected


@pytest.mark.parametrize("text,expected", [
    ("The ARF opens the next day.", "2025-07-10"),
    ("The Plus Three summit meets on the following day.", "2025-07-10"),
    ("At the East Asia Summit later that day, leaders spoke.", "2025-07-09"),
    ("The SOM met the day before.", "2025-07-08"),
])
def test_days_counted_from_the_last_day_named(text, expected):
    assert find_dates(text, date(2025, 7, 8), anchor=date(2025, 7, 9))[0].start == expected


def test_two_meetings_each_take_their_own_day():
    # regression: "chairing the 12th ADMM on Friday, and the 5th ADMM-Plus on Saturday"
    ex = run("Thailand is chairing the 13th ADMM on Friday at the hotel, and the 6th ADMM-Plus on Saturday.",
             published=date(2019, 11, 15))
    assert meeting(ex, "admm-13").start == "2019-11-15"
    assert meeting(ex, "admm-plus-6").start == "2019-11-16"


def test_a_day_within_a_span_narrows_a_meeting():
    # regression: "on Wednesday and Thursday" ... "At the 18-member East Asia Summit later that day"
    ex = run("Leaders will attend the 8th East Asia Summit and related meetings in Bandar Seri Begawan on "
             "Wednesday and Thursday. The Plus Three leaders will meet on Thursday. At the 8th East Asia Summit "
             "later that day, they will discuss the sea.", published=date(2013, 10, 8))
    m = meeting(ex, "eas-8")
    assert (m.start, m.end) == ("2013-10-10", "2013-10-10")


def test_the_two_day_retreat_of_the_article():
    # regression: the dateline's date is when the story was filed; the retreat began the day before
    ex = run("PUTRAJAYA, Feb. 28 — Ministers are here for the 16th ASEAN Economic Ministers' Retreat.\n\n"
             "All countries are represented at the two-day retreat beginning Saturday.", published=date(2010, 3, 1))
    m = meeting(ex, "aem-retreat-16")
    assert (m.start, m.end) == ("2010-02-27", "2010-02-28")


# -- datelines -------------------------------------------------------------------------------------

@pytest.mark.parametrize("given,body,published,where,day", [
    ("KUALA LUMPUR, Sept 24 (Bernama) --", "", date(2019, 9, 25), "KUALA LUMPUR", date(2019, 9, 24)),
    ("PUTRAJAYA, Feb. 28 —", "", date(2010, 3, 1), "PUTRAJAYA", date(2010, 2, 28)),
    ("Kuala Lumpur, Oct 26 (IANS)", "", date(2025, 10, 26), "Kuala Lumpur", date(2025, 10, 26)),
    ("Metro Manila (CNN Philippines, July 31) —", "", date(2017, 7, 31), "Metro Manila", date(2017, 7, 31)),
    ("BANDAR SERI BEGAWAN, 11 September 2017 –", "", None, "BANDAR SERI BEGAWAN", date(2017, 9, 11)),
    ("BANDAR SERI BEGAWAN –", "", date(2020, 4, 13), "BANDAR SERI BEGAWAN", None),
    # regression: a wire tag taken for the dateline, the real one left heading the body
    ("MENAFN -", "IANS) Kuala Lumpur, May 25 (IANS) Officials met.", date(2025, 5, 25), "Kuala Lumpur",
     date(2025, 5, 25)),
    (None, "via News Media\n\nHANOI, March 3 (VNA) – The ministers met.", date(2024, 3, 4), "HANOI", date(2024, 3, 3)),
])
def test_datelines(given, body, published, where, day):
    d = find_dateline(given, body, published)
    assert (d.place, d.day) == (where, day)


def test_sentences_are_not_datelines():
    assert find_dateline(None, "Foreign ministers, July 31, met in Manila.", date(2017, 7, 31)) is None
    assert find_dateline(None, "The ASEAN Summits have drawn to an end.", None) is None


def test_the_dateline_day_is_the_reference_when_just_before_publication():
    d = find_dateline("PUTRAJAYA, Feb. 28 —", "", date(2010, 3, 1))
    assert reference_date(date(2010, 3, 1), d) == date(2010, 2, 28)
    assert reference_date(None, d) == date(2010, 2, 28)
    assert reference_date(date(2010, 3, 20), d) == date(2010, 3, 20)  # too far: the stamp wins


# -- places ----------------------------------------------------------------------------------------

def test_the_dateline_places_the_lead_meeting():
    # regression: "CITY, date – ... Chair of the 7th APT Health Ministers Meeting" and nothing else said
    ex = run("Health cooperation was praised by the Minister of Health, Chair of the 14th ASEAN Health "
             "Ministers Meeting.", published=date(2019, 8, 29), dateline="SIEM REAP, 29 August 2019 –")
    assert place(meeting(ex, "ahmm-14")) == "siem-reap"
    ex = run("Health cooperation was praised by the Minister of Health, Chair of the 14th ASEAN Health "
             "Ministers Meeting.", published=date(2017, 9, 11), dateline="BANDAR SERI BEGAWAN, 11 September 2017 –")
    assert place(meeting(ex, "ahmm-14")) == "bandar-seri-begawan"


def test_the_dateline_does_not_place_a_meeting_of_another_year():
    ex = run("The 10th ASEAN Health Ministers Meeting in 2010 set the goals. Officials reviewed them.",
             published=date(2017, 9, 11), dateline="BANDAR SERI BEGAWAN, 11 September 2017 –")
    assert place(meeting(ex, "ahmm-10")) is None


def test_a_wire_dateline_left_in_the_body_places_the_meeting():
    # regression: "MENAFN - IANS) Kuala Lumpur, May 25 (IANS) ... the 25th AECC meeting"
    ex = run("IANS) Kuala Lumpur, May 25 (IANS) Officials met at the 25th ASEAN Coordinating Council Meeting.",
             published=date(2025, 5, 25), dateline="MENAFN -")
    assert place(meeting(ex, "acc-25")) == "kuala-lumpur"


@pytest.mark.parametrize("text,key,city", [
    ("The 31st ASEAN Summit opened at the Philippine International Convention Center.", "asean-summit-31", "pasay"),
    ("The 47th ASEAN Summit is held at the Kuala Lumpur Convention Centre.", "asean-summit-47", "kuala-lumpur"),
])
def test_venues_resolve_to_their_city(text, key, city):
    m = meeting(run(text), key)
    assert place(m) == city


@pytest.mark.parametrize("text,published,key,city", [
    # regression (Kiripost): the lead gathers leaders in the city, the summits are numbered later
    ("The ASEAN Summits have ended after days of meetings that saw leaders gather in Phnom Penh. "
     "The 40th and 41st ASEAN Summit came to an end.", None, "asean-summit-41", "phnom-penh"),
    # regression (CNN Philippines): ministers "descend on" the city for the meetings
    ("Foreign ministers descend on Manila this weekend for a series of meetings. They meet in the "
     "50th ASEAN Foreign Ministers' Meeting on Saturday.", date(2017, 7, 31), "amm-50", "manila"),
    ("The 25th ASEAN Summit was held in the capital Nay Pyi Taw.", date(2014, 11, 13), "asean-summit-25",
     "nay-pyi-taw"),
    ("Leaders began arriving in New Delhi for the 25th ASEAN-India Summit.", date(2018, 1, 24),
     "asean-india-summit-25", "new-delhi"),
])
def test_gathering_constructions_place_meetings(text, published, key, city):
    assert place(meeting(run(text, published=published), key)) == city


def test_history_is_not_the_venue():
    ex = run("The 51st AMM is the grouping's 51st meeting since it was established in Bangkok in 1967.",
             published=date(2018, 7, 30))
    assert place(meeting(ex, "amm-51")) is None
    ex = run("The 51st AMM marks the years since ASEAN was founded in Bangkok.", published=date(2018, 7, 30))
    assert place(meeting(ex, "amm-51")) is None


def test_a_place_in_another_country_than_the_host_is_not_the_venue():
    # regression: "... the 8th East Asia Summit in Brunei ..., a special summit they plan to hold in Tokyo"
    ex = run("Abe will attend the 8th East Asia Summit in Brunei, ahead of a special summit they plan to "
             "hold in Tokyo.", published=date(2013, 10, 8))
    m = meeting(ex, "eas-8")
    assert host(m) == "BRN" and place(m) != "tokyo"


@pytest.mark.parametrize("text", [
    # regression (The Scoop): the chair hosts the meetings held by video conference
    "The leaders will join a video conference for the Special ASEAN Summit. Vietnam's Prime Minister "
    "will host the meetings as the ASEAN chair this year.",
    "Leaders hold the Special ASEAN Summit via video conference. Viet Nam will host the meetings online.",
])
def test_the_host_of_virtual_meetings(text):
    ex = run(text, published=date(2020, 4, 13))
    m = [m for m in ex.meetings if m.series.endswith("/asean-summit")][0]
    assert host(m) == "VNM" and m.virtual


@pytest.mark.parametrize("text", [
    # regression: "the previous AMMTC was hosted by Malaysia" / "congratulate Malaysia for hosting"
    "The 10th AMMTC was hosted by Malaysia two years ago.",
    "We congratulate Malaysia for successfully hosting the 10th AMMTC.",
])
def test_hosting_constructions(text):
    assert host(meeting(run(text, published=date(2017, 9, 21)), "ammtc-10")) == "MYS"


def test_a_plural_spelling_of_a_series_is_the_series():
    # regression: "ASEAN Ministerial Meeting on Transnational Crimes (11th AMMTC) held ... in Pasay City Wednesday"
    ex = run("He spoke at the 11th ASEAN Ministerial Meeting on Transnational Crimes held at a hotel in "
             "Pasay City Wednesday.", published=date(2017, 9, 21))
    m = meeting(ex, "ammtc-11")
    assert (m.start, place(m)) == ("2017-09-20", "pasay")


# -- chairmanships ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,published,expected", [
    # regression (IANS): present tense, the year is the article's
    ("Malaysia, as the Chair of ASEAN, is hosting the 47th ASEAN Summit.", date(2025, 10, 26), ("MYS", 2025)),
    ("As this year's ASEAN Chair, the Philippines will host the summit.", date(2026, 5, 8), ("PHL", 2026)),
    # regression (CNA): "Brunei's ASEAN Chairmanship theme"
    ("This is in line with Brunei's ASEAN Chairmanship theme of \"We Care, We Prepare, We Prosper\".",
     date(2021, 10, 25), ("BRN", 2021)),
    ("Laos, in its capacity as ASEAN Chair, convened the meeting.", date(2024, 7, 25), ("LAO", 2024)),
    ("The Chair of ASEAN, Cambodian Prime Minister Hun Sen, opened the 40th ASEAN Summit.", date(2022, 11, 11),
     ("KHM", 2022)),
    ("Malaysia will lead the bloc as ASEAN Chair for 2025.", date(2024, 10, 11), ("MYS", 2025)),
    # regression (Menafn): "under Malaysia's 2025 chairmanship" in a sentence about an ASEAN meeting
    ("The meeting is held with the 46th ASEAN Summit, under Malaysia's 2025 chairmanship.", date(2025, 5, 25),
     ("MYS", 2025)),
])
def test_chairmanship_constructions(text, published, expected):
    assert expected in chairs(run(text, published=published))


def test_the_subject_of_as_chair_not_the_country_after():
    # regression (Kyodo): "Brunei, which is hosting ... as this year's chairman of ASEAN, and of Australia"
    ex = run("Abe will meet the leaders of Brunei, which is hosting the meetings as this year's chairman of "
             "ASEAN, and of Australia and New Zealand.", published=date(2013, 10, 8))
    assert chairs(ex) == {("BRN", 2013)}


@pytest.mark.parametrize("text,published,expected", [
    # regression (Kiripost, undated): the year given later in the article
    ("Hun Sen handed over the gavel to Indonesia as the next chair of the regional bloc. "
     "Hun Sen also handed over the Chairmanship Gavel to Indonesian Joko Widodo for 2023.", None, {("IDN", 2023)}),
    ("Prime Minister Anwar handed over the ASEAN chairmanship to the Philippines at the closing ceremony.",
     date(2025, 10, 28), {("PHL", 2026)}),
])
def test_handing_over_the_gavel(text, published, expected):
    assert chairs(run(text, published=published)) == expected


def test_chairs_of_other_bodies_are_not_asean_chairmanships():
    ex = run("Viet Nam, Chair of the IAI Task Force, opened the 69th meeting.", published=date(2023, 5, 5))
    assert chairs(ex) == set()


def test_no_year_is_guessed_for_an_undated_article():
    ex = run("Singapore is chairing ASEAN this year.", published=None)
    assert chairs(ex) <= {("SGP", None)}


def test_a_past_chairmanship_keeps_no_present_year():
    ex = run("Malaysia, the previous Chair of ASEAN, hosted the 10th AMMTC.", published=date(2017, 9, 21))
    assert ("MYS", 2017) not in chairs(ex)


def test_the_dateline_outweighs_a_country_named_after_in():
    # regression (devset, Bernama): "CITY, date (Bernama) -- The 46th ASEAN Summit ... the crisis in Myanmar"
    ex = run("The 45th ASEAN Summit drew to a close today with talks on the crisis in Myanmar.",
             published=date(2024, 10, 10), dateline="VIENTIANE, Oct 10 (Bernama) --")
    m = meeting(ex, "asean-summit-45")
    assert (place(m), host(m)) == ("vientiane", "LAO")


def test_the_dateline_does_not_override_a_host_the_text_names():
    ex = run("Laos will host the 44th ASEAN Summit, officials said.", published=date(2023, 9, 7),
             dateline="JAKARTA, Sept 7 (Antara) -")
    m = meeting(ex, "asean-summit-44")
    assert (place(m), host(m)) == (None, "LAO")


@pytest.mark.parametrize("text,series,label", [
    # regression (The Scoop): "a special ASEAN summit" keeps its qualifier
    ("Leaders will meet by video conference for a special ASEAN summit on April 14.", "asean-summit",
     "Special ASEAN Summit"),
    ("The Informal ASEAN Summit opened on Monday.", "asean-summit", "Informal ASEAN Summit"),
])
def test_a_qualifier_before_a_series_name(text, series, label):
    ex = run(text, published=date(2020, 4, 13))
    assert any(m.series.endswith("/" + series) and m.label == label for m in ex.meetings)


@pytest.mark.parametrize("text", [
    # regression (Kyodo): "At the 18-member East Asia Summit later that day"
    "At the 18-member East Asia Summit on Thursday, leaders will discuss the sea.",
    "At the 27-member ARF on Thursday, ministers will discuss the peninsula.",
])
def test_a_size_word_does_not_hide_a_meeting(text):
    assert run(text, published=date(2013, 10, 8)).meetings


def test_the_dateline_places_a_meeting_its_own_country_hosts():
    # regression (IANS): "Malaysia, as the Chair of ASEAN, is hosting the 47th ASEAN Summit", filed from KL
    ex = run("Malaysia is hosting the 47th ASEAN Summit this week.", published=date(2025, 10, 26),
             dateline="Kuala Lumpur, Oct 26 (IANS)")
    assert place(meeting(ex, "asean-summit-47")) == "kuala-lumpur"


@pytest.mark.parametrize(("text", "start"), [
    # CNN Philippines style, written on a Monday: the meeting is next week's Monday
    ("Ministers are expected to meet in the 24th ASEAN Regional Forum (ARF) on Monday.", "2017-08-07"),
    # a present progressive on that day means the day itself
    ("Thailand is chairing the 24th ASEAN Regional Forum (ARF) on Monday at the hotel.", "2017-07-31"),
])
def test_a_future_weekday_written_on_that_weekday(text, start):
    ex = run(text, published=date(2017, 7, 31))
    assert meeting(ex, "arf-24").start == start


def test_a_past_verb_owns_its_weekday():
    # "the office said on Monday" in a sentence that announces the meeting
    ex = run("Lee will attend the 24th ASEAN Regional Forum (ARF) on Thursday, his office said on Monday.",
             published=date(2017, 7, 31))
    assert meeting(ex, "arf-24").start == "2017-08-03"
