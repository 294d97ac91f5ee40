"""Word documents (.docx) read into blocks with python-docx: headings by style, list items as bullets.

A Word file has no fixed pages (they depend on the printer), so blocks carry no page number.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from corpus.errors import CorpusError
from corpus.models import Block

HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)$", re.IGNORECASE)
TITLE_STYLES = {"title"}
LIST_STYLE = re.compile(r"list|bullet|number", re.IGNORECASE)


def open_docx(path: Path):
    """The python-docx Document of `path`.

    :raises CorpusError: naming the file when it is not a readable Word document.
    """
    from docx import Document

    from corpus.loaders import read_bytes

    read_bytes(path)
    try:
        return Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CorpusError(f"{path}: not a readable Word (.docx) document ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # python-docx and lxml raise their own kinds for damaged parts
        raise CorpusError(f"{path}: the Word document is damaged ({type(exc).__name__})") from exc


def load_docx(path: Path) -> list[Block]:
    """The paragraphs of a Word document as headings, paragraphs and bullets.

    :raises CorpusError: when the file is not a Word document or holds no paragraphs.
    """
    blocks = [b for b in (to_block(p) for p in open_docx(path).paragraphs) if b]
    if not any(b.kind in ("paragraph", "bullet") for b in blocks):
        raise CorpusError(f"{path}: no paragraphs found in the Word document")
    return blocks


def to_block(paragraph) -> Block | None:
    text = " ".join(paragraph.text.split())
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = HEADING_STYLE.match(style)
    if heading or style.lower() in TITLE_STYLES:
        return Block("heading", text, None, int(heading.group(1)) if heading else 1)
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if numbered or LIST_STYLE.search(style):
        return Block("bullet", text, None)
    return Block("paragraph", text, None)


def docx_metadata(path: Path) -> dict:
    """Title, author (as publisher) and creation date from the document's core properties."""
    try:
        properties = open_docx(path).core_properties
    except CorpusError:
        return {}
    found = {"title": (properties.title or "").strip(), "publishers": [(properties.author or "").strip()],
             "issued": properties.created.date().isoformat() if properties.created else ""}
    return {k: v for k, v in found.items() if v and v != [""]}
