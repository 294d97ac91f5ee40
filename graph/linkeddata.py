"""Linked data: every IRI under the base answers with its triples, and every page has RDF, JSON and CSV twins.

The twins say the same as the page: a document's twin is its named graph and catalogue entry, a
commitment's is its description with its derivations and their evidence, a lineage page's is every
derivation it shows, a search page's is the matched commitments and documents.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from rdflib import XSD, Dataset, Graph, Literal, URIRef

from corpus.errors import NotFound
from graph.namespaces import PREFIXES, sparql_prologue

RDF_FORMATS = {  # extension -> (rdflib format, media type)
    "ttl": ("turtle", "text/turtle"), "jsonld": ("json-ld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"), "rdf": ("xml", "application/rdf+xml"),
}
BY_MEDIA_TYPE = {media: ext for ext, (_, media) in RDF_FORMATS.items()} | {"application/x-turtle": "ttl"}
TWINS = ("ttl", "jsonld", "json", "csv")

# Each branch names its own VALUES: a BIND(?s AS ?x) in a union branch would see ?s unbound (SPARQL
# evaluates groups bottom-up) and describe the whole graph.
DESCRIBE = """
CONSTRUCT { ?x ?p ?o . ?o ?q ?v } WHERE {
  { VALUES ?x { #NODES } }
  UNION { VALUES ?s { #NODES } ?s prov:qualifiedDerivation|prov:qualifiedInfluence ?x }
  UNION { VALUES ?s { #NODES } ?s (prov:qualifiedDerivation|prov:qualifiedInfluence)/pg:evidence ?x }
  ?x ?p ?o .
  OPTIONAL { FILTER(isBlank(?o)) ?o ?q ?v }
}"""


def describe(dataset: Dataset, iris: Iterable[str]) -> Graph:
    """The triples of each IRI, with its derivations, their evidence and the blank nodes they hold."""
    nodes = " ".join(URIRef(i).n3() for i in iris)
    graph = new_graph()
    if not nodes:
        return graph
    for triple in dataset.query(sparql_prologue() + DESCRIBE.replace("#NODES", nodes)).graph:
        graph.add(tuple(plain(t) for t in triple))
    return graph


def resource(dataset: Dataset, iri: str) -> Graph:
    """What the graph says about one IRI under the base.

    :raises NotFound: when nothing is said about it.
    """
    graph = describe(dataset, [iri])
    if not len(graph):
        raise NotFound(f"nothing in the graph is called {iri}")
    return graph


def page_kind(dataset: Dataset, iri: str) -> tuple[str, str]:
    """("document" | "commitment" | "", its id), for sending a browser from an IRI to its page."""
    rows = list(dataset.query(sparql_prologue() + f"""
        SELECT ?kind ?id WHERE {{ {URIRef(iri).n3()} dcterms:identifier ?id ; a ?class .
          VALUES (?class ?kind) {{ (pg:Document "document") (pg:Commitment "commitment") }} }}"""))
    return (str(rows[0][0]), str(rows[0][1])) if rows else ("", "")


def serialise_graph(graph: Graph, ext: str) -> tuple[str, str]:
    fmt, media_type = RDF_FORMATS[ext]
    return graph.serialize(format=fmt), media_type


def as_csv(header: list[str], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as spreadsheets expect
    writer.writerow(header)
    writer.writerows(["" if v is None else "; ".join(v) if isinstance(v, tuple) else v for v in row] for row in rows)
    return buffer.getvalue()


def choose_rdf(accept: list[str]) -> str | None:
    """The RDF format a client asked for by media type, or None if it asked for none."""
    return next((BY_MEDIA_TYPE[m] for m in accept if m in BY_MEDIA_TYPE), None)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def plain(term):
    """RDF 1.1 makes xsd:string implicit; the store spells it out, so it is dropped again here."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term
