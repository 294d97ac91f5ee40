"""Build the Whoosh index from extractions, and open it for reading."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index

from corpus.errors import DataDirError
from corpus.models import Extraction
from search.schema import make_schema


def build_index(extractions: Iterable[Extraction], path: Path) -> int:
    """Create a new index at `path` holding every commitment; return how many records it holds."""
    path.mkdir(parents=True, exist_ok=True)
    index = whoosh_index.create_in(str(path), make_schema())
    writer = index.writer()
    count = 0
    for extraction in extractions:
        for record in records(extraction):
            writer.add_document(**record)
            count += 1
    writer.commit()
    return count


def records(extraction: Extraction) -> Iterable[dict]:
    document = extraction.document
    meta = document.meta
    for c in extraction.commitments:
        section = document.section(c.section)
        yield {
            "id": c.id,
            "kind": c.kind,
            "text": c.text,
            "heading": section.label if section else "",
            "document": meta.id,
            "document_title": meta.title,
            "publisher": ",".join(meta.publishers),
            "year": str(meta.year),
            "actor": c.actor,
            "theme": ",".join(c.themes),
            "deadline": c.deadline,
            "deadline_by": c.deadline_by.isoformat() if c.deadline_by else "",
            "section": section.label if section else "",
            "page": c.page,
        }


def open_index(path: Path):
    """Open an index for reading.

    :raises DataDirError: when there is no readable index at `path`.
    """
    if not whoosh_index.exists_in(str(path)):
        raise DataDirError(f"{path}: no search index here; run `policygraph build`")
    return whoosh_index.open_dir(str(path), readonly=True)
