"""The bundled London corpus: complete, in our own format, and rich enough for the product's promises."""

import math
from collections import Counter

import pytest

from corpus.manifest import bundled_corpus_dir, load_manifest
from graph.examples import load_examples
from graph.lineage import trace_lineage
from graph.sparql import run_query
from search.query import search

DOCUMENTS = {"bhfl-2014", "bhfl-next-steps-2015", "fyfv-2014", "collab-agreement-2015", "devolution-mou-2017",
             "his-2018", "ltp-2019", "prevention-green-paper-2019", "pledges-2019", "ovl-2019"}
AT_LEAST_25 = {"ltp-2019", "his-2018", "prevention-green-paper-2019", "bhfl-2014", "ovl-2019"}


@pytest.fixture(scope="module")
def manifest():
    return {m.id: m for m in load_manifest(bundled_corpus_dir() / "manifest.toml")}


def test_every_document_is_in_the_manifest_with_its_file(manifest):
    assert set(manifest) == DOCUMENTS
    for meta in manifest.values():
        assert (bundled_corpus_dir() / meta.file).is_file(), meta.file
        assert meta.url.startswith("https://")
        assert meta.note.startswith("digest written by the policygraph authors; the official publication is at ")
        assert meta.url in meta.note


def test_manifest_relations_point_only_to_earlier_documents(manifest):
    for meta in manifest.values():
        for _, other in meta.relations:
            assert manifest[other].issued <= meta.issued, (meta.id, other)


def test_the_build_read_every_file(bundled):
    assert bundled.info.errors == ()
    assert bundled.info.documents == len(DOCUMENTS)


def test_at_least_300_commitments_and_25_in_the_main_documents(bundled):
    rows = run_query(bundled.dataset, """
        SELECT ?doc (COUNT(?c) AS ?n) WHERE { ?c a pg:Commitment ; pg:inDocument/dcterms:identifier ?doc ;
                                              dcterms:type ?t FILTER(?t != pg:Priority) } GROUP BY ?doc""").rows()
    counts = {str(d): int(n) for d, n in rows}
    assert sum(counts.values()) >= 300, counts
    for doc in AT_LEAST_25:
        assert counts.get(doc, 0) >= 25, (doc, counts)


def test_our_vision_for_london_has_ten_priorities_each_with_a_commitment(bundled):
    rows = run_query(bundled.dataset, """
        SELECT ?n (COUNT(?c) AS ?k) WHERE {
          ?p dcterms:type pg:Priority ; pg:inDocument/dcterms:identifier "ovl-2019" ; schema:position ?n ;
             pg:statedIn ?sec .
          OPTIONAL { ?c pg:statedIn ?sub . ?sub dcterms:isPartOf* ?sec . ?c dcterms:type ?t FILTER(?t != pg:Priority) }
        } GROUP BY ?n ORDER BY ?n""").rows()
    assert [int(n) for n, _ in rows] == list(range(1, 11))
    assert all(int(k) >= 1 for _, k in rows), rows


def test_our_vision_for_london_descends_from_2014(bundled):
    trace = trace_lineage(bundled.lineage, "ovl-2019")
    ancestors = {n.id for n in trace.ancestors}
    assert {"bhfl-2014", "ltp-2019", "his-2018"} <= ancestors
    assert min(n.year for n in trace.ancestors) == 2014
    assert all(link.evidence for link in trace.links)


def test_obesity_search_spans_at_least_three_documents(bundled_index):
    results = search(bundled_index, "obesity", limit=50)
    assert len({h.document for h in results.hits}) >= 3
    assert sum("<mark>" in str(h.highlighted) for h in results.hits) >= 3


@pytest.mark.parametrize("query", ["integrated care systems", '"air quality"', "ICS"])
def test_every_score_is_a_number_and_a_short_page_is_the_top_of_a_long_one(bundled_index, query):
    # a record whose heading has one word or none has no heading pairs: Whoosh once made that a NaN length,
    # and every phrase found in a heading scored NaN, so a page of one or two came back empty
    whole = search(bundled_index, query, limit=50)
    assert whole.hits and all(math.isfinite(h.score) for h in whole.hits)
    for size in (1, 2, 3):
        assert [h.id for h in search(bundled_index, query, limit=size).hits] == [h.id for h in whole.hits][:size]


def test_an_acronym_widens_like_a_word(bundled_index):
    # fewer than ten records hold A&E (or accident and emergency) and both other words: those with some follow
    widened = search(bundled_index, "A&E waiting times", limit=50)
    assert widened.total == search(bundled_index, "A&E OR waiting OR times", limit=50).total > 0
    assert widened.every_word == search(bundled_index, "A&E AND waiting AND times").total


def test_an_amount_is_found_however_it_is_written(bundled_index):
    # the Long Term Plan writes "£4.5 billion"; an analyst quoting the press writes "£4.5bn"
    short = search(bundled_index, "£4.5bn", limit=10)
    assert [h.document for h in short.hits] == ["ltp-2019"]
    assert "<mark>4.5</mark> <mark>billion</mark>" in str(short.hits[0].highlighted)
    assert [h.id for h in short.hits] == [h.id for h in search(bundled_index, '"4.5 billion"', limit=10).hits]


def test_commitments_mostly_have_pages_and_actors(bundled):
    rows = run_query(bundled.dataset, """
        SELECT ?page ?actor WHERE { ?c a pg:Commitment ; pg:actor/skos:prefLabel ?actor .
                                    OPTIONAL { ?c schema:pageStart ?page } }""").rows()
    with_page = sum(1 for page, _ in rows if page is not None)
    assert with_page / len(rows) > 0.9
    assert Counter(str(a) for _, a in rows).most_common(1)[0][1] < len(rows) / 2


def test_the_bundled_build_conforms_to_the_shapes(bundled):
    from graph.validate import validate_dataset

    report = validate_dataset(bundled.dataset)
    assert report.conforms, [f for f in report.findings if f.severity == "Violation"][:5]


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_every_example_query_returns_rows(bundled, example):
    assert example.title and example.description
    assert run_query(bundled.dataset, example.query).rows(), example.name


def test_american_spelling_finds_british_text(bundled_index):
    british = search(bundled_index, "organisations")
    assert british.total > 0
    assert search(bundled_index, "organizations").total == british.total


@pytest.mark.parametrize("acronym, phrase", [("ICS", "integrated care system"), ("TB", "tuberculosis"),
                                              ("ULEZ", "ultra low emission zone")])
def test_acronym_and_its_expansion_find_each_other(bundled_index, acronym, phrase):
    by_acronym = {h.id for h in search(bundled_index, acronym, limit=100).hits}
    by_phrase = {h.id for h in search(bundled_index, f"{phrase}", limit=100).hits}
    assert by_acronym and by_acronym == by_phrase
