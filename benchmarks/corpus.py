"""A synthetic corpus for scale: plain-text articles in the style of ASEAN news, seeded and reproducible.

Each article names a meeting of a real series (from ``data/gazetteer/series.csv``) by ordinal, its
host city and dates, officials with their titles and countries, what the meeting adopted, and
carries the page noise real scraped pages have (photo captions, "related news" lists, a site
banner). Half the articles use the seeds' scraped layout (site banner, headline, lead, publisher
and date glued on one line) and half the devset layout (headline, ``Source:`` and ``Date:`` lines).
The same seed and number always give the same bytes. These articles measure speed, not quality:
quality is measured on real annotated articles (``tests/gold``, ``aseankg evaluate``).

>>> a, b = article_text(7), article_text(7)
>>> a == b, a != article_text(8)
(True, True)
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     paths = write_corpus(tmp, 3)
...     [p.suffix for p in paths], len(set(p.read_text() for p in paths))
(['.txt', '.txt', '.txt'], 3)
"""

from __future__ import annotations

import csv
import os
import random
from pathlib import Path

from aseankg import settings

#: Outlets, as (site banner, publisher, address base).
OUTLETS = [
    ("Vietnam.vn - Nền tảng quảng bá Việt Nam", "Báo Quốc Tế", "https://baoquocte.vn"),
    ("VietnamPlus", "VNA", "https://en.vietnamplus.vn"),
    ("The Star", "The Star", "https://www.thestar.com.my"),
    ("The Jakarta Post", "The Jakarta Post", "https://www.thejakartapost.com"),
    ("Bangkok Post", "Bangkok Post", "https://www.bangkokpost.com"),
    ("Philippine News Agency", "PNA", "https://www.pna.gov.ph"),
    ("Khmer Times", "Khmer Times", "https://www.khmertimeskh.com"),
    ("The Straits Times", "The Straits Times", "https://www.straitstimes.com"),
    ("Borneo Bulletin", "Borneo Bulletin", "https://borneobulletin.com.bn"),
    ("Lao News Agency", "KPL", "https://kpl.gov.la"),
]

#: Series whose meetings are numbered, with the kind of official who attends.
SERIES = [
    ("ASEAN Summit", "Summit", "Prime Minister"),
    ("ASEAN Foreign Ministers' Meeting", "AMM", "Foreign Minister"),
    ("ASEAN Economic Ministers' Meeting", "AEM", "Minister of Trade"),
    ("ASEAN Defence Ministers' Meeting", "ADMM", "Minister of Defence"),
    ("East Asia Summit", "EAS", "Prime Minister"),
    ("ASEAN Regional Forum", "ARF", "Foreign Minister"),
    ("ASEAN Plus Three Foreign Ministers' Meeting", "APT FMM", "Foreign Minister"),
    ("ASEAN Senior Officials' Meeting", "SOM", "Deputy Foreign Minister"),
]

COUNTRIES = [  # (name, demonym, a city with a venue)
    ("Brunei Darussalam", "Bruneian", "Bandar Seri Begawan"), ("Cambodia", "Cambodian", "Phnom Penh"),
    ("Indonesia", "Indonesian", "Jakarta"), ("Lao PDR", "Lao", "Vientiane"),
    ("Malaysia", "Malaysian", "Kuala Lumpur"), ("Myanmar", "Myanmar", "Nay Pyi Taw"),
    ("the Philippines", "Philippine", "Manila"), ("Singapore", "Singaporean", "Singapore"),
    ("Thailand", "Thai", "Bangkok"), ("Viet Nam", "Vietnamese", "Hanoi"),
]

GIVEN = ["Anh", "Somchai", "Siti", "Rizal", "Mei", "Kyaw", "Sokha", "Arif", "Maria", "Thong", "Nur",
         "Hoang", "Vilay", "Ramon", "Aung", "Dewi", "Chan", "Bounmy", "Farid", "Linh", "Prak", "Teo"]
FAMILY = ["Nguyen", "Wongsa", "Rahman", "Santos", "Lim", "Win", "Chea", "Hidayat", "Phommachanh",
          "Tan", "Abdullah", "Pham", "Sokhonn", "Reyes", "Thein", "Yusof", "Vu", "Srisuk", "Keo", "Ong"]
MIDDLE = ["Van", "Thi", "Binh", "Minh", "Bin", "Kim", "Ali", "Dela", "Hong", "Sri", "", "", "", ""]

DOCUMENTS = ["Kuala Lumpur Declaration on ASEAN 2045", "ASEAN Community Vision 2045",
             "Joint Statement on Food Security", "ASEAN Digital Economy Framework Agreement",
             "Plan of Action on Maritime Cooperation", "Declaration on Climate Resilience",
             "ASEAN Power Grid Memorandum of Understanding", "Joint Communique"]

NOISE_AFTER = ["Related news", "Read more", "Same category", "Most read"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _official(rng: random.Random) -> str:
    middle = rng.choice(MIDDLE)
    return " ".join(part for part in (rng.choice(GIVEN), middle, rng.choice(FAMILY)) if part)


def _series_names() -> list[str]:
    """The gazetteer's series names (read to check the templates still name known series)."""
    with open(settings.GAZETTEER_DIR / "series.csv", encoding="utf-8") as f:
        return [row["name"] for row in csv.DictReader(f)]


def article_text(number: int, *, seed: int = 2025) -> str:
    """Article ``number`` of the corpus seeded with ``seed``, as the text of a ``.txt`` file."""
    rng = random.Random(f"{seed}:{number}")
    banner, publisher, base = rng.choice(OUTLETS)
    series, short, title = rng.choice(SERIES)
    ordinal = rng.randint(10, 60)
    host, host_demonym, city = rng.choice(COUNTRIES)
    year = rng.randint(2015, 2026)
    month = rng.randint(1, 12)
    day = rng.randint(1, 26)
    published = (year, month, min(28, day + rng.randint(0, 3)))
    chair = _official(rng)
    others = rng.sample([c for c in COUNTRIES if c[0] != host], k=rng.randint(2, 5))
    officials = [(_official(rng), demonym, name) for name, demonym, _ in others]
    adopted = rng.sample(DOCUMENTS, k=rng.randint(1, 2))
    meeting = f"{_ordinal(ordinal)} {series}"
    headline = rng.choice([f"{meeting} opens in {city}", f"{host} hosts the {meeting}",
                           f"Leaders and ministers gather for {meeting}", f"{meeting} wraps up in {city}"])
    lead = (f"The {meeting} took place in {city}, {host} on {MONTHS[month - 1]} {day} and {day + 1}, "
            f"{year}, chaired by {host_demonym} {title} {chair}.")
    body = [lead]
    for name, demonym, country in officials:
        verb = rng.choice(["attended", "took part in", "joined", "led the delegation of " + country + " to"])
        body.append(f"{demonym} {title} {name} {verb} the meeting and spoke on regional cooperation.")
    body.append(f"The {short} adopted the {adopted[0]}"
                + (f" and the {adopted[1]}." if len(adopted) > 1 else "."))
    body.append(f"Delegates from {len(officials) + 1} countries discussed trade, connectivity and the "
                f"accession of Timor-Leste; item {number} of the agenda was the next chair's priorities.")
    if rng.random() < 0.5:
        body.append(f"The {_ordinal(ordinal + 1)} {series} will be held in {rng.choice(COUNTRIES)[2]} "
                    f"in {year + 1}.")
    caption = f"{title} {chair} speaks at the {meeting}. (Photo: {publisher})"
    related = [f"{rng.choice(NOISE_AFTER)}", f"{_ordinal(ordinal - 1)} {series} reviewed", "ASEAN Secretariat news"]
    date_text = f"{published[2]:02d}/{published[1]:02d}/{published[0]}"
    if number % 2 == 0:  # the seeds' scraped layout
        lines = [banner, "", headline, "", lead, "", f"{publisher}{publisher}{date_text}", "", caption, "",
                 *[p + "\n" for p in body[1:]], *related]
    else:  # the devset layout
        slug = headline.lower().replace(" ", "-").replace("'", "")
        lines = [headline, f"Source: {base}/{slug}-{number}.html",
                 f"Date: {published[0]}-{published[1]:02d}-{published[2]:02d}", "", caption,
                 *[p + "\n" for p in body], *related]
    return "\n".join(lines).rstrip() + "\n"


def write_corpus(folder: str | os.PathLike, count: int, *, seed: int = 2025, start: int = 0) -> list[Path]:
    """Write articles ``start`` .. ``start + count - 1`` into ``folder``; returns their paths in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = folder / f"{number:06d}_synthetic.txt"
        path.write_text(article_text(number, seed=seed), encoding="utf-8")
        paths.append(path)
    return paths
