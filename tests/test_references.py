from pathlib import Path

import pytest

from corpus.manifest import bundled_corpus_dir, load_manifest
from corpus.models import DocumentMeta
from corpus.pipeline import Source, run_corpus
from corpus.references import AliasTable, extract_references
from corpus.sections import load_document
from graph.build import build_dataset
from graph.namespaces import DEFAULT_BASE
from graph.sparql import run_query
from graph.store import memory_store

from .conftest import SEED

M = DocumentMeta
KNOWN = [
    M("old-2014", "Healthier Riverside", ("Commission",), "2014-10", short_names=("Riverside Review", "HR")),
    M("plan-2016", "Healthier Riverside: Next Steps", ("Council",), "2016-03", short_names=("Next Steps plan",)),
    M("later-2021", "Riverside Tomorrow", ("Council",), "2021"),
]


def refs_of(text: str, tmp_path: Path, issued: str = "2019"):
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path, M("this-2019", "This Vision", ("Council",), issued))
    return {(r.subject, r.relation, r.target) for r in extract_references(doc, AliasTable(KNOWN))}


@pytest.mark.parametrize("sentence, expected", [
    ("This vision builds on Healthier Riverside.", ("this-2019", "builds-on", "old-2014")),
    ("In response to the Riverside Review, partners acted.", ("this-2019", "responds-to", "old-2014")),
    ("We set out how to implement the recommendations of Healthier Riverside.",
     ("this-2019", "implements", "old-2014")),
    ("Partners wrote the Next Steps plan to implement Healthier Riverside.", ("plan-2016", "implements", "old-2014")),
    ("As set out in Healthier Riverside, air matters.", ("this-2019", "cites", "old-2014")),
    ("To implement the ideas set out in Healthier Riverside, we will act.", ("this-2019", "implements", "old-2014")),
    ("As agreed in the Next Steps plan, partners will meet.", ("this-2019", "implements", "plan-2016")),
    ("In line with Healthier Riverside, we will act.", ("this-2019", "builds-on", "old-2014")),
])
def test_cues_give_the_relation_and_its_subject(tmp_path, sentence, expected):
    assert expected in refs_of(f"## 1 Intro\n\n{sentence}\n", tmp_path)


def test_the_longest_name_wins(tmp_path):
    found = refs_of("## 1 Intro\n\nThis vision builds on Healthier Riverside: Next Steps.\n", tmp_path)
    assert found == {("this-2019", "builds-on", "plan-2016")}


def test_a_later_document_is_never_an_ancestor(tmp_path):
    assert refs_of("## 1 Intro\n\nThis builds on Riverside Tomorrow.\n", tmp_path) == set()


def test_acronyms_match_only_in_capitals(tmp_path):
    assert refs_of("## 1 Intro\n\nWe build on hr policy.\n", tmp_path) == set()
    assert ("this-2019", "builds-on", "old-2014") in refs_of("## 1 Intro\n\nWe build on HR.\n", tmp_path)


def test_a_heading_cue_governs_its_section(tmp_path):
    found = refs_of("## Building on Healthier Riverside\n\nThe Next Steps plan came out in 2016.\n", tmp_path)
    assert ("this-2019", "builds-on", "plan-2016") in found


def test_an_anaphor_points_back_to_the_last_document_named(tmp_path):
    text = "## 1 Intro\n\nThe Riverside Review came out in 2014.\n\nWe build on this report.\n"
    assert ("this-2019", "builds-on", "old-2014") in refs_of(text, tmp_path)


@pytest.mark.skipif(not SEED.exists(), reason=f"the shared seed page is not at {SEED} (CI always has it)")
def test_the_seed_page_states_the_lineage_of_our_vision_for_london():
    """Ingest the announcement that started the project and check the lineage it states is in the graph."""
    catalogue = [m for m in load_manifest(bundled_corpus_dir() / "manifest.toml") if m.id != "ovl-2019"]
    seed = M("ovl-announcement-2019", "Our Vision for London: a shared agenda to improve health in London",
             ("London Councils",), "2019-10", kind="announcement", short_names=("Our Vision for London",))
    run = run_corpus([Source(SEED, seed)], catalogue)
    assert run.errors == ()
    store = memory_store(build_dataset(run.extractions, run.catalogue, DEFAULT_BASE))
    rows = run_query(store, """
        SELECT ?rel ?target WHERE {
          ?doc dcterms:identifier "ovl-announcement-2019" ; ?rel ?t . ?t dcterms:identifier ?target .
          FILTER(?rel IN (pg:buildsOn, pg:respondsTo)) }""").rows()
    targets = {str(t) for _, t in rows}
    assert targets >= {"bhfl-2014", "bhfl-next-steps-2015", "devolution-mou-2017", "ltp-2019",
                       "prevention-green-paper-2019", "pledges-2019", "his-2018"}
    implements = run_query(store, """
        ASK { ?a dcterms:identifier "bhfl-next-steps-2015" . ?b dcterms:identifier "bhfl-2014" .
              ?a pg:implements ?b ; prov:wasDerivedFrom ?b }""")
    assert implements.result.askAnswer


def test_fixture_corpus_references(data):
    rows = run_query(data.dataset, """
        SELECT ?s ?o WHERE { ?a pg:implements ?b . ?a dcterms:identifier ?s . ?b dcterms:identifier ?o .
                             ?a a pg:Document }""").rows()
    assert {(str(s), str(o)) for s, o in rows} >= {("beta-2016", "alpha-2014"), ("gamma-2019", "alpha-2014")}


def test_a_documents_own_abbreviations_name_known_documents(tmp_path):
    text = ("# This Vision\n\n## 1 Our plan\n\nThis vision builds on the NSP and responds to the XYZ.\n\n"
            "## Abbreviations\n\n- NSP: the Next Steps plan\n- XYZ: a report nobody has heard of\n")
    assert refs_of(text, tmp_path) == {("this-2019", "builds-on", "plan-2016")}
    without = refs_of(text.replace("## Abbreviations", "## Annex"), tmp_path)
    assert ("this-2019", "builds-on", "plan-2016") not in without
