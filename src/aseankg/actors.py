"""The actor dictionary: people who held the posts ASEAN news names them by (heads of state and
government, foreign, trade and defence ministers, ASEAN Secretaries-General, EU presidents),
read from ``data/gazetteer/actors.csv`` and ``actor_posts.csv`` (see the gazetteer README), in
the manner of event-coding actor dictionaries (CAMEO, PETRARCH): a name or alias, in a year,
gives a person, their country and the posts they held that year.

>>> [a.name for a in actors_named("Jokowi", 2019)]
['Joko Widodo']
>>> [(p.role, p.holder) for p in posts_held(actors_named("Mahathir", 2019)[0], 2019)]
[('prime-minister', 'MYS')]
>>> posts_held(actors_named("Mahathir Mohamad")[0], 2010)
[]
>>> [a.name for a in actors_named("Marcos", 2023)]
['Ferdinand Marcos Jr.']
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import naming, settings
from .gazetteer import GazetteerError, _case_key, _split, is_case_sensitive

ACTOR_COLUMNS = ("key", "name", "aliases", "short_names", "country", "wikidata")
POST_COLUMNS = ("actor", "role", "holder", "from", "until")


@dataclass(frozen=True)
class Post:
    """A post an actor held: ``role`` (a key of roles.csv) in ``holder`` (an ISO3 country code or
    an organisation key), from year ``start`` to year ``until`` inclusive (None: still held)."""

    actor: str
    role: str
    holder: str
    start: int
    until: int | None = None

    def held_in(self, year: int) -> bool:
        """Whether the post was held at some time in ``year``.

        >>> Post("x", "prime-minister", "MYS", 2018, 2020).held_in(2020)
        True
        """
        return self.start <= year and (self.until is None or year <= self.until)


@dataclass(frozen=True)
class Actor:
    """A person of the dictionary. ``aliases`` name them on their own (full names, distinctive
    nicknames such as "Jokowi"); ``short_names`` ("Anwar", "Marcos") only when the article also
    names them in full, or with a title."""

    key: str
    name: str
    aliases: tuple[str, ...]
    short_names: tuple[str, ...]
    country: str
    wikidata: str
    posts: tuple[Post, ...] = ()

    @property
    def iri(self) -> str:
        """The person's IRI: the same as a person read from text under the canonical name."""
        return naming.person_iri(self.name)

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name and the aliases: forms that name the actor on their own."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))

    def posts_in(self, year: int | None) -> list[Post]:
        if year is None:
            return []
        return [p for p in self.posts if p.held_in(year)]


def _accepts(text: str, surface: str) -> bool:
    """Acronym aliases ("SBY", "BBM") match only with their own capitals."""
    if is_case_sensitive(text):
        return _case_key(surface) == _case_key(text)
    return True


class ActorDictionary:
    """The actors by key, indexed by folded name (full forms and short forms apart)."""

    def __init__(self, actors: dict[str, Actor]):
        self.actors = actors
        self.full: dict[str, list[tuple[str, Actor]]] = {}
        self.short: dict[str, list[tuple[str, Actor]]] = {}
        for a in actors.values():
            for table, names in ((self.full, a.names), (self.short, a.short_names)):
                for text in names:
                    table.setdefault(naming.fold(text), []).append((text, a))
        self.prefixes = frozenset(" ".join(k.split()[:n]) for table in (self.full, self.short)
                                  for k in table for n in range(1, len(k.split()) + 1))
        self.longest = max((len(k.split()) for table in (self.full, self.short) for k in table), default=0)

    def actors_named(self, surface: str, year: int | None = None, *, short: bool = True) -> list[Actor]:
        """The actors ``surface`` names (name or alias; short names too unless ``short`` is False).

        With a ``year``, only those who held a post that year, when some did; otherwise the
        surface must name a single actor ("Clinton" in 2005 names nobody: Bill had left office,
        Hillary was not yet Secretary of State).
        """
        key = naming.fold(surface)
        hits = list(self.full.get(key, ()))
        if short:
            hits += self.short.get(key, ())
        found = list(dict.fromkeys(a for text, a in hits if _accepts(text, surface)))
        if year is not None:
            current = [a for a in found if a.posts_in(year)]
            if current:
                return current
        return found if len(found) == 1 else []

    def posts_held(self, actor: Actor | str, year: int | None) -> list[Post]:
        """The posts ``actor`` (an Actor or a key) held in ``year``."""
        if isinstance(actor, str):
            actor = self.actors[actor]
        return actor.posts_in(year)

    def spans(self, folded: list[str]) -> list[tuple[int, int]]:
        """(first, last) token index of the longest dictionary names in a list of folded words,
        left to right, not overlapping."""
        out: list[tuple[int, int]] = []
        i = 0
        n = len(folded)
        while i < n:
            if folded[i] not in self.prefixes:
                i += 1
                continue
            key, found, j = "", None, i
            while j < n and j - i < self.longest:
                key = f"{key} {folded[j]}" if key else folded[j]
                if key not in self.prefixes:
                    break
                if key in self.full or key in self.short:
                    found = j
                j += 1
            if found is None:
                i += 1
                continue
            out.append((i, found))
            i = found + 1
        return out


def _year(cell: str, where: str) -> int | None:
    if not cell:
        return None
    if not cell.isdigit():
        raise GazetteerError(f"{where}: year {cell!r} is not a number")
    return int(cell)


def _read(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != columns:
            raise GazetteerError(f"{path}:1: columns are {reader.fieldnames}, expected {columns}")
        rows = []
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                raise GazetteerError(f"{path}:{reader.line_num}: expected {len(columns)} cells, fix the quoting")
            rows.append((reader.line_num, {k: v.strip() for k, v in row.items()}))
        return rows


def read_actors(directory: Path) -> ActorDictionary:
    """Read ``actors.csv`` and ``actor_posts.csv`` in ``directory`` (no caching); an empty
    dictionary when the files are absent."""
    d = Path(directory)
    if not (d / "actors.csv").is_file():
        return ActorDictionary({})
    posts: dict[str, list[Post]] = {}
    if (d / "actor_posts.csv").is_file():
        for line, r in _read(d / "actor_posts.csv", POST_COLUMNS):
            where = f"{d / 'actor_posts.csv'}:{line}"
            start = _year(r["from"], where)
            if start is None:
                raise GazetteerError(f"{where}: column 'from' is empty")
            posts.setdefault(r["actor"], []).append(
                Post(r["actor"], r["role"], r["holder"], start, _year(r["until"], where)))
    actors: dict[str, Actor] = {}
    for line, r in _read(d / "actors.csv", ACTOR_COLUMNS):
        if not r["key"] or not r["name"]:
            raise GazetteerError(f"{d / 'actors.csv'}:{line}: key and name are required")
        if r["key"] in actors:
            raise GazetteerError(f"{d / 'actors.csv'}:{line}: duplicate key {r['key']!r}")
        actors[r["key"]] = Actor(r["key"], r["name"], _split(r["aliases"]), _split(r["short_names"]),
                                 r["country"], r["wikidata"], tuple(posts.pop(r["key"], ())))
    if posts:
        raise GazetteerError(f"{d / 'actor_posts.csv'}: posts of unknown actors {sorted(posts)}")
    return ActorDictionary(actors)


@lru_cache(maxsize=8)
def _load(directory: str) -> ActorDictionary:
    return read_actors(Path(directory))


def load_actors(directory: Path = settings.GAZETTEER_DIR) -> ActorDictionary:
    """The actor dictionary in ``directory``, read once per directory and shared (read-only)."""
    return _load(str(Path(directory).resolve()))


def actors_named(surface: str, year: int | None = None) -> list[Actor]:
    """The actors of the project's dictionary that ``surface`` names in ``year`` (see
    ``ActorDictionary.actors_named``)."""
    return load_actors().actors_named(surface, year)


def posts_held(actor: Actor | str, year: int | None) -> list[Post]:
    """The posts an actor (or actor key) of the project's dictionary held in ``year``."""
    return load_actors().posts_held(actor, year)
