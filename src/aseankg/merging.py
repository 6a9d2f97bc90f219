"""New article graphs waiting to join a store's merged default graph, during a build.

An article written the ordinary way is stored twice in one transaction: in its named graph and in
the merged default graph (``store``). A build instead writes the named graph at once and keeps
the default-graph copy here, and the store adds a batch of them in one bulk write (measured on
4,000 synthetic articles on disk: 2.6 against 4.4-4.8 ms of store time an article).

The bulk write is not one transaction, so the graphs waiting are also listed in a file in the store
folder, each before its named graph is written; a writer that opens a store with that file left
over (a build killed between two batches) merges the listed graphs again. Merging a graph twice
changes nothing: the default graph holds each triple once.

>>> import pyoxigraph as ox
>>> waiting = PendingMerge(None)
>>> g = ox.NamedNode("https://w3id.org/aseankg/id/article/0123456789abcdef")
>>> q = ox.Quad(ox.NamedNode("https://w3id.org/aseankg/id/country/VNM"), ox.NamedNode("http://ex.org/p"),
...             ox.Literal("x"), g)
>>> waiting.add([q])
>>> len(waiting), [str(x.graph_name) for x in waiting.peek()]
(1, ['DEFAULT'])
>>> waiting.done()
>>> len(waiting), waiting.peek()
(0, [])
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

#: The file in a store folder that lists the article graphs whose merge has not been written yet.
PENDING_FILE = "aseankg-merge-pending"
#: Articles a build writes between two bulk merges (also how far a reader's default graph may lag).
MERGE_EVERY = 500


class PendingMerge:
    """The default-graph copies of the article graphs written since the last merge, and their list
    on disk (none for a store in memory)."""

    def __init__(self, folder: str | os.PathLike | None):
        self.path = None if folder is None else Path(folder) / PENDING_FILE
        self._quads: list[ox.Quad] = []
        self._graphs = 0
        self._file = None
        self._settled = True

    def __len__(self) -> int:
        """Article graphs waiting."""
        return self._graphs

    def add(self, quads: list[ox.Quad]) -> None:
        """Note one article graph's quads (all of one named graph) before they are written there."""
        if not quads:
            return
        if self.path is not None:
            if self._file is None:
                self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (kept open for the build)
            self._file.write(f"{quads[0].graph_name.value}\n")
            self._file.flush()
        self._quads += [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
        self._graphs += 1
        self._settled = False

    def peek(self) -> list[ox.Quad]:
        """The default-graph quads waiting."""
        return self._quads

    def done(self) -> None:
        """The quads waiting are in the default graph now: forget them, on disk too."""
        self._quads, self._graphs, self._settled = [], 0, True
        if self._file is not None:
            self._file.truncate(0)
            self._file.seek(0)

    def close(self) -> None:
        """Close the list on disk, and remove it unless graphs are still waiting (a failed merge:
        the next opening for writing merges them)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.path is not None and self._settled:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def left_over(folder: str | os.PathLike) -> list[str]:
    """The article graphs a build listed as waiting and may not have merged (it was killed)."""
    try:
        text = (Path(folder) / PENDING_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return sorted({line for line in text.splitlines() if line.strip()})


def merge_update(graphs: Iterable[str]) -> str:
    """The SPARQL Update that copies ``graphs`` into the default graph (a name cut short by a kill
    is no IRI, and no graph: it is left out)."""
    names = []
    for g in graphs:
        with contextlib.suppress(ValueError):
            names.append(str(ox.NamedNode(g)))
    names = " ".join(names)
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }} }}"
