"""The reading stage: article files of every format → ``Article``, page noise set apart, bad input
reported as ``ArticleError``."""

import hashlib
import json
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aseankg import settings as aseankg_settings
from aseankg.model import Article
from aseankg.reading import (
    ArticleError,
    article_files,
    page_noise,
    parse_date,
    parse_html,
    parse_record,
    parse_text,
    read_articles,
    read_file,
)

SEEDS = aseankg_settings.ARTICLES_DIR
FIXTURES = Path(__file__).parent / "fixtures" / "reading"
SEED = {n: SEEDS / name for n, name in enumerate(sorted(p.name for p in SEEDS.glob("*.txt")))}


def read_one(path) -> Article:
    [result] = read_file(path)
    assert isinstance(result, Article), str(result)
    return result


def error_of(path) -> ArticleError:
    [result] = read_file(path)
    assert isinstance(result, ArticleError), f"expected an error, got an article from {path}"
    return result


def paragraphs(article):
    return article.body.split("\n\n")


# --- the seed articles ---------------------------------------------------------------------

SEED_META = {
    0: ("Reviewing preparations for the series of ASEAN Summits and between ASEAN and its partners",
        "https://baoquocte.vn/ra-soat-cong-tac-chuan-bi-cho-chuoi-cac-hoi-nghi-cap-cao-asean-va-giau-asean-"
        "voi-cac-doi-tac-327294.html", "Báo Quốc Tế", date(2025, 9, 11)),
    1: ("Deputy Prime Minister Bui Thanh Son attends ASEAN Foreign Ministers' Meeting: Together launching "
        "a new strategic framework, promoting initiatives for the future",
        "https://baoquocte.vn/deputy-prime-minister-bui-thanh-son-du-hoi-nghi-bo-truong-ngoai-giao-asean-"
        "cung-khoi-dong-khuon-kho-chien-luoc-moi-thuc-day-sang-kien-vi-tuong-lai-319769.html", "Báo Quốc Tế",
        date(2025, 7, 3)),
    2: ("ASEAN promotes substantive integration, connectivity for people and the future of the region",
        "https://baolamdong.vn/asean-thuc-day-hoi-nhap-thuc-chat-ket-noi-vi-nguoi-dan-va-tuong-lai-khu-vuc"
        "-381714.html", "Báo Lâm Đồng", date(2025, 7, 9)),
    3: (None, None, None, None),
    4: ("ASEAN seeks to play a more proactive role in the global community", None, None, None),
}


@pytest.mark.parametrize("n", sorted(SEED_META))
def test_seed_metadata(n):
    article = read_one(SEED[n])
    assert (article.headline, article.url, article.publisher, article.published) == SEED_META[n]
    assert article.source_file == str(SEED[n])
    assert article.headline is None or article.headline not in paragraphs(article)


def test_seed_metadata_from_the_text_alone(tmp_path):
    """Without sources.csv the outlet, date (day first) and URL come from the scraped page."""
    for n in (0, 1, 2):
        shutil.copy(SEED[n], tmp_path)
        article = read_one(tmp_path / SEED[n].name)
        assert (article.headline, article.url, article.publisher, article.published) == SEED_META[n]


def test_sources_csv_wins_over_the_text(tmp_path):
    shutil.copy(SEED[0], tmp_path)
    (tmp_path / "sources.csv").write_text(
        f"file,url,publisher,published\n{SEED[0].name},https://example.org/som,Vietnam.vn,2025-09-12\n",
        encoding="utf-8")
    article = read_one(tmp_path / SEED[0].name)
    assert (article.url, article.publisher, article.published) == (
        "https://example.org/som", "Vietnam.vn", date(2025, 9, 12))


def test_broken_sources_csv_is_reported(tmp_path):
    shutil.copy(SEED[3], tmp_path)
    (tmp_path / "sources.csv").write_text(f"file,published\n{SEED[3].name},someday\n", encoding="utf-8")
    error = error_of(tmp_path / SEED[3].name)
    assert "sources.csv" in error.path and "someday" in error.reason


NOISE = ["Comment (0)", "No data", "Same tag", "Same category", "Same author", "Other News", "Trending",
         "Liên kết hữu ích", "Vietnam.vn", "Nền tảng", "(Photo:", "(Source:", "Photo: MOFA", ".jpg", " |",
         "Source: http", "Báo Quốc Tế", "Báo Lâm Đồng", "Rà soát", "No videos available",
         "Keeping the spirit of Mid-Autumn Festival", "Discover the poetic beauty of Vinh Hy Bay",
         "Vietnam news in brief", "Hanoi kicks off the Spring Calligraphy Festival"]
MENU = {"Heritage", "Figure", "Enterprise", "News", "Political System", "Destination", "Product", "Business",
        "Local", "ASEAN", "-"}


@pytest.mark.parametrize("n", sorted(SEED))
def test_seed_body_has_no_page_noise(n):
    article = read_one(SEED[n])
    for noise in NOISE:
        assert noise not in article.body, noise
    assert not MENU & set(paragraphs(article))
    for paragraph in paragraphs(article):
        assert paragraph == " ".join(paragraph.split())
        assert not paragraph.startswith(("* ", "- ", "• "))


SEED_CAPTIONS = {
    0: ["Rà soát công tác chuẩn bị cho chuỗi các Hội nghị cấp cao ASEAN và giữa ASEAN với các đối tác",
        "ASEAN Senior Officials Meeting. (Photo: Bao Chi)",
        "Deputy Foreign Minister Dang Hoang Giang, Head of Vietnam ASEAN SOM at the Conference. "
        "(Photo: Bao Chi)"],
    1: ["Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son attended the ASEAN Foreign "
        "Ministers' Retreat in Malaysia in January 2025. (Source: VGP)",
        "Ambassador, Head of the Permanent Representative Mission of Vietnam to ASEAN Ton Thi Ngoc Huong "
        "at a meeting at the ASEAN Secretariat. (Photo: Delegation)"],
    2: ["pttg-btng-7305.jpg",
        "Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son attended the plenary session. "
        "(Photo: BNG)"],
    3: ["Deputy Foreign Minister Do Hung Viet, Head of SOM ASEAN Vietnam.",
        "Deputy Foreign Minister Do Hung Viet (5th from left) attended the 3th ASEAN+25 Foreign Ministers' "
        "Meeting."],
    4: ["ASEAN Senior Officials’ Meeting (SOM) opens on October 7. Photo: MOFA"],
}


@pytest.mark.parametrize("n", sorted(SEED_CAPTIONS))
def test_seed_captions_kept_apart(n):
    article = read_one(SEED[n])
    for caption in SEED_CAPTIONS[n]:
        assert caption in article.captions
        assert caption not in article.body


def test_seed_page_furniture_in_boilerplate():
    article = read_one(SEED[0])
    for line in ("Vietnam.vn - Nền tảng quảng bá Việt Nam", "Báo Quốc TếBáo Quốc Tế11/09/2025",
                 "Comment (0)", "Same tag", "Why are red flag lanterns with yellow stars popular this year?",
                 "Political System"):
        assert line in article.boilerplate
    other = read_one(SEED[4])
    assert "- Vietnam news in brief - January 21" in other.boilerplate
    assert other.boilerplate[-1] == "Liên kết hữu ích"


SEED_SENTENCES = {
    0: ["On September 9 and 10, the Senior Officials Meeting (SOM) of ASEAN, ASEAN+3 (APT) and East Asia "
        "Summit (EAS) took place in Port Dickson, Malaysia to review all preparations for the 47th ASEAN "
        "Summit and related Summits to take place in October 2025 in Kuala Lumpur.",
        "The Vietnamese delegation, led by Deputy Foreign Minister Dang Hoang Giang, Head of SOM ASEAN "
        "Vietnam, actively participated and made many important contributions to the Conferences."],
    1: ["Could the Ambassador tell us about the significance and key contents of the 58th ASEAN Foreign "
        "Ministers' Meeting (AMM 58) and the participation of Deputy Prime Minister and Minister of Foreign "
        "Affairs Bui Thanh Son?",
        "Vietnam is currently coordinating ASEAN-New Zealand relations and ASEAN-UK relations (2024-2027)."],
    2: ["On the morning of July 9, the 58th ASEAN Foreign Ministers' Meeting (AMM-58) officially opened at "
        "the Kuala Lumpur Convention Center with the participation of Foreign Ministers of ASEAN countries "
        "and Timor-Leste, the ASEAN Secretary-General and senior officials of partners.",
        "Immediately after the opening ceremony, Deputy Prime Minister and Minister of Foreign Affairs Bui "
        "Thanh Son and other Ministers attended the plenary session, focusing on discussing the "
        "implementation of the decisions of the Leaders at the 46th ASEAN Summit and the upcoming "
        "orientation for the process of building the ASEAN Community."],
    3: ["The 57th ASEAN Foreign Ministers' Meeting and related conferences taking place in Vientiane, Laos "
        "have ended.",
        "Could you please tell the Deputy Minister about the main results of the 57th ASEAN Foreign "
        "Ministers' Meetings (AMM-57) and related conferences?"],
    4: ["At the meeting chaired by Vietnamese Deputy Foreign Minister Nguyen Quoc Dung, head of Vietnam’s "
        "ASEAN Senior Officials' Meeting (SOM) delegation, the member states highlighted the need to "
        "enhance cooperation in combating the Covid-19 pandemic.",
        "Heads of ASEAN Senior Officials’ Meeting (SOM) delegations have considered possible admission of "
        "new partners to strengthen the bloc’s external relations."],
}


@pytest.mark.parametrize("n", sorted(SEED_SENTENCES))
def test_seed_key_sentences(n):
    article = read_one(SEED[n])
    texts = [s.text for s in article.sentences]
    for sentence in SEED_SENTENCES[n]:
        assert sentence in texts
    assert all(article.body[s.start:s.end] == s.text for s in article.sentences)


def test_seed_lead_is_body_and_last_paragraph_is_story():
    article = read_one(SEED[0])
    assert paragraphs(article)[0].startswith("Vietnam will closely coordinate with ASEAN Chair 2025 Malaysia")
    assert paragraphs(article)[-1].startswith("On the occasion of the ASEAN SOM, ASEAN+3 and EAS Conferences")
    assert read_one(SEED[3]).body.endswith("Thank you very much, Minister!")


@pytest.mark.parametrize("n", sorted(SEED))
def test_id_is_sha256_of_body(n):
    article = read_one(SEED[n])
    assert article.id == hashlib.sha256(article.body.encode("utf-8")).hexdigest()
    assert unicodedata.is_normalized("NFC", article.body)


def test_same_id_when_page_noise_differs():
    text = SEED[0].read_text(encoding="utf-8")
    story = text[text.index("Reviewing preparations"):text.index("Source: https://")]
    rescraped = ("Example.com - News from Asia\n\n" + story
                 + "\nComment (3)\nSame tag\nA different related story\nTrending\n-\nSomething else\n")
    assert parse_text(rescraped).id == read_one(SEED[0]).id
    # the same text with Windows line ends, decomposed accents and ragged spacing
    ragged = unicodedata.normalize("NFD", story.replace("\n", "\r\n").replace(". ", ".   "))
    assert parse_text(ragged).id == read_one(SEED[0]).id


def test_different_stories_differ():
    assert len({read_one(path).id for path in SEED.values()}) == len(SEED)


# --- other formats -------------------------------------------------------------------------

def test_html_page():
    article = read_one(FIXTURES / "som_2020.html")
    assert article.headline == "ASEAN seeks to play a more proactive role in the global community"
    assert article.url == ("https://news.example.org/asean-seeks-to-play-a-more-proactive-role-in-the-global-"
                           "community.html")
    assert article.publisher == "Example Times"
    assert article.published == date(2020, 10, 8)
    assert article.captions == ["ASEAN Senior Officials’ Meeting (SOM) opens on October 7. Photo: MOFA"]
    for noise in ("Politics", "Economy", "Copyright", "About us", "Other News", "Vietnam news in brief",
                  "Example Times", "Photo: MOFA"):
        assert noise not in article.body
    # the same story as the scraped text of seed 004, so the same article
    assert article.body == read_one(SEED[4]).body
    assert article.id == read_one(SEED[4]).id


def test_html_without_metadata():
    html = ("<html><body><div><p>The ASEAN Senior Officials' Meeting opened on Tuesday in Port Dickson, "
            "Malaysia, to review preparations for the summit in October.</p><p>Delegations from ten member "
            "states and Timor-Leste took part in the meeting.</p></div></body></html>")
    article = parse_html(html, source_file="page.html")
    assert (article.url, article.publisher, article.published) == (None, None, None)
    assert "Timor-Leste took part" in article.body
    with pytest.raises(ArticleError, match="page.html: no article text found"):
        parse_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", source_file="page.html")


def test_json_object_with_scraped_text():
    article = read_one(FIXTURES / "som_2020.json")
    assert article.headline == "ASEAN seeks to play a more proactive role in the global community"
    assert article.publisher == "Example Times"  # "source": {"name": ...}
    assert article.published == date(2020, 10, 8)  # RFC 822 pubDate
    assert article.url.startswith("https://news.example.org/")
    assert "Other News" in article.boilerplate and "Other News" not in article.body
    assert article.id == read_one(SEED[4]).id


def test_json_list():
    results = read_file(FIXTURES / "seed_records.json")
    assert [type(r) for r in results] == [Article, Article]
    som, amm = results
    assert som.publisher == "Báo Quốc Tế" and som.published == date(2025, 9, 11)
    assert amm.publisher == "Báo Lâm Đồng" and amm.published == date(2025, 7, 9)  # "09/07/2025", day first
    assert som.headline == SEED_META[0][0] and amm.url == SEED_META[2][1]
    assert SEED_SENTENCES[0][0] in [s.text for s in som.sentences]
    assert "(Photo: Bao Chi)" not in som.body
    assert "ASEAN Senior Officials Meeting. (Photo: Bao Chi)" in som.captions


def test_jsonl_with_a_broken_line():
    results = read_file(FIXTURES / "seed_records.jsonl")
    assert [type(r) for r in results] == [Article, ArticleError, Article]
    error = results[1]
    assert error.line == 2 and error.path.endswith("seed_records.jsonl")
    assert "seed_records.jsonl, line 2: broken JSON at column" in str(error)
    assert results[0].id == read_file(FIXTURES / "seed_records.json")[0].id


def test_parse_record_fields():
    article = parse_record({"Title": "ASEAN SOM opens", "link": "https://example.org/a", "publishedAt":
                            "2025-09-09T08:00:00Z", "site": "Example Times",
                            "body": ["The SOM opened in Port Dickson.", "Delegates reviewed the agenda."]})
    assert (article.headline, article.url, article.publisher, article.published) == (
        "ASEAN SOM opens", "https://example.org/a", "Example Times", date(2025, 9, 9))
    assert article.body == "The SOM opened in Port Dickson.\n\nDelegates reviewed the agenda."
    html = parse_record({"title": "T", "content": "<div><p>The SOM opened in Port Dickson on Tuesday and "
                                                  "reviewed the agenda of the summit.</p></div>"})
    assert html.body.startswith("The SOM opened in Port Dickson")


def test_header_block_and_text_rules():
    text = "\n".join([
        "ASEAN economic ministers review the year",
        "Source: https://news.example.org/aem-review",
        "Date: 2024-09-20",
        "",
        "Ad Banner",
        "Home > Business > ASEAN",
        "Floods hit the north | Markets close higher | Football cup draw | New metro line opens |",
        "ASEAN economic ministers review the year",
        "By Jane Doe",
        "20/09/2024 08:30 AM",
        "Ministers pose for a group photo before the meeting. VNA/VNS Photo Minh Duc "
        "VIENTIANE – Economic ministers of ASEAN met on Friday to review trade.",
        "They noted three trends:",
        "  • Trade in goods grew by 5.2% in 2023.",
        "Ministers at the opening session. (Photo: VNA)",
        "The next meeting will be held in Kuala Lumpur.-VNA",
        "Related News",
        "- Another story",
    ])
    article = parse_text(text, source_file="aem.txt")
    assert article.headline == "ASEAN economic ministers review the year"
    assert article.url == "https://news.example.org/aem-review" and article.published == date(2024, 9, 20)
    assert article.dateline == "VIENTIANE –"
    assert paragraphs(article) == [
        "Economic ministers of ASEAN met on Friday to review trade.",
        "They noted three trends:",
        "Trade in goods grew by 5.2% in 2023.",
        "The next meeting will be held in Kuala Lumpur.",
    ]
    assert article.captions == ["Ministers pose for a group photo before the meeting. VNA/VNS Photo Minh Duc",
                                "Ministers at the opening session. (Photo: VNA)"]
    for line in ("Ad Banner", "Home > Business > ASEAN", "By Jane Doe", "-VNA", "Related News",
                 "- Another story"):
        assert line in article.boilerplate
    assert parse_text(text.replace("Date: 2024-09-20", "Date: unknown")).published == date(2024, 9, 20)


@pytest.mark.parametrize("lead, dateline, body", [
    ("Kuala Lumpur (VNA) – The ministers met.", "Kuala Lumpur (VNA) –", "The ministers met."),
    ("KUALA LUMPUR, July 10 (Xinhua) -- They met.", "KUALA LUMPUR, July 10 (Xinhua) --", "They met."),
    ("JAKARTA, 16 March 2023 – The task force met.", "JAKARTA, 16 March 2023 –", "The task force met."),
    ("PHNOM PENH: On Saturday the summit opened.", "PHNOM PENH:", "On Saturday the summit opened."),
    ("HÀ NỘI — The Prime Minister left on Tuesday.", "HÀ NỘI —", "The Prime Minister left on Tuesday."),
    ("Vientiane, July 24 The ministers met AICHR.", "Vientiane, July 24", "The ministers met AICHR."),
    ("On Monday, July 24 ASEAN ministers met.", None, "On Monday, July 24 ASEAN ministers met."),
    ("Singapore is chairing ASEAN this year.", None, "Singapore is chairing ASEAN this year."),
    ("PRESIDENT Rodrigo Duterte opened the summit.", None, "PRESIDENT Rodrigo Duterte opened the summit."),
])
def test_dateline(lead, dateline, body):
    article = parse_text(f"Ministers meet\n\n{lead}\n\nThe talks covered trade and security.")
    assert article.dateline == dateline
    assert paragraphs(article)[0] == body


def test_page_noise_is_data_loaded_once():
    noise = page_noise()
    assert noise is page_noise()
    assert all(getattr(noise, kind) for kind in ("trailer", "line", "breadcrumb", "caption", "credit"))
    assert noise.full("trailer", "Comment (0)") and noise.caption_at("A delegate speaks. (Photo: VNA)")


def test_parse_date():
    assert parse_date("11/09/2025") == date(2025, 9, 11)
    assert parse_date("09/13/2025") == date(2025, 9, 13)  # day first unless impossible
    assert parse_date("Published on 23 September 2019") == date(2019, 9, 23)
    assert parse_date("31/02/2025") is None and parse_date(None) is None and parse_date(20250911) is None


# --- folders -------------------------------------------------------------------------------

def test_article_files(tmp_path):
    for name in ("a.txt", "b.html", "c.htm", "d.json", "sub/e.jsonl", "sub/deeper/f.TXT", ".hidden.txt",
                 ".git/g.txt", "README.md", "README.txt", "sources.csv", "picture.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = article_files([tmp_path, tmp_path / "a.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.txt", "b.html", "c.htm", "d.json", "sub/deeper/f.TXT", "sub/e.jsonl"]
    with pytest.raises(ArticleError, match="no such file or folder"):
        article_files([tmp_path / "missing"])


def test_read_articles_over_the_seed_folder():
    results = list(read_articles([SEEDS]))
    assert len(results) == 5 and all(isinstance(r, Article) for r in results)


# --- bad input -----------------------------------------------------------------------------

def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_empty_and_blank_files(tmp_path):
    assert str(error_of(write(tmp_path, "empty.txt", b""))) == f"{tmp_path / 'empty.txt'}: is empty"
    assert "contains only whitespace" in str(error_of(write(tmp_path, "blank.txt", " \n\t\n")))


def test_binary_files(tmp_path):
    error = error_of(write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20))
    assert "image.txt" in str(error) and "binary" in error.reason
    controls = bytes(range(1, 9)) * 50 + b"ASEAN"
    assert "binary" in error_of(write(tmp_path, "controls.txt", controls)).reason


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: the size check must come before any reading
    error = error_of(path)
    assert "huge.txt" in str(error) and "over the limit" in error.reason
    assert "MAX_ARTICLE_BYTES" in error.reason


def test_not_utf8(tmp_path):
    data = "The theme “Inclusive and Sustainable” was adopted.".encode("cp1252")
    error = error_of(write(tmp_path, "cp1252.txt", data))
    assert "cp1252.txt" in str(error)
    assert "byte 0x93 at offset 10" in error.reason and "re-save the file as UTF-8" in error.reason
    assert "UTF-16" in error_of(write(tmp_path, "utf16.txt", "ASEAN".encode("utf-16"))).reason


def test_utf8_bom_is_fine(tmp_path):
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + SEED[3].read_bytes())
    assert read_one(path).id == read_one(SEED[3]).id


def test_not_english(tmp_path):
    error = error_of(FIXTURES / "vietnamese.txt")
    assert "vietnamese.txt" in str(error) and "not in English (looks like Vietnamese)" in error.reason
    thai = "การประชุมรัฐมนตรีต่างประเทศอาเซียนเปิดขึ้นที่กรุงเทพมหานครในวันนี้ " * 3
    assert "not in English" in error_of(write(tmp_path, "thai.txt", thai)).reason
    # English naming Vietnamese officials stays English
    assert parse_text("Prime Minister Phạm Minh Chính met Đặng Hoàng Giang and Bùi Thanh Sơn in Hà Nội.")


def test_broken_json(tmp_path):
    broken = '{"title": "ASEAN",\n "text": "The SOM opened." \n "url": 1}'
    error = error_of(write(tmp_path, "bad.json", broken))
    assert error.line == 3 and "bad.json, line 3: broken JSON at column 2" in str(error)
    deep = error_of(write(tmp_path, "deep.json", "[" * 100000 + "]" * 100000))
    assert "deep.json" in str(deep)


def test_json_record_without_text(tmp_path):
    error = error_of(write(tmp_path, "notext.json", json.dumps({"title": "ASEAN SOM", "url": "https://x.org"})))
    assert "notext.json" in str(error) and "no text" in error.reason
    results = read_file(write(tmp_path, "mixed.json", json.dumps([{"text": "The SOM opened today."}, 42])))
    assert isinstance(results[0], Article) and "record 2" in results[1].reason


def test_body_empty_after_cleaning(tmp_path):
    error = error_of(write(tmp_path, "noise.txt", "Comment (0)\n\nNo data\nSame tag\nHeritage\n"))
    assert "noise.txt" in str(error) and "no article text left" in error.reason
    captions_only = write(tmp_path, "caps.txt", "Photo: VNA\n(Source: VNA)\n")
    assert "no article text left" in error_of(captions_only).reason


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in error_of(tmp_path / "missing.txt").reason
    assert "is a folder" in error_of(tmp_path).reason


# --- never anything but ArticleError -------------------------------------------------------

NOISY_LINES = ["Comment (0)", "Same tag", "Other News", "- ", "-", "Trending", "Home > News", "By A. Writer",
               "(Photo: VNA)", "x.jpg", "Source: https://example.org/a", "Date: unknown", "Date: 2025-13-45",
               "Title:", "KUALA LUMPUR (VNA) –", "Báo Quốc TếBáo Quốc Tế31/02/2025", " date 2025-01-01 ", "",
               "The SOM opened in Port Dickson.", "Mr. Tan said “yes...”", "Hội nghị cấp cao", "|", "###",
               "\x00"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_article_or_error(text):
    try:
        article = parse_text(text)
    except ArticleError as e:
        assert e.reason
        return
    assert article.body and article.id == hashlib.sha256(article.body.encode("utf-8")).hexdigest()
    assert all(article.body[s.start:s.end] == s.text for s in article.sentences)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NOISY_LINES), st.text(max_size=30)), max_size=25))
def test_any_page_gives_article_or_error(lines):
    try:
        parse_text("\n".join(lines))
    except ArticleError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from([".txt", ".html", ".json", ".jsonl"]))
def test_any_bytes_in_any_format(tmp_path, data, suffix):
    results = read_file(write(tmp_path, "fuzz" + suffix, data))
    assert results and all(isinstance(r, Article | ArticleError) for r in results)
    # the last-resort handler in read_file was not needed
    assert not any(isinstance(r, ArticleError) and r.reason.startswith("could not be read (")
                   for r in results)


@pytest.mark.parametrize(("dateline", "outlet"), [
    ("KUALA LUMPUR, Sept 24 (Bernama) --", "Bernama"),
    ("PHNOM PENH, Nov 11 (Xinhua) --", "Xinhua"),
    ("Metro Manila (CNN Philippines, July 31) —", "CNN Philippines"),
])
def test_a_dateline_names_the_outlet_when_nothing_else_does(tmp_path, dateline, outlet):
    path = tmp_path / "wire.txt"
    path.write_text(f"ASEAN ministers meet\n\n{dateline} Foreign ministers met on Wednesday for the 58th ASEAN "
                    "Foreign Ministers' Meeting in Kuala Lumpur.\n", encoding="utf-8")
    (article,) = read_file(path)
    assert article.publisher == outlet


@pytest.mark.parametrize(("dateline", "day"), [
    ("KUALA LUMPUR, Sept 24 (Bernama) --", date(2025, 9, 24)),
    ("PHNOM PENH, Nov 11 (Xinhua) --", date(2025, 11, 11)),
    ("Metro Manila (CNN Philippines, July 31) —", date(2025, 7, 31)),
    ("JAKARTA, 5 August (Antara) -", date(2025, 8, 5)),
])
def test_a_dateline_dates_the_article_in_the_year_its_story_writes(tmp_path, dateline, day):
    path = tmp_path / "wire.txt"
    path.write_text(f"ASEAN ministers meet\n\n{dateline} Foreign ministers met on Wednesday, after the 58th ASEAN "
                    "Foreign Ministers' Meeting held on July 8-11, 2025 in Kuala Lumpur. The bloc was founded "
                    "on August 8, 1967.\n", encoding="utf-8")
    (article,) = read_file(path)
    assert article.published == day


def test_a_dateline_without_a_year_anywhere_gives_no_date(tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text("ASEAN ministers meet\n\nKUALA LUMPUR, Sept 24 (Bernama) -- Foreign ministers met on "
                    "Wednesday for the ASEAN Foreign Ministers' Meeting in Kuala Lumpur.\n", encoding="utf-8")
    (article,) = read_file(path)
    assert article.published is None and article.publisher == "Bernama"
