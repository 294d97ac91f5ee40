"""Builds are written aside and swapped in; a failed build leaves the previous one serving."""

import os
import shutil
from pathlib import Path

import pytest

from corpus.errors import CorpusError, DataDirError
from corpus.pipeline import Source, corpus_sources
from graph.datadir import build_data_dir, build_status, ensure_built, is_current, open_data, writer_lock
from graph.namespaces import DEFAULT_BASE
from search.query import search

from .conftest import FIXTURES


def build_fixture(data_dir: Path):
    metas, sources = corpus_sources(FIXTURES / "corpus")
    return build_data_dir(data_dir, sources, metas, DEFAULT_BASE)


def test_a_failed_build_leaves_the_previous_one_serving(tmp_path):
    first = build_fixture(tmp_path)
    metas, _ = corpus_sources(FIXTURES / "corpus")
    broken = [Source(tmp_path / "missing.md", metas[0])]
    with pytest.raises(CorpusError, match="missing.md"):
        build_data_dir(tmp_path, broken, metas, DEFAULT_BASE)
    data = open_data(tmp_path)
    assert data.info.path == first.path
    assert search(data.index, "obesity").total > 0
    assert len(list((tmp_path / "builds").iterdir())) == 1  # the failed stage was removed


def test_a_bad_file_is_reported_and_the_others_are_built(tmp_path):
    metas, sources = corpus_sources(FIXTURES / "corpus")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    info = build_data_dir(tmp_path / "data", sources + [Source(bad, metas[0])], metas, DEFAULT_BASE)
    assert info.documents == 3
    assert len(info.errors) == 1 and str(bad) in info.errors[0]


def test_a_rebuild_swaps_atomically_and_keeps_one_previous_build(tmp_path):
    first, second, third = (build_fixture(tmp_path) for _ in range(3))
    assert (tmp_path / "current").resolve() == Path(third.path)
    kept = {str(p) for p in (tmp_path / "builds").iterdir()}
    assert kept == {second.path, third.path}
    assert first.path not in kept


def test_an_open_build_knows_when_another_is_made_current(tmp_path):
    build_fixture(tmp_path)
    data = open_data(tmp_path)
    assert is_current(tmp_path, data)
    build_fixture(tmp_path)
    assert not is_current(tmp_path, data) and is_current(tmp_path, open_data(tmp_path))
    (tmp_path / "current").unlink()
    assert not is_current(tmp_path, data)


def test_a_data_directory_moved_elsewhere_is_still_current(fixture_dir, tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(fixture_dir, moved, symlinks=True)  # the original stays, as after a restore from backup
    data = open_data(moved)
    assert data.info.path != str(data.build) and is_current(moved, data)


def test_status_of_missing_and_half_built_directories(tmp_path):
    assert build_status(tmp_path) == "missing"
    with pytest.raises(DataDirError, match="nothing has been built"):
        open_data(tmp_path)
    half = tmp_path / "builds" / "crashed"
    (half / "store").mkdir(parents=True)
    os.symlink(half.relative_to(tmp_path), tmp_path / "current")
    assert build_status(tmp_path) == "broken"
    with pytest.raises(DataDirError, match="incomplete"):
        open_data(tmp_path)


def test_a_second_writer_is_refused(tmp_path):
    with writer_lock(tmp_path):
        with pytest.raises(DataDirError, match="another policygraph process"):
            build_fixture(tmp_path)


def test_serving_a_half_built_directory_rebuilds_it(tmp_path):
    half = tmp_path / "builds" / "crashed"
    half.mkdir(parents=True)
    os.symlink(half.relative_to(tmp_path), tmp_path / "current")
    message = ensure_built(tmp_path, DEFAULT_BASE, corpus_dir=FIXTURES / "corpus")
    assert message.startswith("the current build is incomplete: built the corpus (3 documents")
    assert build_status(tmp_path) == "ready"
    assert not half.exists()
    assert ensure_built(tmp_path, DEFAULT_BASE, corpus_dir=FIXTURES / "corpus") == ""


def test_serving_an_index_made_by_an_older_analysis_says_to_rebuild_it(tmp_path):
    import json

    assert ensure_built(tmp_path, DEFAULT_BASE, corpus_dir=FIXTURES / "corpus").startswith("no data yet")
    meta = (tmp_path / "current").resolve() / "index" / "search.json"
    older = {k: v for k, v in json.loads(meta.read_text()).items() if k != "analysis"}  # as versions before 2 wrote
    meta.write_text(json.dumps(older))
    assert "rebuilt, with `policygraph build" in ensure_built(tmp_path, DEFAULT_BASE, corpus_dir=FIXTURES / "corpus")
    assert ensure_built(tmp_path, DEFAULT_BASE, rebuild=True, corpus_dir=FIXTURES / "corpus").startswith(
        "rebuild asked")
    assert ensure_built(tmp_path, DEFAULT_BASE, corpus_dir=FIXTURES / "corpus") == ""


def test_preload_reads_the_large_parts_once_for_every_later_open(fixture_dir):
    from graph.datadir import preload
    from graph.snapshot import LINEAGE, read_lineage
    from search.docstore import read_table, table_file

    read_lineage.cache_clear()
    read_table.cache_clear()
    preload(fixture_dir)
    assert read_lineage.cache_info().currsize == read_table.cache_info().currsize == 1
    data = open_data(fixture_dir)  # what each worker does after the fork
    build = Path(data.info.path)
    assert data.lineage is read_lineage(str(build / LINEAGE))
    assert data.index.store.table is read_table(str(table_file(build / "index")))
    assert read_lineage.cache_info().misses == read_table.cache_info().misses == 1


def test_an_opened_build_reads_its_lineage_graph_only_when_asked(fixture_dir):
    from graph.snapshot import read_lineage

    read_lineage.cache_clear()
    data = open_data(fixture_dir)  # what a worker about to be replaced does for its last requests
    assert read_lineage.cache_info().misses == 0
    assert data.lineage.number_of_nodes() and data.lineage is data.lineage
    assert read_lineage.cache_info().misses == 1


def test_a_master_about_to_read_a_new_build_forgets_the_old_one(fixture_dir):
    from graph.datadir import forget_preloaded, preload
    from graph.snapshot import read_lineage
    from graph.store import has_copy
    from search.docstore import read_table

    build = preload(fixture_dir, in_memory=True)
    assert has_copy(str(build / "store")) and read_lineage.cache_info().currsize >= 1
    forget_preloaded()
    assert not has_copy(str(build / "store"))
    assert read_lineage.cache_info().currsize == read_table.cache_info().currsize == 0


def test_preload_of_an_empty_directory_does_nothing(tmp_path):
    from graph.datadir import preload

    preload(tmp_path)
    assert build_status(tmp_path) == "missing"
