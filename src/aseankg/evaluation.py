"""The project's evaluator: how well the extraction reads articles someone annotated by hand.

``evaluate(gold, paths)`` reads each article named in the gold file, extracts it exactly as
``aseankg build`` would (``aseankg.extract``) and compares the facts with the annotations, per kind
of fact: recall (the share of annotated facts found), precision (the share of extracted facts that
are annotated, for kinds where the annotation is complete) and what was missed or extra. ``aseankg
evaluate --gold GOLD.json ARTICLES...`` prints the same.

The gold format (``tests/gold/seeds.json`` is an example; docs/gold-format.md describes every field)::

    {"articles": {"FILE NAME": {
        "published": "2025-07-03",                      # or null
        "meetings": [{"key": "m1", "series": "ASEAN Foreign Ministers' Meeting", "ordinal": 58,
                      "aliases": ["58th AMM"], "start": "2025-07-08", "end": "2025-07-11",
                      "year": 2025, "month": "2025-07", "city": "Kuala Lumpur", "country": "Malaysia"}],
        "persons": [{"name": "Bui Thanh Son", "country": "Vietnam", "roles": ["Deputy Prime Minister"],
                     "attended": ["m1"], "chaired": []}],
        "chairmanships": [{"country": "Malaysia", "year": 2025}],
        "initiatives": ["..."], "documents": ["..."], "organizations": ["ASEAN"],
        "adopted": [{"meeting": "m1", "documents": ["..."]}],
        "partnerships": [{"partner": "New Zealand", "level": "Dialogue Partnership"}],
        "coordinators": [{"country": "Vietnam", "relation": ["ASEAN", "New Zealand"]}],
        "must_not": ["Same tag"]}}}                      # strings no entity label may contain

Keys absent mean nothing stated; keys starting with ``_`` and ``notes``/``traps`` are for people.

>>> import json, tempfile
>>> from pathlib import Path
>>> from aseankg.evaluation import evaluate
>>> with tempfile.TemporaryDirectory() as tmp:
...     _ = (Path(tmp) / "a.txt").write_text("Deputy Foreign Minister Dang Hoang Giang led the Vietnamese "
...         "delegation to the 58th ASEAN Foreign Ministers' Meeting in Kuala Lumpur on July 9, 2025.")
...     gold = {"articles": {"a.txt": {"meetings": [{"key": "amm", "series": "ASEAN Foreign Ministers' Meeting",
...             "ordinal": 58, "start": "2025-07-09", "city": "Kuala Lumpur"}],
...             "persons": [{"name": "Dang Hoang Giang", "country": "Vietnam", "attended": ["amm"]}]}}}
...     result = evaluate(gold, [tmp])
>>> [(s.kind, s.recall, s.precision) for s in result.scores][:3]
[('meetings', 1.0, 1.0), ('persons', 1.0, 1.0), ('person countries', 1.0, 1.0)]
>>> result.missed()
[]
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import settings
from .gazetteer import load_gazetteer
from .model import Extraction
from .naming import fold

__all__ = ["FactScore", "Evaluation", "evaluate", "load_gold", "GoldError", "KINDS"]

#: The kinds of fact scored, in the order reported. Those in ``RECALL_ONLY`` have no precision:
#: the annotation does not list every one the article holds.
KINDS = ("meetings", "persons", "person countries", "person roles", "meeting cities", "meeting start dates",
         "attendance+chair", "chairmanships", "initiatives+documents", "adopted", "organizations",
         "partnerships", "coordinators", "boilerplate kept out")
RECALL_ONLY = {"organizations", "boilerplate kept out"}


class GoldError(ValueError):
    """A gold file that cannot be read, with the reason in one line."""


@dataclass
class FactScore:
    """One kind of fact, summed over the articles: ``gold`` annotated, ``found`` extracted, ``hits`` of the
    annotated ones found, ``right`` of the extracted ones annotated; ``missed`` and ``extra`` say which."""

    kind: str
    gold: int = 0
    found: int = 0
    hits: int = 0
    right: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return round(self.hits / self.gold, 3) if self.gold else None

    @property
    def precision(self) -> float | None:
        if self.kind in RECALL_ONLY or not self.found:
            return None
        return round(self.right / self.found, 3)

    def as_dict(self) -> dict:
        return {"fact": self.kind, "gold": self.gold, "found": self.found, "recall": self.recall,
                "precision": self.precision, "missed": self.missed, "extra": self.extra}


@dataclass
class Evaluation:
    """The scores per kind of fact, the articles scored, and gold articles no path named."""

    scores: list[FactScore]
    articles: list[str]
    not_found: list[str]
    rules: list[FactScore] = field(default_factory=list)  # per extraction rule: found, and right of those

    def score(self, kind: str) -> FactScore:
        return next(s for s in self.scores if s.kind == kind)

    def missed(self) -> list[str]:
        return [f"{s.kind}: {m}" for s in self.scores for m in s.missed]

    def as_dict(self) -> dict:
        return {"articles": self.articles, "not_found": self.not_found, "table": [s.as_dict() for s in self.scores],
                "rules": [{"rule": r.kind, "found": r.found, "right": r.right, "precision": r.precision}
                          for r in self.rules]}

    def rule_table(self) -> str:
        """Precision per extraction rule (``akg:extractionRule``) of meetings and participations, as CSV:
        the facts each rule made and how many of them the gold holds (a lower bound where the gold is
        conservative). ``consolidation`` reads this file as ``data/rule_precision.csv``."""
        lines = ["rule,found,right,precision"]
        lines += [f"{r.kind},{r.found},{r.right},{r.precision if r.precision is not None else ''}" for r in self.rules]
        return "\n".join(lines) + "\n"

    def table(self, details: bool = True) -> str:
        """The scores as text: one row per kind of fact, then what was missed and what was extra."""
        def pct(x: float | None) -> str:
            return "-" if x is None else f"{x:.0%}"
        out = [f"{len(self.articles)} article{'s' if len(self.articles) != 1 else ''} scored", "",
               f"{'fact':24} {'gold':>5} {'found':>6} {'recall':>7} {'precision':>10}"]
        out += [f"{s.kind:24} {s.gold:>5} {s.found:>6} {pct(s.recall):>7} {pct(s.precision):>10}"
                for s in self.scores]
        if self.not_found:
            out += ["", "Not scored (no such article among the paths): " + ", ".join(self.not_found)]
        if details:
            for title, attr in (("Missed", "missed"), ("Extra (extracted, not in the gold)", "extra")):
                items = [f"  {s.kind}: {m}" for s in self.scores for m in getattr(s, attr)]
                if items:
                    out += ["", title] + items
        return "\n".join(out)


def load_gold(source: str | os.PathLike | dict) -> dict[str, dict]:
    """The ``articles`` of a gold file (a path or the parsed JSON), keyed by file name."""
    if isinstance(source, dict):
        data = source
    else:
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise GoldError(f"{source}: no such file") from exc
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldError(f"{source}: not a readable JSON file ({exc})") from exc
    articles = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(articles, dict):
        raise GoldError(f"{source if not isinstance(source, dict) else 'gold'}: no 'articles' object "
                        "(see docs/gold-format.md)")
    return articles


def evaluate(gold: str | os.PathLike | dict | list, paths: Iterable[str | os.PathLike]) -> Evaluation:
    """Extract the articles under ``paths`` that the gold annotates (by file name) and score them;
    ``gold`` may be a list of gold files, read as one."""
    import aseankg

    from .reading import ArticleError, article_files, read_file

    annotated = {k: v for source in (gold if isinstance(gold, list) else [gold]) for k, v in load_gold(source).items()}
    scores = {k: FactScore(k) for k in KINDS}
    rules: dict[str, FactScore] = {}
    scored: list[str] = []
    for path in article_files(paths):
        if path.name not in annotated or path.name in scored:
            continue
        articles = [a for a in read_file(path) if not isinstance(a, ArticleError)]
        if not articles:
            continue
        scored.append(path.name)
        _score_article(path.name, annotated[path.name], aseankg.extract(articles[0]), scores, rules)
    return Evaluation(list(scores.values()), scored, sorted(set(annotated) - set(scored)),
                      [rules[k] for k in sorted(rules)])


# --- matching --------------------------------------------------------------------------------------

def _bare(name: str) -> str:
    """A name folded, without parenthesised acronyms: "Treaty of Amity (TAC)" -> "treaty of amity"."""
    return fold(re.sub(r"\([^)]*\)", " ", name))


def _similar(a: str, b: str) -> bool:
    """Two names of the same work: equal once folded, one inside the other, or most words shared."""
    x, y = _bare(a), _bare(b)
    if not x or not y:
        return False
    if x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} ":
        return True
    wx, wy = set(x.split()), set(y.split())
    return len(wx & wy) / len(wx | wy) >= 0.6


def _pair(gold: list, found: list, score) -> dict[int, int]:
    """One-to-one matching, best pairs first: gold index -> found index, for pairs scoring above 0."""
    pairs = sorted(((score(g, f), i, j) for i, g in enumerate(gold) for j, f in enumerate(found)), reverse=True)
    used_g: dict[int, int] = {}
    used_f: set[int] = set()
    for s, i, j in pairs:
        if s > 0 and i not in used_g and j not in used_f:
            used_g[i] = j
            used_f.add(j)
    return used_g


def _iris(name: str | None, kinds: tuple[str, ...]) -> set[str]:
    if not name:
        return set()
    gaz = load_gazetteer(settings.GAZETTEER_DIR)
    found = {e.iri for e in gaz.lookup(name) if e.kind in kinds}
    if "country" in kinds and (c := gaz.country(name)):
        found.add(c.iri)
    return found


def _compatible(a: str | None, b: str | None) -> bool | None:
    """Two dates at their common precision: True, False, or None when either is missing."""
    if not a or not b:
        return None
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _score_article(name: str, gold: dict, ex: Extraction, scores: dict[str, FactScore],
                   rules: dict[str, FactScore]) -> None:
    from .inspection import labels_of

    def by_rule(names: Iterable[str | None], right: bool) -> None:
        for rule in names:
            if rule:
                r = rules.setdefault(rule, FactScore(rule))
                r.found += 1
                r.right += right

    label = labels_of(ex)
    tag = name.rsplit(".", 1)[0]

    def add(kind: str, gold_items: list, found_items: list, matches: dict[int, int], show_g, show_f) -> None:
        s = scores[kind]
        s.gold += len(gold_items)
        s.found += len(found_items)
        s.hits += len(matches)
        s.right += len(matches)
        s.missed += [f"{tag}: {show_g(g)}" for i, g in enumerate(gold_items) if i not in matches]
        taken = set(matches.values())
        if kind not in RECALL_ONLY:
            s.extra += [f"{tag}: {show_f(f)}" for j, f in enumerate(found_items) if j not in taken]

    # meetings
    gm, fm = gold.get("meetings", []), ex.meetings

    def meeting_score(g: dict, m) -> int:
        names = {_bare(m.label)} | {_bare(x) for x in m.alt_labels}
        by_name = any(_bare(a) in names for a in g.get("aliases", []))
        series = label.get(m.series or "", "")
        by_series = bool(g.get("series")) and (_bare(g["series"]) in (_bare(series), _bare(m.label))
                                               or (m.series in _iris(g["series"], ("series",))))
        if g.get("ordinal") and m.ordinal and g["ordinal"] != m.ordinal:
            return 0
        when = _compatible(g.get("start") or g.get("month") or (str(g["year"]) if g.get("year") else None), m.start)
        if when is False or not (by_name or by_series):
            return 0
        return 2 * by_name + 2 * by_series + (g.get("ordinal") == m.ordinal) + bool(when)

    mm = _pair(gm, fm, meeting_score)
    add("meetings", gm, fm, mm, lambda g: g.get("aliases", [g.get("series")])[0], lambda m: m.label)
    meeting_of = {gm[i]["key"]: fm[j].iri for i, j in mm.items() if "key" in gm[i]}
    for j, m in enumerate(fm):
        by_rule(sorted(m.rules), j in mm.values())

    # meeting cities and start dates, of the meetings matched
    for kind, attr, value in (("meeting cities", "city", lambda m: label.get(m.location or "")),
                              ("meeting start dates", "start", _full_date)):
        g_items = [(i, gm[i][attr]) for i in range(len(gm)) if gm[i].get(attr)]
        f_items = [j for j in mm.values() if value(fm[j])]
        hits = [(i, v) for i, v in g_items if i in mm and value(fm[mm[i]])
                and (fold(value(fm[mm[i]])) == fold(v) if attr == "city" else value(fm[mm[i]]) == v)]
        s = scores[kind]
        s.gold, s.found = s.gold + len(g_items), s.found + len(f_items)
        s.hits, s.right = s.hits + len(hits), s.right + len(hits)
        s.missed += [f"{tag}: {gm[i].get('key')} {attr} {v}" + (f" (read {value(fm[mm[i]])})"
                     if i in mm and value(fm[mm[i]]) else "") for i, v in g_items if (i, v) not in hits]

    # persons and their countries and roles
    gp, fp = gold.get("persons", []), ex.persons

    def person_score(g: dict, p) -> int:
        names = {fold(p.label)} | {fold(x) for x in p.alt_labels}
        return int(fold(g.get("name", "")) in names or fold(g.get("name_as_written", "")) in names)

    pm = _pair(gp, fp, person_score)
    add("persons", gp, fp, pm, lambda g: g.get("name"), lambda p: p.label)
    person_of = {gp[i].get("name"): fp[j].iri for i, j in pm.items()}

    s = scores["person countries"]
    for i, g in enumerate(gp):
        p = fp[pm[i]] if i in pm else None
        if g.get("country"):
            s.gold += 1
            ok = p is not None and p.nationality in _iris(g["country"], ("country",))
            s.hits += ok
            if not ok:
                s.missed.append(f"{tag}: {g['name']} of {g['country']}"
                                + (f" (read {label.get(p.nationality, p.nationality)})" if p and p.nationality else ""))
        if p is not None and p.nationality:
            s.found += 1
            s.right += bool(g.get("country")) and p.nationality in _iris(g["country"], ("country",))

    posts = {x.iri: x for x in ex.posts}
    s = scores["person roles"]
    for i, g in enumerate(gp):
        held = [posts[h.post] for h in ex.holdings if i in pm and h.person == fp[pm[i]].iri and h.post in posts]
        titles = {_bare(t) for x in held for t in (x.label, label.get(x.role, ""), *ex.post_aliases.get(x.iri, ()))}
        roles = {x.role for x in held}
        hit = 0
        for role in g.get("roles", []):
            ok = _bare(role) in titles or bool(_iris(role, ("role",)) & roles)
            hit += ok
            if not ok:
                s.missed.append(f"{tag}: {g['name']} as {role}")
        s.gold += len(g.get("roles", []))
        s.hits += hit
        s.found += len(held)
        s.right += min(hit, len(held))

    # attendance and chairing: (person, meeting) pairs, chairing counted again as its own fact
    g_pairs = [(g.get("name"), k, "attended") for g in gp for k in g.get("attended", [])]
    g_pairs += [(g.get("name"), k, "chaired") for g in gp for k in g.get("chaired", [])]
    f_pairs = [(x.participant, x.meeting, "attended") for x in ex.participations]
    f_pairs += [(x.participant, x.meeting, "chaired") for x in ex.participations if x.capacity in ("Chair", "CoChair")]
    f_pairs = list(dict.fromkeys(f_pairs))
    am = _pair(g_pairs, f_pairs, lambda g, f: int(person_of.get(g[0]) == f[0] and meeting_of.get(g[1]) == f[1]
                                                  and g[2] == f[2]))
    add("attendance+chair", g_pairs, f_pairs, am, lambda g: f"{g[0]} {g[2]} {g[1]}",
        lambda f: f"{label.get(f[0], f[0])} {f[2]} {label.get(f[1], f[1])}")
    matched = {f_pairs[j] for j in am.values()}
    for x in ex.participations:
        by_rule([x.rule], (x.participant, x.meeting, "attended") in matched)

    # chairmanships
    gc, fc = gold.get("chairmanships", []), ex.chairmanships
    cm = _pair(gc, fc, lambda g, c: int(c.country in _iris(g.get("country"), ("country",)) and c.year == g.get("year")))
    add("chairmanships", gc, fc, cm, lambda g: f"{g.get('country')} {g.get('year')}",
        lambda c: f"{label.get(c.country, c.country)} {c.year}")

    # initiatives and documents
    gw = list(gold.get("initiatives", [])) + list(gold.get("documents", []))
    wm = _pair(gw, ex.works, lambda g, w: int(_similar(g, w.label)))
    add("initiatives+documents", gw, ex.works, wm, str, lambda w: w.label)

    # adopted documents
    ga = [(a.get("meeting"), d) for a in gold.get("adopted", []) for d in a.get("documents", [])]
    fa = [o for o in ex.outcomes if o.relation == "adopted"]
    om = _pair(ga, fa, lambda g, o: int(meeting_of.get(g[0]) == o.meeting and _similar(g[1], label.get(o.work, ""))))
    add("adopted", ga, fa, om, lambda g: f"{g[0]} adopted {g[1]}",
        lambda o: f"{label.get(o.meeting, o.meeting)} adopted {label.get(o.work, o.work)}")

    # organisations (recall only: a text names many more than anyone annotates)
    orgs = {m.entity for m in ex.mentions if m.entity.startswith(settings.ID_NS + "org/")}
    body_names = {_bare(n) for b in ex.bodies for n in (b.label, *b.aliases)}
    go = gold.get("organizations", [])
    hits = {i for i, n in enumerate(go) if _iris(n, ("organization",)) & orgs or _bare(n) in body_names}
    add("organizations", go, sorted(orgs), {i: 0 for i in hits}, str, str)

    # partnerships: the partner, and the level where the gold states one
    gpa, fpa = gold.get("partnerships", []), ex.partnerships
    asean = settings.ID_NS + "org/asean"

    def partner_score(g: dict, x) -> int:
        if not set(x.parties) - {asean} & _iris(g.get("partner"), ("country", "organization")):
            return 0
        return 1 + (not g.get("level") or x.level in _iris(g["level"], ("level",)))

    pam = {i: j for i, j in _pair(gpa, fpa, partner_score).items()
           if partner_score(gpa[i], fpa[j]) == 2}
    add("partnerships", gpa, fpa, pam, lambda g: g.get("partner") + (f" ({g['level']})" if g.get("level") else ""),
        lambda x: " - ".join(label.get(p, p) for p in x.parties))

    # coordinators: a country coordinating ASEAN's relations with a partner
    gco = gold.get("coordinators", [])
    fco = [x for x in fpa if x.coordinator]

    def coordinator_score(g: dict, x) -> int:
        partners = set().union(*(_iris(r, ("country", "organization")) for r in g.get("relation", [])))
        return int(x.coordinator in _iris(g.get("country"), ("country",)) and set(x.parties) <= partners | {asean})

    add("coordinators", gco, fco, _pair(gco, fco, coordinator_score),
        lambda g: f"{g.get('country')} for {' - '.join(g.get('relation', []))}",
        lambda x: f"{label.get(x.coordinator, x.coordinator)} for {' - '.join(label.get(p, p) for p in x.parties)}")

    # boilerplate: no entity label may contain a must-not string
    labels = [f" {fold(v)} " for v in _entity_labels(ex)]
    bad = gold.get("must_not", [])
    kept = {i: 0 for i, text in enumerate(bad) if not any(f" {fold(text)} " in lab for lab in labels if fold(text))}
    add("boilerplate kept out", bad, [], kept, lambda t: f"{t!r} became part of an entity label", str)


def _full_date(m) -> str | None:
    """A meeting's start when it is a whole date (the gold's ``start`` is one)."""
    return m.start if m.start and len(m.start) == 10 else None


def _entity_labels(ex: Extraction) -> list[str]:
    out: list[str] = []
    for items in (ex.meetings, ex.persons, ex.works, ex.bodies, ex.places, ex.posts):
        for x in items:
            out.append(x.label)
            out.extend(getattr(x, "alt_labels", ()) or getattr(x, "aliases", ()) or ())
    return out
