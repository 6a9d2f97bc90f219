"""Writing an output file the way users expect: whole or not at all, and never by replacing something
that is not a regular file.

``open_output(path)`` follows a symlink to the file it names (the link stays a link). A missing or
regular target is written to a temporary file beside it, then renamed into place (readers never see
half a file); the new file gets the user's umask (``mkstemp`` alone would leave it ``0600``), an
existing file keeps its mode. A character device or FIFO (``-o /dev/null``, ``-o /dev/stdout``, a
named pipe) is written straight to, never replaced; a block device, a socket or a folder is refused.

>>> import tempfile
>>> folder = tempfile.TemporaryDirectory()
>>> with open_output(folder.name + "/out.txt", "w") as out:
...     _ = out.write("hello")
>>> open(folder.name + "/out.txt").read()
'hello'
>>> with open_output("/dev/null", "w") as out:
...     _ = out.write("nothing")
>>> import os, stat; stat.S_ISCHR(os.stat("/dev/null").st_mode)
True
>>> folder.cleanup()
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class OutputError(OSError):
    """The output path names something that must not be written over (a folder, a block device...)."""


def umask() -> int:
    """The process's umask, read without changing it (``os.umask`` can only set it)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    old = os.umask(0o022)
    os.umask(old)
    return old


@contextlib.contextmanager
def open_output(path: str | os.PathLike, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """A file object for writing ``path`` (``mode`` ``"w"`` or ``"wb"``, ``kwargs`` as for ``open``);
    the file is complete when the block ends without an error, and untouched if it raises."""
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            with open(target, mode, **kwargs) as out:  # a device or pipe: write through, never replace
                yield out
            return
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise OutputError(f"{path} is {kind}; name a file to write")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~umask())
        with os.fdopen(handle, mode, **kwargs) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
