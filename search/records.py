"""What goes into the index: commitments, paragraph-sized passages and whole documents, as plain dicts.

The dict is the contract between the corpus and the engines (and the benchmark's synthetic corpus):
    id, kind, text, heading, document, document_title, publishers, year, issued, actor, themes,
    deadline, deadline_by, section, page, passage (the passage holding a commitment), parent (the
    fuller commitment that a summary restates), superseded_on (when a later document replaced its terms)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from corpus.models import Commitment, Document, Extraction, Sentence

PASSAGE_WORDS = 120  # close a passage once it passes this many words, at a sentence end


def corpus_records(extractions: Iterable[Extraction], superseded: dict[str, str] | None = None) -> Iterator[dict]:
    """Every record of every document, documents first so a title search finds the document itself."""
    superseded = superseded or {}
    for extraction in extractions:
        document = extraction.document
        passages = list(passages_of(document))
        yield document_record(document, passages)
        yield from passages
        parents = dict(extraction.restates)
        for c in extraction.commitments:
            record = commitment_record(document, c, passage_at(passages, c), parents.get(c.id, ""))
            yield record | {"superseded_on": superseded.get(c.id, "")}


def base(document: Document) -> dict:
    meta = document.meta
    return {"document": meta.id, "document_title": meta.title, "publishers": list(meta.publishers),
            "year": meta.year, "issued": meta.issued, "actor": "", "themes": [], "deadline": "",
            "deadline_by": "", "passage": "", "parent": "", "superseded_on": ""}


def document_record(document: Document, passages: list[dict]) -> dict:
    opening = " ".join(p["text"] for p in passages[:2])
    meta = document.meta
    text = f"{meta.title}. {' '.join(meta.short_names)}. {opening}"
    return base(document) | {"id": meta.id, "kind": "document", "text": text, "heading": meta.title,
                             "section": "", "page": None, "char_start": 0, "char_end": 0}


def passages_of(document: Document) -> Iterator[dict]:
    """Consecutive sentences of one section, cut near PASSAGE_WORDS words or at a page turn."""
    run: list[Sentence] = []
    for sentence in document.sentences:
        if sentence.is_heading:
            continue
        if run and (sentence.section != run[0].section or sentence.page != run[0].page
                    or sum(len(s.text.split()) for s in run) >= PASSAGE_WORDS):
            yield passage_record(document, run)
            run = []
        run.append(sentence)
    if run:
        yield passage_record(document, run)


def passage_record(document: Document, run: list[Sentence]) -> dict:
    first = run[0]
    section = document.section(first.section)
    return base(document) | {
        "id": f"{document.meta.id}~{first.char_start}", "kind": "passage",
        "text": " ".join(s.text for s in run), "heading": section.label if section else "",
        "section": section.label if section else "", "page": first.page,
        "char_start": first.char_start, "char_end": run[-1].char_end,
    }


def passage_at(passages: list[dict], c: Commitment) -> str:
    return next((p["id"] for p in passages if p["char_start"] <= c.char_start < p["char_end"]), "")


def commitment_record(document: Document, c: Commitment, passage: str, parent: str) -> dict:
    section = document.section(c.section)
    label = section.label if section else ""
    return base(document) | {
        "id": c.id, "kind": c.kind, "text": c.text, "heading": label, "section": label, "page": c.page,
        "actor": c.actor, "themes": list(c.themes), "deadline": c.deadline,
        "deadline_by": c.deadline_by.isoformat() if c.deadline_by else "", "passage": passage,
        "parent": parent, "char_start": c.char_start, "char_end": c.char_end,
    }
