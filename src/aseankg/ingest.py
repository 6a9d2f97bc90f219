"""Building the graph: article files in, one SHACL-checked named graph per article in the store.

read → extract → RDF → SHACL gate → store, one article at a time. An article that cannot be
read or does not conform is quarantined with a report naming the file and the reason; the rest
go on. Re-ingesting an article already stored changes nothing; an edited article replaces its old graph
in the same transaction. An article is the same article when it has the same url, or the same
source key (:func:`source_keys`: the same file path from the folder the build was given, and in
a JSON list or JSON Lines file the same record id); anything else is another article, kept.

>>> import tempfile
>>> from aseankg.stores import open_store
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
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from rdflib import RDF, BNode, Literal, URIRef

from . import naming, settings
from .batches import BATCH_SIZE
from .consolidation import consolidate, consolidated_articles, touched_entities
from .extraction import extract
from .extraction.lexicon import load_lexicon
from .gazetteer import load_gazetteer
from .model import Article
from .rdf import AKG, article_graph, article_url
from .reading import ArticleError, article_files, read_file
from .records import ArticleRecord
from .results import NTriples, ntriples_lines
from .store import Store
from .validation import ArticleValidator, load_validator


@dataclass
class Quarantined:
    """An article left out of the store, and why (``line``: its line in a JSON Lines file)."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}, line {self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


class ArticleTimeout(Exception):
    """An article's extraction and checks ran past ``settings.ARTICLE_TIME_BUDGET``."""


@dataclass
class BuildReport:
    """What a build did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    triples: int = 0
    entities: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)  # files in the folders that were not read, and why
    report_names: Counter = field(default_factory=Counter)  # quarantine report names used by this build
    touched: set = field(default_factory=set)  # entities whose single-valued properties the build changed
    consolidated: int = 0  # entities consolidated at the end of the build (consolidation.py)
    interrupted: bool = False

    def summary(self) -> str:
        lines = [f"articles: {self.added} added, {self.replaced} replaced, {self.unchanged} unchanged, "
                 f"{len(self.quarantined)} quarantined", f"triples written: {self.triples}"]
        if self.entities:
            lines.append("entities: " + ", ".join(f"{n} {t}" for t, n in sorted(self.entities.items())))
        lines.extend(f"quarantined: {q}" for q in self.quarantined)
        lines.extend(f"skipped: {s}" for s in self.skipped)
        if self.interrupted:
            lines.append("interrupted: stopped between two articles; the articles above are stored whole. "
                         "Run the same command again to add the rest.")
        return "\n".join(lines)


def ensure_reference_data(store: Store) -> None:
    """Write the ontology and the gazetteer into their own named graphs (replacing older copies)."""
    from rdflib import Graph

    store.put_graph(settings.ONTOLOGY_GRAPH, Graph().parse(settings.ONTOLOGY, format="turtle"))
    store.put_graph(settings.REFERENCE_GRAPH, load_gazetteer().reference_graph())


def source_keys(paths: Iterable[str | os.PathLike]) -> dict[Path, str]:
    """Each article file under ``paths`` → its source key: the path from the folder given, that
    folder's own name first (``articles/a/x.txt`` for ``data/articles``), or the whole resolved
    path of a file given on its own. Two files never share a key unless two folders given share a
    name (the same file found twice keeps the key of the first folder that has it).

    The key, not the bare file name, is what tells two url-less files apart: ``a/article.txt`` and
    ``b/article.txt`` are two articles. The folder's name is part of it so that building ``a``
    and then ``b`` does not make ``b``'s files replace ``a``'s.
    """
    keys: dict[Path, str] = {}
    for given in paths:
        root = Path(given)
        if root.is_dir():
            name = Path(os.path.abspath(root)).name  # ".." and "." named, links not followed
            for f in article_files([root]):
                keys.setdefault(f, PurePath(name, f.relative_to(root)).as_posix())
        elif root.is_file():
            keys.setdefault(root, root.resolve().as_posix())
    return keys


def _article_key(article: Article, file_key: str) -> str | None:
    """An article's ``akg:sourceKey``: its file's key, with ``#`` and the record's id for a record
    of a many-record file; None for such a record without an id. A record's place in its file is
    no identity: a feed that puts a new item first would have it replace the old first item."""
    if article.record is None:
        return file_key
    return f"{file_key}#{article.record}" if article.record else None


class Pipeline:
    """The set-up of a build, written once for :func:`build_articles` and the ingest benchmark
    (``benchmarks/ingest.py``), which times the stages one by one: the ontology and the reference
    data written into ``store``, the SHACL gate (``validator``) and the extraction's lexicon
    loaded; :meth:`frozen` keeps the collector off all of them while the articles go through."""

    def __init__(self, store: Store):
        ensure_reference_data(store)
        self.store = store
        self.validator: ArticleValidator = load_validator()
        self.lexicon = load_lexicon()

    def frozen(self):
        """A context in which the set-up objects are out of the cyclic collector's scans."""
        return _setup_frozen()


def build_articles(paths: Iterable[str | os.PathLike], store: Store, *,
                   progress: Callable[[str], None] | None = None,
                   quarantine_dir: str | os.PathLike | None = None,
                   stop: Callable[[], bool] | None = None, jobs: int = 1,
                   batch: int = BATCH_SIZE) -> BuildReport:
    """Ingest every article under ``paths`` into ``store``; see the module docstring.

    ``stop`` is asked before each article: once it answers True the build ends there, with
    ``report.interrupted`` set (every article written so far is whole; the next build resumes).
    ``jobs`` > 1 prepares articles in that many worker processes (``buildjobs``); the store gets
    the same bytes. New articles are written ``batch`` at a time (``Store.writing_in_batches``)."""
    report = BuildReport()
    pipeline = Pipeline(store)
    with pipeline.frozen():
        _build(paths, store, pipeline.validator, report, progress, quarantine_dir, stop, jobs, batch)
    report.consolidated = consolidate(store, report.touched, jobs=jobs).entities
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


def build_read(items: Iterable[tuple[str, str, Article | ArticleError]], store: Store, *,
               report: BuildReport | None = None, progress: Callable[[str], None] | None = None,
               quarantine_dir: str | os.PathLike | None = None) -> BuildReport:
    """Ingest articles read elsewhere (fetched pages: :mod:`aseankg.follow`) as
    :func:`build_articles` ingests files: each item is ``(source, source key, article or error)``,
    the source naming it in reports (an address), an error quarantined. Adds to ``report``."""
    report = report if report is not None else BuildReport()
    pipeline = Pipeline(store)
    with pipeline.frozen():
        _build_items(items, store, pipeline.validator, report, progress, quarantine_dir)
    report.consolidated = consolidate(store, report.touched).entities
    return report


def _file_items(paths: Iterable[str | os.PathLike],
                report: BuildReport) -> Iterator[tuple[Path, str, Article | ArticleError]]:
    """Every article (or error) in the files under ``paths``, with its file and its file's key."""
    files = article_files(paths, report.skipped)
    keys = source_keys(paths)
    for path in files:
        for item in read_file(path):
            yield path, keys.get(path) or path.resolve().as_posix(), item


def _build(paths: Iterable[str | os.PathLike], store: Store, validator: ArticleValidator, report: BuildReport,
           progress: Callable[[str], None] | None, quarantine_dir: str | os.PathLike | None,
           stop: Callable[[], bool] | None = None, jobs: int = 1, batch: int = BATCH_SIZE) -> None:
    """The article loop of :func:`build_articles`, adding to ``report``."""
    _build_items(_file_items(paths, report), store, validator, report, progress, quarantine_dir, stop, jobs,
                 batch)


def _build_items(items: Iterable[tuple[str | Path, str, Article | ArticleError]], store: Store,
                 validator: ArticleValidator, report: BuildReport, progress: Callable[[str], None] | None,
                 quarantine_dir: str | os.PathLike | None, stop: Callable[[], bool] | None = None,
                 jobs: int = 1, batch: int = BATCH_SIZE) -> None:
    """Each read article into ``store``: checked, written, replacing its older version; ``stop`` is
    asked before each article. With ``jobs`` > 1, extraction and checks run ahead in that many
    worker processes (``buildjobs``) while this process writes, in input order."""
    records = store.article_records()
    with store.writing_in_batches(batch):
        if jobs <= 1:
            _write_items(items, store, validator, report, progress, quarantine_dir, stop, records, None)
            return
        from .buildjobs import Ahead

        prepared = Ahead(items, jobs, validator=validator, known=set(records), prepare=prepare,
                         article_key=_article_key)
        try:
            _write_items(prepared.items(), store, validator, report, progress, quarantine_dir, stop, records,
                         prepared)
        finally:
            prepared.close()


def _write_items(items, store: Store, validator: ArticleValidator, report: BuildReport,
                 progress: Callable[[str], None] | None, quarantine_dir: str | os.PathLike | None,
                 stop: Callable[[], bool] | None, records: dict[str, ArticleRecord], prepared) -> None:
    """The loop of :func:`_build_items`; ``prepared.get(article)`` gives an article's
    :class:`Prepared` when a worker made it (``None``: made here)."""
    by_url: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for rec in records.values():
        if rec.url:
            by_url.setdefault(rec.url, rec.iri)
        if rec.source_key:
            by_key.setdefault(rec.source_key, rec.iri)
    seen: set[str] = set()  # the article graphs whose text this build has read
    consolidated: set[str] | None = None  # asked at the first unchanged article (a new store has none)
    for path, file_key, item in items:
        if stop is not None and stop():
            report.interrupted = True
            return
        if progress:
            progress(str(path))
        if isinstance(item, ArticleError):
            _quarantine(report, Quarantined(str(item.path or path), item.reason, item.line), quarantine_dir)
            continue
        iri = naming.article_iri(item.id)
        key = _article_key(item, file_key)
        refresh = iri in records and _metadata_changed(records[iri], item)
        if (iri in records or store.has_graph(iri)) and not refresh:
            seen.add(iri)
            report.unchanged += 1
            if consolidated is None:
                consolidated = consolidated_articles(store)
            if iri not in consolidated:  # written by a build that stopped before consolidating
                report.touched |= touched_entities(store.graph(iri))
            if key and iri in records and not records[iri].source_key and key not in by_key:
                records[iri] = _add_source_key(store, records[iri], key)
                by_key[key] = iri
            continue
        done = prepared.get(item) if prepared is not None else None
        done = done or prepare(validator, item, key)
        if done.failure:
            _quarantine(report, Quarantined(str(path), done.failure), quarantine_dir)
            continue
        replaces = _replaced(item, key, iri, records, by_url, by_key, seen)
        for old in replaces:
            report.touched |= touched_entities(store.graph(old))
        report.touched |= done.touched
        store.write_article(iri, done.triples, replaces=replaces)
        for old in replaces:
            del records[old]
        name = PurePath(item.source_file).name if item.source_file else None
        records[iri] = ArticleRecord(iri, item.id, name, article_url(item), key,
                                     item.published.isoformat() if item.published else None, item.publisher or None)
        seen.add(iri)
        if item.url:
            by_url[item.url] = iri
        if key:
            by_key[key] = iri
        report.replaced += bool(replaces) or refresh
        report.added += not (replaces or refresh)
        report.triples += done.count
        report.entities.update(done.types)


@dataclass
class Prepared:
    """An article through extraction, RDF and the SHACL gate: its triples (a list, or
    ``results.NTriples`` from a build worker) and how many, the entities whose single-valued
    properties it states, its entity counts by type; or why it is quarantined."""

    triples: list = field(default_factory=list)
    count: int = 0
    touched: set = field(default_factory=set)
    types: Counter = field(default_factory=Counter)
    failure: str = ""


def prepare(validator: ArticleValidator, item: Article, key: str | None) -> Prepared:
    """Extract, build and check one article (a pure step: a worker process may run it)."""
    try:
        with _time_budget(settings.ARTICLE_TIME_BUDGET):
            graph = article_graph(extract(item), source_key=key)
            result = validator.validate(graph)
    except ArticleTimeout:
        return Prepared(failure=f"extraction and checks took over {settings.ARTICLE_TIME_BUDGET:g} s "
                                "(settings.ARTICLE_TIME_BUDGET)" + _record_note(item))
    except Exception as exc:  # a bug must not stop the build: the article is set aside
        return Prepared(failure=f"extraction failed: {exc!r}" + _record_note(item))
    if not result.conforms:
        return Prepared(failure="does not conform to the shapes:\n" + result.report())
    triples = list(graph)
    types = Counter(_local(t) for t in graph.objects(None, RDF.type) if isinstance(t, URIRef))
    return Prepared(store_form(triples), len(triples), touched_entities(triples), types)


def store_form(triples: list) -> list | NTriples:
    """``triples`` as a build hands them to the store: N-Triples bytes, which the store loads in
    native code (3.3 against 4.0 ms an article, written as quads) and a build worker sends to the
    writer as they are (unpickling rdflib terms was a third of the writer's time); the triples
    themselves when a blank node is among them (a bulk load names blank nodes afresh)."""
    if any(isinstance(t, BNode) for triple in triples for t in triple):
        return triples
    return NTriples("".join(ntriples_lines(triples)).encode())


def _add_source_key(store: Store, record: ArticleRecord, key: str) -> ArticleRecord:
    """Write ``key`` into a graph stored before source keys were, whose text this build read
    unchanged: from now on an edit of its file replaces it."""
    graph = store.graph(record.iri)
    graph.add((URIRef(record.iri), AKG.sourceKey, Literal(key)))
    store.write_article(record.iri, graph)
    return replace(record, source_key=key)


def _metadata_changed(record: ArticleRecord, item: Article) -> bool:
    """Whether the same text now comes with another address, date or outlet (an edited sources.csv
    row): its graph is written again so the article's metadata follows the file."""
    published = item.published.isoformat() if item.published else None
    return (record.url, record.published, record.publisher) != (article_url(item), published, item.publisher or None)


def _replaced(item: Article, key: str | None, iri: str, records: dict[str, ArticleRecord],
              by_url: dict[str, str], by_key: dict[str, str], seen: set[str]) -> list[str]:
    """The stored graphs that are older versions of ``item``: the one with its url, and the one
    with its source key unless that one states another url (another article put in the same
    file) or its text was read in this build (a copy of it elsewhere still stands for it).

    A graph written before source keys has none: it is matched by url only, never by its bare
    file name, which many files share. A build that reads its text unchanged writes its key into
    it (:func:`_add_source_key`); a url-less file edited before that adds its new version beside
    the old one, and only a build into a fresh store drops the stale version. Two files that
    state one url are one article: the last one read wins, and each build rewrites both in turn."""
    found = []
    old = by_url.get(item.url) if item.url else None
    if old in records:
        found.append(old)
    old = by_key.get(key) if key else None
    if old in records and old not in seen:
        stated = records[old].url
        if not (stated and item.url and stated != item.url):
            found.append(old)
    return sorted({o for o in found if o != iri})


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _record_note(article: Article) -> str:
    return f" (record {article.record})" if article.record else ""


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Raise ``ArticleTimeout`` in the block past ``seconds`` (a SIGALRM timer: main thread only;
    elsewhere, as in a server's background build, no budget applies)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(*_) -> None:
        raise ArticleTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _quarantine(report: BuildReport, q: Quarantined, directory: str | os.PathLike | None) -> None:
    """Note ``q`` in the report and write its report file, one per problem: ``name.txt`` for a file's
    first problem in this build, then ``name.line-7.txt`` (or ``name.2.txt`` without a line) for the
    next ones of the same file, instead of overwriting; the next build rewrites them."""
    report.quarantined.append(q)
    if directory is None:
        return
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    name = PurePath(q.source).name or "article"
    report.report_names[name] += 1
    count = report.report_names[name]
    suffix = "" if count == 1 else f".line-{q.line}" if q.line is not None else f".{count}"
    target = folder / f"{name}{suffix}.txt"
    tmp = target.with_suffix(".tmp")
    line = f"line: {q.line}\n" if q.line is not None else ""
    tmp.write_text(f"file: {q.source}\n{line}reason: {q.reason}\n", encoding="utf-8")
    os.replace(tmp, target)
