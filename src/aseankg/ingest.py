"""Building the graph: article files in, one SHACL-checked named graph per article in the store.

read → extract → RDF → SHACL gate → store, one article at a time. An article that cannot be
read or does not conform is quarantined with a report naming the file and the reason; the rest
go on. Re-ingesting an article already stored changes nothing; an edited article (same file or
address, new text) replaces its old graph in the same transaction.

>>> import tempfile
>>> from aseankg.store import open_store
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = open_store(tmp + "/store")
...     first = build_articles([settings.ARTICLES_DIR], store)
...     again = build_articles([settings.ARTICLES_DIR], store)
...     store.close()
>>> first.added, again.added, again.unchanged
(5, 0, 5)
"""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from rdflib import RDF, URIRef

from . import naming, settings
from .extraction import extract
from .extraction.lexicon import load_lexicon
from .gazetteer import load_gazetteer
from .model import Article
from .rdf import article_graph
from .reading import ArticleError, article_files, read_file
from .store import Store
from .validation import ArticleValidator, load_validator


@dataclass
class Quarantined:
    """An article left out of the store, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class BuildReport:
    """What a build did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    triples: int = 0
    entities: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        lines = [f"articles: {self.added} added, {self.replaced} replaced, {self.unchanged} unchanged, "
                 f"{len(self.quarantined)} quarantined", f"triples written: {self.triples}"]
        if self.entities:
            lines.append("entities: " + ", ".join(f"{n} {t}" for t, n in sorted(self.entities.items())))
        lines.extend(f"quarantined: {q}" for q in self.quarantined)
        return "\n".join(lines)


def ensure_reference_data(store: Store) -> None:
    """Write the ontology and the gazetteer into their own named graphs (replacing older copies)."""
    from rdflib import Graph

    store.put_graph(settings.ONTOLOGY_GRAPH, Graph().parse(settings.ONTOLOGY, format="turtle"))
    store.put_graph(settings.REFERENCE_GRAPH, load_gazetteer().reference_graph())


def _source_key(article: Article) -> str | None:
    return article.url or (PurePath(article.source_file).name if article.source_file else None)


def build_articles(paths: Iterable[str | os.PathLike], store: Store, *,
                   progress: Callable[[str], None] | None = None,
                   quarantine_dir: str | os.PathLike | None = None) -> BuildReport:
    """Ingest every article under ``paths`` into ``store``; see the module docstring."""
    report = BuildReport()
    ensure_reference_data(store)
    validator = load_validator()
    load_lexicon()
    with _setup_frozen():
        _build(paths, store, validator, report, progress, quarantine_dir)
    return report


@contextmanager
def _setup_frozen() -> Iterator[None]:
    """Keep Python's cyclic garbage collector off everything that exists before the articles are
    read (the lexicon, the shapes, the reference index: ~100k objects, alive for the whole build)
    while the build runs. An article allocates enough to set off a full collection every ~75
    articles, and each one re-scanned all of those: ~1 ms an article. Does nothing if something
    else froze objects already."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _build(paths: Iterable[str | os.PathLike], store: Store, validator: ArticleValidator, report: BuildReport,
           progress: Callable[[str], None] | None, quarantine_dir: str | os.PathLike | None) -> None:
    """The article loop of :func:`build_articles`, adding to ``report``."""
    records = store.article_records()
    by_source: dict[str, str] = {}
    for rec in records.values():
        for key in (rec.url, rec.source_file):
            if key:
                by_source[key] = rec.iri
    for path in article_files(paths):
        for item in read_file(path):
            if progress:
                progress(str(path))
            if isinstance(item, ArticleError):
                _quarantine(report, Quarantined(str(item.path or path), item.reason), quarantine_dir)
                continue
            iri = naming.article_iri(item.id)
            if iri in records or store.has_graph(iri):
                report.unchanged += 1
                continue
            try:
                graph = article_graph(extract(item))
            except Exception as exc:  # a bug must not stop the build: the article is set aside
                _quarantine(report, Quarantined(str(path), f"extraction failed: {exc!r}"), quarantine_dir)
                continue
            result = validator.validate(graph)
            if not result.conforms:
                _quarantine(report, Quarantined(str(path), "does not conform to the shapes:\n" + result.report()),
                            quarantine_dir)
                continue
            old = by_source.get(_source_key(item) or "")
            replaces = [old] if old and old != iri else []
            store.write_article(iri, graph, replaces=replaces)
            records[iri] = None  # type: ignore[assignment]
            for key in (item.url, PurePath(item.source_file).name if item.source_file else None):
                if key:
                    by_source[key] = iri
            report.replaced += bool(replaces)
            report.added += not replaces
            report.triples += len(graph)
            for t in graph.objects(None, RDF.type):
                if isinstance(t, URIRef):
                    report.entities[_local(t)] += 1


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _quarantine(report: BuildReport, q: Quarantined, directory: str | os.PathLike | None) -> None:
    report.quarantined.append(q)
    if directory is None:
        return
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    name = PurePath(q.source).name or "article"
    target = folder / f"{name}.txt"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(f"file: {q.source}\nreason: {q.reason}\n", encoding="utf-8")
    os.replace(tmp, target)
