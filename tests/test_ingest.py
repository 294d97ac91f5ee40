"""`policygraph ingest`: documents added or replaced without a rebuild, and nothing else changed."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest
from rdflib import BNode

from cli import main
from corpus.errors import CorpusError
from corpus.intake import fetch, make_id, source_for
from corpus.pipeline import corpus_sources
from graph.datadir import build_data_dir, open_data
from graph.namespaces import DEFAULT_BASE
from graph.sparql import run_query
from search.query import search

from .conftest import FIXTURES

GAMMA = FIXTURES / "corpus" / "texts" / "gamma-2019.txt"
OPTIONS = ["--title", "A Vision for Riverside", "--publisher", "Riverside Council", "--issued", "2019",
           "--id", "gamma-2019"]


@pytest.fixture
def two_documents(tmp_path) -> Path:
    """A data directory built from the fixture corpus without gamma-2019, which the tests then ingest."""
    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path / "data", [s for s in sources if s.meta.id != "gamma-2019"],
                   [m for m in metas if m.id != "gamma-2019"], DEFAULT_BASE)
    return tmp_path / "data"


def graph_of(data, doc_id: str) -> tuple[set[tuple], int]:
    """A document's named graph: its triples without blank nodes (whose labels differ per build), and its size."""
    rows = run_query(data.dataset, f"""SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(STRENDS(STR(?g), "/{doc_id}#graph")) }}""").rows()
    assert rows, f"no named graph for {doc_id}"
    return {tuple(map(str, row)) for row in rows if not any(isinstance(x, BNode) for x in row)}, len(rows)


def ingest(runner, data_dir, *args):
    return runner.invoke(main, ["ingest", *args, "--data-dir", str(data_dir)])


def test_an_ingested_document_is_searchable_and_traced_and_the_rest_is_untouched(runner, two_documents):
    before = open_data(two_documents)
    alpha, beta = graph_of(before, "alpha-2014"), graph_of(before, "beta-2016")
    kept = [h.id for h in search(before.index, "obesity", limit=100).hits]

    result = ingest(runner, two_documents, str(GAMMA), *OPTIONS)

    assert result.exit_code == 0, result.output
    after = open_data(two_documents)
    assert after.info.documents == 3
    assert graph_of(after, "alpha-2014") == alpha and graph_of(after, "beta-2016") == beta
    found = search(after.index, "obesity", limit=100)
    assert "gamma-2019" in dict(found.facets["document"])
    assert [h.id for h in found.hits if h.document != "gamma-2019"] == kept
    lineage = runner.invoke(main, ["lineage", "gamma-2019", "--data-dir", str(two_documents)])
    assert "beta-2016" in lineage.output


def test_ingesting_again_replaces_rather_than_duplicates(runner, two_documents, tmp_path):
    assert ingest(runner, two_documents, str(GAMMA), *OPTIONS).exit_code == 0
    first = open_data(two_documents)
    once = search(first.index, "emission", {"document": "gamma-2019"}, limit=100).total
    edited = tmp_path / "gamma.txt"
    edited.write_text(GAMMA.read_text() + "\nWe will plant 500 street trees by 2022.\n")
    assert ingest(runner, two_documents, str(edited), *OPTIONS).exit_code == 0
    again = open_data(two_documents)
    assert again.info.documents == 3
    assert search(again.index, "emission", {"document": "gamma-2019"}, limit=100).total == once
    assert search(again.index, "street trees").total == 1
    assert graph_of(again, "gamma-2019")[1] > graph_of(first, "gamma-2019")[1]


@pytest.mark.parametrize("content, message", [(b"", "empty"), (b"\xff\xfe\x00bad", "binary")])
def test_a_bad_file_changes_nothing_and_says_why(runner, two_documents, tmp_path, content, message):
    current = (two_documents / "current").resolve()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = ingest(runner, two_documents, str(bad), *OPTIONS)
    assert result.exit_code != 0
    assert "bad.txt" in result.output and message in result.output
    assert (two_documents / "current").resolve() == current
    assert len(list((two_documents / "builds").iterdir())) == 1


def test_missing_metadata_is_asked_for_by_option(tmp_path):
    plain = tmp_path / "plan.txt"
    plain.write_text("Our plan\n\nWe will open two clinics by 2026.\n")
    with pytest.raises(CorpusError, match="plan.txt.*give --issued and --publisher"):
        source_for(plain)
    source = source_for(plain, publishers=("NHS London",), issued="2021-03")
    assert (source.meta.title, source.meta.id) == ("Our plan", "our-plan-2021")


def test_an_impossible_date_is_refused(tmp_path):
    plain = tmp_path / "plan.txt"
    plain.write_text("Our plan\n\nWe will open two clinics by 2026.\n")
    with pytest.raises(CorpusError, match="not a real date"):
        source_for(plain, publishers=("NHS London",), issued="2021-02-30")


def test_ingest_needs_a_build_to_add_to(runner, tmp_path):
    result = ingest(runner, tmp_path / "empty", str(GAMMA), *OPTIONS)
    assert result.exit_code != 0 and "policygraph build" in result.output


def test_a_url_that_does_not_answer_times_out_with_its_name(tmp_path):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/plan.html"
    try:
        with pytest.raises(CorpusError, match="plan.html: could not fetch"):
            fetch(url, tmp_path, timeout=0.5)
    finally:
        silent.close()


def test_a_url_is_fetched_into_a_file(tmp_path):
    from http.server import HTTPServer, SimpleHTTPRequestHandler

    shutil.copy(GAMMA, tmp_path / "gamma.txt")
    handler = lambda *a: SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        path = fetch(f"http://127.0.0.1:{server.server_port}/gamma.txt", tmp_path, timeout=5)
        assert path.read_text() == GAMMA.read_text() and path.suffix == ".txt"
    finally:
        server.shutdown()
        server.server_close()


def test_ids_come_from_the_title_and_year():
    assert make_id("The NHS Long Term Plan", "2019-01-07") == "nhs-long-term-plan-2019"


def test_a_web_page_is_ingested_with_the_metadata_it_states(runner, two_documents):
    page = FIXTURES / "html" / "riverside-plan.html"
    result = ingest(runner, two_documents, str(page))
    assert result.exit_code == 0, result.output
    data = open_data(two_documents)
    found = search(data.index, "refuse lorries")
    assert found.hits and found.hits[0].document == "riverside-air-plan-2021"
    assert found.hits[0].document_title == "Riverside Air Plan"
