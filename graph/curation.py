"""Curated links: an analyst's confirmations, rejections and additions, kept in a YAML file beside the builds.

The file outlives every rebuild, and what it says always wins over the linker: a rejected link is never
written, a confirmed one is written with the curator's name and date, an added one is written as given.
Each decision names the later and the earlier commitment (or document) by id:

    - decision: confirm          # confirm | reject | add
      later: 480df4e9f730
      earlier: 766c63db188a
      relation: builds-on        # for add (and to correct a confirmed link's relation)
      by: A. Analyst
      at: 2026-11-24T21:00:00+00:00
      note: the taskforce is the campaign the Commission asked for
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import yaml

from corpus.errors import CorpusError
from graph.linking import Suggestion
from graph.namespaces import RELATIONS

FILE = "curated-links.yaml"
DECISIONS = ("confirm", "reject", "add")


@dataclass(frozen=True, slots=True)
class Decision:
    decision: str
    later: str
    earlier: str
    by: str
    at: str
    relation: str = ""
    note: str = ""


def curation_file(data_dir: Path) -> Path:
    return data_dir / FILE


def load_decisions(path: Path) -> tuple[Decision, ...]:
    """The decisions in a curated-links file; none if it does not exist yet.

    :raises CorpusError: naming the file and the entry when it cannot be read.
    """
    if not path.exists():
        return ()
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: not a curated-links file: {exc}") from exc
    if not isinstance(entries, list):
        raise CorpusError(f"{path}: expected a list of decisions, found {type(entries).__name__}")
    return tuple(parse_decision(entry, path, number) for number, entry in enumerate(entries, 1))


def parse_decision(entry: object, path: Path, number: int) -> Decision:
    where = f"{path}, entry {number}"
    if not isinstance(entry, dict):
        raise CorpusError(f"{where}: expected a mapping with decision, later, earlier, by and at")
    try:
        decision = Decision(**{k: str(v) for k, v in entry.items()})
    except TypeError as exc:
        raise CorpusError(f"{where}: {exc}") from exc
    check_decision(decision, where)
    return decision


def check_decision(decision: Decision, where: str) -> None:
    if decision.decision not in DECISIONS:
        raise CorpusError(f"{where}: decision must be one of {', '.join(DECISIONS)}, not {decision.decision!r}")
    if decision.relation and decision.relation not in RELATIONS:
        raise CorpusError(f"{where}: unknown relation {decision.relation!r} (use {', '.join(RELATIONS)})")
    if decision.decision == "add" and not decision.relation:
        raise CorpusError(f"{where}: an added link needs a relation (use {', '.join(RELATIONS)})")


def record_decision(path: Path, decision: Decision) -> None:
    """Append a decision, replacing any earlier one about the same pair; the file is swapped in whole."""
    check_decision(decision, str(path))
    kept = [d for d in load_decisions(path) if (d.later, d.earlier) != (decision.later, decision.earlier)]
    entries = [{k: v for k, v in asdict(d).items() if v} for d in (*kept, decision)]
    partial = path.with_suffix(".yaml.partial")
    partial.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), encoding="utf-8")
    os.replace(partial, path)


def new_decision(decision: str, later: str, earlier: str, by: str, relation: str = "", note: str = "") -> Decision:
    return Decision(decision, later, earlier, by, datetime.now(UTC).isoformat(timespec="seconds"), relation, note)


def apply_decisions(suggestions: list[Suggestion], decisions: tuple[Decision, ...]
                    ) -> tuple[list[Suggestion], dict[tuple[str, str], Decision]]:
    """The suggestions left once rejections and confirmations are taken out, and the curated links to write.

    A confirmed suggestion leaves the linker's list for the curated graph, keeping its evidence and
    taking the curator's relation if one was given.
    """
    by_pair = {(d.later, d.earlier): d for d in decisions}
    kept = [s for s in suggestions if (s.later.id, s.earlier.id) not in by_pair]
    curated = {pair: d for pair, d in by_pair.items() if d.decision != "reject"}
    return kept, curated


def confirmed(suggestion: Suggestion, decision: Decision) -> Suggestion:
    return replace(suggestion, relation=decision.relation or suggestion.relation, confidence=1.0)
