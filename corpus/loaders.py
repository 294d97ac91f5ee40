"""Read a document file into blocks (headings, paragraphs, bullets) with their pages.

Handles the digest Markdown of the bundled corpus and plain text here, and web pages, PDF and Word
documents through corpus/html.py, corpus/pdf.py and corpus/docx.py, all behind `load_blocks`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from corpus.errors import CorpusError
from corpus.models import Block

MAX_FILE_MB = 200  # the default limit on an input file; POLICYGRAPH_MAX_FILE_MB sets another
PAGE_MARK = re.compile(r"^<!--\s*page\s+(\d+)\s*-->$", re.IGNORECASE)
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+(.*)$")
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
HTML_SUFFIXES = {".html", ".htm"}


def max_bytes() -> int:
    """The largest input file accepted, read when asked so a setting changed at run time applies."""
    raw = os.environ.get("POLICYGRAPH_MAX_FILE_MB", "")
    try:
        return int(float(raw) * 2**20) if raw else MAX_FILE_MB * 2**20
    except ValueError as exc:
        raise CorpusError(f"POLICYGRAPH_MAX_FILE_MB={raw!r} is not a number of megabytes") from exc


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what cannot be read, is empty or is over the size limit.

    :raises CorpusError: naming the file and the reason.
    """
    limit = max_bytes()
    try:
        if path.stat().st_size > limit:  # checked before reading, so a huge file is never loaded
            raise CorpusError(f"{path}: the file is larger than {limit / 2**20:g} MB "
                              "(POLICYGRAPH_MAX_FILE_MB sets the limit)")
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise CorpusError(f"{path}: the file is empty")
    return raw


def read_text(path: Path) -> str:
    """Return the file's text, refusing what is not readable UTF-8 text.

    :raises CorpusError: naming the file and the reason.
    """
    raw = read_bytes(path)
    if b"\x00" in raw[:4096]:
        raise CorpusError(f"{path}: this looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded)") from exc


def load_blocks(path: Path) -> list[Block]:
    """Read a text, Markdown or HTML file into blocks.

    :raises CorpusError: for an unsupported, unreadable or empty file.
    """
    if path.suffix.lower() in HTML_SUFFIXES:
        from corpus.html import load_html

        return load_html(path)
    if path.suffix.lower() == ".pdf":
        from corpus.pdf import load_pdf

        return load_pdf(path)
    if path.suffix.lower() == ".docx":
        from corpus.docx import load_docx

        return load_docx(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise CorpusError(f"{path}: unsupported file type {path.suffix!r} (use text, Markdown, HTML, PDF or .docx)")
    text = read_text(path)
    blocks = parse_markdown(text) if is_markdown(path, text) else parse_plain_text(text)
    if not any(b.kind in ("paragraph", "bullet") for b in blocks):
        raise CorpusError(f"{path}: no paragraphs found")
    return blocks


def is_markdown(path: Path, text: str) -> bool:
    if path.suffix.lower() in {".md", ".markdown"}:
        return True
    return any(MD_HEADING.match(line) or PAGE_MARK.match(line.strip()) for line in text.splitlines())


def parse_markdown(text: str) -> list[Block]:
    """Parse the digest Markdown subset described in corpus/data/README.md."""
    blocks: list[Block] = []
    page: int | None = None
    buffer: list[str] = []
    buffer_kind = "paragraph"

    def flush() -> None:
        nonlocal buffer
        if buffer:
            blocks.append(Block(buffer_kind, " ".join(buffer), page))
            buffer = []

    for raw in text.splitlines():
        line = raw.strip()
        if mark := PAGE_MARK.match(line):
            flush()
            page = int(mark.group(1))
        elif not line:
            flush()
        elif heading := MD_HEADING.match(line):
            flush()
            level = len(heading.group(1))
            blocks.append(Block("title" if level == 1 else "heading", heading.group(2), page, level - 1))
        elif bullet := BULLET.match(raw):
            flush()
            buffer_kind, buffer = "bullet", [bullet.group(1).strip()]
        else:
            if not buffer:
                buffer_kind = "paragraph"
            buffer.append(line)
    flush()
    return blocks


def parse_plain_text(text: str) -> list[Block]:
    """Plain text: blank-line paragraphs; a short line with no closing punctuation is a heading."""
    blocks: list[Block] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in para.strip().splitlines() if line.strip()]
        if not lines:
            continue
        joined = " ".join(lines)
        if len(lines) == 1 and looks_like_heading(joined):
            kind = "title" if not blocks else "heading"
            blocks.append(Block(kind, joined, None, 0 if kind == "title" else 1))
        elif all(BULLET.match(line) for line in lines):
            blocks.extend(Block("bullet", BULLET.match(line).group(1), None) for line in lines)
        else:
            blocks.append(Block("paragraph", joined, None))
    return blocks


def looks_like_heading(line: str) -> bool:
    return len(line) <= 90 and not re.search(r"[.;,:?!]$", line) and not BULLET.match(line)
