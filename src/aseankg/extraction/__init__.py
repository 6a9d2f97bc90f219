"""Extraction: an ``Article`` in, facts with evidence out (``Extraction``). Pure: no I/O beyond
loading the curated lexicon once.

>>> from aseankg.reading import parse_text
>>> art = parse_text("Deputy Foreign Minister Dang Hoang Giang attended the 58th ASEAN Foreign "
...                  "Ministers' Meeting (AMM-58) in Kuala Lumpur, Malaysia on July 9, 2025.")
>>> ex = extract(art)
>>> [(m.label, m.ordinal, m.start) for m in ex.meetings]
[("58th ASEAN Foreign Ministers' Meeting", 58, '2025-07-09')]
>>> [p.label for p in ex.persons], [x.capacity for x in ex.participations]
(['Dang Hoang Giang'], ['Delegate'])
"""

from __future__ import annotations

from functools import lru_cache

from .. import model, naming
from ..gazetteer import Country, Organization
from ..model import Article, Extraction
from .discourse import Facts, read_discourse
from .lexicon import Lexicon, load_lexicon
from .people import PeopleFinder


@lru_cache(maxsize=4)
def _finder(lex: Lexicon) -> PeopleFinder:
    return PeopleFinder(lex)


def extract(article: Article, *, lexicon: Lexicon | None = None) -> Extraction:
    """Every fact the article states, each with its evidence; IRIs follow DESIGN.md."""
    lex = lexicon or load_lexicon()
    facts = read_discourse(article, lex, _finder(lex))
    return _to_model(article, facts, lex)


def _holder_iri(holder) -> str | None:
    if isinstance(holder, Country):
        return holder.iri
    if isinstance(holder, Organization):
        return holder.iri
    return None


def _holder_key(holder) -> str | None:
    if isinstance(holder, Country):
        return holder.iso3.lower()
    if isinstance(holder, Organization):
        return holder.key
    return None


def _to_model(article: Article, facts: Facts, lex: Lexicon) -> Extraction:
    ex = Extraction(article)
    meeting_iris: dict[tuple, str] = {}
    places: dict[str, model.Place] = {}
    for key, rec in facts.meetings.items():
        if rec.ordinal is not None:
            iri = naming.meeting_iri(rec.series_key, ordinal=rec.ordinal)
        elif rec.start:
            iri = naming.meeting_iri(rec.series_key, start=rec.start)
        else:
            iri = naming.meeting_iri(rec.series_key, start=f"a{article.id[:12]}")
        meeting_iris[key] = iri
    for key, rec in facts.meetings.items():
        iri = meeting_iris[key]
        location = None
        if rec.place is not None:
            location = rec.place.iri
        elif rec.new_place is not None:
            name, country = rec.new_place
            location = naming.place_iri(name)
            places[location] = model.Place(location, name, country.iri)
        upcoming = rec.future > 0 and rec.past == 0
        if rec.start and article.published:
            upcoming = rec.start > article.published.isoformat()[:len(rec.start)]
        alt = {a for a in rec.aliases if a and a != rec.label}
        series = lex.gazetteer.series.get(rec.series_key)
        ex.meetings.append(model.Meeting(
            iri=iri, label=rec.label, kind=rec.meeting_class, series=naming.series_iri(rec.series_key),
            ordinal=rec.ordinal, start=rec.start, end=rec.end, location=location,
            host_country=rec.host.iri if rec.host else None, virtual=rec.virtual, upcoming=upcoming,
            alt_labels=alt, evidence=rec.evidence, rules=set(rec.rules),
            related_to=meeting_iris.get(rec.related_to) if rec.related_to else None))
        if series is None:
            ex.series_labels[naming.series_iri(rec.series_key)] = (rec.series_label, rec.meeting_class)
    ex.places = list(places.values())

    person_iris: dict[str, str] = {}
    for key, rec in facts.persons.items():
        iri = naming.person_iri(rec.name)
        person_iris[key] = iri
        ex.persons.append(model.Person(iri, rec.name, rec.country.iri if rec.country else None,
                                       {x for x in rec.labels if x != rec.name}, rec.evidence))
        for role, holder, surface, ev in rec.posts:
            holder = holder or rec.country
            post = naming.post_iri(_holder_key(holder), role.key)
            label = f"{role.label} of {holder.name}" if holder is not None else role.label
            if not any(p.iri == post for p in ex.posts):
                ex.posts.append(model.Post(post, label, naming.role_iri(role.key), _holder_iri(holder)))
                if role.role is None:
                    ex.role_labels[naming.role_iri(role.key)] = role.label
            ex.post_aliases.setdefault(post, set()).add(surface)
            ex.holdings.append(model.Holding(iri, post, ev))

    for (person, meeting), (capacity, country, ev, rule, future) in facts.participations.items():
        ex.participations.append(model.Participation(person_iris[person], meeting_iris[meeting], capacity,
                                                     country.iri if country else None, ev, rule, future))
    seen_chairs: set[tuple] = set()
    for c in facts.chairmanships:
        k = (c["country"].iso3, c["year"])
        if k in seen_chairs:
            continue
        seen_chairs.add(k)
        ex.chairmanships.append(model.Chairmanship(c["country"].iri, naming.org_iri("asean"), c["year"],
                                                   c["theme"], c["evidence"], c.get("rule")))
    for p in facts.partnerships.values():
        partner = p["partner"]
        ex.partnerships.append(model.Partnership(
            (naming.org_iri("asean"), partner.iri), p["level"].iri if p["level"] else None, p["established"],
            p["coordinator"].iri if p["coordinator"] else None, p["from"], p["until"], p["evidence"]))
    work_iris: dict[str, str] = {}
    for key, (w, evs) in facts.works.items():
        iri = naming.work_iri(w.kind, w.label)
        work_iris[key] = iri
        ex.works.append(model.Work(iri, w.label, w.kind, evs))
    for key, (b, evs, names) in facts.bodies.items():
        ex.bodies.append(model.Body(naming.org_iri(key), f"{b.name} ({b.country.name})", b.country.iri, names, evs))
    kinds = {key: w.kind for key, (w, _) in facts.works.items()}
    for meeting, relation, work, ev in facts.outcomes:
        if relation == "adopted" and kinds.get(work) != "Document":
            relation = "discussed"  # only documents are adopted; an initiative is taken up
        if work in work_iris and meeting in meeting_iris:
            ex.outcomes.append(model.MeetingOutcome(meeting_iris[meeting], relation, work_iris[work], ev))
    for kind, target, text, ev in facts.mentions:
        if kind == "meeting":
            iri = meeting_iris[target]
        elif kind == "work":
            iri = work_iris.get(target)
        else:
            iri = target.iri
        if iri:
            ex.mentions.append(model.Mention(iri, text, ev, kind))
    for rec in facts.persons.values():
        for ev in rec.evidence:
            ex.mentions.append(model.Mention(person_iris[rec.key], ev.text, ev, "person"))
    return ex
