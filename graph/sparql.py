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

RESULT_FORMATS = {"csv": "csv", "tsv": "tsv", "json": "json", "xml": "xml"}
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
    if fmt not in RESULT_FORMATS:
        raise BadQuery(f"format {fmt!r} is not for {result.kind} (use table, {', '.join(RESULT_FORMATS)})")
    buffer = io.BytesIO()
    result.result.serialize(buffer, format=RESULT_FORMATS[fmt], encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


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
