"""Scoring the suggested commitment links against a hand-judged gold list (tests/data/lineage_gold.toml)."""

from __future__ import annotations

import tomllib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import CorpusError
from corpus.models import Commitment, Extraction
from graph.linking import Suggestion


@dataclass(frozen=True, slots=True)
class Gold:
    covered: frozenset[str]  # later commitment ids whose antecedents were all judged
    links: frozenset[tuple[str, str]]  # (later id, earlier id)
    split: dict[str, str]  # later id -> "dev" | "test"


@dataclass(frozen=True, slots=True)
class LinkScore:
    split: str
    suggested: int
    correct: int
    gold: int
    found: int

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0


def load_gold(path: Path, extractions: Sequence[Extraction]) -> Gold:
    """Read the gold list, naming commitments as "document-id: start of the sentence".

    :raises CorpusError: when a name matches no commitment, or more than one.
    """
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8"))["later"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise CorpusError(f"{path}: not a gold lineage list: {exc}") from exc
    by_document = {e.document.id: e.commitments for e in extractions}
    covered, links, split = set(), set(), {}
    for entry in entries:
        later = resolve(entry["commitment"], by_document, path).id
        covered.add(later)
        # the split follows the name, not the id, so it survives changes to how ids are made
        split[later] = "dev" if zlib.crc32(entry["commitment"].encode()) % 2 == 0 else "test"
        links.update((later, resolve(name, by_document, path).id) for name in entry["derives_from"])
    return Gold(frozenset(covered), frozenset(links), split)


def resolve(name: str, by_document: dict[str, tuple[Commitment, ...]], path: Path) -> Commitment:
    document, _, start = name.partition(": ")
    found = [c for c in by_document.get(document, ()) if c.text.startswith(start)]
    if len(found) != 1:
        raise CorpusError(f"{path}: {name!r} matches {len(found)} commitments, not one")
    return found[0]


def score_links(suggestions: Sequence[Suggestion], gold: Gold) -> list[LinkScore]:
    """Precision over the suggestions for judged commitments, recall over the gold links; per split and all."""
    pairs = {(s.later.id, s.earlier.id) for s in suggestions if s.later.id in gold.covered}
    scores = []
    for name in ("dev", "test", "all"):
        keep = (lambda later: True) if name == "all" else (lambda later, n=name: gold.split[later] == n)  # noqa: E731
        mine = {p for p in pairs if keep(p[0])}
        wanted = {p for p in gold.links if keep(p[0])}
        scores.append(LinkScore(name, len(mine), len(mine & wanted), len(wanted), len(mine & wanted)))
    return scores


def format_link_scores(scores: Sequence[LinkScore]) -> str:
    lines = ["split  suggested  correct  precision  gold  found  recall"]
    lines += [f"{s.split:<5}  {s.suggested:>9}  {s.correct:>7}  {s.precision:>9.3f}  {s.gold:>4}  {s.found:>5}  "
              f"{s.recall:>6.3f}" for s in scores]
    lines.append("(the linker's weights were fitted on the dev half; the test half was not seen)")
    return "\n".join(lines)


def fit_weights(extractions: Sequence[Extraction], gold: Gold, split: str = "dev", l2: float = 1.0,
                steps: int = 25) -> dict[str, float]:
    """Logistic regression of gold links on the linker's signals, over one split's candidates.

    How graph.linking.WEIGHTS were set: fitted on the dev half, then judged on the test half.
    """
    import numpy as np

    from graph.linking import FEATURES, candidate_features, document_lineage, linkable_units

    units = list(linkable_units(extractions))
    xs, ys = [], []
    for later, candidates in candidate_features(units, document_lineage(extractions), keep=None):
        lid = later.commitment.id
        if lid in gold.covered and gold.split[lid] == split:
            xs.append(candidates.features)
            ys.extend(float((lid, units[j].commitment.id) in gold.links) for j in candidates.earlier)
    x, y = np.vstack(xs), np.array(ys)
    x = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(x.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(x.shape[1] - 1), 0])
    for _ in range(steps):  # Newton's method: a few steps converge, unlike plain gradient descent
        p = 1 / (1 + np.exp(-(x @ w)))
        hessian = (x.T * (p * (1 - p))) @ x + penalty
        w -= np.linalg.solve(hessian, x.T @ (p - y) + penalty @ w)
    return {name: round(float(v), 2) for name, v in zip((*FEATURES, "bias"), w, strict=True)}
