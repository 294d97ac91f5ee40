"""The cited end of a document-level link, on the bundled corpus."""

from graph.citing import best_passage, cited_passages, opening, passages_for


def by_id(extractions, ident):
    return next(e for e in extractions if e.document.id == ident)


def test_a_citing_sentence_finds_the_commitment_it_names(bundled_extractions):
    found = cited_passages(bundled_extractions)
    key = next(k for k in found if k[1] == "ltp-2019" and "fleet air pollutant" in k[0])
    passage = found[key]
    assert passage.matched and "air pollutant emissions from its fleet" in passage.sentence
    assert passage.page == 38


def test_an_aim_named_by_its_heading_finds_the_heading(bundled_extractions):
    found = cited_passages(bundled_extractions)
    key = next(k for k in found if k[1] == "his-2018" and k[0].endswith("Healthy Minds aim."))
    assert found[key].sentence.endswith("Healthy Minds")


def test_a_sentence_that_only_names_the_document_gets_its_opening(bundled_extractions):
    naming = {"better", "health", "london", "build", "vision"}
    bhfl = by_id(bundled_extractions, "bhfl-2014")
    passage = best_passage("This vision builds on Better Health for London.", bhfl, naming)
    assert not passage.matched and passage == opening(bhfl)
    assert passage.sentence.startswith("The London Health Commission was set up")


def test_a_declared_link_without_a_sentence_falls_back_to_the_opening(bundled_extractions):
    found = cited_passages(bundled_extractions)
    passages = passages_for([""], "fyfv-2014", found)
    assert passages == [opening(by_id(bundled_extractions, "fyfv-2014"))]


def test_document_links_carry_evidence_from_both_documents(bundled):
    from graph.sparql import run_query

    rows = run_query(bundled.dataset, """
        SELECT ?d (COUNT(DISTINCT ?src) AS ?sources) WHERE {
          ?later a pg:Document ; prov:qualifiedDerivation ?d . ?d prov:entity ?earlier ; pg:evidence ?e .
          ?earlier a pg:Document . ?e oa:hasSource ?src .
        } GROUP BY ?d""").rows()
    assert len(rows) >= 20
    assert all(int(r[1]) == 2 for r in rows)
