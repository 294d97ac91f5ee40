"""The graph kept in a real SPARQL 1.1 server (the Oxigraph server, started here on a loopback port)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from bench.servers import free_port, oxigraph_server
from corpus.errors import CorpusError, DataDirError
from corpus.pipeline import corpus_sources
from graph.datadir import build_data_dir, ingest_into_data_dir, open_data
from graph.namespaces import DEFAULT_BASE
from graph.remote import STAGING, Endpoint, post
from graph.sparql import run_query
from search.query import search

from .conftest import FIXTURES

PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as endpoint:
        yield endpoint


@pytest.fixture
def remote_dir(tmp_path, server) -> Path:
    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path / "data", sources, metas, DEFAULT_BASE, endpoint=server)
    return tmp_path / "data"


def counts(dataset) -> dict[str, int]:
    return {str(r[0]): int(r[1]) for r in run_query(dataset, PER_GRAPH).rows()}


def edges(data) -> set[tuple[str, str]]:
    info = lambda n: data.lineage.nodes[n]["info"].id  # noqa: E731
    return {(info(a), info(b)) for a, b in data.lineage.edges}


def test_the_build_records_where_its_graph_lives_and_holds_no_store_of_its_own(remote_dir, server):
    data = open_data(remote_dir)
    assert data.info.endpoint == server.query
    assert not (Path(data.info.path) / "store").exists()


def test_the_remote_graph_answers_as_the_embedded_one_does(remote_dir, data):
    remote = open_data(remote_dir)
    assert counts(remote.dataset) == counts(data.dataset)
    assert edges(remote) == edges(data) and edges(data)
    query = "SELECT ?id WHERE { ?c a pg:Commitment ; dcterms:identifier ?id } ORDER BY ?id"
    # compared as text: the embedded store spells out xsd:string, SPARQL JSON results leave it implicit
    rows = [[str(v) for v in row] for d in (remote, data) for row in run_query(d.dataset, query).rows()]
    assert rows[: len(rows) // 2] == rows[len(rows) // 2:]
    assert [h.id for h in search(remote.index, "obesity").hits] == [h.id for h in search(data.index, "obesity").hits]


def test_reingesting_a_document_replaces_exactly_its_graph(remote_dir):
    before = counts(open_data(remote_dir).dataset)
    metas, sources = corpus_sources(FIXTURES / "corpus")
    ingest_into_data_dir(remote_dir, [s for s in sources if s.meta.id == "gamma-2019"])
    assert counts(open_data(remote_dir).dataset) == before


def test_a_failed_build_leaves_the_servers_graph_serving(remote_dir, server):
    before = counts(open_data(remote_dir).dataset)
    metas, _ = corpus_sources(FIXTURES / "corpus")
    with pytest.raises(CorpusError):  # nothing to read: it fails before anything is written
        build_data_dir(remote_dir, [], metas, DEFAULT_BASE, endpoint=server)
    assert counts(open_data(remote_dir).dataset) == before


def test_a_server_that_cannot_be_reached_is_named_and_nothing_changes(remote_dir):
    before = open_data(remote_dir).info.path
    port = free_port()  # nothing listens there
    dead = Endpoint(f"http://127.0.0.1:{port}/query", f"http://127.0.0.1:{port}/update")
    metas, sources = corpus_sources(FIXTURES / "corpus")
    with pytest.raises(DataDirError, match=f"cannot reach the SPARQL server at http://127.0.0.1:{port}/"):
        build_data_dir(remote_dir, sources, metas, DEFAULT_BASE, endpoint=dead)
    assert open_data(remote_dir).info.path == before


def test_the_web_app_serves_a_remote_build(remote_dir):
    from web import create_app

    client = create_app({"TESTING": True, "DATA_DIR": str(remote_dir)}).test_client()
    assert client.get("/doc/gamma-2019").status_code == 200
    answer = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?d a pg:Document }"},
                        headers={"Accept": "application/sparql-results+json"}).get_json()
    assert answer["results"]["bindings"][0]["n"]["value"] == "3"


def test_the_cli_builds_into_the_configured_server(runner, server, tmp_path, monkeypatch):
    from cli import main

    monkeypatch.setenv("POLICYGRAPH_SPARQL_ENDPOINT", server.query)
    result = runner.invoke(main, ["build", "--corpus", str(FIXTURES / "corpus"), "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "POLICYGRAPH_SPARQL_UPDATE_ENDPOINT" in result.output
    monkeypatch.setenv("POLICYGRAPH_SPARQL_UPDATE_ENDPOINT", server.update)
    result = runner.invoke(main, ["build", "--corpus", str(FIXTURES / "corpus"), "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with urllib.request.urlopen(server.query + "?query=ASK%7B%3Fd%20a%20%3Chttps%3A%2F%2Fw3id.org%2F"
                                "policygraph%2Fns%23Document%3E%7D", timeout=10) as response:
        assert b"true" in response.read()


def test_a_build_replaces_our_graphs_and_leaves_other_peoples(tmp_path, server):
    theirs = "<https://example.org/someone-else>"
    triple = '<https://example.org/a> <https://example.org/b> "kept"'
    post(server.update, f"INSERT DATA {{ GRAPH {theirs} {{ {triple} }} }}", "application/sparql-update")
    try:
        metas, sources = corpus_sources(FIXTURES / "corpus")
        info = build_data_dir(tmp_path / "data", sources, metas, DEFAULT_BASE, endpoint=server)
        asked = post(server.query, f'ASK {{ GRAPH {theirs} {{ ?s ?p "kept" }} }}', "application/sparql-query",
                     "application/sparql-results+json")
        assert json.loads(asked)["boolean"] is True
        assert info.quads == sum(n for g, n in counts(open_data(tmp_path / "data").dataset).items()
                                 if g.startswith(DEFAULT_BASE))
    finally:
        post(server.update, f"DROP SILENT GRAPH {theirs}", "application/sparql-update")


def test_a_batched_build_moves_its_staging_graphs_into_place(tmp_path, server, data):
    metas, sources = corpus_sources(FIXTURES / "corpus")
    batched = Endpoint(server.query, server.update, batch=100)
    build_data_dir(tmp_path / "data", sources, metas, DEFAULT_BASE, endpoint=batched)
    remote = open_data(tmp_path / "data")
    assert remote.info.update_batch == 100
    assert counts(remote.dataset) == counts(data.dataset)
    assert not [g for g in counts(remote.dataset) if g.startswith(DEFAULT_BASE + STAGING)]
