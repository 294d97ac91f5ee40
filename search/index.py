"""Build a search index (records in SQLite, terms in Whoosh or tantivy) and open it for reading."""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from corpus.errors import BadInput, DataDirError
from search.analysis import ANALYSIS
from search.cache import ResultCache
from search.docstore import DocStore, all_texts, keep_table, replace_records, write_records
from search.engine import Engine

BACKENDS = ("whoosh", "tantivy")
WORD = re.compile(r"(?<![\w&'’])[^\W\d_]{3,}(?![\w&'’])")  # plain words of three letters or more
META = "search.json"
VOCABULARY = "vocabulary.json"


def build_index(records: Iterable[dict], path: Path, backend: str = "whoosh",
                progress: Callable[[Iterable, str, int], Iterable] | None = None) -> int:
    """Write a new index of `records` (see search.records) at `path`, an empty or new folder.

    Returns how many records it holds.
    :raises BadInput: for an unknown backend.
    """
    engine = _engine_module(backend)
    path.mkdir(parents=True, exist_ok=True)
    rows = list(enumerate(records))
    write_records(rows, path)
    engine.write(path, progress(rows, "index", len(rows)) if progress else rows, len(rows))
    (path / VOCABULARY).write_text(json.dumps(vocabulary(r for _, r in rows)))
    keep_table(path)
    (path / META).write_text(json.dumps({"backend": backend, "records": len(rows), "format": 1,
                                         "analysis": ANALYSIS}))
    return len(rows)


def analysed_before(path: Path) -> bool:
    """Whether the index at `path` was made by an older analysis than this version's (search.analysis)."""
    try:
        return json.loads((path / META).read_text()).get("analysis", 1) < ANALYSIS
    except (OSError, ValueError):
        return False


def update_index(path: Path, documents: set[str], records: Iterable[dict]) -> int:
    """Replace every record of `documents` in the index at `path` with `records` (which may add new documents).

    Call it on a copy of the index that no reader has open (the data directory's ingest does), since a
    half-applied update is not something readers should see. Returns how many records were added.
    """
    backend = json.loads((path / META).read_text())["backend"]
    rows = replace_records(path, documents, records)
    _engine_module(backend).update(path, documents, rows)
    (path / VOCABULARY).write_text(json.dumps(vocabulary(all_texts(path))))
    keep_table(path)
    return len(rows)


def vocabulary(records: Iterable[dict]) -> dict[str, int]:
    """Each word as written (lower-cased) with how often it occurs: the candidates for "did you mean"."""
    counts: Counter[str] = Counter()
    for record in records:
        counts.update(WORD.findall(record["text"].lower()))
    return dict(counts)


def _engine_module(backend: str):
    if backend == "whoosh":
        from search import whoosh_engine
        return whoosh_engine
    if backend == "tantivy":
        from search import tantivy_engine
        return tantivy_engine
    raise BadInput(f"unknown search backend {backend!r} (use {' or '.join(BACKENDS)})")


class SearchIndex:
    """An open index: the engine ranks, the store tells, the vocabulary suggests."""

    def __init__(self, path: Path, backend: str, engine: Engine, store: DocStore, words: dict[str, int],
                 cache_size: int = 0):
        self.path, self.backend, self.engine, self.store, self.words = path, backend, engine, store, words
        self.buckets: dict[str, list[str]] | None = None  # the words by first letter, for suggestions
        self.sorted_words: list[str] | None = None  # the words in order, for truncated words (`vaccin*`)
        self.cache = ResultCache(cache_size)

    def words_starting(self, prefix: str) -> list[str]:
        """The vocabulary's words that start with `prefix` (lower case), in alphabetical order."""
        if self.sorted_words is None:
            self.sorted_words = sorted(self.words)
        start = bisect.bisect_left(self.sorted_words, prefix)
        end = bisect.bisect_left(self.sorted_words, prefix + "\U0010ffff", start)
        return self.sorted_words[start:end]

    def refresh(self) -> None:
        """Catch up with an update written by another process since this index was opened."""
        if self.store.refresh():
            self.words = json.loads((self.path / VOCABULARY).read_text())
            self.buckets = self.sorted_words = None
            self.cache.clear()

    def close(self) -> None:
        self.engine.close()
        self.store.close()


def open_index(path: Path, cache_size: int = 0, best_of: int | None = None) -> SearchIndex:
    """Open the index at `path` for reading, whichever engine wrote it, keeping up to `cache_size` recent answers.

    `best_of` is how many of a search's best matches tantivy brings in (search.tantivy_engine; None: its
    default). Whoosh, which scores every match cheaply at the sizes it serves, brings them all in.

    :raises DataDirError: when there is no readable index at `path`.
    """
    try:
        meta = json.loads((path / META).read_text())
        words = json.loads((path / VOCABULARY).read_text())
    except (OSError, ValueError) as exc:
        raise DataDirError(f"{path}: no search index here ({exc}); run `policygraph build`") from exc
    backend = meta.get("backend", "whoosh")
    module = _engine_module(backend)
    if backend == "whoosh":
        engine = module.WhooshEngine(path)
    else:
        engine = module.TantivyEngine(path, module.BEST_OF if best_of is None else best_of)
    return SearchIndex(path, backend, engine, DocStore(path), words, cache_size)
