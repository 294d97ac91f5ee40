"""The records themselves, in SQLite beside the engine's files, shared by both engines.

The engines only find and rank row numbers; what a hit shows, and the columns that facets, filters,
sorting and grouping need, come from here, so both engines give the same facets and the same snippets.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from search.table import Table, load_table, save_table, table_of

COLUMNS = ("id", "kind", "text", "heading", "document", "document_title", "publishers", "year", "issued",
           "actor", "themes", "deadline", "deadline_by", "section", "page", "passage", "parent", "superseded_on")
LISTS = ("publishers", "themes")
FILE = "records.sqlite"


def write_records(rows: Iterable[tuple[int, dict]], path: Path) -> None:
    """Store each (row number, record) in a new database at path/records.sqlite."""
    with sqlite3.connect(path / FILE) as db:
        db.execute(f"CREATE TABLE records (row INTEGER PRIMARY KEY, {', '.join(COLUMNS)})")
        db.execute("CREATE INDEX records_document ON records (document)")
        db.execute("CREATE TABLE meta (generation INTEGER)")
        db.execute("INSERT INTO meta VALUES (0)")
        _insert(db, rows)
    db.close()


def replace_records(path: Path, documents: set[str], records: Iterable[dict]) -> list[tuple[int, dict]]:
    """Drop every record of `documents` and add `records` under new row numbers, in one transaction.

    Row numbers are never reused, so an engine still holding an old row cannot point at a new record.
    """
    with sqlite3.connect(path / FILE) as db:
        db.executemany("DELETE FROM records WHERE document = ?", [(d,) for d in sorted(documents)])
        (last,) = db.execute("SELECT COALESCE(MAX(row), -1) FROM records").fetchone()
        rows = list(enumerate(records, start=last + 1))
        _insert(db, rows)
        db.execute("UPDATE meta SET generation = generation + 1")
    db.close()
    return rows


def keep_table(path: Path) -> None:
    """Keep the in-memory columns as files beside the records, so readers map them in a blink.

    Building them from SQLite takes seconds at hundreds of thousands of records; every reader
    would pay that on opening and again after each update.
    """
    store = DocStore(path)
    saved = _table_path(path, store.generation)
    try:
        if not saved.exists():
            save_table(store.table, saved)
    finally:
        store.close()
    # a reader that has mapped an older generation keeps it: its files are gone only once it lets go
    for old in path.glob("table-*"):
        if old != saved and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        elif old != saved:
            old.unlink()  # a table kept by an earlier version, as one pickle


def count_records(path: Path) -> int:
    with sqlite3.connect(f"file:{path / FILE}?mode=ro", uri=True) as db:
        (count,) = db.execute("SELECT COUNT(*) FROM records").fetchone()
    db.close()
    return count


def superseded_records(path: Path) -> dict[str, str]:
    """Commitment id -> the date it was superseded, for every record that has one."""
    db = sqlite3.connect(f"file:{path / FILE}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT id, superseded_on FROM records WHERE superseded_on != ''"))
    finally:
        db.close()


def all_texts(path: Path) -> Iterable[dict]:
    with sqlite3.connect(f"file:{path / FILE}?mode=ro", uri=True) as db:
        yield from ({"text": text} for (text,) in db.execute("SELECT text FROM records"))
    db.close()


def _insert(db: sqlite3.Connection, rows: Iterable[tuple[int, dict]]) -> None:
    marks = ", ".join("?" * (len(COLUMNS) + 1))
    db.executemany(f"INSERT INTO records VALUES ({marks})", (_values(row, r) for row, r in rows))


def _values(row: int, record: dict) -> tuple:
    return (row, *(json.dumps(record.get(c) or []) if c in LISTS else record.get(c) for c in COLUMNS))


@lru_cache(maxsize=2)
def read_table(path: str) -> Table:
    """The columns saved at `path`, mapped once a process: `policygraph serve` maps them before its workers
    fork. A generation's files never change, and readers never change the table."""
    return load_table(Path(path))


def table_file(path: Path) -> Path:
    """The saved columns of the index at `path`, at its current generation."""
    db = sqlite3.connect(f"file:{path / FILE}?mode=ro", uri=True)
    try:
        return _table_path(path, _generation(db))
    finally:
        db.close()


def _table_path(path: Path, generation: int) -> Path:
    return path / f"table-{generation}"


def _generation(db: sqlite3.Connection) -> int:
    (generation,) = db.execute("SELECT generation FROM meta").fetchone()
    return generation


class DocStore:
    """Read-only access from any number of threads and processes."""

    def __init__(self, path: Path):
        self.path = path / FILE
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self.generation = _generation(self.db)
        self.table = self._load_table()

    def _load_table(self) -> Table:
        saved = _table_path(self.path.parent, self.generation)
        return read_table(str(saved)) if saved.exists() else self._build_table()

    def _build_table(self) -> Table:
        names = ("id", "kind", "document", "year", "issued", "actor", "themes", "publishers", "deadline_by",
                 "passage", "parent", "superseded_on")
        rows = [(row, *(_cell(n, v) for n, v in zip(names, values, strict=True)))
                for row, *values in self.db.execute(f"SELECT row, {', '.join(names)} FROM records")]
        return table_of(rows)

    def refresh(self) -> bool:
        """Reload the in-memory columns if another connection has changed the records since; say if so."""
        generation = _generation(self.db)
        if generation == self.generation:
            return False
        self.generation = generation
        self.table = self._load_table()
        return True

    def record(self, ident: str) -> dict | None:
        found = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM records WHERE id = ?", (ident,)).fetchone()
        return _record(found) if found else None

    def fetch(self, rows: list[int]) -> list[dict]:
        """Whole records for the given row numbers, in that order."""
        if not rows:
            return []
        marks = ", ".join("?" * len(rows))
        found = {}
        for values in self.db.execute(f"SELECT row, {', '.join(COLUMNS)} FROM records WHERE row IN ({marks})", rows):
            found[values[0]] = _record(values[1:])
        return [found[r] for r in rows]

    def close(self) -> None:
        self.db.close()


def _record(values: tuple) -> dict:
    """One record as a hit shows it: the same values as `_cell` gives, column by column, in a third of the time
    (a page of 20 hits at L took 1.7 ms that way), since only the list columns and blanks need a change."""
    record = dict(zip(COLUMNS, values, strict=True))
    for name, value in record.items():
        if value is None and name != "page":
            record[name] = ""
    for name in LISTS:
        record[name] = tuple(json.loads(record[name]))
    record["year"] = str(record["year"])
    return record


def _cell(name: str, value):
    if name in LISTS:
        return tuple(sys.intern(v) for v in json.loads(value))
    if name == "year":
        return str(value)
    if isinstance(value, str) and name not in ("text", "heading", "id"):
        return sys.intern(value)
    return "" if value is None and name != "page" else value
