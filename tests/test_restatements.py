"""Summary restatements: found, linked in the graph, and counted once."""

from datetime import date

from corpus.models import Commitment, DocumentMeta
from corpus.pipeline import Source, run_corpus
from corpus.restatements import restatements
from graph.build import build_dataset
from graph.namespaces import DEFAULT_BASE, PG
from graph.store import memory_store


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



def test_a_summary_restatement_is_linked_in_the_graph_and_counted_once(tmp_path):
    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n\n## Summary\n\nWe will halve childhood obesity in London by 2030.\n\n"
                    "## 3 Obesity\n\nWorking with schools and boroughs, we will halve childhood obesity in London "
                    "by 2030 through healthier food and active travel.\n")
    run = run_corpus([Source(plan, DocumentMeta("plan-2020", "Plan", ("Council",), "2020"))])
    extraction = run.extractions[0]
    assert len(extraction.restates) == 1 and extraction.promises == len(extraction.commitments) - 1
    short, full = extraction.restates[0]
    store = memory_store(build_dataset(run.extractions, run.catalogue, DEFAULT_BASE))
    rows = list(store.query(f"SELECT ?s ?o WHERE {{ ?s <{PG.restates}> ?o }}"))
    assert [(str(s).rsplit("/", 1)[1], str(o).rsplit("/", 1)[1]) for s, o in rows] == [(short, full)]
