"""Coverage-guided fuzzing of the reader (atheris, libFuzzer): any bytes, as any of the article formats,
give articles or ``ArticleError``s and nothing else.

    python fuzz/fuzz_reader.py -max_total_time=60            # a minute
    python fuzz/fuzz_reader.py my-corpus/ -max_total_time=600 -timeout=10

Without a corpus folder it starts from a copy of the seeds in ``fuzz/corpus`` (one input per format);
``-timeout`` defaults to 10 s.

The first byte of an input picks the file suffix (.txt, .html, .json, .jsonl); the rest is the file.
A crash (an exception other than ``ArticleError`` escaping, or the reader's last-resort handler being
needed) or a timeout leaves the input in ``crash-*`` / ``timeout-*`` for a regression test.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["aseankg"]):
    from aseankg.model import Article
    from aseankg.reading import ArticleError, read_file

SUFFIXES = (".txt", ".html", ".json", ".jsonl")
FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-reader-"))
SEEDS = Path(__file__).parent / "corpus"


def test_one_input(data: bytes) -> None:
    if not data:
        return
    path = FOLDER / f"input{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    results = read_file(path)
    if not results:
        raise AssertionError("read_file returned nothing")
    for result in results:
        if isinstance(result, ArticleError):
            if result.reason.startswith("could not be read ("):  # the last-resort handler caught a bug
                raise AssertionError(result.reason)
        elif not isinstance(result, Article) or not result.body or result.id is None:
            raise AssertionError(f"not an article: {result!r}")


def main() -> None:
    argv = list(sys.argv)
    if not any(Path(a).is_dir() for a in argv[1:]):  # work on a copy of the seeds: the corpus grows
        work = Path(tempfile.mkdtemp(prefix="fuzz-corpus-"))
        for seed in SEEDS.glob("*"):
            shutil.copy(seed, work)
        argv.append(str(work))
    if not any(a.startswith("-timeout=") for a in argv):
        argv.append("-timeout=10")  # seconds for one input before libFuzzer calls it a hang
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
