"""Synthetic triples in the project's vocabulary, for stores of a million triples and more.

Extracting a million triples from text would take an hour, so large stores are written directly:
``article_quads(i)`` gives article ``i``'s named graph as N-Quads lines (about 117 triples: the
article, a meeting of a real series with ordinal, dates, host country and place, five
participations with capacities and evidence mentions, people, posts, an initiative discussed and a
chairmanship), with entities shared across articles the way a real corpus shares them. The entities
the saved queries ask about by default (``meeting/amm-58``, ``person/bui-thanh-son``,
``country/VNM``, ``place/kuala-lumpur``, ...) occur, so every saved query has work to do.
``build_store`` writes N-Quads to a file and bulk-loads it (``pyoxigraph.Store.bulk_load``) with
the ontology and the reference data, then merges the named graphs into the default graph, as
``aseankg build`` would leave them.

>>> lines = article_quads(3, articles=1000)
>>> all(line.endswith(" .\\n") for line in lines), 100 < len(lines) < 130
(True, True)
>>> article_quads(3, articles=1000) == lines
True
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from aseankg import naming, settings

AKG = settings.ONTOLOGY_NS
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"

COUNTRIES = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"]
PLACES = ["kuala-lumpur", "jakarta", "hanoi", "bangkok", "manila", "singapore", "vientiane", "phnom-penh"]
SERIES = [("amm", "MinisterialMeeting", "ASEAN Foreign Ministers' Meeting"),
          ("asean-summit", "Summit", "ASEAN Summit"),
          ("asean-som", "SeniorOfficialsMeeting", "ASEAN Senior Officials' Meeting"),
          ("eas-fmm", "MinisterialMeeting", "East Asia Summit Foreign Ministers' Meeting"),
          ("arf", "MinisterialMeeting", "ASEAN Regional Forum")]
ROLES = ["foreign-minister", "deputy-foreign-minister", "head-of-som-delegation", "ambassador", "prime-minister"]
CAPACITIES = ["Chair", "CoChair", "HeadOfDelegation", "Delegate", "Speaker"]
INITIATIVES = ["asean-community", "asean-community-vision-2045", "asean-power-grid", "iai",
               "asean-digital-economy-framework-agreement", "asean-single-window"]
PARTICIPANTS = 5


def _iri(text: str) -> str:
    return f"<{text}>"


def _lit(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    return f'"{escaped}"^^<{XSD}{datatype}>' if datatype else f'"{escaped}"'


def _person_name(n: int) -> str:
    return "Bui Thanh Son" if n == 0 else f"Official Number {n}"


def article_quads(i: int, *, articles: int) -> list[str]:
    """Article ``i`` of a corpus of ``articles`` as N-Quads lines (its own named graph)."""
    people = max(50, articles // 2)
    meetings = max(60, articles // 10)
    digest = hashlib.sha256(f"synthetic article {i}".encode()).hexdigest()
    article = naming.article_iri(digest)
    g = _iri(article)
    quads: list[tuple[str, str, str]] = []

    def add(s: str, p: str, o: str) -> None:
        quads.append((s, p, o))

    year = 2000 + i % 26
    published = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    add(g, RDF_TYPE, _iri(AKG + "Article"))
    add(g, _iri(SCHEMA + "headline"), _lit(f"ASEAN ministers meet, report {i}"))
    add(g, _iri(SCHEMA + "url"), _iri(f"https://example.org/news/{i}"))
    add(g, _iri(SCHEMA + "datePublished"), _lit(published, "date"))
    add(g, _iri(SCHEMA + "publisher"), _lit(f"News Agency {i % 17}"))
    add(g, _iri(AKG + "contentHash"), _lit(digest))
    add(g, _iri(AKG + "sourceFile"), _lit(f"{i:06d}_{digest[:16]}.txt"))
    key, cls, series_name = SERIES[i % len(SERIES)]
    ordinal = 58 if i % 50 == 0 else 1 + (i * 7919) % meetings
    meeting = _iri(naming.meeting_iri(key, ordinal=ordinal))
    host = COUNTRIES[ordinal % len(COUNTRIES)]
    place = _iri(naming.place_iri(PLACES[ordinal % len(PLACES)]))
    add(meeting, RDF_TYPE, _iri(AKG + cls))
    add(meeting, LABEL, _lit(f"{ordinal}th {series_name}", lang="en"))
    add(meeting, _iri(AKG + "inSeries"), _iri(naming.series_iri(key)))
    add(meeting, _iri(AKG + "ordinal"), _lit(str(ordinal), "integer"))
    add(meeting, _iri(SCHEMA + "startDate"), _lit(f"{1967 + ordinal % 59}-07-08", "date"))
    add(meeting, _iri(AKG + "hostCountry"), _iri(naming.country_iri(host)))
    add(meeting, _iri(AKG + "location"), place)
    add(place, RDF_TYPE, _iri(AKG + "Place"))
    add(place, _iri(AKG + "inCountry"), _iri(naming.country_iri(host)))
    initiative = _iri(settings.ID_NS + "initiative/" + INITIATIVES[i % len(INITIATIVES)])
    add(initiative, RDF_TYPE, _iri(AKG + "Initiative"))
    add(meeting, _iri(AKG + "discussed"), initiative)
    chair = _iri(naming.chairmanship_iri("asean", year))
    add(chair, RDF_TYPE, _iri(AKG + "Chairmanship"))
    add(chair, _iri(AKG + "chairCountry"), _iri(naming.country_iri(COUNTRIES[year % 10])))
    add(chair, _iri(AKG + "ofOrganization"), _iri(naming.org_iri("asean")))
    add(chair, _iri(AKG + "year"), _lit(str(year), "gYear"))
    for k in range(PARTICIPANTS):
        n = 0 if (k == 0 and i % 7 == 0) else (i * 13 + k * 101) % people
        person = _iri(naming.person_iri(_person_name(n)))
        country = COUNTRIES[n % len(COUNTRIES)]
        role = ROLES[n % len(ROLES)]
        post = _iri(naming.post_iri(country, role))
        part = _iri(naming.derived_iri("participation", person[1:-1], meeting[1:-1]))
        mention = _iri(naming.derived_iri("mention", article, str(k)))
        capacity = CAPACITIES[0] if k == 0 and i % 3 == 0 else CAPACITIES[1 + (n + k) % 4]
        country_iri = _iri(naming.country_iri(country))
        add(person, RDF_TYPE, _iri(AKG + "Person"))
        add(person, LABEL, _lit(_person_name(n)))
        add(person, _iri(ORG + "holds"), post)
        add(person, _iri(AKG + "nationality"), country_iri)
        add(post, RDF_TYPE, _iri(ORG + "Post"))
        add(post, _iri(ORG + "postIn"), country_iri)
        add(post, _iri(ORG + "role"), _iri(naming.role_iri(role)))
        add(part, RDF_TYPE, _iri(AKG + "Participation"))
        add(part, _iri(AKG + "participant"), person)
        add(part, _iri(AKG + "meeting"), meeting)
        add(part, _iri(AKG + "capacity"), _iri(AKG + capacity))
        add(part, _iri(AKG + "represents"), country_iri)
        add(part, _iri(PROV + "wasDerivedFrom"), mention)
        add(mention, RDF_TYPE, _iri(AKG + "Mention"))
        add(mention, _iri(AKG + "refersTo"), person)
        add(mention, _iri(AKG + "text"), _lit(_person_name(n)))
        add(mention, _iri(AKG + "sentence"),
            _lit(f"{_person_name(n)} of {country} attended the {ordinal}th meeting, the accession of "
                 f"Timor-Leste was discussed."))
        add(mention, _iri(AKG + "start"), _lit(str(100 * k), "integer"))
        add(mention, _iri(AKG + "end"), _lit(str(100 * k + 18), "integer"))
    return [f"{s} {p} {o} {g} .\n" for s, p, o in quads]


def articles_for(triples: int) -> int:
    """How many synthetic articles make about ``triples`` triples."""
    return max(1, round(triples / len(article_quads(1, articles=1000))))


def write_nquads(path: str | os.PathLike, articles: int) -> int:
    """Write ``articles`` synthetic article graphs to ``path`` as N-Quads; returns the line count."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for i in range(articles):
            lines = article_quads(i, articles=articles)
            out.writelines(lines)
            count += len(lines)
    return count


def load_reference(store) -> None:
    """Put the ontology and the gazetteer into their named graphs, as a build does."""
    from aseankg.ingest import ensure_reference_data

    ensure_reference_data(store)


def build_store(folder: str | os.PathLike | None, triples: int, *, scratch: str | os.PathLike) -> tuple:
    """An ``EmbeddedStore`` at ``folder`` (``None``: in memory) holding about ``triples`` synthetic
    triples plus the reference data. Returns ``(store, nquads_path, article_count)``; the N-Quads
    file is kept in ``scratch`` for loading the same data elsewhere."""
    import pyoxigraph as ox

    from aseankg.store import EmbeddedStore

    articles = articles_for(triples)
    path = Path(scratch) / f"synthetic-{triples}.nq"
    if not path.exists():
        write_nquads(path, articles)
    store = EmbeddedStore(folder)
    store.db.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    load_reference(store)
    store.merge_default_graph()
    if folder is not None:
        store.db.optimize()
        store.db.flush()
    return store, path, articles
