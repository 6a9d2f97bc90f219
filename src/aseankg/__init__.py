"""aseankg: a knowledge graph of ASEAN actors, meetings and initiatives, built from news articles.

>>> import aseankg
>>> ex = aseankg.extract("Deputy Foreign Minister Dang Hoang Giang led the Vietnamese delegation to the "
...                      "58th ASEAN Foreign Ministers' Meeting in Kuala Lumpur on July 9, 2025.")
>>> [(m.label, m.start) for m in ex.meetings]
[("58th ASEAN Foreign Ministers' Meeting", '2025-07-09')]
>>> [(x.participant.rsplit('/', 1)[1], x.capacity) for x in ex.participations]
[('dang-hoang-giang', 'HeadOfDelegation')]

A store of articles is a ``KnowledgeGraph`` (see ``aseankg.graph`` for the whole tour):

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp, aseankg.open(tmp + "/kg") as kg:
...     report = kg.build([aseankg.settings.ARTICLES_DIR])
...     chair = kg.chair_of(2025)
>>> report.added, chair.country_name
(5, 'Malaysia')
"""

# The standard library under private names: ``import aseankg`` exposes the public API (``__all__``)
# and its submodules, nothing else (tests/test_public_api.py).
import os as _os
from collections.abc import Iterable as _Iterable
from datetime import date as _date

from .graph import Chairmanship, KnowledgeGraph, Meeting, Participant
from .ingest import BuildReport
from .ingest import build_articles as _build_articles
from .model import Article, Extraction
from .store import Store
from .stores import open_store as _open_store

__version__ = "0.1.0"
__all__ = ["extract", "build", "open", "KnowledgeGraph", "Meeting", "Participant", "Chairmanship",
           "Article", "Extraction", "BuildReport", "Store"]


def extract(text: str | Article, *, published: _date | str | None = None, url: str | None = None,
            publisher: str | None = None, headline: str | None = None) -> Extraction:
    """The facts one article states, as plain data classes (``Extraction``), each with evidence.

    ``text`` is an article as scraped (page noise is set apart first) or an ``Article`` read already.
    """
    from . import extraction
    from .reading import parse_text

    article = text if isinstance(text, Article) else parse_text(
        text, url=url, publisher=publisher, published=published, headline=headline)
    return extraction.extract(article)


def open(location: str | _os.PathLike | None = None, **kwargs) -> KnowledgeGraph:  # noqa: A001 - the verb
    """The knowledge graph at ``location`` (a folder, created if need be, or a SPARQL endpoint's query
    URL); ``None`` means ``$ASEANKG_STORE`` or ``./aseankg-store``. ``kwargs`` go to
    ``stores.open_store`` (``read_only``, ``update_url``, ``gsp_url``)."""
    return KnowledgeGraph.open(location, **kwargs)


def build(paths: _Iterable[str | _os.PathLike],
          store: KnowledgeGraph | Store | str | _os.PathLike | None = None) -> BuildReport:
    """Ingest the articles under ``paths`` into ``store`` (a ``KnowledgeGraph``, a ``Store`` or a
    location), as ``aseankg build`` does."""
    if isinstance(store, KnowledgeGraph):
        return store.build(paths)
    if isinstance(store, Store):
        return _build_articles(paths, store)
    kg = _open_store(store)
    try:
        return _build_articles(paths, kg)
    finally:
        kg.close()


def __dir__() -> list[str]:
    """``dir(aseankg)``: the public API and the version."""
    return sorted([*__all__, "__version__"])
