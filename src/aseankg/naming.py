"""Deterministic IRIs for everything the graph names (DESIGN.md, "IRIs are deterministic").

The same thing read in two articles gets the same IRI, so graphs merge by themselves and
re-ingesting changes nothing.

>>> fold("Bùi Thanh Sơn")
'bui thanh son'
>>> person_iri("Nguyễn Quốc Dũng")
'https://w3id.org/aseankg/id/person/nguyen-quoc-dung'
>>> meeting_iri("amm", ordinal=58)
'https://w3id.org/aseankg/id/meeting/amm-58'
>>> meeting_iri("asean-som", start="2025-09-09")
'https://w3id.org/aseankg/id/meeting/asean-som-2025-09-09'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from .settings import ID_NS

# Letters that NFKD does not decompose into an ASCII base letter.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d"})

_WORD = re.compile(r"[a-z0-9]+")


# The folds are memoised: the extractor folds every token and name, and the same words recur
# across sentences and articles. Bounded, so a long build over many names cannot grow them forever.
@lru_cache(maxsize=1 << 16)
def ascii_fold(text: str) -> str:
    """Text with diacritics removed, case kept: ``'Bùi Thanh Sơn'`` → ``'Bui Thanh Son'``."""
    if text.isascii():  # nothing to remove (NFKD leaves ASCII alone)
        return str(text)
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces, for comparing names."""
    text = ascii_fold(text).lower().replace("'", "").replace("’", "")
    return " ".join(_WORD.findall(text))


def slug(text: str) -> str:
    """The IRI path segment for a name: folded words joined by hyphens."""
    return fold(text).replace(" ", "-")


def _iri(kind: str, key: str) -> str:
    return f"{ID_NS}{kind}/{key}"


def country_iri(iso3: str) -> str:
    """``id/country/VNM`` from an ISO 3166-1 alpha-3 code."""
    return _iri("country", iso3.upper())


def org_iri(key: str) -> str:
    return _iri("org", slug(key))


def person_iri(name: str) -> str:
    return _iri("person", slug(name))


def place_iri(name: str) -> str:
    return _iri("place", slug(name))


def series_iri(key: str) -> str:
    return _iri("series", slug(key))


def role_iri(key: str) -> str:
    return _iri("role", slug(key))


def post_iri(holder: str | None, role: str) -> str:
    """``id/post/vnm-foreign-minister``: the role ``role`` in country or organisation ``holder``
    (``id/post/foreign-minister`` when the text does not say whose)."""
    return _iri("post", f"{slug(holder)}-{slug(role)}" if holder else slug(role))


def meeting_iri(series: str, *, ordinal: int | None = None, start: str | None = None) -> str:
    """``id/meeting/<series>-<ordinal>``, else ``<series>-<start date>``, else the series alone."""
    key = slug(series)
    if ordinal is not None:
        return _iri("meeting", f"{key}-{ordinal}")
    if start:
        return _iri("meeting", f"{key}-{start}")
    return _iri("meeting", key)


def work_iri(kind: str, name: str) -> str:
    """``id/document/<slug>`` or ``id/initiative/<slug>``."""
    return _iri(kind.lower(), slug(name))


def chairmanship_iri(org: str, year: int) -> str:
    return _iri("chairmanship", f"{slug(org)}-{year}")


def partnership_iri(*parties: str) -> str:
    """One IRI per set of parties, whatever order they are named in."""
    keys = sorted(p.rsplit("/", 1)[-1].lower() for p in parties)
    return _iri("partnership", "-".join(keys))


def article_iri(content_hash: str) -> str:
    """``id/article/<first 16 hex digits of the body's sha256>``."""
    return _iri("article", content_hash[:16])


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def derived_iri(kind: str, *parts: str) -> str:
    """A stable IRI for an n-ary node (participation, mention) from the things it joins."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return _iri(kind, digest)
