"""The ranking's quality on the bundled corpus, on both engines: nDCG@10 over our judged queries."""

from pathlib import Path

import pytest

from corpus.errors import BadInput
from search.evaluation import Judgment, dcg, evaluate_search, format_evaluation, load_judgments, score_query
from search.query import search

RELEVANCE = Path(__file__).parent / "data" / "relevance.toml"
THRESHOLD = 0.80


def test_the_ranking_reaches_the_threshold(bundled_index):
    evaluation = evaluate_search(bundled_index, RELEVANCE)
    assert len(evaluation.scores) >= 30
    assert evaluation.mean_ndcg >= THRESHOLD, format_evaluation(evaluation)


def test_the_relevance_set_covers_what_analysts_type():
    queries = [q for q, _ in load_judgments(RELEVANCE)]
    assert sum('"' in q for q in queries) >= 3
    assert sum(any(op in q.split() for op in ("AND", "OR", "NOT")) for q in queries) >= 3
    assert sum(":" in q for q in queries) >= 3


def test_every_judged_text_is_in_the_corpus(bundled_index):
    """A judgment that no record holds would make the threshold unreachable without anyone noticing."""
    for query, judgments in load_judgments(RELEVANCE):
        for j in judgments:
            assert search(bundled_index, f'"{j.contains}"', {"document": j.document}).total, (query, j)


def hit(document, text):
    return type("Hit", (), {"document": document, "text": text})()


def test_ndcg_is_one_for_the_ideal_order_and_less_otherwise():
    judgments = [Judgment("d", "alpha", 3), Judgment("d", "beta", 1)]
    ideal = score_query("q", (hit("d", "Alpha here"), hit("d", "beta there")), judgments)
    swapped = score_query("q", (hit("d", "beta there"), hit("d", "alpha here")), judgments)
    missing = score_query("q", (hit("e", "alpha"),), judgments)
    assert ideal.ndcg == pytest.approx(1.0)
    assert 0 < swapped.ndcg < 1
    assert missing.ndcg == 0 and missing.found == 0


def test_a_judgment_is_earned_once_however_often_it_is_found():
    judgments = [Judgment("d", "alpha", 3)]
    twice = score_query("q", (hit("d", "alpha"), hit("d", "alpha again")), judgments)
    assert twice.ndcg == pytest.approx(1.0) and twice.found == 1
    assert dcg([3, 0]) == dcg([3])


def test_a_broken_relevance_file_is_named(tmp_path):
    broken = tmp_path / "relevance.toml"
    broken.write_text("[[query]]\nq = 'x'\n")
    with pytest.raises(BadInput, match="relevance.toml"):
        load_judgments(broken)
