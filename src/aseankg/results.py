"""Query results as rdflib terms, and the cheap conversions between rdflib and pyoxigraph terms.

The store evaluates SPARQL with Oxigraph; everything it hands back is an rdflib term, a plain
Python value or an rdflib ``Graph``.

>>> from rdflib import Literal, URIRef
>>> to_rdflib(to_oxigraph(Literal("Hà Nội", lang="vi")))
rdflib.term.Literal('Hà Nội', lang='vi')
>>> result = QueryResult("select", ["city"], [(URIRef("https://w3id.org/aseankg/id/place/ha-noi"),)])
>>> result.dicts()
[{'city': 'https://w3id.org/aseankg/id/place/ha-noi'}]
>>> result.serialize("csv")
b'city\\r\\nhttps://w3id.org/aseankg/id/place/ha-noi\\r\\n'
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from .xmltext import xml_safe_bytes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Prefixes written into Turtle and TriG output.
PREFIXES = {
    "akg": "https://w3id.org/aseankg/ontology#",
    "id": "https://w3id.org/aseankg/id/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: One prefix per folder of entity IRIs, so that an IRI printed as ``meeting:amm-58`` is valid SPARQL
#: (``id:meeting/amm-58`` is not: a local name cannot hold ``/``). ``org/`` is ``organization:``, as
#: ``org:`` is the W3C Organization Ontology.
ID_PREFIXES = {("organization" if folder == "org" else folder): f"https://w3id.org/aseankg/id/{folder}/"
               for folder in ("meeting", "person", "country", "org", "series", "place", "role", "post",
                              "initiative", "document", "participation", "chairmanship", "partnership",
                              "level", "article", "mention")}

_LOCAL = re.compile(r"[A-Za-z0-9_]([\w.-]*[\w-])?\Z", re.ASCII)


def compact(iri: str, prefixes: Mapping[str, str] | None = None) -> str:
    """``iri`` as text that can be pasted back into a query (or written into Turtle): a prefixed name
    (``akg:Summit``, ``meeting:amm-58``) when one of ``prefixes`` (by default ``ID_PREFIXES`` and
    ``PREFIXES``) gives one whose local part needs no escape, else ``<iri>``.

    >>> compact("https://w3id.org/aseankg/id/meeting/amm-58")
    'meeting:amm-58'
    >>> compact("https://w3id.org/aseankg/id/graph/reference")
    '<https://w3id.org/aseankg/id/graph/reference>'
    """
    pairs = prefixes.items() if prefixes is not None else (*ID_PREFIXES.items(), *PREFIXES.items())
    for prefix, namespace in pairs:
        if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"

# --------------------------------------------------------------------------------------------- terms


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term; raises ``ValueError`` for an invalid IRI.

    >>> str(to_oxigraph(Literal(3)))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=_ox_datatype(term.datatype))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


@lru_cache(maxsize=256)
def _ox_datatype(iri: str) -> ox.NamedNode:
    """A literal's datatype as a pyoxigraph term, made once: a handful of datatypes serve all literals."""
    return ox.NamedNode(str(iri))


def to_rdflib(term) -> Node:
    """The rdflib term for a pyoxigraph term. ``xsd:string`` literals become plain literals."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not supported as an rdflib term: {term!r}")


class TermCache:
    """Converts many terms both ways, creating each distinct IRI object once (IRIs repeat a lot)."""

    def __init__(self) -> None:
        self._to_ox: dict[Node, object] = {}
        self._to_rdflib: dict[object, Node] = {}
        self._graphs: dict[str | None, object] = {}

    def ox(self, term: Node):
        found = self._to_ox.get(term)
        if found is None:
            found = self._to_ox[term] = to_oxigraph(term)
        return found

    def rdflib(self, term) -> Node:
        found = self._to_rdflib.get(term)
        if found is None:
            found = self._to_rdflib[term] = to_rdflib(term)
        return found

    def graph_name(self, graph: str | None):
        """The pyoxigraph graph name for ``graph`` (the default graph if ``None``)."""
        found = self._graphs.get(graph)
        if found is None:
            found = self._graphs[graph] = _graph_name(graph)
        return found


def _graph_name(graph: str | None):
    return ox.NamedNode(graph) if graph else ox.DefaultGraph()


def triple_to_quad(triple: tuple[Node, Node, Node], graph: str | None = None,
                   cache: TermCache | None = None) -> ox.Quad:
    """A pyoxigraph ``Quad`` in named graph ``graph`` (the default graph if ``None``) from an rdflib
    triple or a pyoxigraph ``Triple``."""
    name = _graph_name(graph) if cache is None else cache.graph_name(graph)
    if isinstance(triple, ox.Triple):
        return ox.Quad(triple.subject, triple.predicate, triple.object, name)
    s, p, o = triple
    convert = to_oxigraph if cache is None else cache.ox
    return ox.Quad(convert(s), convert(p), convert(o), name)


def quad_to_triple(quad, cache: TermCache | None = None) -> tuple[Node, Node, Node]:
    """The rdflib triple of a pyoxigraph ``Quad`` or ``Triple`` (its graph name is dropped)."""
    convert = cache.rdflib if cache else to_rdflib
    return convert(quad.subject), convert(quad.predicate), convert(quad.object)


class NTriples(bytes):
    """Triples as N-Triples bytes, one per line, with no blank node (a build worker's article graph:
    a store can load it as it is, in native code). Iterating gives pyoxigraph ``Triple``s."""

    def __iter__(self) -> Iterator[ox.Triple]:
        return (quad.triple for quad in ox.parse(bytes(self), format=ox.RdfFormat.N_TRIPLES))

    def in_graph(self, graph: str) -> bytes:
        """The same triples as N-Quads in ``graph``: a line ends with " .\\n" only (a newline in a
        literal is escaped)."""
        return self.replace(b" .\n", f" <{graph}> .\n".encode())


def ntriples_lines(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[str]:
    """N-Triples lines (with the final newline) for rdflib triples (each IRI is checked) or
    pyoxigraph ``Triple``s."""
    if isinstance(triples, NTriples):
        yield from triples.decode().splitlines(keepends=True)
        return
    cache = TermCache()
    for triple in triples:
        if isinstance(triple, ox.Triple):
            yield f"{triple} .\n"
            continue
        s, p, o = triple
        yield f"{cache.ox(s)} {cache.ox(p)} {cache.ox(o)} .\n"


def graph_from_triples(triples: Iterable, identifier: str | None = None) -> Graph:
    """An rdflib ``Graph`` from pyoxigraph triples or quads."""
    graph = Graph(identifier=URIRef(identifier) if identifier else None)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    cache = TermCache()
    add = graph.add
    for t in triples:
        add(quad_to_triple(t, cache))
    return graph


def python_value(term: Node | None) -> object:
    """A plain Python value: ``str`` for IRIs and blank nodes, the literal's Python value, or ``None``."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


# ------------------------------------------------------------------------------------------- results

#: Oxigraph's result parser holds one value in a buffer of at most 16 MiB.
_OXIGRAPH_TOKEN_LIMIT = 16 << 20
SELECT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
                 "jsonld": "json-ld", "json-ld": "json-ld", "xml": "xml", "rdfxml": "xml",
                 "nquads": "nquads", "n-quads": "nquads", "json": "json-ld"}


@dataclass
class QueryResult:
    """The answer to one query.

    ``kind`` is ``"select"`` (``variables`` and ``rows``), ``"ask"`` (``boolean``) or ``"graph"``
    for CONSTRUCT and DESCRIBE (``graph``). Rows are tuples of rdflib terms in the order of
    ``variables``, ``None`` where a variable is unbound. ``truncated`` is set when the result was
    cut at the caller's row limit.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False

    def __iter__(self) -> Iterator:
        if self.kind == "graph":
            return iter(self.graph if self.graph is not None else ())
        return iter(self.rows)

    def __len__(self) -> int:
        if self.kind == "graph":
            return len(self.graph) if self.graph is not None else 0
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else len(self) > 0

    def dicts(self) -> list[dict[str, object]]:
        """Rows as dicts of plain Python values (``subject``/``predicate``/``object`` for graphs).

        >>> QueryResult("select", ["n"], [(Literal(3),), (None,)]).dicts()
        [{'n': 3}, {'n': None}]
        """
        if self.kind == "ask":
            return [{"boolean": bool(self.boolean)}]
        if self.kind == "graph":
            return [{"subject": python_value(s), "predicate": python_value(p), "object": python_value(o)}
                    for s, p, o in sorted(self.graph or ())]
        return [dict(zip(self.variables, map(python_value, row), strict=True)) for row in self.rows]

    def serialize(self, format: str = "json") -> bytes:
        """The result in a standard format.

        SELECT and ASK: ``json``, ``xml``, ``csv``, ``tsv`` (the SPARQL 1.1 result formats).
        Graphs: ``turtle``, ``nt``, ``jsonld`` (also ``json``), ``xml`` (RDF/XML), ``nquads``, and
        ``csv``/``tsv`` as a table of ``subject``, ``predicate``, ``object`` rows.
        An RDF format asked of a SELECT or ASK result raises ``ValueError`` saying what it can give.

        >>> print(QueryResult("ask", boolean=True).serialize("json").decode())
        {"head": {}, "boolean": true}
        >>> QueryResult("ask", boolean=True).serialize("turtle")
        Traceback (most recent call last):
        ...
        ValueError: an ASK query gives true or false, as json, xml, csv or tsv; turtle and nt are for ...
        """
        fmt = format.lower()
        if self.kind == "graph":
            if fmt in ("csv", "tsv"):  # a graph as a table: one row per triple
                return self.triple_rows().serialize(fmt)
            if fmt not in GRAPH_FORMATS:
                raise ValueError(f"unknown graph format {format!r}; use one of {sorted(set(GRAPH_FORMATS))}")
            fmt = GRAPH_FORMATS[fmt]
            graph = self.graph if self.graph is not None else Graph()
            if fmt in ("nt", "nquads"):  # sorted, so equal graphs give equal bytes
                return "".join(sorted(ntriples_lines(graph))).encode()
            data = graph.serialize(format=fmt, encoding="utf-8")
            return xml_safe_bytes(data) if fmt == "xml" else data
        if fmt not in SELECT_FORMATS:
            what = "rows" if self.kind == "select" else "true or false"
            rdf = "; turtle and nt are for CONSTRUCT and DESCRIBE" if fmt in GRAPH_FORMATS else ""
            raise ValueError(f"{'a SELECT' if self.kind == 'select' else 'an ASK'} query gives {what}, "
                             f"as json, xml, csv or tsv{rdf}")
        document = json.dumps(self._json(), ensure_ascii=False).encode()
        if fmt == "json":
            return document
        if len(document) > _OXIGRAPH_TOKEN_LIMIT:
            data = self._serialize_large(SELECT_FORMATS[fmt])
        else:
            parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
            data = parsed.serialize(format=SELECT_FORMATS[fmt])
        return xml_safe_bytes(data) if fmt == "xml" else data

    def _serialize_large(self, fmt) -> bytes:
        """CSV, TSV or XML of an answer too big for Oxigraph's result parser, whose buffer stops at
        16 MiB for one value (a 32 MiB literal was ``500 MemoryError``): rdflib's writers for CSV and
        XML, TSV written here (terms in N-Triples form, tabs and line ends escaped)."""
        names = [str(v) for v in self.variables]
        if fmt == ox.QueryResultsFormat.TSV:
            def cell(term) -> str:
                return "" if term is None else term.n3().replace("\t", "\\t").replace("\n", "\\n")
            lines = ["\t".join("?" + n for n in names)] + ["\t".join(cell(t) for t in row) for row in self.rows]
            return ("\n".join(lines) + "\n").encode()
        result = Result("SELECT")
        result.vars = [Variable(n) for n in names]
        result.bindings = [{Variable(n): t for n, t in zip(names, row, strict=True) if t is not None}
                           for row in self.rows]
        out = io.BytesIO()
        result.serialize(out, format="csv" if fmt == ox.QueryResultsFormat.CSV else "xml", encoding="utf-8")
        return out.getvalue()

    def triple_rows(self) -> QueryResult:
        """A graph result as a SELECT result of ``subject``, ``predicate``, ``object`` rows, sorted."""
        return QueryResult("select", ["subject", "predicate", "object"], sorted(self.graph or ()),
                           truncated=self.truncated)

    def _json(self) -> dict:
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        bindings = []
        for row in self.rows:
            binding = {}
            for name, term in zip(self.variables, row, strict=True):
                if term is not None:
                    binding[name] = _json_term(term)
            bindings.append(binding)
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}


class _Enough(Exception):
    """Raised into Oxigraph's serializer to stop it (and the query's evaluation) at the row cap."""


class _Lines:
    """A binary sink that keeps what Oxigraph writes and stops it past ``limit`` lines."""

    def __init__(self, limit: int | None) -> None:
        self.parts: list[bytes] = []
        self.lines = 0
        self.limit = limit

    def write(self, chunk) -> int:
        chunk = bytes(chunk)
        self.parts.append(chunk)
        self.lines += chunk.count(b"\n")
        if self.limit is not None and self.lines > self.limit:
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        pass


def serialized_solutions(solutions: ox.QuerySolutions, format: str = "json", *,
                         max_rows: int | None = None) -> tuple[bytes, int, bool]:
    """SELECT rows serialised by Oxigraph: ``(body, rows, truncated)``, cut at ``max_rows``.

    The rows are written as TSV first (one row a line, so the cap is a count of line ends, and the
    query stops there), then read back and written in ``format`` (``json``, ``xml``, ``csv``,
    ``tsv``): two passes in native code, where turning every value into an rdflib term and back
    cost 1.2-1.5x Oxigraph's own time on answers of a thousand rows. Raises ``MemoryError`` for a
    value too long for Oxigraph's result reader (16 MiB): ``from_oxigraph`` takes those.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p"), ox.Literal("x")))
    >>> serialized_solutions(store.query("SELECT ?o WHERE { ?s ?p ?o }"), "csv")
    (b'o\\r\\nx\\r\\n', 1, False)
    >>> serialized_solutions(store.query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }"), "tsv", max_rows=2)
    (b'?n\\n1\\n2\\n', 2, True)
    """
    sink = _Lines(None if max_rows is None else max_rows + 1)  # the header line, then the rows
    truncated = False
    try:
        solutions.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except _Enough:
        truncated = True
    tsv = b"".join(sink.parts)
    if truncated:
        end = -1
        for _ in range(max_rows + 1):
            end = tsv.index(b"\n", end + 1)
        tsv = tsv[:end + 1]
    rows = tsv.count(b"\n") - 1
    fmt = format.lower()
    if fmt == "tsv":
        return tsv, rows, truncated
    data = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=SELECT_FORMATS[fmt])
    return (xml_safe_bytes(data) if fmt == "xml" else data), rows, truncated


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != XSD_STRING:
        value["datatype"] = str(term.datatype)
    return value


def from_oxigraph(answer, *, max_rows: int | None = None, check=None) -> QueryResult:
    """A ``QueryResult`` from what pyoxigraph's ``query`` or ``parse_query_results`` returned.

    ``check`` is called every 1,000 rows (the store passes its time-limit check);
    ``max_rows`` cuts a SELECT or graph result and sets ``truncated``.
    """
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    cache = TermCache()
    convert = cache.rdflib
    truncated = False
    if isinstance(answer, ox.QueryTriples):
        graph = graph_from_triples(())
        for n, triple in enumerate(answer):
            if max_rows is not None and n >= max_rows:
                truncated = True
                break
            if check and n % 1000 == 999:
                check()
            graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
        return QueryResult("graph", graph=graph, truncated=truncated)
    variables = [v.value for v in answer.variables]
    width = range(len(variables))
    rows = []
    for n, solution in enumerate(answer):
        if max_rows is not None and n >= max_rows:
            truncated = True
            break
        if check and n % 1000 == 999:
            check()
        rows.append(tuple(None if (t := solution[i]) is None else convert(t) for i in width))
    return QueryResult("select", variables, rows, truncated=truncated)
