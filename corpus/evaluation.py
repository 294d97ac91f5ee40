"""How well does extraction do? Precision and recall of commitments, exact deadlines, resolved references.

Each labelled sentence of the development set (tests/data/extraction_devset.jsonl) is read as a
one-paragraph document issued on ISSUED by London partners, with the bundled documents known by name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corpus.actors import canonical_actor
from corpus.errors import BadInput
from corpus.extract import extract_commitments
from corpus.manifest import bundled_corpus_dir, load_manifest
from corpus.models import Block, DocumentMeta
from corpus.references import AliasTable, extract_references
from corpus.sections import structure

ISSUED = "2021-01-01"  # after every bundled document, so each can be cited as earlier
META = DocumentMeta("devset-2021", "Development set", ("London partners",), ISSUED)


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    commitment: bool
    actor: str | None  # who acts, as written ("London partners" for we); None when the sentence does not say
    deadline_by: str | None
    references: tuple[tuple[str, str], ...]  # (relation, document id)
    split: str


@dataclass(frozen=True, slots=True)
class Score:
    split: str
    sentences: int
    true_positives: int
    false_positives: int
    false_negatives: int
    deadlines: int  # gold commitments with a deadline that were found
    deadlines_exact: int
    references: int
    references_resolved: int
    actors: int = 0  # found commitments whose actor the sentence states
    actors_right: int = 0

    @property
    def precision(self) -> float:
        return _share(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _share(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def deadline_accuracy(self) -> float:
        return _share(self.deadlines_exact, self.deadlines)

    @property
    def reference_accuracy(self) -> float:
        return _share(self.references_resolved, self.references)

    @property
    def actor_accuracy(self) -> float:
        return _share(self.actors_right, self.actors)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def load_devset(path: Path) -> list[Labelled]:
    """:raises BadInput: naming the file and line that is not a labelled sentence."""
    labelled = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line)
            labelled.append(Labelled(row["text"], bool(row["commitment"]), row.get("actor"), row.get("deadline_by"),
                                     tuple((r["relation"], r["document"]) for r in row.get("references", [])),
                                     row.get("split", "dev")))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadInput(f"{path}, line {number}: not a labelled sentence ({exc})") from exc
    return labelled


def predict(text: str, known: AliasTable) -> tuple[bool, str | None, set[tuple[str, str]], str]:
    """Whether the sentence is a commitment, the last day its deadline allows, the lineage it states, and who acts."""
    document = structure([Block("paragraph", text, 1)], META, "devset")
    commitments = [c for c in extract_commitments(document) if c.kind != "priority"]
    references = extract_references(document, known, commitments)
    deadline = next((c.deadline_by.isoformat() for c in commitments if c.deadline_by), None)
    actor = commitments[0].actor if commitments else ""
    return bool(commitments), deadline, {(r.relation, r.target) for r in references}, actor


def evaluate_extraction(path: Path) -> list[Score]:
    """One Score per split, and one for all the sentences together."""
    known = AliasTable(load_manifest(bundled_corpus_dir() / "manifest.toml"))
    results = [(row, predict(row.text, known)) for row in load_devset(path)]
    splits = sorted({row.split for row, _ in results})
    return [score(name, [r for r in results if r[0].split == name]) for name in splits] + [score("all", results)]


def score(name: str, results: Iterable[tuple[Labelled, tuple]]) -> Score:
    counts = dict.fromkeys(("n", "tp", "fp", "fn", "dl", "dl_ok", "ref", "ref_ok", "actor", "actor_ok"), 0)
    for gold, (found, deadline, references, actor) in results:
        counts["n"] += 1
        counts["tp"] += gold.commitment and found
        counts["fp"] += found and not gold.commitment
        counts["fn"] += gold.commitment and not found
        if gold.commitment and found and gold.deadline_by:
            counts["dl"] += 1
            counts["dl_ok"] += deadline == gold.deadline_by
        counts["ref"] += len(gold.references)
        counts["ref_ok"] += len(set(gold.references) & references)
        if gold.commitment and found and gold.actor:
            counts["actor"] += 1
            counts["actor_ok"] += same_actor(gold.actor, actor)
    return Score(name, *counts.values())


def same_actor(gold: str, found: str) -> bool:
    """The same party, however named: "The Mayor" and "Mayor of London", "Boroughs" and "London boroughs"."""
    canonical = canonical_actor(gold) or gold
    a, b = _bare(canonical), _bare(found)
    return bool(a and b) and (a == b or a in b or b in a)


def _bare(name: str) -> str:
    words = [w for w in name.lower().replace("'s", "").split() if w not in ("the", "every", "each", "all", "its")]
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


def format_scores(scores: list[Score]) -> str:
    lines = [f"{'split':<6} {'sentences':>9} {'precision':>9} {'recall':>7} {'F1':>6} {'deadline':>9} "
             f"{'references':>10} {'actor':>6}"]
    for s in scores:
        lines.append(f"{s.split:<6} {s.sentences:>9} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} "
                     f"{s.deadline_accuracy:>9.3f} {s.reference_accuracy:>10.3f} {s.actor_accuracy:>6.3f}")
    return "\n".join(lines)
