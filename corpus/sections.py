"""Structure: turn a file's blocks into a Document with sections and sentences."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from corpus.loaders import load_blocks
from corpus.models import Block, Document, DocumentMeta, Section, Sentence

NUMBERED = re.compile(r"^(?P<num>\d+(?:\.\d+)*|[A-Z](?:\.\d+)+|[A-Z](?=[.:]\s))[.:]?\s+(?P<rest>\S.*)$")
PRIORITY = re.compile(r"^(?:priority|ambition)\s+(\d+)\b", re.IGNORECASE)
LEVEL_NAMES = ("sec", "subsec", "para", "subpara")


@lru_cache(maxsize=1)
def sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    return nlp


def load_document(path: Path, meta: DocumentMeta) -> Document:
    """Read a file and split it into sections and sentences.

    :raises CorpusError: when the file cannot be read or holds no text.
    """
    return structure(load_blocks(path), meta, str(path))


def priority_number(heading: str) -> int | None:
    match = PRIORITY.match(heading)
    return int(match.group(1)) if match else None


def split_heading(text: str) -> tuple[str, str]:
    """Split "3.2 Urgent care" into ("3.2", "Urgent care")."""
    match = NUMBERED.match(text)
    if match:
        return match.group("num"), match.group("rest").strip()
    return "", text.strip()


def section_eid(number: str, heading: str, level: int, taken: set[str]) -> str:
    if number:
        parts = number.split(".")
        eid = "__".join(f"{LEVEL_NAMES[min(i, 3)]}_{p.lower()}" for i, p in enumerate(parts))
    elif (n := priority_number(heading)) is not None:
        eid = f"{heading.split()[0].lower()}_{n}"
    else:
        slug = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")[:48].strip("-")
        eid = f"{LEVEL_NAMES[min(level - 1, 3)]}_{slug or 'untitled'}"
    base, n = eid, 2
    while eid in taken:
        eid, n = f"{base}-{n}", n + 1
    taken.add(eid)
    return eid


def structure(blocks: list[Block], meta: DocumentMeta, source: str) -> Document:
    """Assign every block to a section, split prose into sentences, and record offsets."""
    builder = _Builder()
    for block in blocks:
        builder.add(block)
    return Document(meta, builder.text(), tuple(builder.finished_sections()), tuple(builder.sentences), source)


class _Builder:
    """Accumulates text, sections and sentences as blocks arrive in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.sections: list[dict] = []
        self.sentences: list[Sentence] = []
        self.stack: list[dict] = []  # open sections, outermost first
        self.taken: set[str] = set()
        self.lead_in = ""
        self.last_page: int | None = None

    def text(self) -> str:
        return "".join(self.parts)

    def append(self, text: str) -> int:
        start = self.offset
        self.parts.append(text + "\n\n")
        self.offset += len(text) + 2
        return start

    @property
    def current(self) -> str:
        return self.stack[-1]["eid"] if self.stack else ""

    def add(self, block: Block) -> None:
        if block.kind == "heading":
            while self.stack and self.stack[-1]["level"] >= max(block.level, 1):
                self.stack.pop()  # close what this heading ends before its page counts
        if block.page is not None:
            self.last_page = block.page
            for open_section in self.stack:
                open_section["page_end"] = block.page
        start = self.append(block.text)
        if block.kind == "title":
            return
        if block.kind == "heading":
            self.open_section(block, start)
        elif block.kind == "bullet":
            self.sentences.append(
                Sentence(block.text, self.current, block.page, start, start + len(block.text), self.lead_in)
            )
        else:
            self.add_paragraph(block, start)

    def open_section(self, block: Block, start: int) -> None:
        level = max(block.level, 1)
        while self.stack and self.stack[-1]["level"] >= level:
            self.stack.pop()
        number, heading = split_heading(block.text)
        section = {
            "eid": section_eid(number, heading, level, self.taken),
            "number": number,
            "heading": heading,
            "level": level,
            "parent": self.current or None,
            "page_start": block.page,
            "page_end": block.page,
            "position": len(self.sections) + 1,
        }
        self.sections.append(section)
        self.stack.append(section)
        self.lead_in = ""
        self.sentences.append(
            Sentence(block.text, section["eid"], block.page, start, start + len(block.text), is_heading=True)
        )

    def add_paragraph(self, block: Block, start: int) -> None:
        last = ""
        for sent in sentencizer()(block.text).sents:
            text = sent.text.strip()
            if not text:
                continue
            begin = start + sent.start_char
            self.sentences.append(Sentence(text, self.current, block.page, begin, begin + len(sent.text.rstrip())))
            last = text
        self.lead_in = last if last.endswith(":") else ""

    def finished_sections(self) -> list[Section]:
        return [Section(**s) for s in self.sections]
