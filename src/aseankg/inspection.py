"""What one article yields, as plain data and as text: the facts ``aseankg.extract`` reads, each
with its labels and the sentence that states it (``aseankg extract FILE`` prints this).

>>> import aseankg
>>> from aseankg.inspection import extraction_facts, format_facts
>>> ex = aseankg.extract("Deputy Foreign Minister Dang Hoang Giang led the Vietnamese delegation to the "
...                      "58th ASEAN Foreign Ministers' Meeting in Kuala Lumpur on July 9, 2025.")
>>> facts = extraction_facts(ex)
>>> facts["meetings"][0]["label"], facts["meetings"][0]["start"], facts["meetings"][0]["place"]
("58th ASEAN Foreign Ministers' Meeting", '2025-07-09', 'Kuala Lumpur')
>>> p = facts["participations"][0]
>>> p["person"], p["capacity"], p["country"], p["rule"]
('Dang Hoang Giang', 'HeadOfDelegation', 'Viet Nam', 'delegation')
>>> print(format_facts(facts).splitlines()[0])
Article: (no headline)
"""

from __future__ import annotations

import os
from pathlib import Path

from . import settings
from .gazetteer import load_gazetteer
from .model import Evidence, Extraction

__all__ = ["extraction_facts", "format_facts", "read_one_article", "labels_of"]


def read_one_article(path: str | os.PathLike):
    """The articles of one file (a JSON list or JSON Lines file may hold several), read as
    ``aseankg build`` reads them (``sources.csv`` beside the file included); raises ``ArticleError``."""
    from .reading import ArticleError, read_file

    found = read_file(Path(path))
    errors = [a for a in found if isinstance(a, ArticleError)]
    articles = [a for a in found if not isinstance(a, ArticleError)]
    if not articles and errors:
        raise errors[0]
    return articles


def labels_of(ex: Extraction) -> dict[str, str]:
    """IRI -> label for every entity the extraction names, with the gazetteer's names."""
    gaz = load_gazetteer(settings.GAZETTEER_DIR)
    out: dict[str, str] = {}
    for group in (gaz.countries, gaz.organizations, gaz.series, gaz.roles, gaz.places, gaz.levels):
        for record in group.values():
            out[record.iri] = record.names[0]
    out.update({iri: label for iri, (label, _cls) in ex.series_labels.items()})
    out.update(ex.role_labels)
    for items in (ex.meetings, ex.persons, ex.posts, ex.works, ex.bodies, ex.places):
        out.update({x.iri: x.label for x in items})
    return out


def _evidence(ev: Evidence | list[Evidence] | None) -> str | None:
    if isinstance(ev, list):
        ev = ev[0] if ev else None
    if ev is None:
        return None
    where = "" if ev.sentence.part == "body" else f"[{ev.sentence.part}] "
    return where + ev.sentence.text.strip()


def extraction_facts(ex: Extraction) -> dict:
    """The facts of one extraction as JSON-ready data: meetings (dates, place, announced or held),
    people (country, posts), participations (capacity, country represented, the extraction rule),
    chairmanships, partnerships, initiatives and documents, national bodies, places; every fact with
    its IRI and its evidence sentence."""
    name = labels_of(ex)

    def label(iri: str | None) -> str | None:
        return None if iri is None else name.get(iri, iri.rsplit("/", 1)[-1])

    a = ex.article
    posts = {p.iri: p for p in ex.posts}
    mentioned: dict[str, Evidence] = {}
    for m in ex.mentions:
        mentioned.setdefault(m.entity, m.evidence)
    return {
        "article": {"headline": a.headline, "file": a.source_file, "url": a.url, "publisher": a.publisher,
                    "published": a.published.isoformat() if a.published else None, "dateline": a.dateline},
        "meetings": [{"iri": m.iri, "label": m.label, "kind": m.kind, "series": label(m.series),
                      "ordinal": m.ordinal, "start": m.start, "end": m.end, "place": label(m.location),
                      "country": label(m.host_country), "announced": m.upcoming, "virtual": m.virtual,
                      "also_called": sorted(m.alt_labels), "rules": sorted(m.rules),
                      "evidence": _evidence(m.evidence)} for m in ex.meetings],
        "people": [{"iri": p.iri, "name": p.label, "country": label(p.nationality),
                    "posts": [posts[h.post].label if h.post in posts else label(h.post)
                              for h in ex.holdings if h.person == p.iri],
                    "evidence": _evidence(p.evidence)} for p in ex.persons],
        "participations": [{"person": label(x.participant), "meeting": label(x.meeting), "capacity": x.capacity,
                            "country": label(x.represents), "rule": x.rule, "announced": x.upcoming,
                            "person_iri": x.participant, "meeting_iri": x.meeting,
                            "evidence": _evidence(x.evidence)} for x in ex.participations],
        "chairmanships": [{"country": label(c.country), "organization": label(c.organization), "year": c.year,
                           "theme": c.theme, "rule": c.rule, "evidence": _evidence(c.evidence)}
                          for c in ex.chairmanships],
        "partnerships": [{"parties": [label(p) for p in x.parties], "level": label(x.level),
                          "established": x.established, "coordinator": label(x.coordinator),
                          "coordinator_from": x.coordinator_from, "coordinator_until": x.coordinator_until,
                          "evidence": _evidence(x.evidence)} for x in ex.partnerships],
        "works": [{"iri": w.iri, "label": w.label, "kind": w.kind, "evidence": _evidence(w.evidence)}
                  for w in ex.works],
        "outcomes": [{"meeting": label(o.meeting), "relation": o.relation, "work": label(o.work),
                      "evidence": _evidence(o.evidence)} for o in ex.outcomes],
        "bodies": [{"iri": b.iri, "label": b.label, "country": label(b.country), "aliases": sorted(b.aliases),
                    "evidence": _evidence(b.evidence)} for b in ex.bodies],
        "places": [{"iri": p.iri, "label": p.label, "country": label(p.country), "kind": p.kind,
                    "evidence": _evidence(mentioned.get(p.iri))} for p in ex.places],
    }


def _when(m: dict) -> str:
    if not m["start"]:
        return "date not stated"
    return m["start"] + (f" to {m['end']}" if m["end"] and m["end"] != m["start"] else "")


def format_facts(facts: dict) -> str:
    """``extraction_facts`` as text for a terminal: one block per kind of fact, evidence indented."""
    a = facts["article"]
    head = a["headline"] or (Path(a["file"]).name if a["file"] else "(no headline)")
    lines = [f"Article: {head}"]
    meta = ", ".join(x for x in (a["publisher"], a["published"], a["url"]) if x)
    if meta:
        lines.append(f"  {meta}")

    def block(title: str, items: list, line) -> None:
        lines.append("")
        lines.append(f"{title} ({len(items)})")
        for item in items:
            lines.append("  " + line(item))
            if item.get("evidence"):
                lines.append(f"      \u201c{item['evidence']}\u201d")

    block("Meetings", facts["meetings"], lambda m: f"{m['label']} - {_when(m)}"
          + (f", {m['place']}" if m["place"] else "") + (f" ({m['country']})" if m["country"] else "")
          + (" [announced]" if m["announced"] else "") + f"  <{m['iri']}>")
    block("People", facts["people"], lambda p: p["name"] + (f" ({p['country']})" if p["country"] else "")
          + (f": {'; '.join(p['posts'])}" if p["posts"] else "") + f"  <{p['iri']}>")
    block("Participations", facts["participations"],
          lambda x: f"{x['person']} - {x['capacity']} - {x['meeting']}"
          + (f", for {x['country']}" if x["country"] else "") + (" [announced]" if x["announced"] else "")
          + f"  (rule: {x['rule']})")
    block("Chairmanships", facts["chairmanships"], lambda c: f"{c['country']} chairs {c['organization']} "
          f"in {c['year']}" + (f", theme \u201c{c['theme']}\u201d" if c["theme"] else "") + f"  (rule: {c['rule']})")
    block("Partnerships", facts["partnerships"], lambda x: " - ".join(x["parties"])
          + (f", {x['level']}" if x["level"] else "") + (f", coordinator {x['coordinator']}" if x["coordinator"]
                                                            else ""))
    block("Initiatives and documents", facts["works"], lambda w: f"{w['label']} ({w['kind']})")
    block("Meeting outcomes", facts["outcomes"], lambda o: f"{o['meeting']} {o['relation']} {o['work']}")
    block("National bodies", facts["bodies"], lambda b: f"{b['label']} ({b['country']})")
    block("Places", facts["places"], lambda p: p["label"] + (f" ({p['country']})" if p["country"] else ""))
    return "\n".join(lines)
