"""Extraction quality on our labelled sentences, and the arithmetic behind the figures."""

from pathlib import Path

import pytest

from corpus.errors import BadInput
from corpus.evaluation import Labelled, Score, evaluate_extraction, load_devset, score

DEVSET = Path(__file__).parent / "data" / "extraction_devset.jsonl"


@pytest.fixture(scope="module")
def overall() -> Score:
    return next(s for s in evaluate_extraction(DEVSET) if s.split == "all")


def test_commitments_are_found_with_precision_and_recall(overall):
    assert overall.sentences >= 200
    assert overall.precision >= 0.92 and overall.recall >= 0.92, overall


def test_deadlines_resolve_to_the_last_day_they_allow(overall):
    assert overall.deadlines >= 40 and overall.deadline_accuracy >= 0.95, overall


def test_references_resolve_to_the_documents_meant(overall):
    assert overall.references >= 20 and overall.reference_accuracy >= 0.95, overall


def test_the_set_holds_look_alikes_and_both_splits():
    rows = load_devset(DEVSET)
    assert sum(not r.commitment for r in rows) >= 0.3 * len(rows)
    assert {r.split for r in rows} == {"dev", "test"}


def labelled(commitment, deadline=None, references=(), actor=None):
    return Labelled("x", commitment, actor, deadline, tuple(references), "dev")


def test_the_scores_count_as_they_should():
    results = [
        (labelled(True, "2024-03-31", [("cites", "a")], "The Mayor"), (True, "2024-03-31", {("cites", "a")},
                                                                        "Mayor of London")),
        (labelled(True, "2025-12-31", actor="Boroughs"), (True, "2025-12-30", set(), "NHS England")),
        (labelled(True), (False, None, set(), "")),
        (labelled(False, references=[("builds-on", "b")]), (True, None, {("cites", "b")}, "x")),
    ]
    s = score("dev", results)
    assert (s.true_positives, s.false_positives, s.false_negatives) == (2, 1, 1)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(2 / 3)
    assert (s.deadlines, s.deadlines_exact, s.references, s.references_resolved) == (2, 1, 2, 1)
    assert (s.actors, s.actors_right) == (2, 1)


def test_a_broken_line_is_named(tmp_path):
    bad = tmp_path / "set.jsonl"
    bad.write_text('{"text": "We will.", "commitment": true}\n{"text": "no label"}\n')
    with pytest.raises(BadInput, match="set.jsonl, line 2"):
        load_devset(bad)
