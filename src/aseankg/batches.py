"""A build's new articles, written to the store in batches.

Written one at a time, a new article is one transaction that stores its triples twice, in its
named graph and in the merged default graph (``store``), and a transaction costs more as the store
grows. A build instead collects its new articles here and writes each batch with one bulk write
(``pyoxigraph.Store.bulk_extend``). Measured on 4,000 synthetic articles on disk, side by side:
2.3 ms of store time an article in batches of 500, 4.3 with only the default graph's copies
batched, 7.3 one at a time.

A bulk write is not a transaction, so the articles of a batch are listed in a file in the store
folder (written to disk first) while the batch is written, and the list is removed once it is in. A
writer that opens a store with a list left over (a build killed while writing a batch) removes the
listed articles' graphs, whole or in part, and the default-graph triples that no remaining graph
states: the store then holds whole articles only, as after a one-at-a-time write that was killed,
and the next build writes the others again.

>>> import pyoxigraph as ox
>>> batch = Batch(None)
>>> g = ox.NamedNode("https://w3id.org/aseankg/id/article/0123456789abcdef")
>>> vnm = ox.NamedNode("https://w3id.org/aseankg/id/country/VNM")
>>> batch.add(g, [ox.Quad(vnm, ox.NamedNode("http://ex.org/p"), ox.Literal("x"), g)])
>>> len(batch), g in batch, sorted(str(q.graph_name) for q in batch.quads())
(1, True, ['<https://w3id.org/aseankg/id/article/0123456789abcdef>', 'DEFAULT'])
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from . import settings
from .merge import default_copies
from .results import NTriples

#: The file in a store folder that lists the articles of the batch being written.
BATCH_FILE = "aseankg-batch"
#: The file in a store folder that lists what a run writing derived triples (consolidation's
#: entities, ``EmbeddedStore.listed_until_done``) has not finished.
PENDING_FILE = "aseankg-pending"
#: Articles a build writes at once by default (also how far behind the build a reader's view may be).
BATCH_SIZE = 500


class Batch:
    """New article graphs not written yet: their quads, and their default graph's copies."""

    def __init__(self, folder: str | os.PathLike | None, size: int = BATCH_SIZE):
        self.path = None if folder is None else Path(folder) / BATCH_FILE
        self.size = size  # articles that make a batch
        self._quads: list[ox.Quad] = []
        self._texts: list[bytes] = []  # N-Quads, loaded as they are
        self._graphs: set[ox.NamedNode] = set()

    def __len__(self) -> int:
        """Article graphs in the batch."""
        return len(self._graphs)

    def __contains__(self, graph: ox.NamedNode) -> bool:
        return graph in self._graphs

    def add(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        """One new article graph (``quads`` all in ``graph``)."""
        self._graphs.add(graph)
        self._quads += quads

    def add_text(self, graph: ox.NamedNode, triples: NTriples) -> None:
        """One new article graph as N-Triples bytes: its quads and their default-graph copies."""
        self._graphs.add(graph)
        self._texts += (triples.in_graph(graph.value), triples)

    def text(self) -> bytes:
        """The N-Quads to load (after :meth:`quads`)."""
        return b"".join(self._texts)

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad to write: the article graphs', then the default graph's (made as they are
        written: held twice, a 10,000-article build peaked 64 MiB higher)."""
        yield from self._quads
        yield from default_copies(self._quads)

    def listed(self) -> None:
        """List the batch's graphs on disk, before the batch is written."""
        if self.path is not None and self._graphs:
            write_list(self.path, sorted(g.value for g in self._graphs))

    def written(self) -> None:
        """The batch is in the store: start a new one, and remove the list."""
        self._quads, self._texts, self._graphs = [], [], set()
        if self.path is not None:
            forget(self.path.parent)


def line_parts(text: bytes, pieces: int) -> list[bytes]:
    """``text`` in at most ``pieces`` parts of about the same size, each cut at a line end.

    >>> line_parts(b"a\\nbb\\nc\\nd\\n", 2), line_parts(b"a\\n", 3), line_parts(b"", 2)
    ([b'a\\nbb\\n', b'c\\nd\\n'], [b'a\\n'], [])
    """
    parts, start = [], 0
    for k in range(1, pieces):
        cut = text.find(b"\n", max(start, len(text) * k // pieces - 1)) + 1
        if cut <= start:
            break
        parts.append(text[start:cut])
        start = cut
    return [*parts, text[start:]] if start < len(text) else parts


def load_in_parts(db: ox.Store, text: bytes, pieces: int) -> None:
    """Bulk-load the N-Quads ``text`` (without blank nodes, which a load names afresh) into ``db``
    in ``pieces`` parts, each on a thread of its own: Oxigraph loads one text on one core (at the
    end of a build with 2 jobs the last batch's load took 1.8 s with the other core idle; in 2 parts,
    0.8 s). Raises what the first failed load raised, once every part is done."""
    errors: list[Exception] = []

    def load(part: bytes) -> None:
        try:
            db.bulk_load(part, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as error:
            errors.append(error)

    parts = line_parts(text, pieces)
    threads = [threading.Thread(target=load, args=(part,)) for part in parts[1:]]
    for thread in threads:
        thread.start()
    if parts:
        load(parts[0])
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def write_list(path: Path, lines: Iterable[str]) -> None:
    """Write ``lines`` to ``path``, on disk before this returns."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("".join(f"{line}\n" for line in lines))
        out.flush()
        os.fsync(out.fileno())


def read_list(path: Path) -> list[str]:
    """The lines :func:`write_list` wrote (none if there is no file; a line cut by a kill included)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.strip()]


def left_over(folder: str | os.PathLike) -> list[str]:
    """The articles of a batch a build was writing when it was killed (none if it was not)."""
    return read_list(Path(folder) / BATCH_FILE)


def forget(folder: str | os.PathLike) -> None:
    """Remove the list of a batch from the store folder (the batch is in, or was removed)."""
    with contextlib.suppress(FileNotFoundError):
        (Path(folder) / BATCH_FILE).unlink()


def removal(graphs: Iterable[str]) -> str:
    """The SPARQL Update that removes ``graphs`` and the default-graph triples no other graph
    states (those of the removed graphs; the default graph holds nothing else of its own)."""
    names = []
    for g in graphs:
        with contextlib.suppress(ValueError):  # a line cut short by a kill names no graph
            names.append(str(ox.NamedNode(g)))
    inferred = ox.NamedNode(settings.INFERENCE_GRAPH)
    return " ;\n".join([f"DROP SILENT GRAPH {g}" for g in names] + [
        f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER (?g != {inferred}) }} }}"])
