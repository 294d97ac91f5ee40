"""The graph's store on disk, and its copy in memory that a server may query instead."""

import time
from pathlib import Path

import pytest

from corpus.errors import BadQuery, DataDirError
from graph.datadir import open_data
from graph.examples import load_examples
from graph.namespaces import sparql_prologue
from graph.sparql import run_query
from graph.store import memory_copy
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
