"""Hypothesis over what people type: the search query language and the SPARQL endpoint's parameters.

Whatever arrives, the answer is a result or a clear error (400, 404, 413 or 503 with the one error
shape), never a server error and never the input echoed unescaped.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.errors import BadQuery
from search.query import search
from search.querylang import parse

QUERY_TEXT = st.lists(st.sampled_from(list('abcdefgxyz019 "():-*&/<>\'\\\n') + [
    " AND ", " OR ", " NOT ", "document:", "year:", "status:", "theme:", "obesity", "ICS"]), max_size=30).map("".join)
SPARQL_PIECES = st.lists(st.sampled_from([
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "*", "?s", "?p", "?o", "WHERE", "{", "}", "(", ")", ".", ";",
    "FILTER", "REGEX", "\"<script>\"", "<http://127.0.0.1:1/x>", "pg:Commitment", "a", "LIMIT 5", "OPTIONAL",
    "UNION", "GRAPH", "SERVICE", "FROM", "INSERT", "DATA", "#", "\n", "COUNT(*)", "AS", "GROUP BY",
    "prov:wasDerivedFrom+",
]), max_size=25).map(" ".join)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@FUZZ
@given(QUERY_TEXT)
def test_the_query_parser_parses_or_says_why(text):
    try:
        parse(text)
    except BadQuery as exc:
        assert str(exc)


@pytest.fixture(scope="module")
def index(fixture_dir):
    from graph.datadir import open_data

    return open_data(fixture_dir).index


@FUZZ
@given(QUERY_TEXT)
def test_search_answers_or_says_why(index, text):
    try:
        results = search(index, text)
    except BadQuery as exc:
        assert str(exc)
    else:
        assert results.total >= len(results.hits)


@FUZZ
@given(query=SPARQL_PIECES, fmt=st.sampled_from(["", "json", "xml", "csv", "tsv", "ttl", "jsonld", "nt", "rdfxml",
                                                  "n3", "bogus", "<x>"]),
       accept=st.sampled_from(["", "text/html", "*/*", "application/sparql-results+json", "text/turtle",
                               "application/x-nonsense", "text/csv;q=0.5, application/json"]),
       method=st.sampled_from(["GET", "POST-form", "POST-direct"]))
def test_the_sparql_endpoint_answers_every_parameter_with_a_result_or_a_clear_error(client, query, fmt, accept,
                                                                                     method):
    headers = {"Accept": accept} if accept else {}
    params = {"query": query, **({"format": fmt} if fmt else {})}
    if method == "GET":
        response = client.get("/sparql", query_string=params, headers=headers)
    elif method == "POST-form":
        response = client.post("/sparql", data=params, headers=headers)
    else:
        response = client.post("/sparql", data=query, content_type="application/sparql-query",
                               query_string={"format": fmt} if fmt else {}, headers=headers)
    assert response.status_code in (200, 400, 406, 413, 503), response.get_data(as_text=True)[:300]
    body = response.get_data(as_text=True)
    assert "<script>" not in body or response.mimetype != "text/html"
    if response.status_code != 200 and response.mimetype == "application/json":
        error = response.get_json()
        assert error["ok"] is False and error["status"] == response.status_code and error["error"]
