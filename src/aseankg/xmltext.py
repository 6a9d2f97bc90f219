"""Text that every output can carry: what XML 1.0 forbids is dropped when an article is read and
replaced (by U+FFFD) at each XML writer, and CSV cells that a spreadsheet would run as formulas are
neutralised in downloads.

XML 1.0 allows tab, line feed, carriage return and U+0020 onwards, except the surrogates and U+FFFE /
U+FFFF; a ``\\x01`` or ``\\x1b`` in a headline made the SPARQL XML results, RDF/XML, GEXF, GraphML and
the ego SVG unreadable (and ``&#1;`` is no better: XML 1.0 forbids the reference too).

>>> xml_safe("ASEAN\\x01 \\x1b[31mSummit\\ufffe")
'ASEAN\\ufffd \\ufffd[31mSummit\\ufffd'
>>> clean_text("Viet\\x00Nam\\x85 News\\ufeff")
'Viet Nam News'
>>> neutralise_csv(b'name,n\\r\\n=1+1,-3\\r\\nplain,4\\r\\n', "csv")
b"name,n\\r\\n'=1+1,'-3\\r\\nplain,4\\r\\n"
"""

from __future__ import annotations

import csv
import io
import re

#: Characters XML 1.0 forbids (C0 controls but tab and line breaks, surrogates, U+FFFE, U+FFFF).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORBIDDEN_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]|&#")
_REFERENCE = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")
#: What an article's metadata (headline, publisher, URL, dateline) may not carry: C0 and C1 controls,
#: U+FFFE / U+FFFF, zero-width marks; line breaks become spaces.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u200b\u2060\ufeff]")
#: First characters that make a spreadsheet cell a formula (and tab / CR, which some strip first).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    return FORBIDDEN.sub("\ufffd", text)


def _allowed(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def xml_safe_bytes(document: bytes) -> bytes:
    """A UTF-8 XML ``document`` with forbidden characters, raw or as ``&#…;`` references, replaced by
    U+FFFD (documents without any are returned as they are, quickly)."""
    if not _FORBIDDEN_BYTES.search(document):
        return document
    text = xml_safe(document.decode("utf-8", errors="replace"))

    def reference(match: re.Match) -> str:
        value = match.group(1)
        code = int(value[1:], 16) if value[0] == "x" else int(value)
        return match.group() if _allowed(code) else "\ufffd"

    return _REFERENCE.sub(reference, text).encode("utf-8")


def clean_text(text: str) -> str:
    """Metadata text as read: control characters and U+FFFE/U+FFFF dropped (line breaks and other C0
    controls become spaces), whitespace collapsed."""
    return " ".join(_UNWANTED.sub(lambda m: " " if m.group() < " " else "", text).split())


def neutralise_csv(document: bytes, fmt: str) -> bytes:
    """A CSV or TSV ``document`` whose cells starting with ``=``, ``+``, ``-``, ``@`` (tab, CR) get a
    leading ``'``, so a spreadsheet shows them as text instead of running them (OWASP's advice)."""
    if fmt == "tsv":  # SPARQL TSV cells are RDF terms ("…"^^<…>, <…>): only a bare one can start so
        lines = document.decode("utf-8").split("\n")
        fixed = ["\t".join("'" + c if c.startswith(FORMULA_START) else c for c in line.split("\t"))
                 for line in lines]
        return "\n".join(fixed).encode("utf-8")
    rows = csv.reader(io.StringIO(document.decode("utf-8"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["'" + c if c.startswith(FORMULA_START) else c for c in row])
    return out.getvalue().encode("utf-8")
