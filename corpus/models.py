"""Domain objects shared by every layer: documents, sections, commitments, references."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What the manifest (or the ingest options) say about a document."""

    id: str
    title: str
    publishers: tuple[str, ...]
    issued: str  # ISO date, or YYYY-MM / YYYY when the day is unknown
    url: str = ""
    kind: str = "report"
    short_names: tuple[str, ...] = ()
    note: str = ""
    unverified: tuple[str, ...] = ()
    relations: tuple[tuple[str, str], ...] = ()  # (relation, other document id)
    file: str = ""

    @property
    def year(self) -> int:
        return int(self.issued[:4])

    @property
    def issued_on(self) -> str:
        """The issue date as a full ISO date for ordering: the first day that `issued` allows."""
        return {4: f"{self.issued}-01-01", 7: f"{self.issued}-01"}.get(len(self.issued), self.issued)

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.title, *self.short_names)


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, heading or bullet as it stands in the source, with its page."""

    kind: str  # "heading" | "paragraph" | "bullet"
    text: str
    page: int | None
    level: int = 0  # heading depth, 1 = top-level section


@dataclass(frozen=True, slots=True)
class Section:
    eid: str  # Akoma Ntoso style id, e.g. "sec_3__subsec_2"
    number: str  # "3.2", or "" when the heading has none
    heading: str
    level: int
    parent: str | None  # eid of the enclosing section
    page_start: int | None
    page_end: int | None
    position: int

    @property
    def label(self) -> str:
        return f"{self.number} {self.heading}".strip()

    @property
    def priority_number(self) -> int | None:
        """The N of a "Priority N: ..." or "Ambition N: ..." heading."""
        from corpus.sections import priority_number

        return priority_number(self.heading)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    section: str  # eid of the section it sits in ("" for text before any heading)
    page: int | None
    char_start: int  # offsets into Document.text
    char_end: int
    lead_in: str = ""  # for a bullet: the lead-in sentence it completes ("We will:")
    is_heading: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    meta: DocumentMeta
    text: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    source: str  # path or URL it was read from

    @property
    def id(self) -> str:
        return self.meta.id

    def section(self, eid: str) -> Section | None:
        return next((s for s in self.sections if s.eid == eid), None)


@dataclass(frozen=True, slots=True)
class Target:
    value: float
    unit: str  # "%", "GBP", "" for a plain count
    counts: str  # what is counted, e.g. "more children and young people"
    text: str  # as written


@dataclass(frozen=True, slots=True)
class Commitment:
    id: str
    document: str  # document id
    section: str  # section eid
    page: int | None
    text: str
    actor: str
    actor_is_publisher: bool
    action: str
    deadline: str
    deadline_by: date | None
    targets: tuple[Target, ...]
    themes: tuple[str, ...]
    strength: str
    kind: str  # "commitment" | "recommendation" | "target" | "priority"
    confidence: float
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Reference:
    """A statement in one document about how a document derives from another."""

    document: str  # where the statement is made
    subject: str  # the document the relation is about (often the same as `document`)
    target: str  # the earlier document it refers to
    relation: str  # builds-on | implements | responds-to | refreshes | supersedes | cites
    cited_as: str  # the words used in the text
    evidence: str  # the sentence
    page: int | None
    section: str
    confidence: float
    commitment: str = ""  # id of the commitment whose sentence or section states it


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the pipeline learns from one document."""

    document: Document
    commitments: tuple[Commitment, ...]
    references: tuple[Reference, ...]
    warnings: tuple[str, ...] = field(default=())
    restates: tuple[tuple[str, str], ...] = ()  # (summary's short form, full commitment) ids

    @property
    def promises(self) -> int:
        """Commitments counted once: a summary's restatement is not a promise of its own."""
        return len(self.commitments) - len(self.restates)
