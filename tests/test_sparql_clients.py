"""Real SPARQL clients against a live `policygraph serve`: SPARQLWrapper in every format, and rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from .test_server import server  # noqa: F401 - the live server fixture

PG = "https://w3id.org/policygraph/ns#"
TITLES = "SELECT ?id ?title WHERE { ?d a pg:Document ; dcterms:identifier ?id ; dcterms:title ?title } ORDER BY ?id"
PREFIXES = "PREFIX pg: <https://w3id.org/policygraph/ns#> PREFIX dcterms: <http://purl.org/dc/terms/> "
EXPECTED = ["alpha-2014", "beta-2016", "gamma-2019"]


def ask(base: str, query: str, fmt: str, raw: bool = False):
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(PREFIXES + query)
    client.setReturnFormat(fmt)
    # raw bytes for graphs: SPARQLWrapper's own conversion builds a deprecated rdflib ConjunctiveGraph
    return client.query().response.read() if raw else client.query().convert()


def test_select_in_every_results_format(server):  # noqa: F811
    assert [b["id"]["value"] for b in ask(server, TITLES, JSON)["results"]["bindings"]] == EXPECTED
    xml = ask(server, TITLES, XML)  # a DOM document
    assert [e.firstChild.data for e in xml.getElementsByTagName("literal")][::2] == EXPECTED
    rows = list(csv.reader(io.StringIO(ask(server, TITLES, CSV).decode("utf-8"))))
    assert rows[0] == ["id", "title"] and [r[0] for r in rows[1:]] == EXPECTED
    lines = ask(server, TITLES, TSV).decode("utf-8").splitlines()
    assert lines[0] == "?id\t?title" and [line.split("\t")[0] for line in lines[1:]] == [f'"{e}"' for e in EXPECTED]


def test_ask_answers_yes_and_no(server):  # noqa: F811
    assert ask(server, "ASK { ?d dcterms:identifier 'alpha-2014' }", JSON)["boolean"] is True
    assert ask(server, "ASK { ?d dcterms:identifier 'omega-2099' }", JSON)["boolean"] is False


@pytest.mark.parametrize(("fmt", "parse_as"), [(TURTLE, "turtle"), (N3, "turtle"), (RDFXML, "xml"),
                                                (JSONLD, "json-ld")])
def test_construct_in_every_graph_format(server, fmt, parse_as):  # noqa: F811
    body = ask(server, "CONSTRUCT { ?d dcterms:title ?t } WHERE { ?d a pg:Document ; dcterms:title ?t }", fmt, True)
    if parse_as == "json-ld":  # read with json itself: rdflib's JSON-LD parser warns of its own deprecations
        nodes = json.loads(body)
        nodes = nodes.get("@graph", [nodes]) if isinstance(nodes, dict) else nodes
        assert sum(len(n.get("http://purl.org/dc/terms/title", [])) for n in nodes) == 3
    else:
        assert len(Graph().parse(data=body, format=parse_as)) == 3


def test_rdflib_sparqlstore_is_a_second_client(server):  # noqa: F811
    graph = Graph(store=SPARQLStore(query_endpoint=server + "/sparql", returnFormat="json"))
    rows = list(graph.query(PREFIXES + TITLES))
    assert [str(r.id) for r in rows] == EXPECTED
    titles = set(graph.objects(None, URIRef("http://purl.org/dc/terms/title")))
    assert Literal("A Vision for Riverside", lang="en") in titles or any("Riverside" in t for t in titles)
    assert graph.query(PREFIXES + "ASK { ?d a pg:Document }").askAnswer is True


def test_an_update_from_sparqlwrapper_fails_and_says_why(server):  # noqa: F811
    client = SPARQLWrapper(server + "/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryBadFormed, match="read-only"):
        client.query()
    assert ask(server, "ASK { <urn:a> <urn:b> <urn:c> }", JSON)["boolean"] is False
