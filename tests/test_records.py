from datetime import date

from corpus.models import Commitment
from search.records import corpus_records, restatements


def commitment(ident, text, kind="commitment"):
    return Commitment(id=ident, document="d", section="", page=1, text=text, actor="", actor_is_publisher=False,
                      action="", deadline="", deadline_by=date(2030, 1, 1), targets=(), themes=(), strength="will",
                      kind=kind, confidence=1.0, char_start=0, char_end=0)


def test_a_summary_restatement_points_at_the_fuller_commitment():
    short = commitment("a", "We will halve childhood obesity in London by 2030.")
    full = commitment("b", "With schools and boroughs, we will halve childhood obesity in London by 2030 "
                           "through healthier food and active travel.")
    other = commitment("c", "We will halve childhood obesity in London by 2025.")
    assert restatements([short, full, other]) == {"a": "b"}


def test_commitments_that_differ_in_their_figures_are_not_restatements():
    one = commitment("a", "We will invest at least £2.3 billion a year in mental health services by 2023/24.")
    two = commitment("b", "We will invest at least £4.5 billion a year in community health services by 2023/24.")
    assert restatements([one, two]) == {}


def test_every_commitment_sits_in_a_passage_that_holds_it(bundled_extractions):
    records = list(corpus_records(bundled_extractions))
    passages = {r["id"]: r for r in records if r["kind"] == "passage"}
    held = [r for r in records if r["kind"] not in ("passage", "document", "priority")]
    assert held and all(r["text"][:40] in passages[r["passage"]]["text"] for r in held)
    assert {r["kind"] for r in records} >= {"document", "passage", "commitment", "priority"}
