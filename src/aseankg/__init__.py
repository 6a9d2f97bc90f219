"""aseankg: a knowledge graph of ASEAN actors, meetings and initiatives, built from news articles.

>>> import aseankg
>>> ex = aseankg.extract("Deputy Foreign Minister Dang Hoang Giang led the Vietnamese delegation to the "
...                      "58th ASEAN Foreign Ministers' Meeting in Kuala Lumpur on July 9, 2025.")
>>> [(m.label, m.start) for m in ex.meetings]
[("58th ASEAN Foreign Ministers' Meeting", '2025-07-09')]
>>> [(x.participant.rsplit('/', 1)[1], x.capacity) for x in ex.participations]
[('dang-hoang-giang', 'HeadOfDelegation')]
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date

from .ingest import BuildReport, build_articles
from .model import Article, Extraction
from .store import Store, open_store

__version__ = "0.1.0"
__all__ = ["extract", "build", "open", "Article", "Extraction", "BuildReport", "Store"]


def extract(text: str | Article, *, published: date | str | None = None, url: str | None = None,
            publisher: str | None = None, headline: str | None = None) -> Extraction:
    """The facts one article states, as plain data classes (``Extraction``), each with evidence.

    ``text`` is an article as scraped (page noise is set apart first) or an ``Article`` read already.
    """
    from . import extraction
    from .reading import parse_text

    article = text if isinstance(text, Article) else parse_text(
        text, url=url, publisher=publisher, published=published, headline=headline)
    return extraction.extract(article)


def open(location: str | os.PathLike | None = None, **kwargs) -> Store:  # noqa: A001 - the library's verb
    """The store at ``location`` (a folder, created if need be, or a SPARQL endpoint's query URL);
    ``None`` means ``$ASEANKG_STORE`` or ``./aseankg-store``."""
    return open_store(location, **kwargs)


def build(paths: Iterable[str | os.PathLike], store: Store | str | os.PathLike | None = None) -> BuildReport:
    """Ingest the articles under ``paths`` into ``store`` (a ``Store`` or a location), as
    ``aseankg build`` does."""
    if isinstance(store, Store):
        return build_articles(paths, store)
    kg = open_store(store)
    try:
        return build_articles(paths, kg)
    finally:
        kg.close()
