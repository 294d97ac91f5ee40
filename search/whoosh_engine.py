"""The Whoosh engine (the default): Whoosh stores the index; search/postings.py reads and scores it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import KEYWORD, NUMERIC, TEXT, Schema

from search.engine import KEYWORDS, PAIRS, TEXT_FIELDS, Matches, indexed, keyword
from search.postings import Postings
from search.querylang import Node

PARALLEL = 5000  # records in a build before Whoosh writes with several processes


def schema() -> Schema:
    fields = {name: TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False) for name in [*TEXT_FIELDS, *PAIRS]}
    fields |= {name: KEYWORD(commas=True, scorable=False) for name in KEYWORDS}
    return Schema(row=NUMERIC(sortable=True), **fields)


def write(path: Path, rows: Iterable[tuple[int, dict]], count: int) -> None:
    index = whoosh_index.create_in(str(path), schema())
    # Whoosh is pure Python: past a few thousand records, writing from every core is worth the start-up
    procs = min(os.cpu_count() or 1, 4) if count > PARALLEL else 1
    writer = index.writer(limitmb=256, procs=procs, multisegment=procs > 1)
    _add(writer, rows)
    writer.commit()


def update(path: Path, documents: set[str], rows: list[tuple[int, dict]]) -> None:
    index = whoosh_index.open_dir(str(path))
    writer = index.writer(limitmb=256)
    for document in documents:
        writer.delete_by_term("document", keyword(document))
    _add(writer, rows)
    writer.commit()


def _add(writer, rows: Iterable[tuple[int, dict]]) -> None:
    for row, record in rows:
        fields = indexed(record)
        writer.add_document(row=row, **{k: ",".join(v) if isinstance(v, list) else v for k, v in fields.items()})


class WhooshEngine:
    def __init__(self, path: Path):
        self.index = whoosh_index.open_dir(str(path), readonly=True)
        self.searcher = self.index.searcher()
        self._snapshot()

    def _snapshot(self) -> None:
        """Row numbers and postings for the searcher's snapshot, read once rather than once per query."""
        column = self.searcher.reader().column_reader("row")
        self.row_of = np.fromiter((column[d] for d in range(self.searcher.doc_count_all())), np.int64)
        self.postings = Postings(self.searcher)

    def match(self, node: Node | None, top: int | None = None) -> Matches:
        self._refresh()
        mask, scores = self.postings.evaluate(node)
        every = np.flatnonzero(mask)
        if top is not None and top < len(every):
            best = every[np.argpartition(-scores[every], top)[:top]]
        else:
            best = every
        best = best[np.lexsort((best, -scores[best]))]
        return Matches(self.row_of[every], self.row_of[best], scores[best])

    def doc_freq(self, term: str) -> int:
        return self.searcher.doc_frequency("text", term)

    def _refresh(self) -> None:
        # a searcher is a snapshot: take a new one only when a writer has committed since
        if not self.searcher.up_to_date():
            self.searcher = self.searcher.refresh()
            self._snapshot()

    def close(self) -> None:
        self.searcher.close()
