"""Documents in, extractions out: read each file, find its commitments and references."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import CorpusError
from corpus.extract import extract_commitments
from corpus.manifest import load_manifest
from corpus.models import DocumentMeta, Extraction
from corpus.references import AliasTable, extract_references
from corpus.restatements import restatements
from corpus.sections import load_document

Progress = Callable[[Iterable, str, int], Iterable]


def no_progress(items: Iterable, _label: str, _total: int) -> Iterable:
    return items


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    meta: DocumentMeta


@dataclass(frozen=True, slots=True)
class CorpusRun:
    catalogue: tuple[DocumentMeta, ...]  # every document we know by name, read or not
    extractions: tuple[Extraction, ...]
    errors: tuple[str, ...]  # one line per file that could not be used


def corpus_sources(corpus_dir: Path) -> tuple[list[DocumentMeta], list[Source]]:
    """The manifest of a corpus folder and the file of each document."""
    metas = load_manifest(corpus_dir / "manifest.toml")
    return metas, [Source(corpus_dir / (m.file or f"texts/{m.id}.md"), m) for m in metas]


def extract_document(source: Source, known: AliasTable) -> Extraction:
    """Read one file and extract its commitments and references.

    :raises CorpusError: naming the file when it cannot be read.
    """
    document = load_document(source.path, source.meta)
    commitments = extract_commitments(document)
    references = extract_references(document, known, commitments)
    restates = tuple(sorted(restatements(commitments).items()))
    return Extraction(document, tuple(commitments), tuple(references), restates=restates)


def run_corpus(sources: list[Source], catalogue: Iterable[DocumentMeta] = (),
               progress: Progress = no_progress, workers: int | None = None) -> CorpusRun:
    """Extract every source; a file that fails is reported and the others go on.

    With many files, each core extracts its share (`workers` processes, by default one a core); a few
    files are done here, as starting a process and its language pipeline costs a second or two.
    """
    metas = {m.id: m for m in catalogue}
    metas.update({s.meta.id: s.meta for s in sources})
    known = AliasTable(metas.values())
    workers = workers or (min(os.cpu_count() or 1, 8) if len(sources) >= PARALLEL_FROM else 1)
    extractions, errors = [], []
    for outcome in progress(extract_all(sources, known, workers), "extract", len(sources)):
        (extractions if isinstance(outcome, Extraction) else errors).append(outcome)
    return CorpusRun(tuple(metas.values()), tuple(extractions), tuple(errors))


PARALLEL_FROM = 20  # files: below this, one process is quicker


def extract_all(sources: list[Source], known: AliasTable, workers: int) -> Iterator[Extraction | str]:
    """Each source's extraction, or the error that names it, in the sources' order."""
    if workers <= 1:
        yield from (_extract_or_error(source, known) for source in sources)
        return
    # spawn, not fork: the caller may have threads (a progress bar's monitor), and a forked child
    # can inherit a lock one of them held
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_extract_or_error, sources, [known] * len(sources), chunksize=4)


def _extract_or_error(source: Source, known: AliasTable) -> Extraction | str:
    try:
        return extract_document(source, known)
    except CorpusError as exc:
        return str(exc)
