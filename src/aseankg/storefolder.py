"""The files an embedded store keeps in its folder beside RocksDB's own: the writer's process (to
name it to a second writer) and a stamp the writer changes after every committed write (readers
reopen the store when it changes). A build's lists of what a killed write must redo are in
:mod:`aseankg.batches`.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     (is_store_folder(folder), generation(folder), writer_of(folder))
(False, '', 'another process')
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

WRITER_FILE = "aseankg-writer"
GENERATION_FILE = "aseankg-generation"
#: Folders in a store folder holding a snapshot for a build's read-only workers (``EmbeddedStore.snapshot``).
SNAPSHOT_PREFIX = "aseankg-snapshot-"
#: Characters of a stamp (process id, nanoseconds; padded with spaces).
STAMP_WIDTH = 48


def generation(folder: str | os.PathLike) -> str:
    """The store's change stamp ("" before any write has made one)."""
    try:
        return (Path(folder) / GENERATION_FILE).read_text(encoding="utf-8")
    except OSError:
        return ""


def name_writer(folder: str | os.PathLike) -> None:
    """Name this process in ``folder``'s writer file (``aseankg build``, ``python …``), replaced whole."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    path = Path(folder) / WRITER_FILE
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(f"{os.getpid()} {' '.join([name, *sys.argv[1:2]])[:80]}", encoding="utf-8")
    os.replace(temporary, path)


def writer_of(folder: str | os.PathLike) -> str:
    """Who holds ``folder`` for writing, as far as its writer file tells ("another process" if unknown)."""
    try:
        pid, _, command = (Path(folder) / WRITER_FILE).read_text(encoding="utf-8").partition(" ")
        return f"process {int(pid)} ({command})"
    except (OSError, ValueError):
        return "another process"


def remove_snapshots(folder: str | os.PathLike) -> None:
    """Remove the snapshots a writer left in ``folder`` (killed before it removed them): their hard
    links keep files the store no longer needs."""
    for snapshot in Path(folder).glob(SNAPSHOT_PREFIX + "*"):
        shutil.rmtree(snapshot, ignore_errors=True)


def is_store_folder(folder: str | os.PathLike) -> bool:
    """True if ``folder`` holds an on-disk store (Oxigraph's RocksDB files start with ``CURRENT``)."""
    return (Path(folder) / "CURRENT").is_file()
