"""Every console example in the README is real output: its ``$ aseankg ...`` commands run, in
order, against a store built the way the README says (``/tmp/kg`` replaced by a temporary folder),
and what each prints must match the README (whitespace normalised; timestamps and correction ids
match any). The ``curl`` count is checked against the same query run by ``aseankg query``."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import urllib.parse
from pathlib import Path

from aseankg import settings

README = settings.PROJECT_ROOT / "README.md"
ASEANKG = Path(sys.executable).parent / "aseankg"
#: Parts of an output that differ from run to run: a correction's id and time.
VARYING = [(re.compile(r"\b[0-9a-f]{16}\b"), "<id>"),
           (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)"), "<time>")]


def console_examples() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) of every ``$`` line in the README's console blocks."""
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            lines = part.rstrip("\n").split("\n")
            command = lines.pop(0)
            while not splits(command):  # a quoted argument over several lines
                command += "\n" + lines.pop(0)
            examples.append((command, lines))
    return examples


def splits(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:
        return False
    return True


def normal(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        line = " ".join(line.split())
        for pattern, mark in VARYING:
            line = pattern.sub(mark, line)
        if line and not line.startswith("Building"):  # the progress bar (stderr, a terminal's)
            out.append(line)
    return out


def run(command: str, tmp: Path) -> str:
    command = command.replace("/tmp/kg", str(tmp / "kg")).replace("/tmp/fixes.ttl", str(tmp / "fixes.ttl"))
    head = None
    if (m := re.search(r"\s*\|\s*head -(\d+)$", command)) is not None:
        head, command = int(m.group(1)), command[:m.start()]
    words = shlex.split(command)
    assert words[0] in (".venv/bin/aseankg", "aseankg"), command
    words = [str(ASEANKG), *words[1:]]
    words = [str(tmp / w) if w.endswith(".gexf") else w for w in words]
    done = subprocess.run(words, cwd=settings.PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}\n{done.stderr}"
    text = done.stdout if done.stdout.strip() else done.stderr
    text = text.replace(str(tmp / "fixes.ttl"), "/tmp/fixes.ttl").replace(str(tmp) + "/", "")
    lines = text.splitlines()
    return "\n".join(lines[:head] if head else lines)


def test_readme_console_examples_are_real_output(tmp_path):
    examples = console_examples()
    assert len(examples) >= 8
    drifted = []
    for command, expected in examples:
        if command.startswith("curl"):
            query = urllib.parse.parse_qs(urllib.parse.urlparse(shlex.split(command)[2]).query)["query"][0]
            command = f"aseankg query --store /tmp/kg --format csv {shlex.quote(query)}"
        got = run(command, tmp_path)
        if normal(got.splitlines()) != normal(expected):
            drifted.append(f"$ {command}\n--- README\n" + "\n".join(expected) + "\n--- real\n" + got)
    assert not drifted, "\n\n".join(drifted)
