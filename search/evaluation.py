"""How good is the ranking? nDCG@10 over a set of queries with graded judgments (tests/data/relevance.toml)."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import BadInput
from search.query import Hit, search

DEPTH = 10


@dataclass(frozen=True, slots=True)
class Judgment:
    document: str
    contains: str  # a piece of the relevant text, as written
    grade: int  # 3 exactly what was asked, 2 clearly relevant, 1 partly


@dataclass(frozen=True, slots=True)
class QueryScore:
    query: str
    ndcg: float
    found: int  # judged records in the top DEPTH
    judged: int


@dataclass(frozen=True, slots=True)
class SearchEvaluation:
    scores: tuple[QueryScore, ...]

    @property
    def mean_ndcg(self) -> float:
        return sum(s.ndcg for s in self.scores) / len(self.scores) if self.scores else 0.0


def load_judgments(path: Path) -> list[tuple[str, list[Judgment]]]:
    """The queries of a relevance file and what each should find.

    :raises BadInput: when the file is missing or not in the expected shape.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return [(q["q"], [Judgment(j["document"], j["contains"], int(j["grade"])) for j in q["relevant"]])
                for q in raw["query"]]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"{path}: not a relevance file ({type(exc).__name__}: {exc})") from exc


def evaluate_search(index, path: Path) -> SearchEvaluation:
    scores = []
    for query, judgments in load_judgments(path):
        hits = search(index, query, limit=DEPTH).hits
        scores.append(score_query(query, hits, judgments))
    return SearchEvaluation(tuple(scores))


def score_query(query: str, hits: tuple[Hit, ...], judgments: list[Judgment]) -> QueryScore:
    """Each judgment earns its gain once, at the first hit that holds its text."""
    unclaimed = list(judgments)
    gains = []
    for hit in hits:
        claimed = [j for j in unclaimed if matches(hit, j)]
        best = max(claimed, key=lambda j: j.grade, default=None)
        if best:
            unclaimed.remove(best)
        gains.append(best.grade if best else 0)
    ideal = sorted((j.grade for j in judgments), reverse=True)[:DEPTH]
    return QueryScore(query, dcg(gains) / dcg(ideal) if ideal else 0.0, len(judgments) - len(unclaimed),
                      len(judgments))


def matches(hit: Hit, judgment: Judgment) -> bool:
    return hit.document == judgment.document and _flat(judgment.contains) in _flat(hit.text)


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def format_evaluation(evaluation: SearchEvaluation) -> str:
    lines = [f"{'nDCG@10':>8}  {'found':>7}  query"]
    for s in sorted(evaluation.scores, key=lambda s: s.ndcg):
        lines.append(f"{s.ndcg:8.3f}  {s.found:>3}/{s.judged:<3}  {s.query}")
    lines.append(f"{evaluation.mean_ndcg:8.3f}  mean over {len(evaluation.scores)} queries")
    return "\n".join(lines)
