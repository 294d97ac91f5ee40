import shutil

import networkx as nx
import pytest

from corpus.errors import NotFound
from graph.catalog import all_commitments, list_documents
from graph.datadir import open_data
from graph.lineage import load_lineage
from graph.snapshot import CATALOGUE, LINEAGE


def edges(graph: nx.DiGraph) -> set:
    return {(a, b, tuple(sorted(d["relations"].items())), tuple(d["evidence"])) for a, b, d in graph.edges(data=True)}


def test_a_build_keeps_the_answers_its_graph_gives(bundled):
    from pathlib import Path

    build = Path(bundled.info.path)
    assert (build / LINEAGE).stat().st_size and (build / CATALOGUE).stat().st_size
    asked = load_lineage(bundled.dataset)
    assert set(bundled.lineage.nodes) == set(asked.nodes) and edges(bundled.lineage) == edges(asked)
    assert bundled.catalogue.documents() == list_documents(bundled.dataset)
    rows = all_commitments(bundled.dataset)
    for doc in ("ovl-2019", "ltp-2019", "bhfl-2014"):
        assert bundled.catalogue.commitments_in(doc) == tuple(r for r in rows if r.document == doc)
    assert bundled.catalogue.commitment(rows[7].id) == rows[7]
    priorities = bundled.catalogue.priorities()
    assert len([p for p in priorities if p.document == "ovl-2019"]) == 10
    assert {p.id for p in priorities} == {r.id for r in rows if r.kind == "priority"}


def test_unknown_ids_are_not_found(data):
    with pytest.raises(NotFound, match="nope"):
        data.catalogue.commitment("nope")
    with pytest.raises(NotFound, match="no document with id 'nope'"):
        data.catalogue.document("nope")
    assert data.catalogue.commitments_in("nope") == ()


def test_a_build_from_before_snapshots_is_answered_from_its_graph(fixture_dir, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(fixture_dir, copy, symlinks=True)
    build = (copy / "current").resolve()
    kept = open_data(copy)
    kept_edges = edges(kept.lineage)  # read from the snapshot before it goes: the lineage is read when asked
    (build / LINEAGE).unlink()
    (build / CATALOGUE).unlink()
    older = open_data(copy)
    assert older.catalogue.documents() == kept.catalogue.documents()
    assert older.catalogue.priorities() == kept.catalogue.priorities()
    assert edges(older.lineage) == kept_edges
