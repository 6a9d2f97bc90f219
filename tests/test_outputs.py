"""Output files (``export -o``, ``dump -o``): the old code renamed a temporary file over the target, so a
FIFO and a symlink were each replaced by a regular file (as root ``-o /dev/null`` would replace the
system's), and exports were created ``0600`` whatever the umask."""

from __future__ import annotations

import os
import stat
import threading

import pytest
from rdflib import Literal, URIRef

from aseankg.exports import write_lines
from aseankg.outputs import OutputError
from aseankg.store import EmbeddedStore, dump_to_path

ID = "https://w3id.org/aseankg/id/"


@pytest.fixture()
def store(tmp_path):
    with EmbeddedStore(tmp_path / "kg") as kg:
        kg.write_article(f"{ID}article/00000000000000aa", [(URIRef(f"{ID}x"), URIRef(f"{ID}p"), Literal("v"))])
        yield kg


def test_fifo_is_written_not_replaced(tmp_path, store):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_lines(["<gexf/>"], fifo)
    reader.join(30)
    assert received == [b"<gexf/>\n"] and stat.S_ISFIFO(fifo.stat().st_mode)
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert dump_to_path(store, fifo) >= 1
    reader.join(30)
    assert b"<https://w3id.org/aseankg/id/x>" in received[1] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_character_device_is_written_not_replaced(tmp_path, store):
    # as root, a null device of our own: a regression must not replace the system's /dev/null
    device = tmp_path / "null" if os.geteuid() == 0 else "/dev/null"
    if os.geteuid() == 0:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    write_lines(["x"], device)
    dump_to_path(store, device, "nquads")
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_symlink_is_followed(tmp_path, store):
    real = tmp_path / "real" / "out.gexf"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.gexf"
    link.symlink_to(real)
    write_lines(["new"], link)
    assert link.is_symlink() and real.read_text() == "new\n"
    nq_real, nq_link = tmp_path / "real" / "all.nq", tmp_path / "all.nq"
    nq_real.write_text("")
    nq_link.symlink_to(nq_real)
    dump_to_path(store, nq_link)
    assert nq_link.is_symlink() and "aseankg/id/x" in nq_real.read_text()
    assert not [p for p in (tmp_path / "real").iterdir() if p.name.endswith(".tmp")]


def test_new_files_follow_the_umask_and_folders_are_refused(tmp_path, store):
    old = os.umask(0o027)
    try:
        write_lines(["x"], tmp_path / "new.gexf")
        dump_to_path(store, tmp_path / "new.nq")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.gexf").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "new.nq").stat().st_mode) == 0o640
    existing = tmp_path / "kept.gexf"
    existing.write_text("")
    existing.chmod(0o600)
    write_lines(["x"], existing)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    with pytest.raises(OutputError, match="folder"):
        write_lines(["x"], tmp_path)
