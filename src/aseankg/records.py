"""What the store knows about each ingested article (``ArticleRecord``), read from the article
graphs by one query that the embedded and the remote store both run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleRecord:
    """What the store knows about an ingested article, read from the article graph itself."""

    iri: str
    content_hash: str | None
    source_file: str | None
    url: str | None
    source_key: str | None = None  # none in a graph written before keys were (see ingest.source_keys)
    published: str | None = None  # schema:datePublished, as written
    publisher: str | None = None  # schema:publisher


#: One row per article graph: the graph's own description of its article.
ARTICLE_RECORDS_QUERY = """
SELECT ?g ?hash ?file ?url ?key ?published ?publisher WHERE {
  GRAPH ?g {
    ?g a <https://w3id.org/aseankg/ontology#Article> .
    OPTIONAL { ?g <https://w3id.org/aseankg/ontology#contentHash> ?hash }
    OPTIONAL { ?g <https://w3id.org/aseankg/ontology#sourceFile> ?file }
    OPTIONAL { ?g ?urlProperty ?url
               FILTER (?urlProperty IN (<https://schema.org/url>, <http://schema.org/url>)) }
    OPTIONAL { ?g <https://w3id.org/aseankg/ontology#sourceKey> ?key }
    OPTIONAL { ?g <https://schema.org/datePublished> ?published }
    OPTIONAL { ?g <https://schema.org/publisher> ?publisher }
  }
}"""


def article_records_from(rows: Iterable[tuple]) -> dict[str, ArticleRecord]:
    """``ArticleRecord``s from rows of ``ARTICLE_RECORDS_QUERY`` (first value wins, in sorted order)."""
    records: dict[str, ArticleRecord] = {}
    def key(row: tuple) -> tuple[str, ...]:
        return tuple("" if term is None else str(term) for term in row)

    for g, content, file, url, source_key, *metadata in sorted(rows, key=key):
        iri = str(g)
        if iri not in records:
            published, publisher = (metadata + [None, None])[:2]
            records[iri] = ArticleRecord(iri, _text(content), _text(file), _text(url), _text(source_key),
                                         _text(published), _text(publisher))
    return records


def _text(term) -> str | None:
    return None if term is None else str(term)
