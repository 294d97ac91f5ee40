"""The tantivy engine, for large corpora: a Rust index, embedded, chosen with POLICYGRAPH_SEARCH_BACKEND=tantivy."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import tantivy
from tantivy import Occur, Query

from search.engine import KEYWORDS, PAIRS, TEXT_FIELDS, Matches, indexed, keyword, leaf_terms, pairs
from search.querylang import Any, Field, Node, Not, Phrase, Word

HEAP = 256 * 1024 * 1024  # for an update's few documents
# A new index's parts are each written by one thread with memory enough to hold the whole part, so each is
# one segment: at L, a half in two segments kept two lists of best hits and merged them, and searched in
# 3.72 ms where one segment took 3.34, with the same scores. Indexing a record took about 4 KB there.
BYTES_A_RECORD = 6_000
MOST_HEAP = 3 * 1024**3  # tantivy refuses 4 GB or more for one thread
BEST_OF = 5_000  # the default of POLICYGRAPH_SEARCH_BEST_OF (settings.py); 0 brings every match in
# Past this many records the index is split in two, by row, and the halves are searched at once on two
# threads (tantivy lets go of the GIL while it searches): at L (672,000 records) one search of a broad
# `a OR b` spends 16 ms in tantivy. Below it one index keeps BM25's statistics whole, which on a small
# corpus decide more of the order (halves of a few dozen records differ; of 672,000, by 0.05%).
SHARD_PAST = 200_000
SHARDS = 2


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("row", stored=False, indexed=False, fast=True)
    for name in [*TEXT_FIELDS, *PAIRS]:
        # the text arrives analysed by search.analysis, so splitting on spaces is all that is left to do
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="freq")
    for name in KEYWORDS:
        builder.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    return builder.build()


def shard_paths(path: Path) -> list[Path]:
    """Where each part of the index is: the first in the index's folder (as before splitting), the rest below."""
    return [path, *sorted(path.glob("shard-*"))]


def write(path: Path, rows: Iterable[tuple[int, dict]], count: int) -> None:
    parts = [path] + [path / f"shard-{n}" for n in range(1, SHARDS if count > SHARD_PAST else 1)]
    for part in parts[1:]:
        part.mkdir()
    heap = heap_for(count // len(parts), len(parts))
    writers = [tantivy.Index(schema(), path=str(p)).writer(heap_size=heap, num_threads=1) for p in parts]
    _add(writers, rows)
    _commit(writers)


def heap_for(records: int, parts: int) -> int:
    """Indexing memory for one of `parts` parts of `records` each: enough for one segment, as far as a quarter
    of the machine's memory for all the parts together allows (past that, a part is written in several).
    tantivy takes it as it needs it, so a small corpus takes little."""
    machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(HEAP // 2, min(records * BYTES_A_RECORD, MOST_HEAP, machine // (4 * parts)))


def update(path: Path, documents: set[str], rows: list[tuple[int, dict]]) -> None:
    parts = shard_paths(path)
    writers = [tantivy.Index.open(str(p)).writer(heap_size=HEAP // len(parts), num_threads=2 // len(parts) or 1)
               for p in parts]
    for writer in writers:
        for document in documents:
            writer.delete_documents_by_term("document", keyword(document))
    _add(writers, rows)
    _commit(writers)


def _add(writers: list, rows: Iterable[tuple[int, dict]]) -> None:
    for row, record in rows:
        document = tantivy.Document()
        document.add_unsigned("row", row)
        for name, value in indexed(record).items():
            for one in value if isinstance(value, list) else [value]:
                document.add_text(name, one)
        writers[row % len(writers)].add_document(document)


def _commit(writers: list) -> None:
    for writer in writers:
        writer.commit()
        writer.wait_merging_threads()


_POOL: tuple[int, ThreadPoolExecutor] | None = None


def _threads() -> ThreadPoolExecutor:
    """The threads that search the parts: made afresh in each process, as a fork keeps none of them."""
    global _POOL  # noqa: PLW0603 - one pool a process, made when first needed
    if _POOL is None or _POOL[0] != os.getpid():
        _POOL = (os.getpid(), ThreadPoolExecutor(SHARDS, thread_name_prefix="tantivy"))
    return _POOL[1]


class TantivyEngine:
    def __init__(self, path: Path, best_of: int = BEST_OF):
        self.best_of = best_of
        self.paths = shard_paths(path)
        self.indexes = [tantivy.Index.open(str(p)) for p in self.paths]
        self.schema = self.indexes[0].schema
        self.seen = [_commit_mark(p) for p in self.paths]

    def catch_up(self) -> None:
        """Reload a part a writer has committed to since: each commit writes a new meta.json.

        A stat is microseconds; tantivy's own reload on every search took 0.1 ms alone, and 2-3 ms when the
        two halves' threads reloaded together.
        """
        for number, (path, index) in enumerate(zip(self.paths, self.indexes, strict=True)):
            mark = _commit_mark(path)
            if mark != self.seen[number]:
                index.reload()
                self.seen[number] = mark

    def match(self, node: Node | None, top: int | None = None) -> Matches:
        """Every match scored, up to `best_of`: past that, only the best `best_of` come back, with the count of all.

        Bringing each hit into Python costs about half a microsecond, so a word found in 300,000 records
        would take 150 ms to list; the best 5,000 take a few and hold every page anyone will read. At 600,000
        records this took the p95 of the mixed benchmark queries from 161 ms (every hit) to 15 ms.
        """
        self.catch_up()
        wanted = self.compile(node) if node is not None else Query.all_query()
        # each part keeps its own best share: together, the best of each half rather than of the whole,
        # which differ only below the pages anyone reads (a page past a share's end asks for `top` of each)
        share = max(1, self.best_of // len(self.indexes)) if self.best_of else None
        others = [_threads().submit(_best, index, wanted, top, share) for index in self.indexes[1:]]
        parts = [_best(self.indexes[0], wanted, top, share)] + [other.result() for other in others]
        total = sum(found for found, _, _ in parts)
        # the parts' hits are left unsorted: search.query orders only what can reach the page
        rows = np.concatenate([rows for _, rows, _ in parts])
        scores = np.concatenate([scores for _, _, scores in parts])
        return Matches(rows, rows, scores, found=total if len(rows) < total else -1)

    def doc_freq(self, term: str) -> int:
        return sum(index.searcher().doc_freq("text", term) for index in self.indexes)

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


def _best(index: tantivy.Index, wanted: Query, top: int | None,
          share: int | None) -> tuple[int, np.ndarray, np.ndarray]:
    """How many records of one part match, and the rows and scores of the best `share` of them (None: all)."""
    searcher = index.searcher()
    every = searcher.num_docs or 1
    # one pass both counts every match and keeps the best: a second would read the postings again
    result = searcher.search(wanted, limit=share if share and top is not None else every, count=True)
    total, hits = result.count, result.hits
    if top is not None and top > len(hits) < total:
        hits = searcher.search(wanted, limit=min(top, total), count=False).hits
    if not hits:
        return total, np.zeros(0, dtype=np.int64), np.zeros(0)
    # two list comprehensions take a third of what zip(*hits) takes over 2,500 pairs (0.12 ms against 0.39)
    scores, addresses = [hit[0] for hit in hits], [hit[1] for hit in hits]
    return total, np.array(searcher.fast_field_values("row", addresses), dtype=np.int64), np.array(scores)


def _commit_mark(path: Path) -> tuple[int, int, int]:
    """What changes when a writer commits to the index at `path` (tantivy replaces its meta.json)."""
    meta = (path / "meta.json").stat()
    return meta.st_ino, meta.st_mtime_ns, meta.st_size
