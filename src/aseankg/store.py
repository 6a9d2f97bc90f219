"""The store: where article graphs, reference data, the ontology and inferences live.

Every article is its own named graph, named by the article IRI; other named graphs hold the
gazetteer (``settings.REFERENCE_GRAPH``), the ontology (``settings.ONTOLOGY_GRAPH``) and the
reasoner's output (``settings.INFERENCE_GRAPH``). The store's default graph holds the merge of
every named graph but the inference graph: each triple once, however many articles state it,
kept in step by every write in the same transaction (a build writes its new articles in batches:
``EmbeddedStore.writing_in_batches``). Queries read that merge (plus the inference
graph unless ``inference=False``) and can address one graph with ``GRAPH``. A union computed at
query time would be a bag: a label restated in 500 articles would match 500 times in every join.

Two implementations share the ``Store`` interface: ``EmbeddedStore`` (pyoxigraph on disk, the
default, no server) and ``remote.RemoteStore`` (any SPARQL 1.1 store over the standard
protocols). ``stores.open_store`` picks one from a location string.

>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> store = EmbeddedStore(None)  # in memory; open_store("folder") keeps it on disk
>>> article = "https://w3id.org/aseankg/id/article/0123456789abcdef"
>>> vnm = URIRef("https://w3id.org/aseankg/id/country/VNM")
>>> store.write_article(article, [(vnm, RDFS.label, Literal("Viet Nam", lang="en"))])
>>> label = "<http://www.w3.org/2000/01/rdf-schema#label>"
>>> store.query(f"SELECT ?name WHERE {{ ?c {label} ?name }}", bindings={"c": vnm}).dicts()
[{'name': 'Viet Nam'}]
>>> store.query("ASK { GRAPH ?g { ?c ?p ?o } }", bindings={"g": URIRef(article), "c": vnm}).boolean
True
>>> store.close()
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from . import batches, settings
from .batches import Batch
from .buildjobs import available_cores
from .dumps import write_quads
from .merge import data, default_copies, default_dataset, has_merge, insert_data, insert_merged, unmerge
from .records import ARTICLE_RECORDS_QUERY, ArticleRecord, article_records_from
from .results import NTriples, QueryResult, TermCache, from_oxigraph, graph_from_triples, triple_to_quad
from .safety import QuerySyntaxError, bind_values, inspect_query
from .storefolder import (
    GENERATION_FILE,
    SNAPSHOT_PREFIX,
    STAMP_WIDTH,
    WRITER_FILE,
    generation,
    is_store_folder,
    name_writer,
    remove_snapshots,
    writer_of,
)

#: Seconds a query may run when the caller names no limit (``KnowledgeGraph.query``, ``aseankg query``).
DEFAULT_TIME_LIMIT = 60.0
#: Stack of the thread an in-process query runs on. pyoxigraph recurses over the query: on an 8 MB
#: stack it crashes past about 6,900 ``+`` operands or 2,180 nested groups (``sparqlscan``); the
#: bounds stay far below that on this stack whatever the caller's thread has.
QUERY_STACK = 64 * 1024 * 1024
_STACK_LOCK = threading.Lock()


class StoreError(Exception):
    """The store cannot do what was asked (unreachable, locked, not writable, ...)."""


def run_on_big_stack(work, timeout: float | None = None):
    """``work()`` on a new thread with a ``QUERY_STACK`` stack; its result or its exception.

    Past ``timeout`` seconds ``QueryTimeout`` is raised at once; the thread is left to finish (a
    daemon: it never holds up the end of the process)."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as error:  # handed to the caller's thread
            _clear_frames(error)
            box["error"] = error

    with _STACK_LOCK:  # the stack size is process-wide: set it for this thread only
        old = threading.stack_size(QUERY_STACK)
        try:
            thread = threading.Thread(target=target, name="aseankg-query", daemon=True)
            thread.start()
        finally:
            threading.stack_size(old)
    thread.join(timeout)
    if thread.is_alive():
        raise QueryTimeout(f"the query ran longer than its {timeout:g} s limit")
    if "error" in box:
        raise box.pop("error")
    return box["value"]


def _clear_frames(error: BaseException) -> None:
    """Drop the locals of the frames an exception (and those it chains) went through.

    Those frames may hold a pyoxigraph result (a query cut off by its time limit): pyoxigraph's
    objects must be freed on the thread that made them, and an exception handed to another thread
    would otherwise free them there, later, from the garbage collector ("... is unsendable, but is
    being dropped on another thread"). The traceback keeps its file and line numbers.
    """
    seen: set[int] = set()
    stack = [error]
    while stack:
        exc = stack.pop()
        if exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            traceback.clear_frames(exc.__traceback__)
            stack += [exc.__cause__, exc.__context__]


class OverLimit(StoreError):
    """A query went past one of the server's limits (time, memory, answer bytes): the server is fine,
    the query is too costly (HTTP 503 with the reason)."""


class QueryTimeout(OverLimit):
    """A query ran past its time limit."""


@runtime_checkable
class Store(Protocol):
    """What the rest of the project uses; ``EmbeddedStore`` and ``RemoteStore`` implement it."""

    location: str

    def article_records(self) -> dict[str, ArticleRecord]:
        """Every article graph's own ``akg:contentHash``, ``akg:sourceFile``, ``schema:url`` and
        ``akg:sourceKey``."""

    def has_graph(self, iri: str) -> bool:
        """True if named graph ``iri`` exists (holds at least one triple)."""

    def named_graphs(self) -> list[str]:
        """The IRIs of all named graphs, sorted."""

    def write_article(self, iri: str, triples: Iterable[tuple], *, replaces: Iterable[str] = ()) -> None:
        """Replace article graph ``iri`` by ``triples`` (rdflib terms) and drop the graphs in
        ``replaces`` (older versions of the article)."""

    def put_graph(self, iri: str, graph: Graph) -> None:
        """Replace a whole named graph (reference data, ontology, inferences)."""

    def writing_in_batches(self, size: int = batches.BATCH_SIZE) -> contextlib.AbstractContextManager:
        """A context for a build's writes, which a store may write ``size`` new articles at a time
        (``EmbeddedStore``'s does)."""

    def update(self, update: str) -> None:
        """Run one SPARQL Update of the library's own (consolidation's writes), as one request."""

    def graph(self, iri: str) -> Graph:
        """A copy of one named graph (empty if there is none)."""

    def union_graph(self, *, inference: bool = False) -> Graph:
        """All triples of all named graphs as one graph, with or without the inference graph."""

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, inference: bool = True,
              timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
        """Run a read-only query over the union of named graphs (after ``safety.check_query``)."""

    def dump(self, out: BinaryIO, format: str = "nquads") -> int:
        """Write all quads, sorted, as ``nquads`` or ``trig``; returns the quad count."""

    def triple_count(self) -> int:
        """The number of quads in all named graphs."""

    def close(self) -> None:
        """Release the store; it cannot be used afterwards."""


def _iri(iri: str) -> str:
    """``<iri>`` checked as an absolute IRI (raises ``ValueError``), for SPARQL text."""
    return str(ox.NamedNode(str(iri)))


#: Writes between two flushes of the on-disk store: RocksDB otherwise keeps every write buffer it
#: fills in memory until the store is closed (a 10,000-article build reached 1.9 GiB; flushing every
#: 500 articles holds it near 0.5 GiB).
FLUSH_EVERY = 500


#: Seconds between two looks at the writer's stamp by a read-only store in a long-lived process.
FOLLOW_EVERY = 0.5


class EmbeddedStore:
    """A pyoxigraph store persisted in a folder (created if missing, unless ``create=False``: then
    ``StoreError``), or in memory if ``path`` is None.

    Each article write is one transaction: a crash leaves the store as it was before that article.
    One process at a time may open a folder for writing (the second is told which process holds it);
    ``read_only=True`` opens it for reading, any number of times, while a writer writes. A read-only
    store sees the store as it was when opened, and reopens itself (whole transactions only: each
    article is one) when the writer's stamp has changed, looking at most every ``FOLLOW_EVERY`` s.
    """

    def __init__(self, path: str | os.PathLike | None, *, read_only: bool = False, create: bool = True) -> None:
        self.location = ":memory:" if path is None else str(path)
        self.read_only = read_only
        self._writes = 0
        self._stamp_fd: int | None = None
        self._stamp = ""
        self._batch: Batch | None = None
        self._looked = time.monotonic()
        self._reopen = threading.Lock()
        if path is None:  # nothing on disk: for tests and throw-away notebooks
            self._db = ox.Store()
            return
        folder = Path(path)
        if not create and not is_store_folder(folder):  # a mistyped path must not become an empty store
            raise StoreError(f"no store at {folder} (`aseankg build ARTICLES --store {folder}` makes one)")
        try:
            if read_only:
                self._stamp = generation(folder)
                self._db: ox.Store | None = ox.Store.read_only(str(folder))
            else:
                folder.mkdir(parents=True, exist_ok=True)
                self._db = ox.Store(str(folder))
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreError(f"cannot open the store at {folder} for writing: {writer_of(folder)} has it "
                                 "open for writing, and one process at a time may write. Wait for it to finish "
                                 "and run this again (readers, `aseankg serve` without --allow-update, "
                                 "`query`, `export` and `dump`, may run meanwhile)") from error
            raise StoreError(f"cannot open the store at {folder}: {error} (check that the folder exists "
                             "and is writable)") from error
        if not read_only:
            with contextlib.suppress(OSError):  # only ever used to name this process to a second writer
                name_writer(folder)
        if not read_only and not has_merge(self.db) \
                and any(g.value != settings.INFERENCE_GRAPH for g in self.db.named_graphs()):
            self.merge_default_graph()  # a store from before the merged default graph
        if not read_only:
            remove_snapshots(folder)
        if not read_only and (killed := batches.left_over(folder)):  # a build killed while writing a batch
            self._update(batches.removal(killed))
            batches.forget(folder)

    @classmethod
    def over(cls, db: ox.Store, location: str) -> EmbeddedStore:
        """A read-only ``EmbeddedStore`` over an already open ``db`` (a query worker's), which it
        neither follows nor closes."""
        store = cls.__new__(cls)
        store.location, store.read_only, store._writes, store._stamp = location, True, 0, ""
        store._stamp_fd, store._batch = None, None
        store._looked, store._reopen, store._db = float("inf"), threading.Lock(), db
        return store

    def __repr__(self) -> str:
        return f"EmbeddedStore({self.location!r})"

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def db(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (for a read-only store, reopened if the writer has written)."""
        if self._db is None:
            raise StoreError(f"the store at {self.location} is closed")
        if self.read_only and self.location != ":memory:" and time.monotonic() - self._looked > FOLLOW_EVERY:
            self.follow()
        return self._db

    def follow(self) -> bool:
        """Reopen a read-only store if the writer has committed since it was opened; True if it was.
        A reopen that fails (the writer compacting files away) keeps the old view until the next look."""
        with self._reopen:
            self._looked = time.monotonic()
            stamp = generation(self.location)
            if stamp == self._stamp or self._db is None:
                return False
            try:
                self._db = ox.Store.read_only(self.location)
            except OSError:
                return False
            self._stamp = stamp
            return True

    def _changed(self) -> None:
        """Tell readers that a write was committed: a new stamp, overwritten in place (a file renamed
        over it cost 0.6-6 ms an article). A half-written stamp only differs from the old one: the
        reader reopens, as it should."""
        if self.location != ":memory:":
            self._writes += 1
            stamp = f"{os.getpid()}-{time.time_ns()}".ljust(STAMP_WIDTH).encode()
            with contextlib.suppress(OSError):  # readers then catch up at the next write
                if self._stamp_fd is None:
                    self._stamp_fd = os.open(Path(self.location) / GENERATION_FILE, os.O_WRONLY | os.O_CREAT)
                    os.ftruncate(self._stamp_fd, STAMP_WIDTH)
                os.pwrite(self._stamp_fd, stamp, 0)

    # ---------------------------------------------------------------------------------- writing
    def write_article(self, iri: str, triples: Iterable[tuple], *, replaces: Iterable[str] = ()) -> None:
        """Replace graph ``iri`` by ``triples`` and drop the graphs in ``replaces``, in one transaction
        (a new article inside ``writing_in_batches``: with its batch; ``results.NTriples`` go into
        the batch as they are)."""
        name = ox.NamedNode(str(iri))
        batch = self._batch
        if batch is not None and (replaces or name in batch):
            self._write_batch()  # what this write drops must be stored first
        drops = [g for g in {ox.NamedNode(str(old)) for old in replaces} | {name}
                 if self.db.contains_named_graph(g)]
        if batch is not None and not drops and isinstance(triples, NTriples):
            batch.add_text(name, triples)
        else:
            cache = TermCache()
            quads = [triple_to_quad(t, name.value, cache) for t in triples]
            if drops:
                self._update(" ;\n".join([unmerge(drops)] + [f"DROP SILENT GRAPH {g}" for g in sorted(drops, key=str)]
                                         + [insert_merged(name, quads)]))
            elif batch is not None:
                batch.add(name, quads)
            else:  # a new article: one transaction that only adds, far quicker than an update
                self._extend([*quads, *default_copies(quads)])
        if batch is not None and len(batch) >= batch.size:
            self._write_batch()

    @contextlib.contextmanager
    def writing_in_batches(self, size: int = batches.BATCH_SIZE) -> Iterator[None]:
        """A context in which new articles (``write_article`` without a graph to replace) are
        written ``size`` at a time, each batch in one bulk write, and whenever
        something reads or replaces what a batch holds: a build's store time drops by half or more.
        Readers in other processes see a new article once its batch is written, and all of them when
        the context ends. A build killed while writing a batch leaves whole articles only once the
        store is next opened for writing (see ``batches``)."""
        if self._batch is not None or self.read_only:
            yield
            return
        self._batch = Batch(None if self.location == ":memory:" else self.location, size)
        try:
            yield
        finally:
            try:
                self._write_batch()
            finally:
                self._batch = None

    def _write_batch(self) -> None:
        batch = self._batch
        if batch is None or not len(batch):
            return
        try:
            batch.listed()
            self.db.bulk_extend(batch.quads())
            batches.load_in_parts(self.db, batch.text(), available_cores())
        except (OSError, SyntaxError) as error:
            raise StoreError(f"writing to the store at {self.location} failed: {error}") from error
        batch.written()
        self._changed()

    def put_graph(self, iri: str, graph: Graph) -> None:
        """Replace the whole named graph ``iri`` by ``graph`` (and its share of the merged default
        graph, unless it is the inference graph), in one transaction.

        When the new version only adds triples, only those are written, so re-writing a large
        graph that did not change (the reference data on every build) is quick; the inference
        graph, kept out of the merge, is always written as a difference when it has no blank nodes.
        """
        self._write_batch()
        name = ox.NamedNode(str(iri))
        merged = str(iri) != settings.INFERENCE_GRAPH
        cache = TermCache()
        new = {triple_to_quad(t, name.value, cache) for t in graph}
        old = set(self.db.quads_for_pattern(None, None, None, name))
        removed, added = old - new, new - old
        blank = any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in old | new)
        if not removed and not (blank and old):
            self._extend([*added, *(default_copies(added) if merged else ())])
        elif merged:
            self._update(f"{unmerge([name])} ;\nDROP SILENT GRAPH {name} ;\n{insert_merged(name, new)}")
        elif blank:
            self._update(f"DROP SILENT GRAPH {name} ;\n{insert_data(name, new)}")
        elif not new:
            self._update(f"DROP SILENT GRAPH {name}")
        else:
            self._update(f"{data('DELETE', name, removed)} ;\n{insert_data(name, added)}")

    def merge_default_graph(self) -> int:
        """(Re)build the merged default graph from the named graphs; returns its triple count.

        Needed only for a store filled without ``write_article``/``put_graph`` (a bulk load of
        named-graph quads, a store from an older version); opening such a store for writing does it.
        """
        self._update(f"DROP SILENT DEFAULT ;\nINSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                     f"FILTER (?g != {_iri(settings.INFERENCE_GRAPH)}) }}")
        return sum(1 for _ in self.db.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def update(self, update: str) -> None:
        """Run one SPARQL Update in one transaction: the library's own writes (consolidation), not
        users' (which are not checked by ``safety`` here); the default graph is the merge, so an update
        writing a named graph keeps the merge itself."""
        self._update(update)

    def update_in_bulk(self, update: str, added: bytes) -> None:
        """Run ``update`` (SPARQL Update, one transaction, may be empty), then add the N-Quads
        ``added`` in a bulk load, which is not a transaction but three times quicker (0.4 against
        1.3 s for 86,000 quads): a caller that must finish what a kill cuts short lists it first
        (:meth:`listed_until_done`)."""
        if self.read_only:
            raise StoreError(f"the store at {self.location} is open read-only")
        self._write_batch()
        try:
            if update:
                self.db.update(update)
            batches.load_in_parts(self.db, added, available_cores())
        except (OSError, SyntaxError) as error:
            raise StoreError(f"writing to the store at {self.location} failed: {error}") from error
        self._changed()

    @contextlib.contextmanager
    def listed_until_done(self, names: Iterable[str]) -> Iterator[None]:
        """A context whose ``names`` (what the caller writes in it: consolidation's entities) stay
        listed in the store folder, on disk before it starts, until it ends without an error:
        :meth:`unfinished` gives them to the next run if it was killed or failed."""
        names = list(names)
        listed = None if self.location == ":memory:" or not names else Path(self.location) / batches.PENDING_FILE
        if listed is not None:
            batches.write_list(listed, names)
        yield
        if listed is not None:
            listed.unlink(missing_ok=True)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[str | None]:
        """A context giving a folder that other processes may open read-only, holding the store as
        it is now (written out first), or None for a store in memory. It is a RocksDB checkpoint:
        hard links to the store's files, which the writer's compactions then cannot delete under a
        reader (a view of the live folder failed with "No such file" three times in a 1,000-article
        build's consolidation, 0.5 s lost each). Removed at the end."""
        if self.location == ":memory:":
            yield None
            return
        self._write_batch()
        folder = Path(self.location) / f"{SNAPSHOT_PREFIX}{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        try:
            self.db.backup(str(folder))
        except OSError as error:
            raise StoreError(f"cannot snapshot the store at {self.location}: {error}") from error
        try:
            yield str(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def unfinished(self) -> list[str]:
        """What a :meth:`listed_until_done` context listed, if it was cut short."""
        return [] if self.location == ":memory:" else batches.read_list(Path(self.location) / batches.PENDING_FILE)

    def _extend(self, quads: Iterable[ox.Quad]) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.location} is open read-only")
        quads = list(quads)
        if not quads:
            return
        try:
            self.db.extend(quads)
            self._changed()
            if self._writes % FLUSH_EVERY == 0 and self.location != ":memory:":
                self.db.flush()
        except OSError as error:
            raise StoreError(f"writing to the store at {self.location} failed: {error}") from error

    def _update(self, update: str) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.location} is open read-only")
        self._write_batch()
        try:
            self.db.update(update)
            self._changed()
        except OSError as error:
            raise StoreError(f"writing to the store at {self.location} failed: {error}") from error

    # ---------------------------------------------------------------------------------- reading
    def has_graph(self, iri: str) -> bool:
        name = ox.NamedNode(str(iri))
        return (self._batch is not None and name in self._batch) or self.db.contains_named_graph(name)

    def named_graphs(self) -> list[str]:
        self._write_batch()
        return sorted(g.value for g in self.db.named_graphs())

    def graph(self, iri: str) -> Graph:
        """A copy of named graph ``iri`` (empty if there is none)."""
        self._write_batch()
        return graph_from_triples(self.db.quads_for_pattern(None, None, None, ox.NamedNode(str(iri))),
                                  identifier=str(iri))

    def union_graph(self, *, inference: bool = False) -> Graph:
        """All triples of all graphs as one rdflib graph, with or without the inference graph."""
        self._write_batch()
        graph = graph_from_triples(())
        cache = TermCache()
        add = graph.add
        convert = cache.rdflib
        for quad in self.merged_quads(inference=inference):
            add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        return graph

    def merged_quads(self, *, inference: bool = False) -> Iterable[ox.Quad]:
        """The quads of the merged default graph (and of the inference graph if ``inference``)."""
        self._write_batch()
        inferred = ox.NamedNode(settings.INFERENCE_GRAPH)
        if not has_merge(self.db):
            return [q for q in self.db if inference or q.graph_name != inferred]
        graphs = [ox.DefaultGraph(), inferred] if inference else [ox.DefaultGraph()]
        return [q for g in graphs for q in self.db.quads_for_pattern(None, None, None, g)]

    def article_records(self) -> dict[str, ArticleRecord]:
        self._write_batch()
        answer = from_oxigraph(self.db.query(ARTICLE_RECORDS_QUERY))
        return article_records_from(answer.rows)

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, inference: bool = True,
              timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
        """Run a read-only SPARQL query (checked by ``safety.check_query`` first).

        The default graph is the merge of all named graphs; ``inference=False`` leaves out the
        inference graph. A query with its own ``FROM``/``FROM NAMED`` gets exactly that dataset.
        ``bindings`` bind variables to rdflib terms (``safety.bind_values``). ``timeout`` (seconds):
        past it the caller gets ``QueryTimeout``; the query stops at its next result row (Oxigraph
        cannot be interrupted while it plans, which the ``sparqlscan.Bounds`` keep short; the web
        app's worker processes are killed instead). None (the default here) means no limit;
        ``KnowledgeGraph.query`` and ``aseankg query`` default to ``DEFAULT_TIME_LIMIT``.
        ``max_rows`` cuts the result and sets ``truncated``. The query runs on a thread with a
        ``QUERY_STACK``-byte stack, so a caller's small thread stack cannot be overflowed by it.
        """
        info = inspect_query(sparql)  # cached by text; the VALUES block adds only serialised terms
        self._write_batch()
        text = bind_values(sparql, bindings) if bindings else sparql
        options = {} if info.has_dataset else default_dataset(self.db, inference)
        deadline = None if timeout is None else time.monotonic() + timeout

        def check() -> None:
            if deadline is not None and time.monotonic() > deadline:
                raise QueryTimeout(f"the query ran longer than its {timeout:g} s limit")

        def run() -> QueryResult:
            try:
                answer = self.db.query(text, **options)
                check()
                return from_oxigraph(answer, max_rows=max_rows, check=check)
            except SyntaxError as error:
                raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
            except OSError as error:
                raise StoreError(f"querying the store at {self.location} failed: {error}") from error

        return run_on_big_stack(run, timeout)

    def dump(self, out: BinaryIO, format: str = "nquads") -> int:
        """Write every quad of the named graphs to ``out`` (``nquads`` or ``trig``), sorted; returns
        the quad count. The merged default graph is left out: loading the dump rebuilds it."""
        self._write_batch()
        return write_quads((q for q in self.db if not isinstance(q.graph_name, ox.DefaultGraph)), out, format)

    def triple_count(self) -> int:
        """The number of quads in the named graphs (the merged default graph not counted)."""
        self._write_batch()
        merged = self.db.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=ox.DefaultGraph())
        return len(self.db) - int(next(merged)["n"].value)

    def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            if not self.read_only:
                try:
                    db.flush()
                except OSError as error:
                    raise StoreError(f"writing to the store at {self.location} failed: {error}") from error
                finally:
                    if self._stamp_fd is not None:
                        os.close(self._stamp_fd)
                        self._stamp_fd = None
                    if self.location != ":memory:":
                        with contextlib.suppress(OSError):
                            (Path(self.location) / WRITER_FILE).unlink()
