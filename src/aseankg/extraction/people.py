"""People: names found next to titles, with the posts and countries the titles state.

Three shapes cover most of what news writes:

- title before name: "Malaysian Prime Minister Anwar Ibrahim", "Deputy Prime Minister and
  Minister of Foreign Affairs Bui Thanh Son", "Ambassador, Head of the Permanent Mission of
  Vietnam to ASEAN Ton Thi Ngoc Huong";
- name then apposition: "Ton Thi Ngoc Huong, the new ambassador and permanent representative of
  Vietnam to the bloc", "Kung Phoak – secretary of state for ...";
- honorific before name: "H.E. Jurin Laksanawisit, Deputy Prime Minister ... of Thailand".

A title region is a run of title words (role names, ministry words, countries, demonyms,
organisations and linkers); the name is the run of capitalised words that follows it.
Honorifics are dropped from names; diacritics are kept for labels and folded for identity.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import naming
from ..actors import Actor
from ..gazetteer import Country, Organization, Role
from .lexicon import Lexicon, Match, Token

_LINKERS = {"of", "the", "to", "for", "and", "cum", "in"}
#: Words a title does not end with, when an apposition runs on into the sentence.
_TRAILING = _LINKERS | {"at", "on", "with", "from", "during"}
_PARTICLES = {"bin", "binti", "bt", "de", "del", "van", "von", "da", "dos", "al", "el", "la", "le"}
_SUFFIXES = {"jr", "sr", "ii", "iii"}
_STOP = {"the", "a", "an", "he", "she", "his", "her", "it", "they", "this", "that", "these", "on", "in",
         "at", "as", "by", "for", "with", "from", "and", "but", "or", "if", "when", "while", "after",
         "before", "during", "under", "since", "speaking", "according", "meanwhile", "also", "both",
         "all", "mr", "mrs", "ms", "dr", "hinh", "anh", "photo", "source", "vna", "vns", "xinhua"}


@dataclass
class RoleRef:
    """A role named in a title: a gazetteer role, or a title read from the text (``role`` None)."""

    key: str
    label: str
    surface: str
    role: Role | None = None
    holder: Country | Organization | None = None  # a dictionary post's holder (else the person's)


@dataclass
class PersonMention:
    """A person named in a sentence, with what the surrounding title says about them."""

    name: str
    start: int
    end: int
    roles: list[RoleRef] = field(default_factory=list)
    country: Country | None = None
    organization: Organization | None = None
    titles: list[str] = field(default_factory=list)  # title text as written, for post aliases
    title_start: int | None = None  # where the title before the name starts
    actor: Actor | None = None  # the actor dictionary's person, when the name is theirs
    surface: str | None = None  # the name as written, when ``name`` is the dictionary's

    @property
    def full(self) -> bool:
        """Named in full (two words or more), or known to the actor dictionary ("Suharto")."""
        return self.actor is not None or len(self.name.split()) >= 2

    @property
    def key(self) -> str:
        return naming.fold(self.name)


@dataclass
class RoleReference:
    """"the Deputy Minister", "the Malaysian PM": a person named earlier, by their title."""

    start: int
    end: int
    words: set[str]
    country: Country | None = None


def _role_of(m: Match) -> Role | None:
    return next((e.entry for e in m.entries if e.kind == "role"), None)


def _country_of(m: Match) -> Country | None:
    return next((e.entry for e in m.entries if e.kind in ("country", "demonym")), None)


def _org_of(m: Match) -> Organization | None:
    return next((e.entry for e in m.entries if e.kind == "organization"), None)


class PeopleFinder:
    """Finds person mentions in sentences; one per lexicon."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.portfolio = set(lex.cue_table("portfolio"))
        self.heads = set(lex.cue_table("role-head"))
        self.honorifics = lex.honorifics
        self.honorific_words = {w for h in self.honorifics for w in h.split()}
        self.title_words = set(self.portfolio) | self.heads | _LINKERS | {"s"}
        for r in lex.gazetteer.roles.values():
            for name in r.names:
                self.title_words.update(naming.fold(name).split())

    # -- names --------------------------------------------------------------------------------
    def _name_token(self, tok: Token, ent_at: dict[int, Match], i: int) -> bool:
        t = tok.text
        if not t[:1].isupper() or tok.folded in _STOP or tok.in_parens:
            return False
        if len(t) == 1:
            return True  # an initial: "S. Jaishankar"
        if len(t) > 3 and t.isupper():
            return False  # "ASEAN", "PRESIDENT": not a name written in capitals here
        if ent_at.get(i) is not None:
            return False
        return tok.folded not in self.title_words or tok.folded in ("son", "sen")

    def _skip_honorifics(self, tokens: list[Token], i: int) -> int:
        """Index of the first token after any honorifics starting at ``i``."""
        moved = True
        while moved and i < len(tokens):
            moved = False
            for n in (4, 3, 2, 1):
                if i + n <= len(tokens) and " ".join(t.folded for t in tokens[i:i + n]) in self.honorifics:
                    i += n
                    moved = True
                    break
        return i

    def _name_at(self, tokens: list[Token], i: int, ent_at: dict[int, Match], text: str, offset: int):
        """(last token index, name text) of a personal name starting at token ``i``, or None."""
        j = i
        parts: list[int] = []
        while j < len(tokens) and len(parts) < 6:
            tok = tokens[j]
            if parts and not _same_phrase(tokens[parts[-1]], tok, text, offset):
                break
            if self._name_token(tok, ent_at, j):
                parts.append(j)
            elif parts and tok.folded in _PARTICLES and j + 1 < len(tokens) \
                    and self._name_token(tokens[j + 1], ent_at, j + 1):
                parts.append(j)
            elif parts and tok.folded in _SUFFIXES and tok.text[:1].isupper():
                parts.append(j)
            elif parts and tok.folded in self.honorifics and j + 1 < len(tokens) \
                    and self._name_token(tokens[j + 1], ent_at, j + 1):
                parts.append(j)  # "Erywan bin Pehin Yusof": a title word inside a name
            else:
                break
            j += 1
        if not parts:
            return None
        last = parts[-1]
        name = text[tokens[i].start - offset:tokens[last].end - offset]
        name = re.sub(r"['’]s$", "", name)  # "Bui Thanh Son's working visit"
        if tokens[last].folded in _SUFFIXES and text[tokens[last].end - offset:tokens[last].end - offset + 1] == ".":
            name += "."
        name = re.sub(r"\s+", " ", name)
        return last, name

    # -- titles -------------------------------------------------------------------------------
    def _title_region(self, tokens: list[Token], end: int, ent_at: dict[int, Match], text: str,
                      offset: int) -> int:
        """First token of the title that ends at token ``end`` (inclusive), walking left."""
        i = end
        start = end + 1
        while i >= 0:
            tok = tokens[i]
            m = ent_at.get(i)
            if m is not None and m.last == i and (m.kinds() & {"role", "country", "demonym", "organization"}):
                if start <= end and not _same_phrase(tokens[m.last], tokens[start], text, offset, commas=True):
                    break
                start, i = m.first, m.first - 1
                continue
            if tok.folded in self.title_words and (tok.folded not in _LINKERS or start <= end) \
                    and (start > end or _same_phrase(tok, tokens[start], text, offset, commas=True)):
                start, i = i, i - 1
                continue
            break
        while start <= end and tokens[start].folded in _LINKERS:
            start += 1
        return start

    def _read_title(self, tokens: list[Token], first: int, last: int, ent_at: dict[int, Match],
                    text: str, offset: int) -> tuple[list[RoleRef], Country | None, Organization | None, str]:
        """Roles, country and organisation stated by the title tokens ``first..last``."""
        roles: list[RoleRef] = []
        country: Country | None = None
        org: Organization | None = None
        segment: list[int] = []
        surface = text[tokens[first].start - offset:tokens[last].end - offset].strip(" ,–-")

        def close_segment():
            words = [tokens[k] for k in segment]
            while words and words[-1].folded in _TRAILING:  # "Head of Vietnam ASEAN SOM at the Conference"
                words.pop()
            if len(words) >= 2 and any(w.folded in self.heads for w in words):
                label = " ".join(w.text for w in words)
                label = label[:1].upper() + label[1:]
                roles.append(RoleRef(naming.slug(label), label, label))
            segment.clear()

        i = first
        while i <= last:
            m = ent_at.get(i)
            prev = tokens[i - 1].folded if i > first else ""
            if m is not None and m.first == i and m.last <= last:
                role = _role_of(m)
                c = _country_of(m)
                o = _org_of(m)
                if role is not None:
                    close_segment()
                    portfolio_end = self._portfolio_end(tokens, m.last, last, ent_at)
                    surface_role = text[tokens[i].start - offset:tokens[portfolio_end].end - offset]
                    if portfolio_end > m.last:
                        extra = " ".join(t.text for t in tokens[m.last + 1:portfolio_end + 1])
                        label = f"{role.label} {extra}" if role.category != "minister" else surface_role
                        roles.append(RoleRef(naming.slug(surface_role), label, surface_role))
                    else:
                        roles.append(RoleRef(role.key, role.label, surface_role, role))
                    i = portfolio_end + 1
                    continue
                if c is not None and prev != "to":
                    country = country or c
                elif o is not None and org is None:
                    org = o
                i = m.last + 1
                continue
            tok = tokens[i]
            if tok.folded in ("and", "cum") or text[tokens[i - 1].end - offset:tok.start - offset].strip() == ",":
                close_segment()
            possessive = tok.folded == "s" and text[tokens[i - 1].end - offset:tok.start - offset] in ("'", "’")
            if tok.folded not in _LINKERS and not possessive:  # "Head of Vietnam's ASEAN SOM"
                segment.append(i)
            i += 1
        close_segment()
        return roles, country, org, surface

    def _portfolio_end(self, tokens: list[Token], i: int, limit: int, ent_at: dict[int, Match]) -> int:
        """"Minister of Industry and Trade": extend a role over the ministry words after it."""
        j = i
        skip = 1 if j + 2 <= limit and tokens[j + 2].folded == "the" else 0  # "of the Ministry of ..."
        if j + 1 <= limit and tokens[j + 1].folded in ("of", "for") and j + 2 + skip <= limit \
                and tokens[j + 2 + skip].folded in self.portfolio and ent_at.get(j + 2 + skip) is None:
            k = j + 2 + skip
            while k <= limit and (tokens[k].folded in self.portfolio or tokens[k].folded in ("and", "of")) \
                    and ent_at.get(k) is None:
                k += 1
            while tokens[k - 1].folded in ("and", "of"):
                k -= 1
            return k - 1
        return j

    def _complement_end(self, tokens: list[Token], k: int, ent_at: dict[int, Match]) -> int:
        """"Ambassador to Laos", "Minister of Foreign Affairs of Laos": extend a title over the
        country or organisation it is of or to."""
        while k + 2 < len(tokens) and tokens[k + 1].folded in ("to", "of", "for"):
            j = k + 2 + (tokens[k + 2].folded == "the")
            m = ent_at.get(j)
            if m is None or m.first != j or not m.kinds() & {"country", "organization"}:
                break
            k = m.last
        return k

    # -- sentences ----------------------------------------------------------------------------
    def find(self, text: str, offset: int, tokens: list[Token], entities: list[Match],
             resolve: Resolver | None = None):
        """Person mentions and title-only references in one sentence. ``resolve(name, titled)``
        gives the actor dictionary's person a name stands for (or None); with it, names without a
        title are found too ("said Anwar", "Hun Sen and Lee Hsien Loong")."""
        ent_at: dict[int, Match] = {}
        for m in entities:
            for k in range(m.first, m.last + 1):
                ent_at[k] = m
        found: list[PersonMention] = []
        refs: list[RoleReference] = []
        used: set[int] = set()
        dict_spans = dict(self.lex.actors.spans([t.folded for t in tokens])) if resolve is not None else {}
        role_ends = sorted({m.last for m in entities if "role" in m.kinds()} |
                           {i for i, t in enumerate(tokens) if t.folded in self.heads and ent_at.get(i) is None
                            and t.text[:1].isupper()})
        for end in role_ends:
            if end in used:
                continue
            k = self._complement_end(tokens, self._portfolio_end(tokens, end, len(tokens) - 1, ent_at), ent_at)
            i = self._skip_honorifics(tokens, k + 1)
            if i < len(tokens) and not (_same_phrase(tokens[k], tokens[k + 1], text, offset) and
                                        _same_phrase(tokens[i - 1], tokens[i], text, offset)):
                i = len(tokens)
            name = self._name_at(tokens, i, ent_at, text, offset) if i < len(tokens) else None
            comma = k + 1 < len(tokens) and text[tokens[k].end - offset:tokens[k + 1].start - offset].strip() == ","
            if name is None and comma:
                name = self._name_at(tokens, k + 1, ent_at, text, offset)
                if name is not None and (len(name[1].split()) < 2 or self._starts_title(tokens, name[0] + 1, ent_at)):
                    name = None
                elif name is not None:
                    i = k + 1
            first = self._title_region(tokens, end, ent_at, text, offset)
            if name is None:
                if first > 0 and tokens[first - 1].folded in ("the", "his", "her") or \
                        (first > 1 and tokens[first - 2].folded == "the"):
                    words = {t.folded for t in tokens[first:k + 1] if t.folded not in _LINKERS}
                    region = [ent_at[x] for x in range(first, k + 1) if x in ent_at]
                    country = next((c for m in region if (c := _country_of(m))), None)
                    refs.append(RoleReference(tokens[first].start, tokens[k].end, words, country))
                continue
            last, name_text = self._dictionary_extent(name, i, dict_spans, tokens, text, offset)
            actor = resolve(name_text, True) if resolve is not None else None
            if actor is None and resolve is not None and i > k + 1:  # "Tengku Zafrul Abdul Aziz"
                actor = resolve(text[tokens[k + 1].start - offset:tokens[last].end - offset], True)
            if len(name_text.split()) < 2 and actor is None:
                refs.append(RoleReference(tokens[first].start, tokens[k].end,
                                          {t.folded for t in tokens[first:k + 1] if t.folded not in _LINKERS},
                                          None))
                found.append(PersonMention(name_text, tokens[i].start, tokens[last].end, title_start=-1))
                used.update(range(first, last + 1))
                continue
            roles, country, org, surface = self._read_title(tokens, first, k, ent_at, text, offset)
            if country is None and first > 0 and tokens[first - 1].folded == "its":
                # "North Korea ... its foreign minister Ri Yong Ho"
                country = next((c for m in sorted(entities, key=lambda m: -m.first) if m.last < first
                                and (c := _country_of(m)) is not None), None)
            pm = PersonMention(name_text, tokens[i].start, tokens[last].end, roles, country, org,
                               [surface] if roles else [], tokens[first].start)
            _as_actor(pm, actor)
            self._apposition(pm, tokens, last + 1, ent_at, text, offset)
            found.append(pm)
            used.update(range(first, last + 1))
        # honorific or bare name followed by an apposed title: "H.E. Antony Blinken, Secretary of State"
        for i, tok in enumerate(tokens):
            if i in used or not tok.text[:1].isupper() or i in ent_at:
                continue  # "U" is an honorific, but not inside "U.S."
            j = self._skip_honorifics(tokens, i)
            had_honorific = j > i
            name = self._name_at(tokens, j, ent_at, text, offset) if j < len(tokens) else None
            if name is None or any(x in used for x in range(i, name[0] + 1)):
                continue
            last, name_text = self._dictionary_extent(name, j, dict_spans, tokens, text, offset)
            if len(name_text.split()) < 2:
                continue
            pm = PersonMention(name_text, tokens[j].start, tokens[last].end)
            if self._apposition(pm, tokens, last + 1, ent_at, text, offset) or had_honorific:
                actor = resolve(name_text, had_honorific) if resolve is not None else None
                if actor is None and resolve is not None and had_honorific:  # the honorific is in an alias
                    actor = resolve(text[tokens[i].start - offset:tokens[last].end - offset], True)
                _as_actor(pm, actor)
                found.append(pm)
                used.update(range(i, last + 1))
        if resolve is not None:
            found += self._dictionary_names(text, offset, tokens, entities, ent_at, used, resolve)
        if len(found) <= 1:
            for line in self._roster_line(text, offset, tokens, ent_at):
                # "Dato' Sri Anifah Aman - Malaysia": the honorific found the name, the line gives its country
                same = [pm for pm in found if pm.start < line.end and line.start < pm.end]
                if not same:
                    found.append(line)
                elif same[0].country is None:
                    same[0].country = line.country
        found.sort(key=lambda p: p.start)
        return found, refs

    def _roster_line(self, text: str, offset: int, tokens: list[Token], ent_at: dict[int, Match]):
        """A list line that is a name and its country: "Julie Bishop - Australia", "Dato' Sri
        Anifah Aman – Malaysia"."""
        m = re.fullmatch(r"\s*(.{3,80}?)\s+[-–—]\s+(?:the\s+)?(.{3,40}?)\s*", text)
        if not m or len(tokens) > 14:
            return []
        end = offset + m.end(1)
        country = [ent_at[k] for k, t in enumerate(tokens) if t.start >= offset + m.start(2) and k in ent_at]
        if not country or country[-1].end != offset + m.end(2) or _country_of(country[-1]) is None:
            return []
        i = self._skip_honorifics(tokens, 0)
        if i >= len(tokens) or tokens[i].start >= end:
            return []
        name = text[tokens[i].start - offset:end - offset]
        # every word a capitalised name part: "Ri Yong-ho", "Kang Kyung-wha", "Alan Peter S. Cayetano"
        if not re.fullmatch(r"(?:[A-Z][\w'’.]*(?:-[\w'’]+)*\s+){1,4}[A-Z][\w'’]*(?:-[\w'’]+)*", name) \
                or any(k in ent_at for k, t in enumerate(tokens) if tokens[i].start <= t.start < end):
            return []
        return [PersonMention(name, tokens[i].start, end, country=_country_of(country[-1]))]

    @staticmethod
    def _dictionary_extent(name: tuple[int, str], i: int, dict_spans: dict[int, int], tokens: list[Token],
                           text: str, offset: int) -> tuple[int, str]:
        """A name read from token ``i`` grown to the dictionary name starting there, when that is
        longer: "Prayut Chan-o-cha" (the "o" is not capitalised)."""
        last, name_text = name
        end = dict_spans.get(i)
        if end is not None and end > last and all(_same_phrase(tokens[k], tokens[k + 1], text, offset)
                                                  for k in range(last, end)):
            return end, text[tokens[i].start - offset:tokens[end].end - offset]
        return last, name_text

    def _dictionary_names(self, text: str, offset: int, tokens: list[Token], entities: list[Match],
                          ent_at: dict[int, Match], used: set[int], resolve: Resolver) -> list[PersonMention]:
        """Names of the actor dictionary written without a title: "said Anwar", "Hun Sen and Lee
        Hsien Loong". A name is taken only when it is capitalised, is not (part of) a place,
        organisation or other gazetteer name, and is not part of a longer name."""
        out: list[PersonMention] = []
        n = len(tokens)
        for first, last in self.lex.actors.spans([t.folded for t in tokens]):
            if any(k in used for k in range(first, last + 1)) or tokens[first].in_parens:
                continue
            if not (tokens[first].text[:1].isupper() and tokens[last].text[:1].isupper()):
                continue
            if any(m.first <= last and m.last >= first and
                   (m.first < first or m.last > last or (m.first, m.last) == (first, last)) for m in entities):
                continue  # "Marcos Highway", or a name that is also a place or organisation
            nxt = last + 1
            if nxt < n and _same_phrase(tokens[last], tokens[nxt], text, offset) \
                    and tokens[nxt].folded not in _SUFFIXES and self._name_token(tokens[nxt], ent_at, nxt):
                continue  # the start of a longer name
            if first > 1 and _same_phrase(tokens[first - 1], tokens[first], text, offset) \
                    and tokens[first - 1].folded not in self.honorific_words \
                    and self._name_token(tokens[first - 1], ent_at, first - 1):
                continue  # the end of a longer name
            surface = text[tokens[first].start - offset:tokens[last].end - offset]
            actor = resolve(surface, False)
            if actor is None:
                continue
            pm = PersonMention(actor.name, tokens[first].start, tokens[last].end)
            _as_actor(pm, actor, surface)
            self._apposition(pm, tokens, last + 1, ent_at, text, offset)
            out.append(pm)
            used.update(range(first, last + 1))
        return out

    def _starts_title(self, tokens: list[Token], i: int, ent_at: dict[int, Match]) -> bool:
        m = ent_at.get(i)
        return i < len(tokens) and m is not None and "role" in m.kinds()

    def _apposition(self, pm: PersonMention, tokens: list[Token], i: int, ent_at: dict[int, Match],
                    text: str, offset: int) -> bool:
        """Read ", the new ambassador ... of Vietnam" after a name into ``pm``; True if found."""
        if i >= len(tokens):
            return False
        gap = text[tokens[i - 1].end - offset:tokens[i].start - offset]
        if gap.strip() not in (",", "–", "-", "—", "("):
            return False
        j = i
        while j < len(tokens) and tokens[j].folded in ("the", "a", "new", "also", "who", "is", "as"):
            j += 1
        last = j - 1
        k = j
        while k < len(tokens):
            if k > j and not _same_phrase(tokens[k - 1], tokens[k], text, offset, commas=True):
                break
            m = ent_at.get(k)
            if m is not None and m.first == k and (m.kinds() & {"role", "country", "demonym", "organization"}):
                last, k = m.last, m.last + 1
                continue
            if tokens[k].folded in self.title_words:
                last, k = k, k + 1
                continue
            break
        while last >= j and tokens[last].folded in _LINKERS:
            last -= 1
        if last < j:
            return False
        after = self._skip_honorifics(tokens, last + 1)
        if after < len(tokens) and _same_phrase(tokens[last], tokens[after], text, offset) and \
                self._name_at(tokens, after, ent_at, text, offset) is not None:
            return False  # "A, Myanmar Minister B": the title of the next person in a list
        roles, country, org, surface = self._read_title(tokens, j, last, ent_at, text, offset)
        if not roles:
            if country is not None and any(tokens[k].folded in self.heads for k in range(j, last + 1)):
                pm.country = pm.country or country  # "Head of Vietnam's ASEAN SOM": whose, if not what
            return False
        pm.roles.extend(roles)
        pm.country = pm.country or country
        pm.organization = pm.organization or org
        pm.titles.append(surface)
        return True


Resolver = Callable[[str, bool], "Actor | None"]


def _as_actor(pm: PersonMention, actor: Actor | None, surface: str | None = None) -> None:
    """Name ``pm`` by the dictionary's canonical name, so "Jokowi" and "Joko Widodo" are one person."""
    if actor is not None:
        pm.surface = surface or pm.name
        pm.name = actor.name
        pm.actor = actor


def _same_phrase(a: Token, b: Token, text: str, offset: int, *, commas: bool = False) -> bool:
    """Tokens a and b are separated only by spaces (or a comma when ``commas``), not by
    sentence punctuation or brackets."""
    gap = text[a.end - offset:b.start - offset]
    allowed = r"[\s.’'\-–]*" if not commas else r"[\s.’'\-–]*,?[\s]*"
    return bool(re.fullmatch(allowed, gap))
