"""Search behaviour, run against both engines (the `index` fixture is built once with each)."""

import os
from datetime import date

import numpy as np
import pytest

from corpus.errors import BadQuery
from search.index import open_index
from search.query import FACETS, contenders, search


def ids(results):
    return [h.id for h in results.hits]


def test_results_are_ranked_and_highlighted(index):
    results = search(index, "obesity")
    assert results.total >= 4
    assert "<mark>obesity</mark>" in str(results.hits[0].highlighted)
    assert {h.document for h in results.hits} == {"alpha-2014", "beta-2016", "gamma-2019"}
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_stemming_matches_word_forms(index):
    assert search(index, "obese").total == search(index, "obesity").total


def test_markup_in_a_document_is_shown_as_text(index):
    hit = search(index, "sign").hits[0]
    assert "&lt;script&gt;" in str(hit.highlighted)
    assert "<script>" not in str(hit.highlighted)


def test_filters_and_facet_counts_agree(index):
    everything = search(index, "obesity")
    for name in ("year", "document", "kind"):
        for value, count in everything.facets[name]:
            filtered = search(index, "obesity", {name: value}, limit=100)
            assert filtered.total == count, (name, value)
            assert {getattr(h, name) for h in filtered.hits} == {value}


def test_field_filters_in_the_query_equal_facet_filters(index):
    assert ids(search(index, "obesity year:2016")) == ids(search(index, "obesity", {"year": "2016"}))
    by_document = search(index, "obesity", {"document": "beta-2016"})
    assert ids(search(index, 'obesity document:"beta-2016"')) == ids(by_document)


def test_boolean_operators(index):
    both = search(index, "obesity AND children", limit=100)
    either = search(index, "obesity OR children", limit=100)
    without = search(index, "obesity NOT children", limit=100)
    obesity = search(index, "obesity", limit=100)
    assert both.total <= obesity.total <= either.total
    assert without.total < obesity.total
    assert not set(ids(without)) & set(ids(both))
    assert without.total + both.total == obesity.total


def test_not_beside_other_words_and_filters(index):
    """NOT among several parts, and NOT alone, exclude the same records however the engine arranges them."""
    everything = set(ids(search(index, "obesity", limit=100)))
    children = set(ids(search(index, "obesity AND children", limit=100)))
    assert set(ids(search(index, "obesity NOT children", limit=100))) == everything - children
    in_2016 = set(ids(search(index, "obesity year:2016", limit=100)))
    assert set(ids(search(index, "obesity NOT children year:2016", limit=100))) == in_2016 - children
    alone = set(ids(search(index, "NOT obesity", limit=100)))
    assert alone and not alone & everything


def test_phrases_need_the_words_together(index):
    phrase = search(index, '"low emission zone"', limit=100)
    words = search(index, "zone low emission", limit=100)
    assert phrase.total >= 1 and phrase.total <= words.total
    assert all("low emission zone" in h.text.lower() for h in phrase.hits)


def test_results_carry_section_and_page(index):
    hit = next(h for h in search(index, "fleet").hits if h.kind != "passage")
    assert (hit.document, hit.page, hit.section) == ("beta-2016", 5, "3 Air quality")


def test_passages_and_documents_are_found_too(index):
    kinds = dict(search(index, "Riverside", limit=100).facets["kind"])
    assert kinds.get("passage") and kinds.get("document")


def test_a_passage_is_grouped_under_a_commitment_it_holds(index):
    results = search(index, "fleet", limit=100)
    commitment = next(h for h in results.hits if h.kind != "passage")
    assert not any(h.kind == "passage" and commitment.text in h.text for h in results.hits)


def test_misspelt_words_are_corrected_when_nothing_matches(index):
    results = search(index, "obesety")
    assert results.corrected and results.suggestion == "obesity"
    assert ids(results) == ids(search(index, "obesity"))


def test_sort_by_deadline_puts_the_soonest_first(index):
    results = search(index, "obesity", sort="deadline", limit=100)
    dated = [h for h in results.hits if h.deadline]
    assert len(dated) >= 2
    days = [index.store.record(h.id)["deadline_by"] for h in dated]
    assert days == sorted(days)


def test_sort_by_date_puts_the_newest_first(index):
    years = [h.year for h in search(index, "obesity", sort="date", limit=100).hits]
    assert years == sorted(years, reverse=True)


def test_pages_of_results_do_not_overlap(index):
    first, second = search(index, "Riverside", limit=3), search(index, "Riverside", limit=3, offset=3)
    assert first.total == second.total and not set(ids(first)) & set(ids(second))


def test_a_filter_alone_lists_everything_it_selects(index):
    results = search(index, "", {"document": "beta-2016"}, limit=500)
    assert results.total > 0 and {h.document for h in results.hits} == {"beta-2016"}


@pytest.mark.parametrize("query, filters, message", [
    ("", {}, "empty"),
    ("x" * 1001, {}, "longer than"),
    ("obesity", {"colour": "red"}, "cannot filter on colour"),
    ("(obesity", {}, "closing"),
])
def test_bad_queries(index, query, filters, message):
    with pytest.raises(BadQuery, match=message):
        search(index, query, filters)


def test_unknown_sort_is_refused(index):
    with pytest.raises(BadQuery, match="cannot sort by"):
        search(index, "obesity", sort="colour")


@pytest.mark.parametrize("query, filters, message", [
    ("obesity year:201", {}, "year:201 is not a year"),
    ("obesity", {"deadline": "2030s"}, "deadline:2030s is not a year"),
    ("(obesity OR year:twenty)", {}, "year:twenty is not a year"),
    ("kind:comitment", {}, "no kind comitment (use priority, commitment"),
    ("obesity", {"kind": "pledge"}, "no kind pledge"),
])
def test_a_year_or_kind_no_record_can_have_is_refused_by_name(index, query, filters, message):
    with pytest.raises(BadQuery) as refused:
        search(index, query, filters)
    assert message in str(refused.value)


def test_kinds_and_years_are_taken_in_any_case(index):
    assert ids(search(index, "obesity KIND:Commitment", limit=50)) == ids(search(index, "obesity kind:commitment",
                                                                                 limit=50))
    assert search(index, "obesity", {"kind": "Commitment", "year": "2016"}).total


def test_status_facet_and_filter(index):
    results = search(index, "obesity kind:commitment")
    statuses = dict(results.facets["status"])
    assert sum(statuses.values()) == results.total
    for status, count in statuses.items():
        filtered = search(index, "obesity kind:commitment", {"status": status})
        assert filtered.total == count
        assert {h.status for h in filtered.hits} == {status}


def test_status_is_worked_out_as_of_the_day_asked(index):
    past = search(index, "obesity", {"status": "due"}, today=date(2000, 1, 1))
    future = search(index, "obesity", {"status": "overdue"}, today=date(2100, 1, 1))
    assert past.total == future.total > 0


def test_every_facet_is_counted(index):
    assert set(search(index, "obesity").facets) == set(FACETS)


@pytest.mark.parametrize("cache_size", [0, 16])
def test_an_update_replaces_one_document_and_open_readers_see_it(tmp_path, index, cache_size):
    import shutil

    from search.index import open_index, update_index

    copy = tmp_path / "index"
    shutil.copytree(index.path, copy)
    reader = open_index(copy, cache_size)  # a cache must not keep answering from before the update
    before = search(reader, "obesity", limit=100)
    assert search(reader, "obesity", limit=100) == before
    assert search(reader, "zeppe*").total == 0  # the sorted vocabulary is made now, and must be made again
    replacement = {"id": "beta-new", "kind": "commitment", "text": "The Council will end obesity and add a "
                   "zeppelin service by 2030.", "heading": "1 New", "document": "beta-2016",
                   "document_title": "Beta", "publishers": ["Riverside Council"], "year": 2016, "issued": "2016-01-01",
                   "actor": "Riverside Council", "themes": [], "deadline": "by 2030", "deadline_by": "2030-12-31",
                   "section": "1 New", "page": 1, "passage": "", "parent": ""}
    assert update_index(copy, {"beta-2016"}, [replacement]) == 1

    after = search(reader, "obesity", limit=100)
    documents = dict(after.facets["document"])
    assert documents["beta-2016"] == 1 and "alpha-2014" in documents
    assert after.total < before.total
    assert [h.id for h in search(reader, "zeppelin").hits] == ["beta-new"]
    assert [h.id for h in search(reader, "zeppe*").hits] == ["beta-new"]
    assert search(reader, "zepelin").suggestion == "zeppelin"


def test_stop_words_ask_for_nothing(index):
    assert ids(search(index, "obesity and the children", limit=50)) == ids(search(index, "obesity children", limit=50))


def test_records_with_every_word_come_before_those_with_some(whole_index):
    narrow = search(whole_index, "obesity zeppelin", limit=50)
    assert narrow.total == search(whole_index, "obesity", limit=50).total
    assert narrow.every_word == 0
    both = search(whole_index, "childhood obesity", limit=50)
    holds_both = [("childhood" in h.text.lower() and "obes" in h.text.lower()) for h in both.hits]
    assert holds_both == sorted(holds_both, reverse=True) and holds_both[0]


def test_a_widened_search_says_how_many_hold_every_word(index):
    widened = search(index, "obesity school", limit=50)
    strict = search(index, "obesity AND school", limit=50)
    assert 0 < strict.total < widened.total
    assert widened.every_word == strict.total and strict.every_word == strict.total
    assert search(index, "obesity").every_word == search(index, "obesity").total


@pytest.mark.parametrize("field", ["publisher", "deadline", "actor", "theme"])
def test_every_facet_value_works_as_a_field_in_the_query(index, field):
    everything = search(index, "obesity OR emission", limit=100)
    for value, count in everything.facets[field]:
        quoted = f'"{value}"' if " " in value else value
        assert search(index, f"(obesity OR emission) {field}:{quoted}", limit=100).total == count, value


def test_past_the_counting_limit_totals_and_facets_are_marked_approximate(index):
    broad = "Riverside OR obesity OR emission OR council OR school OR children OR health"
    exact = search(index, broad, limit=2)
    assert not exact.approximate
    bounded = search(open_index(index.path, best_of=3), broad, limit=2)
    # each half of the split index matches fewer records than the first page asks of it, so lists them all
    whole = len(getattr(index.engine, "indexes", ())) < 2
    assert bounded.approximate == (index.backend == "tantivy" and whole)
    if not bounded.approximate:
        assert (bounded.total, bounded.facets) == (exact.total, exact.facets)
    assert [h.id for h in bounded.hits] == [h.id for h in exact.hits]
    assert bounded.total >= len(bounded.hits)


def test_a_best_of_0_brings_every_match_in(index):
    broad = "Riverside OR obesity OR emission OR council OR school OR children OR health"
    exact, every = search(index, broad, limit=2), search(open_index(index.path, best_of=0), broad, limit=2)
    assert not every.approximate
    assert (every.total, every.facets, every.hits) == (exact.total, exact.facets, exact.hits)


def test_status_and_minus_written_in_the_query(index):
    by_filter = search(index, "obesity", {"status": "no deadline"}, limit=100)
    assert ids(search(index, 'obesity status:"no deadline"', limit=100)) == ids(by_filter)
    assert ids(search(index, "obesity -children", limit=100)) == ids(search(index, "obesity NOT children", limit=100))


@pytest.mark.parametrize("seed", range(20))
def test_sorting_only_the_contenders_gives_the_same_best_as_sorting_all(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 400))
    rows = rng.permutation(10 * size)[:size]
    scores = rng.integers(0, 6, size).astype(float)  # few distinct scores, so the last place is often a tie
    first = rng.random(size) < rng.random()
    for wanted in (1, 5, 20, size, size + 3):
        kept_rows, kept_scores, kept_first = contenders(rows, scores, first, wanted)
        every = np.lexsort((rows, -scores, ~first))[:wanted]
        kept = np.lexsort((kept_rows, -kept_scores, ~kept_first))[:wanted]
        assert kept_rows[kept].tolist() == rows[every].tolist()


@pytest.mark.parametrize("name", ["tantivy", "tantivy-split"])
def test_each_part_of_a_new_tantivy_index_is_one_segment(fixture_indexes, name):
    # a part in several segments keeps a list of best hits for each and merges them: a tenth slower at L
    parts = fixture_indexes(name).engine.indexes
    assert [part.searcher().num_segments for part in parts] == [1] * len(parts)


def test_a_part_is_given_memory_for_one_segment_as_far_as_the_machine_allows():
    from search.tantivy_engine import BYTES_A_RECORD, HEAP, MOST_HEAP, heap_for

    machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert heap_for(30, 1) == HEAP // 2
    assert heap_for(100_000, 2) == min(100_000 * BYTES_A_RECORD, machine // 8)
    assert heap_for(10**9, 1) == min(MOST_HEAP, machine // 4)
