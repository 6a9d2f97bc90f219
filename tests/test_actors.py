"""The actor dictionary (data/gazetteer/actors.csv, actor_posts.csv): well formed, consistent with
the gazetteer, unambiguous within a period; and extraction finds its people without titles."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date

import pytest

from aseankg import naming, settings
from aseankg.actors import ACTOR_COLUMNS, POST_COLUMNS, load_actors
from aseankg.extraction import extract
from aseankg.gazetteer import load_gazetteer
from aseankg.reading import parse_text

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
YEAR = re.compile(r"^(19|20)[0-9]{2}$")


def _rows(name: str) -> tuple[list[str], list[dict]]:
    with (settings.GAZETTEER_DIR / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or ()), list(reader)


@pytest.fixture(scope="module")
def actors():
    return load_actors()


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


# --- the data -------------------------------------------------------------------------------------


def test_rows_are_well_formed(gaz):
    header, rows = _rows("actors.csv")
    assert tuple(header) == ACTOR_COLUMNS
    keys = set()
    for r in rows:
        assert None not in r and all(v is not None for v in r.values()), r
        assert KEY.match(r["key"]) and naming.slug(r["key"]) == r["key"], r["key"]
        assert r["key"] not in keys, f"duplicate key {r['key']}"
        keys.add(r["key"])
        assert r["name"].strip() == r["name"] and r["name"], r["key"]
        assert not r["country"] or r["country"] in gaz.countries, (r["key"], r["country"])
        for cell in ("aliases", "short_names"):
            values = [v for v in r[cell].split("|")]
            assert all(v.strip() == v and v for v in values) or r[cell] == "", (r["key"], cell)
    header, posts = _rows("actor_posts.csv")
    assert tuple(header) == POST_COLUMNS
    for p in posts:
        assert p["actor"] in keys, p
        assert p["role"] in gaz.roles, p
        assert p["holder"] in gaz.countries or p["holder"] in gaz.organizations, p
        assert YEAR.match(p["from"]) and 1945 <= int(p["from"]) <= 2030, p
        if p["until"]:
            assert YEAR.match(p["until"]) and int(p["from"]) <= int(p["until"]) <= 2030, p
    assert keys == {p["actor"] for p in posts}, "every actor holds some post"


def test_wikidata_ids_look_right_and_are_unique(actors, gaz):
    ids = [a.wikidata for a in actors.actors.values() if a.wikidata]
    assert all(WIKIDATA_ID.match(q) for q in ids), ids
    others = {r.wikidata for table in (gaz.countries, gaz.organizations, gaz.series, gaz.places)
              for r in table.values() if r.wikidata}
    assert len(ids) == len(set(ids)) and not set(ids) & others


def test_posts_of_one_role_do_not_overlap_for_one_person(actors):
    for a in actors.actors.values():
        spans = defaultdict(list)
        for p in a.posts:
            spans[(p.role, p.holder)].append((p.start, p.until or 9999))
        for (role, _), s in spans.items():
            s.sort()
            assert all(x[1] < y[0] for x, y in zip(s, s[1:], strict=False)), (a.key, role, s)


def _overlap(a, b) -> bool:
    return any(p.start <= (q.until or 9999) and q.start <= (p.until or 9999) for p in a.posts for q in b.posts)


def test_a_surface_names_one_actor_at_a_time(actors):
    """No name, alias or short name names two actors whose posts overlap in time ("Clinton" is
    Bill in 1993-2001 and Hillary in 2009-2013; "Bush" father and son likewise)."""
    by_surface = defaultdict(set)
    for a in actors.actors.values():
        for text in (*a.names, *a.short_names):
            by_surface[naming.fold(text)].add(a.key)
    clashes = []
    for surface, keys in by_surface.items():
        keys = sorted(keys)
        for i, x in enumerate(keys):
            for y in keys[i + 1:]:
                if _overlap(actors.actors[x], actors.actors[y]):
                    clashes.append((surface, x, y))
    assert clashes == []


def test_no_alias_is_a_gazetteer_name(actors, gaz):
    """A person's name never doubles as a country, demonym, organisation, place, series or role."""
    for a in actors.actors.values():
        for text in (*a.names, *a.short_names):
            assert not gaz.lookup(text), (a.key, text, [e.kind for e in gaz.lookup(text)])


def test_one_word_aliases_are_distinctive(actors):
    """A one-word form in ``aliases`` counts on its own, so it must not be a word of another
    actor's names; common surnames and given names go to ``short_names``."""
    words = defaultdict(set)
    for a in actors.actors.values():
        for text in (*a.names, *a.short_names):
            for w in naming.fold(text).split():
                words[w].add(a.key)
    for a in actors.actors.values():
        for text in a.aliases:
            if len(naming.fold(text).split()) == 1:
                assert words[naming.fold(text)] == {a.key}, (a.key, text)


def test_lookup_by_year(actors):
    assert [a.key for a in actors.actors_named("Marcos", 2023)] == ["ferdinand-marcos-jr"]
    assert [a.key for a in actors.actors_named("Clinton", 1995)] == ["bill-clinton"]
    assert [a.key for a in actors.actors_named("Clinton", 2010)] == ["hillary-clinton"]
    assert actors.actors_named("Clinton", 2005) == []  # neither in office: ambiguous
    assert actors.actors_named("Clinton") == []
    assert [a.key for a in actors.actors_named("Prayuth Chan-ocha")] == ["prayut-chan-o-cha"]
    assert actors.actors_named("sby") == [] and actors.actors_named("SBY")[0].key == "susilo-bambang-yudhoyono"
    mahathir = actors.actors["mahathir-mohamad"]
    assert [p.role for p in actors.posts_held(mahathir, 2019)] == ["prime-minister"]
    assert [p.role for p in actors.posts_held("mahathir-mohamad", 2003)] == ["prime-minister"]
    assert actors.posts_held(mahathir, 2010) == []


# --- extraction -----------------------------------------------------------------------------------


def _people(body: str, published: date | None):
    ex = extract(parse_text(body, published=published) if published else parse_text(body))
    out = {}
    for p in ex.persons:
        posts = sorted(h.post.rsplit("/", 1)[-1] for h in ex.holdings if h.person == p.iri)
        country = p.nationality.rsplit("/", 1)[-1] if p.nationality else None
        out[p.iri.rsplit("/", 1)[-1]] = (p.label, country, posts, p.alt_labels)
    return out


def test_untitled_names_are_found():
    # wire style (Reuters, AP): names without titles in a list
    got = _people("Cambodia's Hun Sen and Lee Hsien Loong met on the sidelines of the summit in "
                  "Bangkok on Saturday.", date(2019, 6, 22))
    assert got["hun-sen"][1:3] == ("KHM", ["khm-prime-minister"])
    assert got["lee-hsien-loong"][1:3] == ("SGP", ["sgp-prime-minister"])


def test_alias_becomes_the_canonical_person():
    # Jakarta Post style: "President Jokowi", later the full name
    got = _people("President Jokowi opened the 43rd ASEAN Summit in Jakarta on Tuesday. Joko Widodo "
                  "said the region must not become a theatre of rivalry.", date(2023, 9, 5))
    assert list(got) == ["joko-widodo"]
    label, country, posts, alts = got["joko-widodo"]
    assert (label, country, posts) == ("Joko Widodo", "IDN", ["idn-president"]) and "Jokowi" in alts
    # Philippine Star style
    got = _people("Bongbong Marcos flew to Jakarta for the summit. Marcos said Manila would press its "
                  "case on the South China Sea.", date(2023, 9, 4))
    assert list(got) == ["ferdinand-marcos-jr"] and got["ferdinand-marcos-jr"][2] == ["phl-president"]


@pytest.mark.parametrize(("published", "posts"), [
    (date(2019, 11, 3), ["mys-prime-minister"]),
    (date(2003, 10, 7), ["mys-prime-minister"]),
    (date(2010, 10, 7), []),
    (None, []),
])
def test_country_and_posts_at_the_publication_year(published, posts):
    # The Star / Bernama style: "Mahathir said ..."
    got = _people("Mahathir said ASEAN must speak with one voice on trade.", published)
    assert got["mahathir-mohamad"][1:3] == ("MYS", posts)


def test_short_names_need_the_full_name_or_a_title():
    assert _people("Anwar said the bloc would act.", date(2025, 5, 26)) == {}
    got = _people("Malaysian Prime Minister Anwar Ibrahim chaired the 46th ASEAN Summit. Anwar said "
                  "the bloc would act.", date(2025, 5, 26))
    assert list(got) == ["anwar-ibrahim"]
    got = _people("Prime Minister Anwar told reporters the bloc would act.", date(2025, 5, 26))
    assert got["anwar-ibrahim"][1:3] == ("MYS", ["mys-prime-minister"])


def test_the_text_wins_over_the_dictionary():
    # a title in the text replaces the dictionary's posts; a country in the text is kept
    got = _people("Deputy Prime Minister Anwar Ibrahim attended the meeting.", date(2024, 1, 10))
    assert got["anwar-ibrahim"][2] == ["mys-deputy-prime-minister"]
    got = _people("Thai Foreign Minister Prayut Chan-o-cha attended.", date(2018, 8, 2))
    assert got["prayut-chan-o-cha"][1:3] == ("THA", ["tha-foreign-minister"])


def test_places_and_longer_names_are_not_people():
    assert _people("Delegates drove along Marcos Highway to the Lee Kuan Yew School of Public Policy.",
                   date(2020, 1, 2)) == {}
