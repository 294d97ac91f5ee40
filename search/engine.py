"""What both engines share: the fields they index, and how a record and a query leaf become terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from search.analysis import compounds, terms
from search.querylang import Node

TEXT_FIELDS = {"text": 2.0, "heading": 0.5}  # BM25F boosts: the record's own words count most
# Each field's neighbouring terms are indexed again as one term ("air_quality"), so a phrase is a lookup of
# its pairs rather than a walk through positions: several times faster in Whoosh, and the same in both engines.
PAIRS = {f"{name}_pairs": name for name in TEXT_FIELDS}
KEYWORDS = ("document", "kind", "year", "actor", "theme", "publisher", "deadline")


@dataclass(frozen=True)
class Matches:
    every: np.ndarray  # every row the query matches, in any order
    ranked: np.ndarray  # at least the best `top` of them (all, if the engine scores cheaply), in any order
    scores: np.ndarray  # the score of each ranked row
    first: np.ndarray | None = None  # for each ranked row, whether it goes before those without (all words)
    found: int = -1  # how many records match, when `every` holds only the best of them (else -1)


class Engine(Protocol):
    def match(self, node: Node | None, top: int | None = None) -> Matches:
        """What `node` matches (every row for None), with at least the best `top` scored (all for None)."""

    def doc_freq(self, term: str) -> int:
        """How many records hold `term` in their text."""

    def close(self) -> None: ...


def keyword(value: str) -> str:
    """A facet value as both engines index and compare it."""
    return " ".join(str(value).lower().replace(",", " ").split())


def indexed(record: dict) -> dict[str, str | list[str]]:
    """The engine's view of a record: analysed text, and keyword values for filtering."""
    deadline = record.get("deadline_by") or ""
    text, heading = terms(record["text"]), terms(record.get("heading") or "")
    return {
        # a hyphenated word's joined form stands beside its parts, and out of the pairs, so phrases are as before
        "text": " ".join(text + compounds(record["text"])),
        "heading": " ".join(heading + compounds(record.get("heading") or "")),
        "text_pairs": " ".join(pairs(text)), "heading_pairs": " ".join(pairs(heading)),
        "document": [keyword(record["document"])],
        "kind": [keyword(record["kind"])],
        "year": [keyword(record["year"])],
        "actor": [keyword(record["actor"])] if record.get("actor") else [],
        "theme": [keyword(t) for t in record.get("themes") or ()],
        "publisher": [keyword(p) for p in record.get("publishers") or ()],
        "deadline": [deadline[:4]] if deadline else [],
    }


def pairs(words: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def leaf_terms(text: str) -> list[str]:
    """The terms a word or phrase of the query asks for ([] for a stop word alone)."""
    return terms(text)
