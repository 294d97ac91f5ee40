"""What the pages read on every request, answered once per build and kept in the build beside the store.

At 100,000 commitments (bench scale L) the questions the pages asked of Oxigraph took seconds each: one
commitment's row 9 s, one document's 16 s, the home page's priorities 17 s, and reading the lineage graph
took 72 s at every worker's start. Asked once over the whole graph at build time they take 98 s
together (two processes), and a page then reads one row of SQLite, or the lineage graph from one pickle (1.6 s).
A build never changes once made, so nothing here goes stale: a new build brings its own snapshot.
"""

from __future__ import annotations

import multiprocessing
import pickle
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from corpus.errors import NotFound
from graph.catalog import CommitmentRow, DocumentSummary, all_commitments, is_priority, list_documents
from graph.lineage import load_lineage

LINEAGE = "lineage.pickle"
CATALOGUE = "catalogue.sqlite"
TABLES = """
CREATE TABLE documents (pos INTEGER PRIMARY KEY, id TEXT UNIQUE, row BLOB);
CREATE TABLE commitments (pos INTEGER PRIMARY KEY, id TEXT UNIQUE, document TEXT, priority INTEGER, row BLOB);
CREATE INDEX commitments_document ON commitments (document, pos);
CREATE INDEX commitments_priority ON commitments (priority, pos);
"""


def write_snapshot(dataset: Dataset, build: Path) -> None:
    """Answer the pages' questions over the whole graph and keep the answers in `build`.

    The lineage graph is read by a second process when the graph can be opened again from there (a store
    on disk, a SPARQL server), so that both cores work: at scale L, 98 s instead of 135 s.
    """
    source = getattr(dataset, "policygraph_source", None)
    if source is None:
        write_lineage(dataset, build)
        write_catalogue(dataset, build)
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        lineage = pool.submit(write_lineage_of, tuple(source), build)
        write_catalogue(dataset, build)
        lineage.result()


def write_lineage_of(source: tuple[str, str], build: Path) -> None:
    from graph.store import reopen

    write_lineage(reopen(source), build)


def write_lineage(dataset: Dataset, build: Path) -> None:
    with open(build / LINEAGE, "wb") as handle:
        pickle.dump(load_lineage(dataset), handle, protocol=pickle.HIGHEST_PROTOCOL)


def write_catalogue(dataset: Dataset, build: Path) -> None:
    db = sqlite3.connect(build / CATALOGUE)
    try:
        fill(db, dataset)
    finally:
        db.close()


def fill(db: sqlite3.Connection, dataset: Dataset) -> None:
    with db:
        db.executescript(TABLES)
        db.executemany("INSERT INTO documents VALUES (?, ?, ?)",
                       ((n, d.id, _dump(d)) for n, d in enumerate(list_documents(dataset))))
        db.executemany("INSERT INTO commitments VALUES (?, ?, ?, ?, ?)",
                       ((n, c.id, c.document, is_priority(c), _dump(c))
                        for n, c in enumerate(all_commitments(dataset))))


def _dump(row) -> bytes:
    return pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)


@lru_cache(maxsize=2)
def read_lineage(path: str) -> nx.DiGraph:
    """A build's lineage graph, read once a process (`policygraph serve` reads it before its workers fork,
    so they share its pages). It must not be changed: every reader of this build gets the same object."""
    with open(path, "rb") as handle:
        return pickle.load(handle)  # our own file, written by write_snapshot into this build


def open_lineage(dataset: Dataset, build: Path) -> nx.DiGraph:
    """The build's lineage graph; a build made before snapshots existed has it read from its graph."""
    path = build / LINEAGE
    return read_lineage(str(path)) if path.exists() else load_lineage(dataset)


class Catalogue:
    """Documents and commitment rows of one build, read from its snapshot by any number of threads."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def documents(self) -> list[DocumentSummary]:
        """Every document, oldest first."""
        return list(self._rows("SELECT row FROM documents ORDER BY pos", ()))

    def document(self, doc_id: str) -> DocumentSummary:
        """:raises NotFound: for an unknown document id."""
        return self._one("SELECT row FROM documents WHERE id = ?", doc_id, f"no document with id {doc_id!r}")

    def commitment(self, ident: str) -> CommitmentRow:
        """:raises NotFound: for an unknown commitment id."""
        return self._one("SELECT row FROM commitments WHERE id = ?", ident, f"no commitment with id {ident!r}")

    def commitments_in(self, doc_id: str) -> tuple[CommitmentRow, ...]:
        """A document's commitments by page, then id."""
        return self._rows("SELECT row FROM commitments WHERE document = ? ORDER BY pos", (doc_id,))

    def priorities(self) -> list[CommitmentRow]:
        """The priorities and ambitions that documents are organised around, by document, then page."""
        rows = self._rows("SELECT row FROM commitments WHERE priority = 1 ORDER BY pos", ())
        return sorted(rows, key=lambda c: (c.document, c.page or 0))

    def _one(self, sql: str, key: str, missing: str):
        found = self.db.execute(sql, (key,)).fetchone()
        if found is None:
            raise NotFound(missing)
        return pickle.loads(found[0])  # our own rows, written by fill

    def _rows(self, sql: str, args: tuple) -> tuple:
        return tuple(pickle.loads(row) for (row,) in self.db.execute(sql, args))


def open_catalogue(dataset: Dataset, build: Path) -> Catalogue:
    """The build's catalogue, read-only; a build made before snapshots existed has it made in memory."""
    path = build / CATALOGUE
    if path.exists():
        return Catalogue(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))
    db = sqlite3.connect(":memory:", check_same_thread=False)
    fill(db, dataset)
    return Catalogue(db)
