"""Saved analyst queries: the ``.rq`` files in ``queries/``, their headers, and running them.

Each file starts with a comment header in a fixed format::

    # title: Meetings held in a country or city
    # question: Which meetings were held in a given country or city, in date order, ...?
    # param: place = <https://w3id.org/aseankg/id/country/MYS>  (a Country or Place IRI)
    # param: year : xsd:gYear = 2025  (a year)
    # inference: no
    # notes: free text, continued on lines that start with "#   "
    # example:
    #   meeting | label | ...

A ``param`` line is ``NAME [: TYPE] = DEFAULT  (DESCRIPTION)``. ``NAME`` is a SPARQL variable of the
query, bound from outside (``store.query(bindings=...)``, never pasted into the text); the default is
used when no value is given. ``TYPE`` is ``iri``, ``country`` (an IRI that also accepts a bare ISO3
code) or an XSD datatype (``xsd:string``, ``xsd:integer``, ``xsd:gYear``, ...). Without a type, an IRI
default under ``id/country/`` makes a country parameter, another IRI an ``iri`` one, a quoted default
an ``xsd:string`` and a number an ``xsd:integer``.

>>> query = parse_query('''# title: Chair of a year
... # question: Who chaired ASEAN in a given year?
... # param: year : xsd:gYear = 2025  (a year)
... # inference: no
... SELECT ?c WHERE { ?x <https://w3id.org/aseankg/ontology#year> ?year ;
...   <https://w3id.org/aseankg/ontology#chairCountry> ?c }''', name="chair")
>>> query.title, query.defaults
('Chair of a year', {'year': '2025'})
>>> query.bindings({"year": "2024"})
{'year': rdflib.term.Literal('2024', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))}
>>> query.param("year").term("} . ?s ?p ?o {")
Traceback (most recent call last):
...
aseankg.queries.QueryParamError: ?year wants an xsd:gYear such as 2025, not '} . ?s ?p ?o {'
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from . import naming, settings
from .results import ID_PREFIXES, PREFIXES, QueryResult, compact


class QueryNotFound(LookupError):
    """No saved query has the name asked for (the message lists the names there are)."""


class QueryHeaderError(ValueError):
    """A saved query's header comment is not in the expected format."""


class QueryParamError(ValueError):
    """A parameter name the query does not declare, or a value that does not fit its type."""


#: Lexical forms accepted for literal parameters of these datatypes (others are taken as written).
_LEXICAL = {
    str(XSD.integer): (re.compile(r"[+-]?\d+\Z"), "42"),
    str(XSD.decimal): (re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z"), "4.2"),
    str(XSD.gYear): (re.compile(r"-?\d{4,}\Z"), "2025"),
    str(XSD.gYearMonth): (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])\Z"), "2025-07"),
    str(XSD.date): (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\Z"), "2025-07-08"),
    str(XSD.boolean): (re.compile(r"(true|false|0|1)\Z"), "true"),
}
_ISO3 = re.compile(r"[A-Za-z]{3}\Z")
_PREFIXED = re.compile(r"([A-Za-z][\w-]*):(\S*)\Z")
_PARAM = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*(?::\s*(?P<type>\S+))?\s*=\s*"
                    r"(?P<default><[^>]*>|\"(?:[^\"\\]|\\.)*\"|\S+)\s*(?:\((?P<description>.*)\))?\s*\Z")
_FIELD = re.compile(r"#\s*(title|question|param|inference|notes|example)\s*:\s?(.*)\Z")


def _expand(name: str) -> str:
    """``xsd:gYear`` → the full datatype IRI (a full ``<IRI>`` or known prefix is accepted)."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    match = _PREFIXED.match(name)
    if match and match.group(1) in PREFIXES:
        return PREFIXES[match.group(1)] + match.group(2)
    raise QueryHeaderError(f"unknown parameter type {name!r}: use iri, country or an xsd: datatype")


def _short(datatype: str) -> str:
    return "xsd:" + datatype[len(str(XSD)):] if datatype.startswith(str(XSD)) else f"<{datatype}>"


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a saved query: a variable bound from outside.

    ``kind`` is ``"iri"``, ``"country"`` or a datatype IRI (a literal parameter); ``default`` is the
    value as written in the header (``<…>``, ``id:…``, a bare value or a quoted string).

    >>> QueryParam("country", "country", "<https://w3id.org/aseankg/id/country/TLS>").term("vnm")
    rdflib.term.URIRef('https://w3id.org/aseankg/id/country/VNM')
    >>> QueryParam("c", "iri", "id:org/asean").term("id:org/asean")
    rdflib.term.URIRef('https://w3id.org/aseankg/id/org/asean')
    """

    name: str
    kind: str
    default: str
    description: str = ""

    @property
    def is_iri(self) -> bool:
        return self.kind in ("iri", "country")

    @property
    def folder(self) -> str | None:
        """The folder of entity IRIs the default names (``meeting`` for ``id:meeting/amm-58``), if any."""
        try:
            iri = str(self._iri(self.default.strip()))
        except QueryParamError:
            return None
        rest = iri[len(settings.ID_NS):] if iri.startswith(settings.ID_NS) else ""
        return rest.split("/", 1)[0] if "/" in rest else None

    @property
    def type_name(self) -> str:
        """``iri``, ``country`` or a short datatype name such as ``xsd:gYear``."""
        return self.kind if self.is_iri else _short(self.kind)

    def term(self, value: str | None = None,
             resolve: Callable[[str, str | None], str | None] | None = None) -> Node:
        """``value`` (the default when ``None``) as an rdflib term of this parameter's type. With ``resolve``
        (``resolve_entity`` bound to a store), an IRI parameter also accepts a slug (``amm-58``) or an exact
        label ("58th ASEAN Foreign Ministers' Meeting")."""
        if value is None:
            value = self.default
            if not self.is_iri and len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        value = str(value)
        if self.is_iri:
            try:
                return self._iri(value.strip())
            except QueryParamError:
                if resolve is None:
                    raise
                found = resolve(value.strip(), self.folder)
                if found is None:
                    raise QueryParamError(f"?{self.name}: nothing in the store has the slug or label {value.strip()!r} "
                                          "(give an IRI <https://…>, a prefixed name such as meeting:amm-58, a slug "
                                          "or an exact label)") from None
                return URIRef(found)
        check = _LEXICAL.get(self.kind)
        if check is not None:
            value = value.strip()
            if not check[0].match(value):
                raise QueryParamError(f"?{self.name} wants an {self.type_name} such as {check[1]}, "
                                      f"not {value!r}")
        if self.kind == str(XSD.string):
            return Literal(value)
        return Literal(value, datatype=URIRef(self.kind))

    def _iri(self, value: str) -> URIRef:
        if value.startswith("<") and value.endswith(">"):
            iri = value[1:-1]
        elif self.kind == "country" and _ISO3.match(value):
            iri = naming.country_iri(value.upper())
        elif (match := _PREFIXED.match(value)) and match.group(1) in QUERY_PREFIXES:
            iri = QUERY_PREFIXES[match.group(1)] + match.group(2)
        elif value.startswith(("http://", "https://")):
            iri = value
        else:
            hint = "an ISO3 code, " if self.kind == "country" else ""
            raise QueryParamError(f"?{self.name} wants an IRI: {hint}<https://…> or a prefixed name such as "
                                  f"country:VNM, not {value!r}")
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise QueryParamError(f"?{self.name}: {iri!r} is not a valid IRI ({error})") from None
        if any(c in iri for c in ' <>"{}|^`\\') or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
            raise QueryParamError(f"?{self.name}: {iri!r} is not a valid absolute IRI")
        return URIRef(iri)


def _param_from_header(text: str, where: str) -> QueryParam:
    match = _PARAM.match(text.strip())
    if not match:
        raise QueryHeaderError(f"{where}: a param line reads 'NAME [: TYPE] = DEFAULT  (DESCRIPTION)', "
                               f"not {text!r}")
    name, kind, default = match.group("name"), match.group("type"), match.group("default")
    if kind is None:
        if default.startswith("<") or _PREFIXED.match(default) and not default.startswith('"'):
            iri = _expand(default) if not default.startswith("<") else default[1:-1]
            kind = "country" if iri.startswith(settings.ID_NS + "country/") else "iri"
        elif default.startswith('"'):
            kind = str(XSD.string)
        elif re.match(r"[+-]?\d+\Z", default):
            kind = str(XSD.integer)
        else:
            raise QueryHeaderError(f"{where}: give ?{name} a type (iri, country or an xsd: datatype)")
    elif kind not in ("iri", "country"):
        kind = _expand(kind)
    param = QueryParam(name, kind, default, (match.group("description") or "").strip())
    try:
        param.term()
    except QueryParamError as error:
        raise QueryHeaderError(f"{where}: the default of ?{name} does not fit its type: {error}") from None
    return param


@dataclass(frozen=True)
class SavedQuery:
    """A SPARQL query with its header: what it asks, its parameters and whether it needs inferences."""

    name: str
    path: Path | None
    title: str
    question: str
    params: tuple[QueryParam, ...] = ()
    inference: bool = True
    text: str = ""
    notes: str = ""
    example: str = ""

    @property
    def defaults(self) -> dict[str, str]:
        """Parameter name → default value as written in the header."""
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> QueryParam:
        """The parameter called ``name`` (a leading ``?`` or ``$`` is ignored)."""
        name = name.lstrip("?$")
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryParamError(f"query {self.name!r} has no parameter {name!r} (its parameters: {known})")

    def bindings(self, values: Mapping[str, str] | None = None, store=None) -> dict[str, Node]:
        """Every parameter bound to a term: the given value (text) or the default. With ``store``, an
        IRI parameter also accepts a slug or an exact label of an entity in it (``resolve_entity``)."""
        values = {k.lstrip("?$"): v for k, v in (values or {}).items()}
        for name in values:
            self.param(name)  # raises on an unknown name
        resolve = None if store is None else (lambda value, folder: resolve_entity(store, value, folder))
        return {p.name: p.term(values.get(p.name), resolve) for p in self.params}


def parse_query(text: str, *, name: str, path: str | os.PathLike | None = None,
                strict: bool = False) -> SavedQuery:
    """A ``SavedQuery`` from a query's text and header. ``strict`` requires title, question and
    inference and checks that every parameter is a variable of the query; otherwise a file without a
    header is a query without parameters (title = name, inference on)."""
    where = str(path or name)
    fields: dict[str, list[str]] = {"title": [], "question": [], "inference": [], "notes": [], "example": []}
    params: list[QueryParam] = []
    current: str | None = None
    lines = text.splitlines()
    body_start = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                body_start = i
                break
            current = None
            continue
        match = _FIELD.match(stripped)
        if match:
            current, value = match.group(1), match.group(2).strip()
            if current == "param":
                params.append(_param_from_header(value, where))
                current = None
            elif value:
                fields[current].append(value)
        elif current in ("notes", "example", "question") and stripped.startswith("#  "):
            fields[current].append(stripped[1:].strip())
        elif strict and stripped != "#":
            raise QueryHeaderError(f"{where}: unexpected header line {stripped!r}")
    body = "\n".join(lines[body_start:])
    inference_text = " ".join(fields["inference"]).lower()
    if strict:
        for key in ("title", "question", "inference"):
            if not fields[key]:
                raise QueryHeaderError(f"{where}: the header has no '# {key}:' line")
        if inference_text not in ("yes", "no"):
            raise QueryHeaderError(f"{where}: '# inference:' is yes or no, not {inference_text!r}")
        for p in params:
            if not re.search(rf"[?$]{re.escape(p.name)}\b", body):
                raise QueryHeaderError(f"{where}: parameter ?{p.name} does not occur in the query")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise QueryHeaderError(f"{where}: a parameter is declared twice")
    return SavedQuery(
        name=name, path=Path(path) if path else None,
        title=" ".join(fields["title"]) or name, question=" ".join(fields["question"]),
        params=tuple(params), inference=inference_text != "no", text=text,
        notes="\n".join(fields["notes"]), example="\n".join(fields["example"]))


def saved_queries(directory: str | os.PathLike = settings.QUERIES_DIR) -> list[SavedQuery]:
    """Every ``*.rq`` file in ``directory``, sorted by name, headers checked (``QueryHeaderError``).

    >>> [q.name for q in saved_queries()][:2]
    ['01-meetings-in-place', '02-meeting-participants']
    """
    folder = Path(directory)
    return [parse_query(p.read_text(encoding="utf-8"), name=p.stem, path=p, strict=True)
            for p in sorted(folder.glob("*.rq"))]


def find_query(name: str, directory: str | os.PathLike = settings.QUERIES_DIR) -> SavedQuery | None:
    """The saved query called ``name``: its file name without ``.rq`` (``01-meetings-in-place``),
    without the number (``meetings-in-place``), or its number (``1``, ``01``); ``None`` if none."""
    key = name.strip().removesuffix(".rq")
    for query in saved_queries(directory):
        number, _, rest = query.name.partition("-")
        if key in (query.name, rest) or (key.isdigit() and number.isdigit() and int(key) == int(number)):
            return query
    return None


#: What a saved query's name or a query file's path looks like; SPARQL text always has a space or a brace.
_NAME_OR_PATH = re.compile(r"[\w./\\~:+-]+\Z")


#: The prefixes SPARQL text given to ``aseankg query`` may use without declaring them, as on the query page.
QUERY_PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", **PREFIXES, **ID_PREFIXES}


def resolve_entity(store, value: str, folder: str | None = None) -> str | None:
    """The IRI of the one entity that ``value`` names: its slug (``amm-58``, under ``folder`` when given)
    or its exact label or alternative label (case aside); ``None`` when none does. Raises
    ``QueryParamError`` when several do, naming them."""
    if re.fullmatch(r"[\w.-]+", value, re.ASCII):
        folders = [folder] if folder else list(ID_PREFIXES.values())
        for f in folders:
            iri = f if f.startswith("http") else f"{settings.ID_NS}{f}/"
            found = store.query("ASK { ?s ?p ?o }", bindings={"s": URIRef(iri + value)}, inference=False)
            if found.boolean:
                return iri + value
    scope = f'FILTER(STRSTARTS(STR(?s), "{settings.ID_NS}{folder}/"))' if folder else ""
    rows = store.query("SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label>|"
                       "<http://www.w3.org/2004/02/skos/core#altLabel> ?l . FILTER(ISIRI(?s) && "
                       f"LCASE(STR(?l)) = LCASE(STR(?v))) {scope} }} ORDER BY ?s LIMIT 6",
                       bindings={"v": Literal(value)}, inference=False).dicts()
    if len(rows) > 1:
        names = ", ".join(compact(str(r["s"])) for r in rows[:5])
        raise QueryParamError(f"{value!r} names several entities ({names}): give one of them")
    return str(rows[0]["s"]) if rows else None


def with_prefixes(text: str) -> str:
    """``text`` with a declaration of each of ``QUERY_PREFIXES`` it uses but does not declare, on the
    first line (so the line numbers of syntax errors still match the text as written).

    >>> with_prefixes("SELECT ?x WHERE { ?x a akg:Meeting }")
    'PREFIX akg: <https://w3id.org/aseankg/ontology#> SELECT ?x WHERE { ?x a akg:Meeting }'
    >>> with_prefixes("PREFIX akg: <urn:x#> ASK { ?x a akg:Meeting }")
    'PREFIX akg: <urn:x#> ASK { ?x a akg:Meeting }'
    """
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", text)}
    used = [p for p in QUERY_PREFIXES if p not in declared and re.search(rf"(?<![\w<\-.:]){p}:", text)]
    return "".join(f"PREFIX {p}: <{QUERY_PREFIXES[p]}> " for p in used) + text


def suggest_query(name: str, directory: str | os.PathLike = settings.QUERIES_DIR) -> str | None:
    """The saved query name closest to a mistyped ``name`` (without its number), or ``None``.

    >>> suggest_query("chair-of-yeer")
    'chair-of-year'
    """
    names = {q.name.partition("-")[2] or q.name: q.name for q in saved_queries(directory)}
    key = name.strip().removesuffix(".rq")
    close = difflib.get_close_matches(key, list(names) + list(names.values()), n=1, cutoff=0.6)
    if not close:
        return None
    return close[0] if close[0] in names else close[0].partition("-")[2] or close[0]


def resolve_query(text: str, directory: str | os.PathLike = settings.QUERIES_DIR) -> SavedQuery | None:
    """What the ``aseankg query`` argument names: a saved query (``find_query``), a ``.rq`` file, or
    ``None`` for SPARQL text. A name or ``.rq`` path that matches nothing raises ``QueryNotFound``
    with a one-line message, rather than being run as (broken) SPARQL.

    >>> resolve_query("chair-of-yeer")
    Traceback (most recent call last):
    ...
    aseankg.queries.QueryNotFound: no saved query named 'chair-of-yeer'; did you mean 'chair-of-year'? ...
    >>> resolve_query("ASK { ?s ?p ?o }") is None
    True
    """
    stripped = text.strip()
    is_path = stripped.endswith(".rq") or ("/" in stripped and _NAME_OR_PATH.match(stripped))
    if is_path and Path(stripped).is_file():
        return parse_query(Path(stripped).read_text(encoding="utf-8"), name=Path(stripped).stem,
                           path=Path(stripped))
    if not is_path and not _NAME_OR_PATH.match(stripped):
        return None
    found = find_query(stripped, directory) if _NAME_OR_PATH.match(stripped) else None
    if found is None and is_path:
        raise QueryNotFound(f"no such file: {stripped}")
    if found is None:
        guess = suggest_query(stripped, directory)
        hint = f"; did you mean {guess!r}?" if guess else ""
        raise QueryNotFound(f"no saved query named {stripped!r}{hint} (`aseankg queries` lists them)")
    return found


def load_query(name_or_path: str | os.PathLike,
               directory: str | os.PathLike = settings.QUERIES_DIR) -> SavedQuery:
    """A saved query by name (see ``find_query``) or a ``.rq`` file by path.

    >>> load_query("chair-of-year").param("year").type_name
    'xsd:gYear'
    >>> load_query("no-such-query")
    Traceback (most recent call last):
    ...
    aseankg.queries.QueryNotFound: no saved query named 'no-such-query' (`aseankg queries` lists them)
    """
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        return parse_query(path.read_text(encoding="utf-8"), name=path.stem, path=path)
    found = resolve_query(str(name_or_path), directory)
    if found is None:
        raise QueryNotFound(f"no saved query named {str(name_or_path)!r} (`aseankg queries` lists them)")
    return found


def run_saved(store, query: SavedQuery | str, params: Mapping[str, str] | None = None, *,
              inference: bool | None = None, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
    """Run a saved query (a ``SavedQuery`` or a name/path for ``load_query``) on ``store``.

    ``params`` map parameter names to text values (``{"country": "VNM"}``, ``{"place":
    "id:place/kuala-lumpur"}``, ``{"year": "2024"}``); each becomes a term of the parameter's type
    and is passed to the store as a binding, never pasted into the query. Missing parameters take
    their defaults. ``inference`` overrides the header's ``inference:``.
    """
    if not isinstance(query, SavedQuery):
        query = load_query(query)
    bindings = query.bindings(params)
    return store.query(query.text, bindings=bindings or None,
                       inference=query.inference if inference is None else inference,
                       timeout=timeout, max_rows=max_rows)
