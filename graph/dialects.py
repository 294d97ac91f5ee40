"""What differs between SPARQL servers that hold the graph, and how we make up for it.

Virtuoso 7 (Debian's virtuoso-opensource) differs from the standard in ways that change answers:
  - a `+` or `*` property path gives one row per way of getting there, not one per pair of ends (85 rows
    for 17 answers on the bundled corpus), and a path with neither end bound is refused ("transitive start
    not given"), as are some with one end bound by another pattern (an internal compiler error);
  - ASK answers as a SELECT of one variable, __ASK_RETVAL, holding 1 or 0;
  - CONSTRUCT and DESCRIBE answer in SPARQL JSON results unless N-Triples is the only type accepted;
  - blank nodes are refused in INSERT DATA, and a request that compiles to over 10,000 lines of SQL fails.
So on Virtuoso the build also writes the closure of prov:wasDerivedFrom as pg:descendsFrom, in a graph of
its own, and a query's `prov:wasDerivedFrom+` (and `*`) is answered from it: one row per pair, any ends.
"""

from __future__ import annotations

import functools
import re
import urllib.error
import urllib.parse
import urllib.request

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import PROV
from rdflib.query import Result

from graph.namespaces import PG

STANDARD, VIRTUOSO = "standard", "virtuoso"
CLOSURE_GRAPH = "closure/derivation"  # under the base
_DERIVED = r"(?:prov:wasDerivedFrom|<http://www\.w3\.org/ns/prov#wasDerivedFrom>)"
_PLUS = re.compile(_DERIVED + r"\s*\+")
_STAR = re.compile(_DERIVED + r"\s*\*")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_COMMENT = re.compile(r"#[^\n>]*$", re.MULTILINE)


@functools.lru_cache(maxsize=32)
def dialect_of(query_url: str) -> str:
    """Which server answers at `query_url`, as far as its answers differ: by the Server header it sends."""
    request = urllib.request.Request(query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the operator's own URL
            server = response.headers.get("Server", "")
    except (urllib.error.URLError, OSError):
        return STANDARD  # the first real request will say what is wrong, with the URL
    return VIRTUOSO if server.lower().startswith("virtuoso") else STANDARD


def rewrite(query: str, dialect: str) -> str:
    """The query as the server should get it: on Virtuoso, derivation paths read the written closure."""
    if dialect != VIRTUOSO:
        return query
    text = _PLUS.sub("pg:descendsFrom", query)
    text = _STAR.sub("pg:descendsFrom?", text)
    if text != query and not re.search(r"PREFIX\s+pg:", text, re.IGNORECASE):
        text = f"PREFIX pg: <{PG}>\n" + text
    return text


def accepted(query: str) -> str:
    """The one result type to ask for: graphs as N-Triples, everything else as SPARQL JSON results."""
    without = re.sub(r"(?im)^\s*(PREFIX|BASE)\b[^\n]*$", "", _COMMENT.sub("", query))
    form = _FORM.search(without)
    graph = form is not None and form.group(1).upper() in ("CONSTRUCT", "DESCRIBE")
    return "application/n-triples" if graph else "application/sparql-results+json"


def repaired(result: Result, dialect: str) -> Result:
    """The result as the standard shapes it (Virtuoso's ASK comes back as a SELECT of __ASK_RETVAL)."""
    if dialect == VIRTUOSO and result.type == "SELECT" and [str(v) for v in result.vars or ()] == ["__ASK_RETVAL"]:
        rows = list(result)
        answer = Result("ASK")
        answer.askAnswer = bool(rows) and str(rows[0][0]) not in ("0", "false")
        return answer
    return result


def closure_graph(dataset, base: str) -> Graph:
    """Every pair joined by prov:wasDerivedFrom+, as pg:descendsFrom, in its own graph under the base."""
    edges = nx.DiGraph((s, o) for s, _, o in dataset.triples((None, PROV.wasDerivedFrom, None)))
    graph = Graph(identifier=URIRef(base + CLOSURE_GRAPH))
    for node in edges:
        for ancestor in nx.descendants(edges, node):
            graph.add((node, PG.descendsFrom, ancestor))
    return graph
