"""What both engines share: the fields they index, and how a record and a query leaf become terms."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from search.analysis import analysed, terms
from search.querylang import Node

TEXT_FIELDS = {"text": 2.0, "heading": 0.5}  # BM25F boosts: the record's own words count most
KEYWORDS = ("document", "kind", "year", "actor", "theme", "publisher", "deadline")


class Engine(Protocol):
    def match(self, node: Node | None) -> tuple[np.ndarray, np.ndarray]:
        """The rows that `node` matches (every row for None) and their scores, in any order."""

    def doc_freq(self, term: str) -> int:
        """How many records hold `term` in their text."""

    def close(self) -> None: ...


def keyword(value: str) -> str:
    """A facet value as both engines index and compare it."""
    return " ".join(str(value).lower().replace(",", " ").split())


def indexed(record: dict) -> dict[str, str | list[str]]:
    """The engine's view of a record: analysed text, and keyword values for filtering."""
    deadline = record.get("deadline_by") or ""
    return {
        "text": analysed(record["text"]),
        "heading": analysed(record.get("heading") or ""),
        "document": [keyword(record["document"])],
        "kind": [keyword(record["kind"])],
        "year": [keyword(record["year"])],
        "actor": [keyword(record["actor"])] if record.get("actor") else [],
        "theme": [keyword(t) for t in record.get("themes") or ()],
        "publisher": [keyword(p) for p in record.get("publishers") or ()],
        "deadline": [deadline[:4]] if deadline else [],
    }


def leaf_terms(text: str) -> list[str]:
    """The terms a word or phrase of the query asks for ([] for a stop word alone)."""
    return terms(text)
