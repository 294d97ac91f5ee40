"""PDF files read into blocks with their pages, using pdfminer.six's layout analysis.

What a printed report adds around its text is taken away: running headers and footers (lines that
recur at the top or bottom of many pages), bare page numbers, a contents page, and the reference
list. Words broken across lines are joined, two-column pages are read column by column (pdfminer
orders its text boxes that way), and headings are recognised by their size, weight and numbering.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import CorpusError
from corpus.models import Block

EDGE = 0.09  # share of the page height, at the top and the bottom, where running heads and feet live
RECURS = 0.4  # a line at the edge on this share of pages (at least 3) is a running head or foot
HEADING_SIZE = 1.15  # a box whose text is this much larger than the body text is a heading
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
BULLET = re.compile(r"^\s*[•▪◦‣●\-–]\s+")
LEADER = re.compile(r"(\.{3,}|\s{2,}|…)\s*\d{1,4}$|\s\d{1,4}$")
PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,4}(\s+of\s+\d{1,4})?$", re.IGNORECASE)
CONTENTS = re.compile(r"^(table of )?contents$", re.IGNORECASE)
REFERENCES = re.compile(r"^(\d+(\.\d+)*\.?\s+)?(references|bibliography|endnotes|sources)$", re.IGNORECASE)


@dataclass(frozen=True)
class Box:
    """One text box of one page, as pdfminer laid it out."""
    page: int
    lines: tuple[str, ...]
    size: float  # mean character height
    bold: bool
    top: float  # 0 at the top of the page, 1 at the bottom
    bottom: float


def load_pdf(path: Path) -> list[Block]:
    """The text of a PDF as headings, paragraphs and bullets, each with its page.

    :raises CorpusError: naming the file for an encrypted, damaged, empty or scanned (image-only) PDF.
    """
    boxes = [b for b in read_boxes(path) if not PAGE_NUMBER.match(" ".join(b.lines).strip())]
    if not boxes:
        raise CorpusError(f"{path}: no text layer found (a scanned PDF? run it through OCR first)")
    body = body_size(boxes)
    boxes = drop_running_lines(boxes, body)
    boxes = drop_contents_pages(boxes)
    blocks = drop_references([block for box in boxes for block in to_blocks(box, body)])
    if not any(b.kind in ("paragraph", "bullet") for b in blocks):
        raise CorpusError(f"{path}: no paragraphs found in the PDF's text")
    return blocks


def read_boxes(path: Path) -> list[Box]:
    from corpus.loaders import read_bytes

    read_bytes(path)  # the same checks as every file: readable, not empty, not too big
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine

        boxes = []
        for number, page in enumerate(extract_pages(str(path), laparams=LAParams(boxes_flow=0.5)), start=1):
            height = max(page.height, 1.0)
            for element in page:
                if isinstance(element, LTTextBox):
                    box = _box(element, number, height, LTChar, LTTextLine)
                    if box:
                        boxes.append(box)
        return boxes
    except CorpusError:
        raise
    except Exception as exc:  # pdfminer raises many kinds; each means the file cannot be read as a PDF
        raise CorpusError(f"{path}: cannot read the PDF ({_reason(exc)})") from exc


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name:
        return "it is encrypted; save an unprotected copy"
    return f"{name}: {exc}" if str(exc) else f"{name}: damaged or truncated"


def _box(element, page: int, height: float, char_type, line_type) -> Box | None:
    lines = tuple(line.get_text().rstrip("\n") for line in element if isinstance(line, line_type))
    lines = tuple(line for line in lines if line.strip())
    chars = [c for line in element if isinstance(line, line_type) for c in line if isinstance(c, char_type)]
    if not lines or not chars:
        return None
    size = statistics.mean(c.size for c in chars)
    bold = sum("bold" in c.fontname.lower() for c in chars) > len(chars) / 2
    return Box(page, lines, round(size, 1), bold, 1 - element.y1 / height, 1 - element.y0 / height)


def body_size(boxes: list[Box]) -> float:
    """The size of the running text: the median size of the boxes long enough to be paragraphs."""
    long = [b.size for b in boxes if len(" ".join(b.lines)) > 80]
    return statistics.median(long or [b.size for b in boxes])


def drop_running_lines(boxes: list[Box], body: float) -> list[Box]:
    """Remove small boxes at the top or bottom edge whose text (numbers aside) recurs on many pages.

    Only text no larger than the body counts, so numbered headings that open pages stay.
    """
    pages = len({b.page for b in boxes})
    at_edge = {b for b in boxes if (b.top < EDGE or b.bottom > 1 - EDGE) and b.size <= body * 1.05}
    recurring = Counter(shape for _, shape in {(b.page, _shape(b)) for b in at_edge})
    running = {shape for shape, n in recurring.items() if n >= max(3, RECURS * pages)}
    return [b for b in boxes if not (b in at_edge and _shape(b) in running)]


def _shape(box: Box) -> str:
    return re.sub(r"\d+", "#", " ".join(" ".join(box.lines).lower().split()))


def drop_contents_pages(boxes: list[Box]) -> list[Box]:
    """A page titled Contents, or most of whose lines end in a page number, lists sections: drop it."""
    dropped = set()
    for page in {b.page for b in boxes}:
        lines = [line.strip() for b in boxes if b.page == page for line in b.lines]
        titled = any(CONTENTS.match(line) for line in lines[:3])
        leaders = sum(bool(LEADER.search(line)) for line in lines)
        if lines and (titled or (len(lines) >= 5 and leaders >= 0.6 * len(lines))):
            dropped.add(page)
    return [b for b in boxes if b.page not in dropped]


def to_blocks(box: Box, body: float) -> list[Block]:
    text = join_lines(box.lines)
    if is_heading(box, text, body):
        number = NUMBERED.match(text)
        level = number.group(1).count(".") + 1 if number else (1 if box.size > body * 1.4 else 2)
        return [Block("heading", text, box.page, level)]
    if all(BULLET.match(line) for line in box.lines[:1]) and BULLET.match(text):
        items = re.split(r"\s*(?:^|(?<=\s))[•▪◦‣●]\s+", text)
        return [Block("bullet", item.strip(), box.page) for item in items if item.strip()]
    return [Block("paragraph", text, box.page)]


def is_heading(box: Box, text: str, body: float) -> bool:
    short = len(box.lines) <= 3 and len(text) < 160 and not text.endswith((".", ";", ":", ","))
    return short and (box.size >= body * HEADING_SIZE or (box.bold and bool(NUMBERED.match(text))))


def join_lines(lines: tuple[str, ...]) -> str:
    """One paragraph from its lines: a word broken with a hyphen at a line's end is joined again."""
    text = ""
    for line in (line.strip() for line in lines):
        if text.endswith("-") and line[:1].islower() and len(text) > 1 and text[-2].isalpha():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return " ".join(text.split())


def drop_references(blocks: list[Block]) -> list[Block]:
    """From a References heading to the next heading at its level or above, nothing is mined."""
    kept, skipping = [], None
    for block in blocks:
        if block.kind == "heading":
            if skipping is not None and block.level <= skipping:
                skipping = None
            if REFERENCES.match(block.text):
                skipping = block.level
                continue
        if skipping is None:
            kept.append(block)
    return kept


def pdf_metadata(path: Path) -> dict:
    """Title, author (as publisher) and creation date from the PDF's information dictionary."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfparser import PDFParser

        with open(path, "rb") as handle:
            info = (PDFDocument(PDFParser(handle)).info or [{}])[0]
    except Exception:  # the loader reports what is wrong with the file; metadata is a bonus
        return {}
    found = {"title": _text(info.get("Title")), "publishers": [_text(info.get("Author"))],
             "issued": _pdf_date(_text(info.get("CreationDate")))}
    return {k: v for k, v in found.items() if v and v != [""]}


def _text(value) -> str:
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", "replace").strip()
        return value.decode("latin-1").strip()
    return str(value or "").strip()


def _pdf_date(value: str) -> str:
    match = re.match(r"D?:?(\d{4})(\d{2})?(\d{2})?", value)
    return "-".join(p for p in match.groups() if p) if match else ""
