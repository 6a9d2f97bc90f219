"""Tokens and the curated lexicon: gazetteer names and cue phrases, matched on folded n-grams.

Matching works on tokens rather than raw strings so that "Foreign Ministers’ Meeting",
"Foreign Ministers' Meeting" and "Foreign Ministers Meeting" are the same phrase, and
parenthesised acronyms inside a name ("ASEAN Economic Ministers (AEM) Meeting") can be skipped.

>>> lex = load_lexicon()
>>> [(m.text, m.entries[0].kind) for m in lex.entities(tokenize("Malaysian Prime Minister Anwar"))]
[('Malaysian', 'demonym'), ('Prime Minister', 'role')]
>>> [c.value for c in lex.cues(tokenize("She co-chaired it"), "participation")]
['CoChair']
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import naming, settings
from ..actors import ActorDictionary, load_actors
from ..gazetteer import Entry, Gazetteer, Series, load_gazetteer

_TOKEN = re.compile(r"[^\W_]+(?:['’](?!s\b)[^\W_]+)*|[+&]")  # "Thailand’s" is "Thailand" + "s"


@dataclass(frozen=True)
class Token:
    """A word of a sentence: its text, character offsets in the body, and folded form."""

    start: int
    end: int
    text: str
    folded: str
    in_parens: bool = False

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word tokens of ``text``, with offsets shifted by ``offset``; "+" and "&" are tokens too."""
    tokens: list[Token] = []
    depth = 0
    last = 0
    parens = "(" in text or ")" in text
    fold = naming.fold
    for m in _TOKEN.finditer(text):
        word = m.group()
        start, end = m.span()
        if parens:
            between = text[last:start]
            depth = max(0, depth + between.count("(") - between.count(")"))
            last = end
        folded = "plus" if word == "+" else "and" if word == "&" else fold(word)
        if not folded:
            continue
        tokens.append(Token(start + offset, end + offset, word, folded, depth > 0))
    return tokens


@dataclass(frozen=True)
class Match:
    """A lexicon phrase found in a token list: tokens ``[first, last]`` (inclusive)."""

    first: int
    last: int
    start: int
    end: int
    text: str
    entries: tuple = ()

    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}


@dataclass(frozen=True)
class Cue:
    phrase: str
    kind: str
    value: str


class Lexicon:
    """Everything the extractor matches against: the gazetteer plus the cue phrases."""

    def __init__(self, gazetteer: Gazetteer, cues: list[Cue], actors: ActorDictionary | None = None):
        self.gazetteer = gazetteer
        self.actors = actors or ActorDictionary({})  # people named without a title (actors.py)
        self._entities: dict[str, list[Entry]] = gazetteer.aliases()
        plus = [(naming.fold(e.text.replace("+", " plus ")), e)
                for entries in self._entities.values() for e in entries if "+" in e.text]
        for key, e in plus:  # the tokenizer reads "+" as "plus": "ASEAN+3" = "ASEAN Plus 3"
            bucket = self._entities.setdefault(key, [])
            if e not in bucket:
                bucket.append(e)
        self._max_entity = max((len(k.split()) for k in self._entities), default=1)
        self.bodies: dict[str, list[Series]] = defaultdict(list)
        for s in gazetteer.series.values():
            for body in s.bodies:
                key = naming.fold(body)
                if s not in self.bodies[key]:
                    self.bodies[key].append(s)
        self._max_body = max((len(k.split()) for k in self.bodies), default=1)
        self._cues: dict[str, dict[str, list[Cue]]] = defaultdict(lambda: defaultdict(list))
        for cue in cues:
            self._cues[cue.kind][naming.fold(cue.phrase)].append(cue)
        self._max_cue = max((len(k.split()) for k in (p for d in self._cues.values() for p in d)), default=1)
        self.honorifics = {naming.fold(h) for h in gazetteer.honorifics}
        self._prefix_cache: dict[int, frozenset[str]] = {}

    # -- generic n-gram matching -------------------------------------------------------------
    def _prefixes(self, table: dict) -> frozenset[str]:
        """Every word-prefix of the table's keys, so a match stops growing as soon as it cannot
        become a key (most words start no name at all). The tables live as long as the lexicon."""
        found = self._prefix_cache.get(id(table))
        if found is None:
            found = frozenset(" ".join(k.split()[:n]) for k in table for n in range(1, len(k.split()) + 1))
            self._prefix_cache[id(table)] = found
        return found

    def _longest(self, tokens: list[Token], table: dict, longest: int, *, skip_parens: bool = False):
        """Greedy left-to-right longest matches of ``table`` keys over ``tokens``."""
        prefixes = self._prefixes(table)
        n = len(tokens)
        out = []
        i = 0  # the first token not yet matched
        # most words start no key: only the tokens that do are tried
        for first in [k for k, t in enumerate(tokens) if t.folded in prefixes]:
            if first < i:
                continue
            found = None
            size = 0
            key = ""
            j = first
            while j < n and size < longest:
                if skip_parens and size and tokens[j].in_parens and not tokens[first].in_parens:
                    j += 1
                    continue
                if size and tokens[first].in_parens and not tokens[j].in_parens:
                    break  # "(ASEAN) summits": a bracket's words do not run on past it
                size += 1
                key = f"{key} {tokens[j].folded}" if key else tokens[j].folded
                if key not in prefixes:
                    break
                if key in table:
                    found = (j, table[key])
                j += 1
            if found:
                out.append((first, found[0], found[1]))
                i = found[0] + 1
        return out

    @staticmethod
    def _match(tokens: list[Token], first: int, last: int, text: str, values) -> Match:
        return Match(first, last, tokens[first].start, tokens[last].end, text, tuple(values))

    def entities(self, tokens: list[Token], text: str | None = None, *, offset: int = 0) -> list[Match]:
        """Gazetteer names in ``tokens``; acronyms only with their own case ("US", not "us")."""
        out = []
        for first, last, entries in self._longest(tokens, self._entities, self._max_entity, skip_parens=True):
            surface = " ".join(t.text for t in tokens[first:last + 1]
                               if not t.in_parens or tokens[first].in_parens)
            ok = tuple(e for e in entries if _accepts(e, surface))
            if ok:
                out.append(self._match(tokens, first, last, surface, ok))
        return out

    def series_bodies(self, tokens: list[Token]) -> list[Match]:
        """Generic meeting names ("Summit", "Foreign Ministers' Meeting", "SOM") in ``tokens``."""
        out = []
        for first, last, series in self._longest(tokens, self.bodies, self._max_body, skip_parens=True):
            surface = " ".join(t.text for t in tokens[first:last + 1] if not t.in_parens or tokens[first].in_parens)
            if tokens[first].text.islower() and not tokens[last].text.islower():
                continue
            out.append(self._match(tokens, first, last, surface, series))
        return out

    def cues(self, tokens: list[Token], kind: str) -> list[Cue | Match]:
        """Cue phrases of one kind; each result is a Match whose entries are the Cues (value shortcut)."""
        out = []
        for first, last, cues in self._longest(tokens, self._cues[kind], self._max_cue):
            out.append(CueMatch(first, last, tokens[first].start, tokens[last].end,
                                " ".join(t.text for t in tokens[first:last + 1]), tuple(cues)))
        return out

    def cue_table(self, kind: str) -> dict[str, list[Cue]]:
        return self._cues[kind]


def _accepts(entry: Entry, surface: str) -> bool:
    """Case matters only for short acronyms ("US" is not "us"); "Asean Plus 3" is "ASEAN+3"."""
    if entry.accepts(surface):
        return True
    letters = sum(c.isalpha() for c in entry.text)
    return letters > 4 and naming.fold(surface) in (naming.fold(entry.text),
                                                     naming.fold(entry.text.replace("+", " plus ")))


@dataclass(frozen=True)
class CueMatch(Match):
    @property
    def value(self) -> str:
        return self.entries[0].value


def read_cues(path: Path) -> list[Cue]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Cue(r["cue"], r["kind"], r["value"]) for r in csv.DictReader(f) if r["cue"].strip()]


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = settings.GAZETTEER_DIR) -> Lexicon:
    """The lexicon built from the gazetteer files in ``directory`` (cached)."""
    return Lexicon(load_gazetteer(directory), read_cues(directory / "cues.csv"), load_actors(directory))
