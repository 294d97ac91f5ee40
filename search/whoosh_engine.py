"""The Whoosh engine (the default): pure Python, fine up to tens of thousands of records."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import KEYWORD, NUMERIC, TEXT, Schema

from search.engine import KEYWORDS, PAIRS, TEXT_FIELDS, Matches, indexed, keyword, leaf_terms, pairs
from search.querylang import Any, Field, Node, Not, Phrase, Word

PARALLEL = 5000  # records in a build before Whoosh writes with several processes
ONE_PASS = 5000  # up to this many likely matches, scoring them all costs less than a second pass


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
        self.row_of = self._rows()

    def _rows(self) -> np.ndarray:
        """Row number by Whoosh document number, read once per snapshot rather than once per match."""
        column = self.searcher.reader().column_reader("row")
        return np.fromiter((column[d] for d in range(self.searcher.doc_count_all())), np.int64)

    def match(self, node: Node | None, top: int | None = None) -> Matches:
        """Scoring is most of Whoosh's cost: a query that may match many records is run twice, once unscored
        to find them all and once to score the best `top`, skipping blocks that cannot make the top."""
        self._refresh()
        wanted = compile_query(node) if node is not None else q.Every()
        if top is None or wanted.estimate_size(self.searcher.reader()) <= ONE_PASS:
            ranked = list(self.searcher.search(wanted, limit=None).items())
            every = np.fromiter((d for d, _ in ranked), np.int64, len(ranked))
        else:
            every = np.fromiter(self.searcher.docs_for_query(wanted), np.int64)
            ranked = list(self.searcher.search(wanted, limit=top).items())
        docnums = np.fromiter((d for d, _ in ranked), np.int64, len(ranked))
        scores = np.fromiter((score or 0.0 for _, score in ranked), float, len(ranked))
        return Matches(self.row_of[every], self.row_of[docnums], scores)

    def doc_freq(self, term: str) -> int:
        return self.searcher.doc_frequency("text", term)

    def _refresh(self) -> None:
        # a searcher is a snapshot: take a new one only when a writer has committed since
        if not self.searcher.up_to_date():
            self.searcher = self.searcher.refresh()
            self.row_of = self._rows()

    def close(self) -> None:
        self.searcher.close()


def compile_query(node: Node) -> q.Query:
    if isinstance(node, Word | Phrase):
        return text_query(leaf_terms(node.text))
    if isinstance(node, Field):
        return q.Term(node.name, keyword(node.value))
    if isinstance(node, Not):
        return q.Not(compile_query(node.node))
    parts = [compile_query(n) for n in node.nodes]
    if isinstance(node, Any):
        return q.Or(parts)
    positive = [p for p in parts if not isinstance(p, q.Not)]
    negative = [p.query for p in parts if isinstance(p, q.Not)]
    wanted = q.And(positive) if positive else q.Every()
    return q.AndNot(wanted, q.Or(negative)) if negative else wanted


def text_query(words: list[str]) -> q.Query:
    if not words:
        return q.Every()
    if len(words) == 1:
        return q.Or([q.Term(f, words[0], boost=b) for f, b in TEXT_FIELDS.items()])
    return q.Or([q.And([q.Term(f, pair, boost=TEXT_FIELDS[of]) for pair in pairs(words)])
                 for f, of in PAIRS.items()])
