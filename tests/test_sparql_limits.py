"""SPARQL's time limit and row cap, in the library, the CLI and the HTTP endpoint."""

import csv
import io
import json
import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from rdflib import Graph

from cli import main
from corpus.errors import BadQuery
from graph.sparql import TRUNCATED_HEADER, run_query
from web import create_app

# Every pair of the bundled corpus's 521 commitments, sorted: ORDER BY makes Oxigraph produce and sort all
# 271,441 rows inside the one call that yields the first, so no check between rows could stop it. Unlimited,
# it takes ~15 s in ~30 MB, so a broken limit fails this test rather than hanging it or exhausting memory
# (a wider product such as ?a ?b ?c ?d over all triples would never end, growing ~370 MB a second).
CARTESIAN = "SELECT ?a ?b WHERE { ?a a pg:Commitment . ?b a pg:Commitment } ORDER BY ?a ?b LIMIT 1"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Commitment }"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
STOPPED = "ran past the 1 s time limit and was stopped"


def test_a_cartesian_product_is_stopped_at_the_limit(bundled):
    start = time.monotonic()
    with pytest.raises(BadQuery, match=f"{STOPPED}; narrow it or add a LIMIT"):
        run_query(bundled.dataset, CARTESIAN, timeout=1)
    assert time.monotonic() - start < 3
    assert multiprocessing.active_children() == []  # stopped, not left running in the background


def test_a_query_under_the_limit_completes_with_the_same_answer(bundled):
    limited = run_query(bundled.dataset, COUNT, timeout=5)
    assert limited.rows() == run_query(bundled.dataset, COUNT).rows()
    assert limited.cut_at == 0 and limited.notice == ""


def test_concurrent_queries_each_get_their_answer(data):
    # the server answers from several threads; rdflib's parser, shared by them, is not thread-safe
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: run_query(data.dataset, COUNT, timeout=5).rows(), range(24)))
    assert all(rows == answers[0] for rows in answers) and answers[0]


def test_a_failure_in_the_worker_is_the_same_bad_query_as_without_one(data):
    query = "SELECT * WHERE { ?s nosuchprefix:p ?o }"  # rdflib's parser lets it through; Oxigraph does not
    messages = []
    for timeout in (None, 5):
        with pytest.raises(BadQuery, match="the query failed: .*Prefix not found") as caught:
            run_query(data.dataset, query, timeout=timeout)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("timeout", [None, 5])
def test_a_select_over_the_cap_is_cut_to_it_with_a_notice(data, timeout):
    result = run_query(data.dataset, ALL, timeout=timeout, max_rows=7)
    assert len(result.rows()) == 7 and result.cut_at == 7
    assert "cut to its first 7 rows" in result.notice


def test_an_answer_exactly_at_the_cap_is_not_cut(data):
    result = run_query(data.dataset, ALL + " LIMIT 7", timeout=5, max_rows=7)
    assert len(result.rows()) == 7 and result.cut_at == 0 and result.notice == ""


@pytest.mark.parametrize("query, kind", [
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE ?c WHERE { ?c a pg:Commitment }", "DESCRIBE"),
])
def test_graph_answers_are_capped_by_triples(data, query, kind):
    result = run_query(data.dataset, query, timeout=5, max_rows=5)
    assert result.kind == kind and len(result.result.graph) == 5
    assert "cut to its first 5 triples" in result.notice


def test_cli_cuts_with_a_notice_on_stderr(runner, fixture_dir):
    result = runner.invoke(main, ["sparql", ALL, "--format", "csv", "--max-rows", "4",
                                  "--data-dir", str(fixture_dir)])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 4
    assert "cut to its first 4 rows" in result.stderr and "cut" not in result.stdout


def test_cli_time_limit_from_the_environment(runner, bundled_dir, monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_SPARQL_TIMEOUT", "1")
    start = time.monotonic()
    result = runner.invoke(main, ["sparql", CARTESIAN, "--data-dir", str(bundled_dir)])
    assert result.exit_code == 1 and STOPPED in result.output
    assert "Traceback" not in result.output and time.monotonic() - start < 4


@pytest.fixture
def capped(fixture_dir):
    return create_app({"TESTING": True, "DATA_DIR": str(fixture_dir), "SPARQL_MAX_ROWS": 5}).test_client()


def test_http_json_is_cut_with_a_header_and_keeps_the_w3c_shape(capped):
    response = capped.get("/sparql", query_string={"query": ALL},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.headers[TRUNCATED_HEADER] == "5"
    body = json.loads(response.get_data(as_text=True))
    assert set(body) == {"head", "results"} and set(body["results"]) == {"bindings"}
    assert len(body["results"]["bindings"]) == 5


def test_http_construct_is_cut_with_a_header(capped):
    response = capped.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": "application/n-triples"})
    assert response.headers[TRUNCATED_HEADER] == "5"
    assert len(Graph().parse(data=response.get_data(as_text=True), format="nt")) == 5


@pytest.mark.parametrize("accept", ["text/csv", "text/html"])
def test_http_header_only_when_cut_and_on_the_html_page_too(capped, accept):
    whole = capped.get("/sparql", query_string={"query": COUNT}, headers={"Accept": accept})
    cut = capped.get("/sparql", query_string={"query": ALL}, headers={"Accept": accept})
    assert whole.status_code == cut.status_code == 200
    assert TRUNCATED_HEADER not in whole.headers and cut.headers[TRUNCATED_HEADER] == "5"


def test_http_time_limit_is_a_clear_error(bundled_dir):
    client = create_app({"TESTING": True, "DATA_DIR": str(bundled_dir), "SPARQL_TIMEOUT": 1}).test_client()
    start = time.monotonic()
    response = client.get("/sparql", query_string={"query": CARTESIAN},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 503 and STOPPED in response.get_json()["error"]
    assert time.monotonic() - start < 4


def test_a_pool_process_that_died_while_waiting_is_not_handed_a_query(bundled):
    from graph.sparql import POOL

    source = tuple(bundled.dataset.policygraph_source)  # a stored graph: queried by the waiting processes
    run_query(bundled.dataset, COUNT, timeout=5)
    waiting = list(POOL.idle[source])
    for process, _ in waiting:
        process.terminate()  # as an out-of-memory kill or a stray signal would
        process.join()
    assert run_query(bundled.dataset, COUNT, timeout=5).rows() == run_query(bundled.dataset, COUNT).rows()
    assert all(process.is_alive() for process, _ in POOL.idle[source]) and POOL.idle[source]
