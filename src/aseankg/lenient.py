"""Reading the SPARQL answers of other servers leniently, where the standards allow or a server's
habits are known: the JSON results a ``RemoteStore`` parses are first rewritten to their standard
core here, and the terms Virtuoso sends in a form other than the one the project wrote are read back
in that form (the same values), so that answers and dumps do not depend on the server.

>>> lenient_json(b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}', "http://h/sparql")
b'{"head": {"vars": ["__ASK_RETVAL"]}, "boolean": false}'
"""

from __future__ import annotations

import hashlib
import json

import pyoxigraph as ox

from .store import StoreError


def shorten(url: str, limit: int = 200) -> str:
    """``url`` cut to ``limit`` characters for an error message."""
    return url if len(url) <= limit else url[:limit] + "…"


def blank_label(label: str) -> str:
    """A blank-node label pyoxigraph accepts for any label a server sends (``nodeID://b10069``):
    kept if it is already a plain name, else a name derived from it, the same for the same label."""
    if label and len(label) <= 200 and label.isascii() and label.replace("_", "").isalnum():
        return label
    return "x" + hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:32]


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
#: Virtuoso keeps an xsd:boolean as a number and sends "1"/"0": the same values as "true"/"false",
#: the canonical forms the project writes, in which they are read back (or dumps would differ).
_BOOLEAN_WORDS = {"1": "true", "0": "false"}


def boolean_as_written(quad: ox.Quad) -> ox.Quad:
    """``quad`` with an object ``"1"``/``"0"``^^xsd:boolean in its canonical form ``true``/``false``."""
    o = quad.object
    if isinstance(o, ox.Literal) and o.datatype == _BOOLEAN and o.value in _BOOLEAN_WORDS:
        return ox.Quad(quad.subject, quad.predicate, ox.Literal(_BOOLEAN_WORDS[o.value], datatype=_BOOLEAN),
                       quad.graph_name)
    return quad


def lenient_json(body: bytes, url: str) -> bytes:
    """A SPARQL JSON answer rewritten to its standard core: unknown members (top level, ``head``,
    ``results`` and term objects) dropped, blank-node labels made plain names, SPARQL 2008's
    ``typed-literal`` read as ``literal``, xsd:boolean ``1``/``0`` as ``true``/``false``, Virtuoso's
    ``__ASK_RETVAL`` solution as the boolean it is. The caller's size cap applies before this runs."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:  # RecursionError: nested too deep
        raise StoreError(f"{shorten(url)} sent a JSON answer that does not parse: {error}") from None
    if not isinstance(document, dict):
        raise StoreError(f"{shorten(url)} sent a JSON answer that is not an object")
    head = document.get("head") if isinstance(document.get("head"), dict) else {}
    core: dict = {"head": {"vars": head["vars"]} if isinstance(head.get("vars"), list) else {}}
    if "boolean" in document:
        core["boolean"] = document["boolean"]
        return json.dumps(core).encode()
    results = document.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        return bytes(body)  # not an answer at all: the parser names what is wrong
    names = head.get("vars")
    if isinstance(names, list) and len(names) == 1 and str(names[0]).endswith("ASK_RETVAL") and len(bindings) <= 1:
        # Virtuoso 7 answers ASK in JSON as one solution binding __ASK_RETVAL to 1 (true) or none.
        value = bindings[0].get(names[0]) if bindings and isinstance(bindings[0], dict) else None
        core["boolean"] = isinstance(value, dict) and str(value.get("value")) not in ("0", "false")
        return json.dumps(core).encode()
    for row in bindings:
        if not isinstance(row, dict):
            continue
        for name, term in list(row.items()):
            if not isinstance(term, dict):
                continue
            kind = term.get("type")
            if kind == "typed-literal":
                kind = "literal"
            clean = {key: term[key] for key in ("value", "datatype", "xml:lang", "subject", "predicate",
                                                "object") if key in term}
            clean["type"] = kind
            if kind == "bnode" and isinstance(clean.get("value"), str):
                clean["value"] = blank_label(clean["value"])
            elif clean.get("datatype") == _BOOLEAN.value and clean.get("value") in _BOOLEAN_WORDS:
                clean["value"] = _BOOLEAN_WORDS[clean["value"]]
            row[name] = clean
    if "vars" not in core["head"]:
        core["head"]["vars"] = sorted({name for row in bindings if isinstance(row, dict) for name in row})
    core["results"] = {"bindings": bindings}
    return json.dumps(core).encode()
