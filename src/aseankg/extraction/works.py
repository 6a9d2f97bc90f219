"""Named initiatives and documents: declarations, agreements, plans, visions, funds, ...

A work is a capitalised name built around a keyword from the cue list ("Declaration",
"Work Plan", "Fund", ...): "Kuala Lumpur Declaration on ASEAN 2045: Our Common Future",
"ASEAN Community Vision 2045", "IAI Work Plan IV (2021-2025)". Quoted names are taken whole.
Keywords such as "Partnership" or "Community" need a name before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import naming
from .lexicon import Lexicon, Match, Token

_CONNECT = {"of", "on", "for", "and", "in", "to"}
_NEEDS_NAME = {"Partnership", "Community", "Forum", "Cooperation", "Mechanism", "Programme", "Program",
               "Report", "Framework", "Package", "Grid", "Corridor", "Statement", "Agenda"}
#: the documents a meeting issues under its own name
_MEETING_DOCS = {"statement", "joint statement", "joint communique", "communique", "declaration",
                 "chairmans statement", "chairs statement"}
_ROMAN = re.compile(r"^(?:I{1,3}|IV|V|VI{0,3}|IX|X)$")
_QUOTED = re.compile(r"[“\"]([^”\"]{6,140})[”\"]")


@dataclass
class WorkMention:
    start: int
    end: int
    label: str
    kind: str  # Document | Initiative


def _capital_or_number(tok: Token) -> bool:
    return tok.text[:1].isupper() or tok.text[:1].isdigit() or bool(_ROMAN.match(tok.text))


def find_works(text: str, offset: int, tokens: list[Token], entities: list[Match], blocked: set[int],
               lex: Lexicon, meetings: frozenset[int] = frozenset()) -> list[WorkMention]:
    """Works named in one sentence; tokens in ``blocked`` (people) are never part of one, nor those
    in ``meetings`` except in a meeting's own statement ("the 58th AMM Joint Communiqué", "the
    Chair's Statement of the 48th ASEAN Summit")."""
    found: list[WorkMention] = []
    taken: set[int] = set()
    keywords = lex.cue_table("work")
    for m in _QUOTED.finditer(text):
        inner = m.group(1).strip()
        kind = _kind_of(inner, keywords)
        if kind:
            found.append(WorkMention(m.start(1) + offset, m.end(1) + offset, inner, kind))
            taken.update(i for i, t in enumerate(tokens) if m.start(1) + offset <= t.start < m.end(1) + offset)
    org_spans = {(e.first, e.last) for e in entities if e.kinds() & {"organization", "series", "level"}}
    people = blocked
    blocked = blocked | {i for e in entities if "role" in e.kinds() for i in range(e.first, e.last + 1)}
    # a venue ("Kuala Lumpur Convention Center") is not a convention; a place may start a name
    venues = {i for e in entities if "place" in e.kinds() for i in range(e.first, e.last + 1)}
    for cue in lex.cues(tokens, "work"):
        if not tokens[cue.first].text[:1].isupper() or cue.first in taken or cue.first in blocked \
                or cue.first in venues or cue.first in meetings:
            continue
        # a meeting's statement is named after the meeting; any other work stops at it
        stops = people if naming.fold(cue.entries[0].phrase) in _MEETING_DOCS else blocked | meetings
        first = cue.first
        k = first - 1
        while k >= 0 and k not in stops and _joined(tokens, text, offset, k, first):
            tok = tokens[k]
            if _capital_or_number(tok) and tok.folded not in ("the", "a", "an"):
                first, k = k, k - 1
            elif tok.folded == "s" and k > 0 and text[tokens[k - 1].end - offset] in "'’" \
                    and _capital_or_number(tokens[k - 1]) and (k - 1) not in stops:
                first, k = k - 1, k - 2  # "the Chair's Statement": a possessive inside the name
            elif tok.folded in ("of", "on", "for", "and", "plus", "in") and k > 0 \
                    and _capital_or_number(tokens[k - 1]) and (k - 1) not in stops:
                first, k = k - 1, k - 2
            else:
                break
        if first == 0 and tokens[0].folded in ("the", "a"):
            first += 1
        last = cue.last
        k = last + 1
        while k < len(tokens) and k not in stops and _joined(tokens, text, offset, k - 1, k):
            tok = tokens[k]
            if tok.in_parens:
                close = text.find(")", tok.start - offset)
                inner = text[tok.start - offset:close] if close >= 0 else ""
                if close < 0 or len(inner) > 14:
                    break
                while k < len(tokens) and tokens[k].in_parens and tokens[k].start - offset < close:
                    k += 1
                last = k - 1
                break
            if _capital_or_number(tok) and tok.text[:1] != tok.text[:1].lower() or tok.text[:1].isdigit():
                last, k = k, k + 1
            elif tok.folded in _CONNECT and k + 1 < len(tokens) and _capital_or_number(tokens[k + 1]) \
                    and (k + 1) not in stops and tokens[k + 1].folded not in ("the",) \
                    and not (tok.folded == "in" and k + 1 in venues):  # "... Summit in Cebu": its venue
                last, k = k + 1, k + 2
            elif tok.folded in _CONNECT and k + 2 < len(tokens) and tokens[k + 1].folded == "the" \
                    and _capital_or_number(tokens[k + 2]) and (k + 2) not in stops:
                last, k = k + 2, k + 3
            else:
                break
        while last > cue.last and tokens[last].folded in _CONNECT | {"the"}:
            last -= 1
        keyword = cue.entries[0].phrase
        if first == cue.first and (keyword in _NEEDS_NAME or last == cue.last):
            continue
        if (first, last) in org_spans or any(i in taken for i in range(first, last + 1)):
            continue
        start, end = tokens[first].start, tokens[last].end
        label = text[start - offset:end - offset]
        if tokens[last].in_parens and text[end - offset:end - offset + 1] == ")":
            end += 1
            label += ")"
        label = re.sub(r"\s+", " ", label).strip(" ,:;")
        found.append(WorkMention(start, end, label, cue.value))
        taken.update(range(first, last + 1))
    return found


def _joined(tokens: list[Token], text: str, offset: int, i: int, j: int) -> bool:
    gap = text[tokens[i].end - offset:tokens[j].start - offset]
    return bool(re.fullmatch(r"\s*[\-–+:]?\s*\(?", gap)) and "\n" not in gap


def _kind_of(phrase: str, keywords: dict) -> str | None:
    words = naming.fold(phrase).split()
    if not phrase[:1].isupper() or len(words) < 2:
        return None
    folded = " " + " ".join(words) + " "
    for key, cues in keywords.items():
        if f" {key} " in folded and cues[0].phrase not in _NEEDS_NAME:
            return cues[0].value
    return None
