"""Suggested commitment links on the bundled corpus, scored against the hand-judged gold list."""

from pathlib import Path

import pytest

from graph.evaluation import load_gold, score_links
from graph.lineage import STATED_IN, STRUCTURE, chains, derived_from, trace_lineage
from graph.linking import suggest_links
from graph.sparql import run_query

GOLD = Path(__file__).parent / "data" / "lineage_gold.toml"


@pytest.fixture(scope="module")
def suggestions(bundled_extractions):
    return suggest_links(bundled_extractions)


def test_the_gold_list_is_big_enough_and_resolves(bundled_extractions):
    gold = load_gold(GOLD, bundled_extractions)
    assert len(gold.links) >= 60 and len(gold.covered) >= 60


def test_precision_and_recall_against_the_gold_list(bundled_extractions, suggestions):
    scores = {s.split: s for s in score_links(suggestions, load_gold(GOLD, bundled_extractions))}
    table = {name: (s.suggested, round(s.precision, 3), round(s.recall, 3)) for name, s in scores.items()}
    # measured 0.882 / 0.443 over all (dev 0.960, held-out test 0.791); the dev half set the weights
    assert scores["all"].precision >= 0.85, table
    assert scores["all"].recall >= 0.40, table
    assert scores["test"].precision >= 0.75, table


def test_links_point_back_in_time_and_carry_both_sentences(bundled_extractions, suggestions):
    issued = {e.document.id: e.document.meta.issued_on for e in bundled_extractions}
    assert suggestions
    for s in suggestions:
        assert issued[s.earlier.document] < issued[s.later.document]
        assert s.later_sentence and s.earlier.text and 0 < s.confidence <= 1


def test_suggested_links_are_qualified_derivations_with_evidence_from_both_documents(bundled):
    rows = run_query(bundled.dataset, """
        SELECT ?d (COUNT(DISTINCT ?src) AS ?sources) WHERE {
          ?later prov:qualifiedDerivation ?d ; prov:wasDerivedFrom ?earlier .
          ?d prov:entity ?earlier ; pg:assertedBy ?run ; pg:evidence ?e . ?e oa:hasSource ?src .
          FILTER(STRENDS(STR(?run), "/run/linker"))
        } GROUP BY ?d""").rows()
    assert len(rows) > 100
    assert all(int(r[1]) == 2 for r in rows)


def test_every_priority_of_our_vision_reaches_2014_or_2015(bundled):
    rows = run_query(bundled.dataset, """
        SELECT ?id WHERE { ?c dcterms:type pg:Priority ; pg:inDocument ?d ; dcterms:identifier ?id .
                           ?d dcterms:identifier "ovl-2019" }""").rows()
    assert len(rows) == 10
    with_commitment_links = 0
    for (ident,) in rows:
        trace = trace_lineage(bundled.lineage, str(ident))
        back = [chain for chain in chains(trace) if chain[-1].year <= 2015]
        assert back, trace.root.label
        links = {(k.source.iri, k.target.iri): k for k in trace.links}
        for chain in back:  # every derivation on the way has a sentence from each of its two ends
            for a, b in zip(chain, chain[1:], strict=False):
                link = links[a.iri, b.iri]
                if link.relation not in STRUCTURE:
                    assert {e.source for e in link.evidence} == {a.document, b.document}, (a.label, b.label)
        own = [k for k in trace.links if k.source == trace.root and k.target.kind == "commitment"
               and k.relation not in STRUCTURE]
        with_commitment_links += bool(own)
        assert all(len(k.evidence) == 2 for k in own)
    assert with_commitment_links >= 9


def test_a_chain_goes_on_through_the_document_where_commitments_end(bundled):
    trace = trace_lineage(bundled.lineage, next(
        n.id for n in (d["info"] for _, d in bundled.lineage.nodes(data=True))
        if n.label.startswith("Priority 4:")))
    hops = [k for k in trace.links if k.relation == STATED_IN]
    assert hops and all(k.source.kind == "commitment" and k.target.kind == "document" for k in hops)
    assert all(k.target.id == k.source.document for k in hops)


def test_networkx_and_sparql_property_paths_agree_on_the_bundled_corpus(bundled):
    nodes = [d["info"] for _, d in bundled.lineage.nodes(data=True)]
    sample = [n for n in nodes if n.label.startswith("Priority")][:10] + [n for n in nodes if n.kind == "document"]
    for node in sample:
        rows = run_query(bundled.dataset, f"""
            SELECT DISTINCT ?id WHERE {{ <{node.iri}> prov:wasDerivedFrom+ ?a . ?a dcterms:identifier ?id }}""")
        assert derived_from(bundled.lineage, node.id) == {str(r[0]) for r in rows.rows()}, node.label


def test_paths_between_two_nodes_agree_with_a_sparql_ask(bundled):
    from graph.lineage import paths_between

    nodes = {d["info"].id: d["info"] for _, d in bundled.lineage.nodes(data=True)}
    pairs = [("ovl-2019", "bhfl-2014"), ("bhfl-2014", "ovl-2019"), ("his-2018", "fyfv-2014"),
             ("pledges-2019", "bhfl-2014")]
    for later, earlier in pairs:
        paths = paths_between(bundled.lineage, later, earlier)
        ask = f"ASK {{ <{nodes[later].iri}> prov:wasDerivedFrom+ <{nodes[earlier].iri}> }}"
        asked = run_query(bundled.dataset, ask)
        assert bool(paths) == asked.result.askAnswer, (later, earlier)
        assert all(p[0].id == later and p[-1].id == earlier for p in paths)
    assert paths_between(bundled.lineage, "ovl-2019", "bhfl-2014")
    assert not paths_between(bundled.lineage, "bhfl-2014", "ovl-2019")


def test_the_weights_are_what_the_dev_half_gives(bundled_extractions):
    from graph.evaluation import fit_weights
    from graph.linking import WEIGHTS

    fitted = fit_weights(bundled_extractions, load_gold(GOLD, bundled_extractions))
    assert fitted == pytest.approx(WEIGHTS, abs=0.05)


def test_a_priority_includes_its_actions_and_their_lineage(bundled):
    from graph.lineage import INCLUDES

    node = next(d["info"] for _, d in bundled.lineage.nodes(data=True) if d["info"].label.startswith("Priority 5:"))
    trace = trace_lineage(bundled.lineage, node.id)
    actions = [k.target for k in trace.links if k.relation == INCLUDES]
    assert actions and all(a.document == "ovl-2019" and a.section == node.section for a in actions)
    chain = next(c for c in chains(trace) if any(n.year <= 2015 and n.kind == "commitment" for n in c))
    assert chain[1] in actions  # the way back to 2015 runs through one of its actions
