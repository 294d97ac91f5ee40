import pytest

from corpus.errors import BadQuery
from search.query import search


def test_results_are_ranked_and_highlighted(data):
    results = search(data.index, "obesity")
    assert results.total >= 4
    assert "<mark>obesity</mark>" in str(results.hits[0].highlighted)
    assert {h.document for h in results.hits} == {"alpha-2014", "beta-2016", "gamma-2019"}


def test_stemming_matches_word_forms(data):
    assert search(data.index, "obese").total == search(data.index, "obesity").total


def test_markup_in_a_document_is_shown_as_text(data):
    hit = search(data.index, "sign").hits[0]
    assert "&lt;script&gt;" in str(hit.highlighted)
    assert "<script>" not in str(hit.highlighted)


def test_filters_and_facet_counts(data):
    everything = search(data.index, "obesity")
    years = dict(everything.facets["year"])
    filtered = search(data.index, "obesity", {"year": "2016"})
    assert filtered.total == years["2016"]
    assert {h.year for h in filtered.hits} == {"2016"}


def test_results_carry_section_and_page(data):
    hit = next(h for h in search(data.index, "fleet").hits)
    assert (hit.document, hit.page, hit.section) == ("beta-2016", 5, "3 Air quality")


@pytest.mark.parametrize("query, filters, message", [
    ("", {}, "empty"),
    ("x" * 1001, {}, "longer than"),
    ("obesity", {"colour": "red"}, "cannot filter on colour"),
])
def test_bad_queries(data, query, filters, message):
    with pytest.raises(BadQuery, match=message):
        search(data.index, query, filters)


def test_status_facet_and_filter(data):
    results = search(data.index, "obesity")
    statuses = dict(results.facets["status"])
    assert sum(statuses.values()) == results.total
    assert statuses.get("no deadline", 0) >= 1
    # every fixture deadline (2016 to 2030) is checked against today's date, whatever it is
    for status, count in statuses.items():
        filtered = search(data.index, "obesity", {"status": status})
        assert filtered.total == count
        assert {h.status for h in filtered.hits} == {status}
