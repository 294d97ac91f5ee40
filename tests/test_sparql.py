import csv
import io
import json

import pytest
from rdflib import Graph

from corpus.errors import BadQuery
from graph.sparql import run_query, serialise

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Commitment }"


def test_count_in_csv_parses_with_the_csv_module(data):
    rows = list(csv.DictReader(io.StringIO(serialise(run_query(data.dataset, COUNT), "csv"))))
    assert int(rows[0]["n"]) == 16


def test_select_json_is_w3c_results_json(data):
    out = json.loads(serialise(run_query(data.dataset, "SELECT ?t WHERE { ?d a pg:Document ; dcterms:title ?t }"),
                               "json"))
    assert out["head"]["vars"] == ["t"]
    assert {b["t"]["value"] for b in out["results"]["bindings"]} >= {"Healthier Riverside"}


def test_construct_gives_turtle(data):
    text = serialise(run_query(data.dataset, "CONSTRUCT { ?d dcterms:title ?t } WHERE { ?d a pg:Document ; "
                                             "dcterms:title ?t }"), "ttl")
    assert len(Graph().parse(data=text, format="turtle")) == 3


def test_ask(data):
    assert serialise(run_query(data.dataset, "ASK { ?d a pg:Document }"), "table") == "yes"


@pytest.mark.parametrize("query, message", [
    ("INSERT DATA { <a:x> <a:y> <a:z> }", "read-only"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM / FROM NAMED is not allowed"),
    ("SELECT * WHERE { ?s ?p }", "syntax error at line 1"),
])
def test_refused_queries(data, query, message):
    with pytest.raises(BadQuery, match=message):
        run_query(data.dataset, query)


def test_wrong_format_for_the_query_kind(data):
    with pytest.raises(BadQuery, match="not for SELECT"):
        serialise(run_query(data.dataset, COUNT), "ttl")


def test_tsv_has_variables_and_turtle_terms(data):
    text = serialise(run_query(data.dataset, "SELECT ?d ?t WHERE { ?d a pg:Document ; dcterms:title ?t }"), "tsv")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["?d", "?t"]
    assert len(rows) == 4
    assert all(d.startswith("<https://") and t.endswith('"@en') for d, t in rows[1:])
