"""SPARQL: read-only queries over the store, and their results in the standard formats."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib import Dataset
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from corpus.errors import BadQuery
from graph.namespaces import sparql_prologue

RESULT_FORMATS = {"csv": "csv", "json": "json", "xml": "xml"}  # tsv is ours: rdflib has no TSV writer
GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
FORBIDDEN = {"ServiceGraphPattern": "SERVICE", "DatasetClause": "FROM / FROM NAMED"}


@dataclass(frozen=True, slots=True)
class QueryResult:
    kind: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    result: Result

    @property
    def variables(self) -> list[str]:
        return [str(v) for v in (self.result.vars or [])]

    def rows(self) -> list[tuple]:
        return [tuple(row) for row in self.result]


def check_query(query: str) -> str:
    """Parse a query with our prefixes, refusing updates, SERVICE and FROM; return the full text.

    :raises BadQuery: with the parser's message (line and column) or the reason it is refused.
    """
    full = sparql_prologue() + query
    try:
        tree = parseQuery(full)
    except ParseException as exc:
        if _is_update(full):
            raise BadQuery("updates are not allowed: this endpoint is read-only") from exc
        line = exc.lineno - sparql_prologue().count("\n")
        raise BadQuery(f"SPARQL syntax error at line {line}, column {exc.col}: {exc.msg}") from exc
    for name, label in FORBIDDEN.items():
        if _contains(tree, name):
            raise BadQuery(f"{label} is not allowed: queries may only read the local graph")
    return full


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseException:
        return False
    return True


def _contains(node, name: str) -> bool:
    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_contains(v, name) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_contains(v, name) for v in node)
    return False


def run_query(dataset: Dataset, query: str) -> QueryResult:
    """Run a read-only SPARQL query over the union of all graphs.

    :raises BadQuery: when the query does not parse or is not allowed.
    """
    full = check_query(query)
    try:
        result = dataset.query(full)
        if result.type == "SELECT":
            result.bindings  # noqa: B018 - evaluate now, so errors surface here and not mid-serialisation
    except (SyntaxError, ValueError, OSError) as exc:
        raise BadQuery(f"the query failed: {exc}") from exc
    return QueryResult(result.type, result)


def serialise(result: QueryResult, fmt: str) -> str:
    """Write a result in a W3C format: csv/tsv/json/xml for SELECT and ASK, ttl/nt/jsonld/rdfxml for graphs."""
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPH_FORMATS:
            raise BadQuery(f"format {fmt!r} is not for {result.kind} (use {', '.join(GRAPH_FORMATS)})")
        return result.result.graph.serialize(format=GRAPH_FORMATS[fmt])
    if fmt == "table":
        return as_table(result)
    if fmt == "tsv":
        return as_tsv(result)
    if fmt not in RESULT_FORMATS:
        raise BadQuery(f"format {fmt!r} is not for {result.kind} (use table, tsv, {', '.join(RESULT_FORMATS)})")
    buffer = io.BytesIO()
    result.result.serialize(buffer, format=RESULT_FORMATS[fmt], encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def as_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: a header of ?variables, then each value in Turtle syntax."""
    if result.kind == "ASK":
        return "?_askResult\n" + ("true" if result.result.askAnswer else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines.extend("\t".join("" if v is None else v.n3() for v in row) for row in result.rows())
    return "\n".join(lines) + "\n"


def as_table(result: QueryResult) -> str:
    if result.kind == "ASK":
        return "yes" if result.result.askAnswer else "no"
    header = result.variables
    rows = [["" if v is None else str(v) for v in row] for row in result.rows()]
    widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c[:w].ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
    return "\n".join(lines)


MEDIA_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "ttl": "text/turtle", "nt": "application/n-triples",
    "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
BY_MEDIA_TYPE = {v: k for k, v in MEDIA_TYPES.items()} | {"application/json": "json", "application/xml": "xml"}
SELECT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMAT_KEYS = ("ttl", "nt", "jsonld", "rdfxml")


FORMAT_ALIASES = {  # what clients such as SPARQLWrapper send as ?format= or ?output=
    "turtle": "ttl", "n-triples": "nt", "ntriples": "nt", "json-ld": "jsonld", "rdf+xml": "rdfxml", "rdf": "rdfxml",
}


def choose_format(kind: str, accept: list[str], wanted: str | None = None) -> str:
    """Pick the output format: an explicit one if given, else the first acceptable for the query kind."""
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    allowed = GRAPH_FORMAT_KEYS if graph else SELECT_FORMATS
    if wanted:
        wanted = BY_MEDIA_TYPE.get(wanted) or FORMAT_ALIASES.get(wanted.lower(), wanted.lower())
        if graph:
            wanted = {"xml": "rdfxml", "json": "jsonld"}.get(wanted, wanted)
        if wanted not in allowed:
            raise BadQuery(f"format {wanted!r} is not for {kind} (use {', '.join(allowed)})")
        return wanted
    for media_type in accept:
        if BY_MEDIA_TYPE.get(media_type) in allowed:
            return BY_MEDIA_TYPE[media_type]
    return allowed[0]


def answer(dataset: Dataset, query: str, accept: list[str], wanted: str | None = None) -> tuple[str, str]:
    """Run a query for the SPARQL protocol: return the body and its media type.

    :raises BadQuery: for a query that does not parse, is not allowed, or a format that does not fit.
    """
    result = run_query(dataset, query)
    fmt = choose_format(result.kind, accept, wanted)
    return serialise(result, fmt), MEDIA_TYPES[fmt]


def service_description(endpoint: str) -> str:
    """A SPARQL 1.1 Service Description of the endpoint, in Turtle."""
    formats = " ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
        "N-Triples", "JSON-LD", "RDF_XML"))
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        f"<{endpoint}> a sd:Service ;\n"
        f"  sd:endpoint <{endpoint}> ;\n"
        "  sd:supportedLanguage sd:SPARQL11Query ;\n"
        "  sd:feature sd:UnionDefaultGraph ;\n"
        f"  sd:resultFormat {formats.replace(' ', ', ')} .\n"
    )
