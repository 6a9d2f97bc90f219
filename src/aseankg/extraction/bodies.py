"""Government bodies named in full: ministries, departments, offices, agencies and the like.

The gazetteer knows the international organisations; national bodies are too many to list, and
news names them by a construction: a head noun ("Ministry", "Department", "Office", "Authority",
...) with its portfolio before it ("International Trade and Industry Ministry", "Prime Minister's
Office", "Malaysian Industrial Development Authority") or after it ("Ministry of Foreign Affairs",
"Department of the Interior and Local Government"), often with its acronym in brackets ("(DFA)").
A body is national, so it is read only when its country is known: from the name ("Malaysian"),
from the words before it ("Singapore's Ministry of Foreign Affairs", "the Philippine Department of
...") or after it ("... of Viet Nam"), else from the article's dateline.

>>> from aseankg.extraction.lexicon import load_lexicon, tokenize
>>> lex = load_lexicon()
>>> text = "Singapore's Ministry of Foreign Affairs (MFA) said on Monday."
>>> toks = tokenize(text)
>>> [(b.name, b.acronym, b.country.iso3) for b in find_bodies(text, 0, toks, lex.entities(toks), set(), None)]
[('Ministry of Foreign Affairs', 'MFA', 'SGP')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import naming
from ..gazetteer import Country
from .lexicon import Match, Token

#: head nouns of a national body's name
HEADS = {"ministry", "department", "office", "agency", "authority", "commission", "bureau", "corporation",
         "directorate", "secretariat"}
_LINK = {"of", "and", "for", "the", "on"}
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z&.]{1,9})\)")


@dataclass
class BodyMention:
    """A national body named in a sentence: its name as written, acronym and country."""

    start: int
    end: int
    name: str
    acronym: str | None
    country: Country
    core: str = ""  # the name less a leading country or demonym: what identifies it within its country


def _country(m: Match | None) -> Country | None:
    if m is None:
        return None
    return next((e.entry for e in m.entries if e.kind in ("country", "demonym")), None)


def find_bodies(text: str, offset: int, tokens: list[Token], entities: list[Match], blocked: set[int],
                home: Country | None) -> list[BodyMention]:
    """National bodies named in one sentence; ``home`` is the country of the article's dateline,
    the body's country when the sentence names none; tokens in ``blocked`` are never part of one."""
    ent_at = {k: m for m in entities for k in range(m.first, m.last + 1)}
    found: list[BodyMention] = []
    used: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.folded not in HEADS or not tok.text[:1].isupper() or i in used or i in blocked or i in ent_at:
            continue
        first, last = i, i
        # portfolio before the head: "International Trade and Industry Ministry", "Prime Minister's Office"
        k = i - 1
        while k >= 0 and k not in blocked and _joined(tokens, text, offset, k, first):
            t = tokens[k]
            if t.text[:1].isupper() and t.folded not in ("the", "a", "an") and k not in ent_at:
                first, k = k, k - 1
            elif t.folded == "and" and k > 0 and tokens[k - 1].text[:1].isupper() and (k - 1) not in ent_at:
                first, k = k - 1, k - 2
            elif t.folded == "s" and k > 0 and text[tokens[k - 1].end - offset] in "'’" \
                    and tokens[k - 1].text[:1].isupper() and _country(ent_at.get(k - 1)) is None:
                m = ent_at.get(k - 1)  # "Prime Minister's Office": a role may name the office
                first = m.first if m is not None else k - 1
                k = first - 1
            elif k in ent_at and _country(ent_at[k]) is not None and t.text[:1].isupper():
                # "Malaysian Industrial Development Authority", "Vietnam News Agency": part of the name
                first = ent_at[k].first
                break
            else:
                break
        # portfolio after it: "Ministry of Foreign Affairs", "Office of the President"
        j = i + 1
        while j + 1 < len(tokens) and tokens[j].folded in _LINK and _joined(tokens, text, offset, j - 1, j):
            n = j + 1 + (tokens[j + 1].folded == "the")
            if n >= len(tokens) or not tokens[n].text[:1].isupper() or n in ent_at or n in blocked:
                break
            last, j = n, n + 1
            while j < len(tokens) and tokens[j].text[:1].isupper() and j not in ent_at and j not in blocked \
                    and _joined(tokens, text, offset, j - 1, j):
                last, j = j, j + 1
        if first == last:
            continue  # a bare "the Ministry": a reference, not a name
        country = _country(ent_at.get(first)) if first in ent_at else None
        country = country or (_country(ent_at.get(first - 1)) if first > 0 else None)
        if country is None and first > 1 and tokens[first - 1].folded == "s":
            country = _country(ent_at.get(first - 2))  # "Singapore's Ministry of ..."
        if country is None and last + 2 < len(tokens) and tokens[last + 1].folded == "of":
            country = _country(ent_at.get(last + 2 + (tokens[last + 2].folded == "the")))
        country = country or home
        if country is None:
            continue
        start, end = tokens[first].start, tokens[last].end
        core_start = tokens[ent_at[first].last + 1].start if first in ent_at else start
        acronym = _ACRONYM.match(text, end - offset)
        found.append(BodyMention(start, end, re.sub(r"\s+", " ", text[start - offset:end - offset]),
                                 acronym.group(1) if acronym else None, country,
                                 re.sub(r"\s+", " ", text[core_start - offset:end - offset])))
        used.update(range(first, last + 1))
    return found


def body_key(body: BodyMention) -> str:
    """The key a body's IRI is made from: its country and name ("sgp ministry of foreign affairs")."""
    return f"{body.country.iso3} {naming.fold(body.core or body.name)}".lower()


def _joined(tokens: list[Token], text: str, offset: int, i: int, j: int) -> bool:
    gap = text[tokens[i].end - offset:tokens[j].start - offset]
    return bool(re.fullmatch(r"\s*['’]?\s*", gap)) and "\n" not in gap


__all__ = ["HEADS", "BodyMention", "body_key", "find_bodies"]
