"""Documents in, extractions out: read each file, find its commitments and references."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
               progress: Progress = no_progress) -> CorpusRun:
    """Extract every source; a file that fails is reported and the others go on."""
    metas = {m.id: m for m in catalogue}
    metas.update({s.meta.id: s.meta for s in sources})
    known = AliasTable(metas.values())
    extractions, errors = [], []
    for source in progress(sources, "extract", len(sources)):
        try:
            extractions.append(extract_document(source, known))
        except CorpusError as exc:
            errors.append(str(exc))
    return CorpusRun(tuple(metas.values()), tuple(extractions), tuple(errors))
