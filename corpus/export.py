"""What an extraction found, as rows for `policygraph extract`: JSON lines, CSV or a table for the eye."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from corpus.models import Commitment, Extraction, Reference, Sentence
from corpus.references import AliasTable, unknown_citations

FORMATS = ("jsonl", "csv", "table")


def extraction_rows(extraction: Extraction, known: AliasTable | None = None) -> Iterator[dict]:
    """One row per commitment, then one per statement of lineage: resolved ones, then (given the table of
    known documents) those naming documents we do not know, with `resolved` null."""
    for c in extraction.commitments:
        yield commitment_row(extraction, c)
    for r in extraction.references:
        yield reference_row(extraction, r)
    if known is not None:
        for relation, title, sentence in unknown_citations(extraction.document, known):
            yield unresolved_row(extraction, relation, title, sentence)


def commitment_row(extraction: Extraction, c: Commitment) -> dict:
    section = extraction.document.section(c.section)
    return {
        "type": "commitment", "id": c.id, "document": c.document,
        "section": {"number": section.number, "heading": section.heading} if section else None,
        "page": c.page, "text": c.text, "kind": c.kind, "actor": c.actor, "action": c.action,
        "deadline": c.deadline or None, "deadline_by": c.deadline_by.isoformat() if c.deadline_by else None,
        "targets": [{"value": t.value, "unit": t.unit, "counts": t.counts, "text": t.text} for t in c.targets],
        "themes": list(c.themes), "strength": c.strength, "confidence": c.confidence,
        "char_start": c.char_start, "char_end": c.char_end,
    }


def reference_row(extraction: Extraction, r: Reference) -> dict:
    section = extraction.document.section(r.section)
    return {
        "type": "reference", "document": r.document, "subject": r.subject, "cited_as": r.cited_as,
        "resolved": r.target or None, "relation": r.relation, "evidence": r.evidence, "page": r.page,
        "section": {"number": section.number, "heading": section.heading} if section else None,
        "confidence": r.confidence, "commitment": r.commitment or None,
    }


def unresolved_row(extraction: Extraction, relation: str, title: str, sentence: Sentence) -> dict:
    section = extraction.document.section(sentence.section)
    return {
        "type": "reference", "document": extraction.document.id, "subject": extraction.document.id,
        "cited_as": title, "resolved": None, "relation": relation, "evidence": sentence.text,
        "page": sentence.page, "section": {"number": section.number, "heading": section.heading} if section else None,
        "confidence": 0.5, "commitment": None,
    }


def format_rows(rows: list[dict], fmt: str) -> str:
    if fmt == "jsonl":
        return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    flat = [{k: _flat(v) for k, v in row.items()} for row in rows]
    if fmt == "csv":
        names = list(dict.fromkeys(k for row in flat for k in row))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=names)
        writer.writeheader()
        writer.writerows(flat)
        return out.getvalue()
    return "\n".join(_line(row) for row in rows)


def _flat(value) -> str | int | float | None:
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    if isinstance(value, list):
        return "; ".join(v["text"] if isinstance(v, dict) else str(v) for v in value)
    return value


def _line(row: dict) -> str:
    page = f"p. {row['page']}" if row.get("page") else "p. ?"
    if row["type"] == "reference":
        return f"[{row['relation']}] {row['resolved'] or row['cited_as'] + ' (unknown)'} ({page}): {row['evidence']}"
    due = f" · due {row['deadline']} ({row['deadline_by']})" if row["deadline"] else ""
    return f"[{row['strength']}] {row['actor']}{due} ({page}): {row['text']}"
