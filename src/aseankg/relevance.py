"""Is a news item about ASEAN diplomacy? A cheap test on its title and summary (or, when a
sitemap gives neither, on the fetched page), built from the gazetteer.

Score (documented in the README; tunable with a sources file's ``[relevance]`` table):

* 2 when the text names an ASEAN body or a meeting series (``organizations.csv``,
  ``series.csv``: "ASEAN", "AMM", "East Asia Summit", "ASEAN Regional Forum"...) or one of
  the extra ``keywords``;
* +1 for each ASEAN member named (``countries.csv``, group ``asean-member``: name, alias or
  demonym);
* +1 for each partner named (any other group: dialogue partners, APT, EAS, ARF...), but only
  when a member is named too: "Japan and Canada sign a deal" is not about ASEAN.

An item is relevant when its score reaches ``min_score`` (2 by default) and it names none of
the ``exclude`` words.

>>> test = Relevance.from_gazetteer()
>>> test.check("Viet Nam, Japan deepen strategic partnership").relevant
True
>>> test.check("Premier League: Arsenal beat Chelsea").relevant
False
>>> test.check("Foreign ministers open the 58th AMM in Kuala Lumpur").terms
('AMM',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .gazetteer import Gazetteer, is_case_sensitive, load_gazetteer

MEMBER_GROUP = "asean-member"


@dataclass(frozen=True)
class Verdict:
    """The score of a text, the names that made it, and whether that is enough."""

    score: int
    terms: tuple[str, ...]
    relevant: bool


@dataclass
class Relevance:
    """The test: name → what it counts as (``"asean"``, ``"member:VNM"``, ``"partner:JPN"``)."""

    names: dict[str, str]
    min_score: int = 2
    exclude: tuple[str, ...] = ()
    _patterns: list[re.Pattern] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        exact = sorted((n for n in self.names if is_case_sensitive(n)), key=len, reverse=True)
        folded = sorted((n for n in self.names if not is_case_sensitive(n)), key=len, reverse=True)
        self._lower = {n.lower(): n for n in folded}
        self._patterns = [re.compile(_alternation(exact))] if exact else []
        if folded:
            self._patterns.append(re.compile(_alternation(folded), re.I))
        self._exclude = re.compile(_alternation(self.exclude), re.I) if self.exclude else None

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer | None = None, *, min_score: int = 2,
                       keywords: Iterable[str] = (), exclude: Iterable[str] = ()) -> Relevance:
        """The test from the gazetteer's bodies, series and countries, plus extra ``keywords``
        (each counting as an ASEAN body) and ``exclude`` words."""
        gaz = gazetteer or load_gazetteer()
        names: dict[str, str] = {}
        for c in gaz.countries.values():
            kind = f"member:{c.iso3}" if MEMBER_GROUP in c.groups else f"partner:{c.iso3}" if c.groups else None
            if kind:
                for name in (*c.names, *c.demonyms):
                    if len(name) > 2:  # two-letter codes ("US", "UK") match too much
                        names.setdefault(name, kind)
        for record in (*gaz.organizations.values(), *gaz.series.values()):
            for name in record.names:
                if len(name) > 2:
                    names[name] = "asean"
        for word in keywords:
            names[word] = "asean"
        return cls(names, min_score=min_score, exclude=tuple(exclude))

    def check(self, text: str) -> Verdict:
        """Score ``text`` (a title and summary, or a page's headline and body)."""
        found: dict[str, str] = {}
        for pattern in self._patterns:
            for m in pattern.finditer(text):
                name = m.group(1)
                name = self._lower.get(name.lower(), name) if pattern.flags & re.I else name
                if name in self.names:
                    found.setdefault(name, self.names[name])
        kinds = set(found.values())
        members = {k for k in kinds if k.startswith("member:")}
        partners = {k for k in kinds if k.startswith("partner:")}
        score = 2 * ("asean" in kinds) + len(members) + (len(partners) if members else 0)
        excluded = bool(self._exclude and self._exclude.search(text))
        return Verdict(score, tuple(sorted(found)), score >= self.min_score and not excluded)


def _alternation(names: Iterable[str]) -> str:
    return r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
