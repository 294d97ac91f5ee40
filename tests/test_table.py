"""The search columns kept as files: what is mapped back is what was built, and processes share its pages."""

from dataclasses import fields, replace
from datetime import date

import numpy as np
import pytest

from search.docstore import DocStore, keep_table, read_table, table_file
from search.table import Codes, Ids, Multi, Table, load_table, save_table


def _same(a, b) -> None:
    for item in fields(Table):
        left, right = getattr(a, item.name), getattr(b, item.name)
        if isinstance(left, Codes | Multi):
            assert left.values == right.values, item.name
        if isinstance(left, Ids):
            assert [left[r] for r in range(len(left))] == [right[r] for r in range(len(right))]
        elif isinstance(left, Codes):
            assert np.array_equal(left.codes, right.codes), item.name
        elif isinstance(left, Multi):
            assert np.array_equal(left.offsets, right.offsets) and np.array_equal(left.codes, right.codes), item.name
        elif isinstance(left, np.ndarray):
            assert np.array_equal(left, right), item.name
        else:
            assert left == right, item.name


def test_the_kept_table_is_the_table_built_from_the_records(fixture_indexes):
    path = fixture_indexes("tantivy").path
    built = DocStore(path)._build_table()  # noqa: SLF001 - the table as SQLite gives it, without the files
    mapped = read_table(str(table_file(path)))
    assert built.size > 20
    _same(built, mapped)
    assert isinstance(mapped.deadline_by, np.memmap) and not mapped.deadline_by.flags.writeable
    rows = np.flatnonzero(built.present)
    assert mapped.themes.count(rows) == built.themes.count(rows)
    assert np.array_equal(mapped.statuses(rows, date(2024, 1, 1)), built.statuses(rows, date(2024, 1, 1)))


def test_ids_come_back_whole_in_any_script():
    ids = Ids.of(["bhfl-2014/c-1", "", "ŵelsh-ﬁ/c-22", "x"])
    assert [ids[r] for r in range(4)] == ["bhfl-2014/c-1", "", "ŵelsh-ﬁ/c-22", "x"]
    assert len(ids) == 4


def test_a_table_is_written_whole_or_not_at_all(fixture_indexes, tmp_path):
    table = read_table(str(table_file(fixture_indexes("tantivy").path)))
    save_table(table, tmp_path / "table-3")
    _same(table, load_table(tmp_path / "table-3"))
    unsaveable = replace(table, parent=np.array([object()] * table.size))  # .npy files hold no Python objects
    with pytest.raises(ValueError, match="pickle"):
        save_table(unsaveable, tmp_path / "table-4")
    assert [p.name for p in tmp_path.iterdir()] == ["table-3"]


def test_an_older_table_is_replaced_by_the_current_one(fixture_indexes, tmp_path):
    import shutil

    path = tmp_path / "index"
    shutil.copytree(fixture_indexes("tantivy").path, path)
    current = table_file(path)
    shutil.rmtree(current)
    (path / "table-0.pickle").write_bytes(b"from an earlier version")
    assert DocStore(path).table.size > 20  # no file: built from the records
    keep_table(path)
    assert sorted(p.name for p in path.glob("table-*")) == [current.name]
