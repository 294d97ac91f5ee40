"""Curated links: confirm, reject and add from the CLI; they outlive rebuilds and win over the linker."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from corpus.errors import CorpusError
from corpus.pipeline import corpus_sources
from graph.curation import curation_file, load_decisions, new_decision
from graph.datadir import build_data_dir, curate_data_dir, open_data
from graph.namespaces import DEFAULT_BASE
from graph.sparql import run_query

from .conftest import FIXTURES

PRIORITY, HALVE_2025, HALVE_2030, AIR, CLEAN_AIR = (
    "72d28727c104", "fc11a60afbb5", "b8da08a6ae41", "1ad16970d9fe", "5764a7269eff")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path / "data", sources, metas, DEFAULT_BASE)
    return tmp_path / "data"


def links(data_dir: Path) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(later, earlier) -> (asserting run, curator, named graph) for every commitment-to-commitment derivation."""
    rows = run_query(open_data(data_dir).dataset, """
        SELECT ?l ?e ?run ?who ?g WHERE { GRAPH ?g { ?later prov:qualifiedDerivation ?d .
          ?d prov:entity ?earlier ; pg:assertedBy ?run . OPTIONAL { ?d pg:curator ?who } }
          ?later a pg:Commitment ; dcterms:identifier ?l . ?earlier a pg:Commitment ; dcterms:identifier ?e }""")
    return {(str(r[0]), str(r[1])): (str(r[2]).rsplit("/", 1)[1], str(r[3] or ""), str(r[4])) for r in rows.rows()}


def test_the_linker_suggests_before_anyone_curates(data_dir):
    assert links(data_dir)[(PRIORITY, HALVE_2025)][:2] == ("linker", "")


def test_a_rejected_link_is_gone_and_stays_gone_after_a_rebuild(data_dir):
    curate_data_dir(data_dir, new_decision("reject", PRIORITY, HALVE_2025, "Ann Analyst"))
    assert (PRIORITY, HALVE_2025) not in links(data_dir)
    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(data_dir, sources, metas, DEFAULT_BASE)
    assert (PRIORITY, HALVE_2025) not in links(data_dir)


def test_a_confirmed_link_moves_to_the_curated_graph_with_who_and_when(data_dir):
    curate_data_dir(data_dir, new_decision("confirm", PRIORITY, HALVE_2025, "Ann Analyst"))
    run, who, graph = links(data_dir)[(PRIORITY, HALVE_2025)]
    assert (run, who) == ("curated", "Ann Analyst") and graph.endswith("/graph/curated")
    dated = run_query(open_data(data_dir).dataset, "ASK { ?d pg:curator 'Ann Analyst' ; dcterms:date ?when }")
    assert dated.result.askAnswer


def test_an_added_link_carries_both_sentences(data_dir):
    curate_data_dir(data_dir, new_decision("add", HALVE_2030, HALVE_2025, "Ann Analyst", "weakens", "new date"))
    assert links(data_dir)[(HALVE_2030, HALVE_2025)][:2] == ("curated", "Ann Analyst")
    rows = run_query(open_data(data_dir).dataset, f"""
        SELECT ?quote WHERE {{ ?later dcterms:identifier "{HALVE_2030}" ; pg:weakens ?e ;
          prov:qualifiedDerivation ?d . ?d pg:evidence/oa:hasSelector/oa:exact ?quote }}""").rows()
    quotes = {str(r[0]) for r in rows}
    assert any("2025" in q for q in quotes) and any("2030" in q for q in quotes)


def test_a_later_decision_about_the_same_pair_replaces_the_earlier(data_dir):
    curate_data_dir(data_dir, new_decision("reject", AIR, CLEAN_AIR, "Ann Analyst"))
    curate_data_dir(data_dir, new_decision("add", AIR, CLEAN_AIR, "Bob Reviewer", "builds-on"))
    assert [(d.decision, d.by) for d in load_decisions(curation_file(data_dir))] == [("add", "Bob Reviewer")]
    assert links(data_dir)[(AIR, CLEAN_AIR)][1] == "Bob Reviewer"


@pytest.mark.parametrize(("later", "earlier", "relation", "message"), [
    ("nope", HALVE_2025, "builds-on", "'nope' is not the id"),
    (HALVE_2025, HALVE_2030, "builds-on", "is not earlier than"),
    (HALVE_2030, HALVE_2025, "copies", "unknown relation 'copies'"),
])
def test_bad_decisions_are_refused_and_change_nothing(data_dir, later, earlier, relation, message):
    before = open_data(data_dir).info.path
    with pytest.raises(CorpusError, match=message):
        curate_data_dir(data_dir, new_decision("add", later, earlier, "Ann Analyst", relation))
    assert open_data(data_dir).info.path == before
    assert not curation_file(data_dir).exists()


def test_a_broken_curation_file_is_named(data_dir):
    curation_file(data_dir).write_text("- decision: maybe\n  later: a\n  earlier: b\n  by: x\n  at: y\n")
    with pytest.raises(CorpusError, match="curated-links.yaml, entry 1: decision must be one of"):
        load_decisions(curation_file(data_dir))


def test_the_link_commands(runner, data_dir):
    result = runner.invoke(main, ["link", "add", HALVE_2030, HALVE_2025, "--relation", "weakens", "--by", "Ann",
                                  "--data-dir", str(data_dir)])
    assert result.exit_code == 0 and f"added {HALVE_2030} -> {HALVE_2025}" in result.output
    result = runner.invoke(main, ["link", "reject", "nope", HALVE_2025, "--by", "Ann", "--data-dir", str(data_dir)])
    assert result.exit_code == 1 and "'nope' is not the id" in result.output
    assert "policygraph link confirm" in runner.invoke(main, ["link", "--help"]).output


def test_a_confirmed_new_deadline_marks_the_earlier_commitment_superseded_everywhere(data_dir):
    from datetime import date

    from search.query import search

    assert open_data(data_dir).catalogue.commitment(HALVE_2025).status != "superseded"
    curate_data_dir(data_dir, new_decision("confirm", HALVE_2030, HALVE_2025, "Ann Analyst"))
    data = open_data(data_dir)
    row = data.catalogue.commitment(HALVE_2025)
    assert row.status == "superseded" and row.superseded_on.startswith("2019")
    assert row.status_on(date(2018, 6, 1)) != "superseded"  # before the 2019 document said otherwise
    found = search(data.index, "obesity status:superseded")
    assert [h.id for h in found.hits] == [HALVE_2025] and found.hits[0].status == "superseded"
    assert not search(data.index, "obesity status:superseded", today=date(2018, 6, 1)).hits
