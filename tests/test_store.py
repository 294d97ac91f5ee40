"""The graph's store on disk, and its copy in memory that a server may query instead."""

import time
from pathlib import Path

import pytest

import graph.store
from corpus.errors import BadQuery, DataDirError
from graph.datadir import open_data, preload
from graph.examples import load_examples
from graph.namespaces import sparql_prologue
from graph.sparql import run_query
from graph.store import fits_in_memory, memory_copy
from web import create_app

CARTESIAN = "SELECT ?a ?b WHERE { ?a a pg:Commitment . ?b a pg:Commitment } ORDER BY ?a ?b LIMIT 1"


@pytest.fixture(scope="module")
def in_memory(bundled_dir):
    return open_data(bundled_dir, in_memory=True)


def test_the_copy_in_memory_holds_every_quad_once_a_process(bundled, in_memory):
    store = Path(bundled.info.path) / "store"
    assert memory_copy(str(store)) is memory_copy(str(store))
    assert len(memory_copy(str(store))) == bundled.info.quads == len(bundled.dataset.store._inner)


def normal(rows: list[tuple]) -> list[tuple]:
    """Rows with each GROUP_CONCAT's parts sorted: the standard leaves their order to the store."""
    return sorted(tuple("; ".join(sorted(str(cell).split("; "))) for cell in row) for row in rows)


def test_every_example_query_answers_the_same_from_memory(bundled, in_memory):
    for example in load_examples():
        query = sparql_prologue() + example.query
        disk, memory = run_query(bundled.dataset, query).rows(), run_query(in_memory.dataset, query).rows()
        assert disk, example.name
        if "LIMIT" in example.query:  # which of the tied rows make the cut is the store's choice
            assert [str(r[1]) for r in memory] == [str(r[1]) for r in disk], example.name
        else:
            assert normal(memory) == normal(disk), example.name


def test_a_query_on_the_copy_is_still_stopped_at_its_limit(in_memory):
    start = time.monotonic()
    with pytest.raises(BadQuery, match="ran past the 1 s time limit"):
        run_query(in_memory.dataset, CARTESIAN, timeout=1)
    assert time.monotonic() - start < 3


def test_a_server_set_to_keep_the_graph_in_memory_answers_sparql(bundled_dir, bundled):
    app = create_app({"DATA_DIR": str(bundled_dir), "GRAPH_IN_MEMORY": 1})
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Commitment }"
    answer = app.test_client().get("/sparql", query_string={"query": query, "format": "json"}).get_json()
    (expected,) = run_query(bundled.dataset, sparql_prologue() + query).rows()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == int(expected[0]) > 0
    with app.app_context():
        from web import data

        assert not hasattr(data().dataset, "policygraph_source")  # queried from memory, not by reopening


def test_a_missing_store_is_named(tmp_path):
    with pytest.raises(DataDirError, match=str(tmp_path / "nothing")):
        memory_copy(str(tmp_path / "nothing"))


def test_without_copying_a_worker_reads_memory_only_once_its_master_has_made_the_copy(fixture_dir, monkeypatch):
    monkeypatch.setattr(graph.store, "_COPY", {})
    before = open_data(fixture_dir, in_memory=True, copy=False)
    assert hasattr(before.dataset, "policygraph_source")  # on disk
    build = preload(fixture_dir, in_memory=True)  # what `policygraph serve` does before it forks
    after = open_data(fixture_dir, in_memory=True, copy=False)
    assert after.dataset.store._inner is memory_copy(str(build / "store"))


def test_auto_copies_the_graph_only_when_the_copy_takes_at_most_a_quarter_of_memory(fixture_dir, monkeypatch):
    store = Path(open_data(fixture_dir).info.path) / "store"
    size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    monkeypatch.setattr(graph.store, "physical_memory", lambda: size * 8)  # copy 2x the size, a quarter of 8x
    assert fits_in_memory(store)
    assert not hasattr(open_data(fixture_dir, in_memory=None).dataset, "policygraph_source")
    monkeypatch.setattr(graph.store, "physical_memory", lambda: size * 8 - 1)
    assert not fits_in_memory(store)
    assert hasattr(open_data(fixture_dir, in_memory=None).dataset, "policygraph_source")


# A fresh interpreter, as gunicorn's master is: this test process has opened stores on disk already.
FORK_AFTER_COPY = """
import multiprocessing, sys
from pathlib import Path
from rdflib import Graph, URIRef
from graph.store import memory_copy, write_store
memory_copy(sys.argv[1])
graph = Graph(identifier=URIRef("https://example.org/g"))
graph.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), URIRef("https://example.org/o")))
child = multiprocessing.get_context("fork").Process(target=write_store, args=([graph], Path(sys.argv[2])))
child.start()
child.join(timeout=60)
child.kill()
child.join()
sys.exit(child.exitcode)
"""


def test_a_process_forked_after_the_copy_can_still_write_a_store(bundled, tmp_path):
    """As a gunicorn worker, forked from the master that made the copy, writes a curator's new build."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    store = Path(bundled.info.path) / "store"
    done = subprocess.run([sys.executable, "-c", FORK_AFTER_COPY, str(store), str(tmp_path / "store")], cwd=repo,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]  # -9: the write was still waiting at 60 s
