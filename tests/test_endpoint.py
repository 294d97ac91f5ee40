"""The SPARQL 1.1 protocol at /sparql, through Flask's test client."""

import csv
import io

import pytest
from rdflib import Graph

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Commitment }"


def test_service_description_for_a_machine(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert len(graph) >= 4


def test_editor_for_a_browser(client):
    page = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<textarea" in page


@pytest.mark.parametrize("accept, media_type", [
    ("text/csv", "text/csv"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_content_negotiation(client, accept, media_type):
    response = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type


def test_post_form_and_direct(client):
    form = client.post("/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"})
    direct = client.post("/sparql", data=COUNT, content_type="application/sparql-query",
                         headers={"Accept": "text/csv"})
    for response in (form, direct):
        assert list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))[0]["n"] == "16"


def test_construct_negotiates_rdf(client):
    query = "CONSTRUCT { ?d dcterms:title ?t } WHERE { ?d a pg:Document ; dcterms:title ?t }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.mimetype == "application/n-triples"
    assert len(Graph().parse(data=response.get_data(as_text=True), format="nt")) == 3


def test_browser_sees_a_table_with_downloads(client):
    page = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "text/html"}).get_data(
        as_text=True)
    assert "<table" in page and "format=csv" in page and ">16<" in page


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE { ?s ?p }", "syntax error"),
    ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
])
def test_bad_queries_are_400_with_the_reason(client, query, message):
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 400
    assert message in response.get_json()["error"]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/turtle"])
def test_protocol_updates_are_refused_not_described(client, accept):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    form = client.post("/sparql", data={"update": update}, headers={"Accept": accept})
    direct = client.post("/sparql", data=update, content_type="application/sparql-update", headers={"Accept": accept})
    for response in (form, direct):
        assert response.status_code == 400
        assert "read-only" in response.get_json()["error"]
    assert client.post("/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"}).status_code == 200


def test_literals_with_markup_are_escaped_in_the_table(client):
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    page = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/html"}).get_data(
        as_text=True)
    assert "&lt;script&gt;alert(1)" in page and "<script>alert(1)" not in page
