"""The tantivy engine, for large corpora: a Rust index, embedded, chosen with POLICYGRAPH_SEARCH_BACKEND=tantivy."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import tantivy
from tantivy import Occur, Query

from search.engine import KEYWORDS, PAIRS, TEXT_FIELDS, Matches, indexed, keyword, leaf_terms, pairs
from search.querylang import Any, Field, Node, Not, Phrase, Word

HEAP = 256 * 1024 * 1024
BEST_OF = 5_000


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("row", stored=False, indexed=False, fast=True)
    for name in [*TEXT_FIELDS, *PAIRS]:
        # the text arrives analysed by search.analysis, so splitting on spaces is all that is left to do
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="freq")
    for name in KEYWORDS:
        builder.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    return builder.build()


def write(path: Path, rows: Iterable[tuple[int, dict]], count: int) -> None:
    writer = tantivy.Index(schema(), path=str(path)).writer(heap_size=HEAP, num_threads=2)
    _add(writer, rows)
    writer.commit()
    writer.wait_merging_threads()


def update(path: Path, documents: set[str], rows: list[tuple[int, dict]]) -> None:
    writer = tantivy.Index.open(str(path)).writer(heap_size=HEAP, num_threads=2)
    for document in documents:
        writer.delete_documents_by_term("document", keyword(document))
    _add(writer, rows)
    writer.commit()
    writer.wait_merging_threads()


def _add(writer, rows: Iterable[tuple[int, dict]]) -> None:
    for row, record in rows:
        document = tantivy.Document()
        document.add_unsigned("row", row)
        for name, value in indexed(record).items():
            for one in value if isinstance(value, list) else [value]:
                document.add_text(name, one)
        writer.add_document(document)


class TantivyEngine:
    def __init__(self, path: Path):
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema

    def match(self, node: Node | None, top: int | None = None) -> Matches:
        """Every match scored, up to BEST_OF: past that, only the best BEST_OF come back, with the count of all.

        Bringing each hit into Python costs about half a microsecond, so a word found in 300,000 records
        would take 150 ms to list; the best 5,000 take a few and hold every page anyone will read. At 600,000
        records this took the p95 of the mixed benchmark queries from 161 ms (every hit) to 15 ms.
        """
        self.index.reload()  # cheap when nothing changed; picks up a writer's commits when something did
        searcher = self.index.searcher()
        wanted = self.compile(node) if node is not None else Query.all_query()
        # one pass both counts every match and keeps the best: a second would read the postings again
        result = searcher.search(wanted, limit=BEST_OF if top is not None else searcher.num_docs or 1, count=True)
        total, hits = result.count, result.hits
        if top is not None and top > len(hits) < total:
            hits = searcher.search(wanted, limit=min(top, total), count=False).hits
        limit = len(hits)
        rows = np.array(searcher.fast_field_values("row", [address for _, address in hits]), dtype=np.int64)
        scores = np.fromiter((score for score, _ in hits), float, len(hits))
        return Matches(rows, rows, scores, found=total if limit < total else -1)

    def doc_freq(self, term: str) -> int:
        return self.index.searcher().doc_freq("text", term)

    def close(self) -> None:
        pass

    def compile(self, node: Node) -> Query:
        if isinstance(node, Word | Phrase):
            return self.text_query(leaf_terms(node.text))
        if isinstance(node, Field):
            return Query.term_query(self.schema, node.name, keyword(node.value))
        if isinstance(node, Not):
            return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, self.compile(node.node))])
        if isinstance(node, Any):
            return Query.boolean_query([(Occur.Should, self.compile(n)) for n in node.nodes])
        # "care NOT community": excluded beside what is wanted, not as a second clause of everything minus it,
        # which had tantivy walk all records (at L, 15 ms instead of 24); the ranking is the same
        wanted = [(Occur.Must, self.compile(n)) for n in node.nodes if not isinstance(n, Not)]
        unwanted = [(Occur.MustNot, self.compile(n.node)) for n in node.nodes if isinstance(n, Not)]
        return Query.boolean_query(wanted + unwanted if wanted else [(Occur.Must, Query.all_query()), *unwanted])

    def text_query(self, words: list[str]) -> Query:
        if not words:
            return Query.empty_query()
        if len(words) == 1:
            each = [(Query.term_query(self.schema, f, words[0]), boost) for f, boost in TEXT_FIELDS.items()]
        else:
            each = [(Query.boolean_query([(Occur.Must, Query.term_query(self.schema, f, pair))
                                          for pair in pairs(words)]), TEXT_FIELDS[of]) for f, of in PAIRS.items()]
        return Query.boolean_query([(Occur.Should, Query.boost_query(one, boost)) for one, boost in each])
