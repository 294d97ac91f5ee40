"""The Whoosh engine (the default): pure Python, fine up to tens of thousands of records."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import KEYWORD, NUMERIC, TEXT, Schema

from search.engine import KEYWORDS, TEXT_FIELDS, indexed, keyword, leaf_terms
from search.querylang import Any, Field, Node, Not, Phrase, Word


def schema() -> Schema:
    fields = {name: TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True) for name in TEXT_FIELDS}
    fields |= {name: KEYWORD(commas=True, scorable=False) for name in KEYWORDS}
    return Schema(row=NUMERIC(sortable=True), **fields)


def write(path: Path, rows: Iterable[tuple[int, dict]]) -> None:
    index = whoosh_index.create_in(str(path), schema())
    writer = index.writer(limitmb=256)
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
        self.rows = self.searcher.reader().column_reader("row")

    def match(self, node: Node | None) -> tuple[np.ndarray, np.ndarray]:
        self._refresh()
        wanted = compile_query(node) if node is not None else q.Every()
        items = list(self.searcher.search(wanted, limit=None).items())
        rows = np.fromiter((self.rows[docnum] for docnum, _ in items), np.int64, len(items))
        return rows, np.fromiter((score or 0.0 for _, score in items), float, len(items))

    def doc_freq(self, term: str) -> int:
        return self.searcher.doc_frequency("text", term)

    def _refresh(self) -> None:
        # a searcher is a snapshot: take a new one only when a writer has committed since
        if not self.searcher.up_to_date():
            self.searcher = self.searcher.refresh()
            self.rows = self.searcher.reader().column_reader("row")

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
    return q.Or([q.Phrase(f, words, boost=b) for f, b in TEXT_FIELDS.items()])
