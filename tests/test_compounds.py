"""Hyphenated words in a query: their parts as a phrase, or the word written as one."""

import pytest

from search.compounds import expand_compounds
from search.query import search
from search.querylang import parse, unparse


@pytest.mark.parametrize("query, expanded", [
    ("well-being", '("well being" OR wellbeing)'),
    ("co-ordinated care", '("co ordinated" OR coordinated) care'),
    ("e-cigarettes", "ecigarettes"),  # "e" is no term, so the phrase would be "cigarettes" alone
    ("smoking -vaping", "smoking NOT vaping"),
    ('"well-being boards"', '"well-being boards"'),
    ("e-cig*", "e-cig*"),
    ("2023-24", "2023/24"),
    ("2023–24", "2023/24"),
])
def test_a_hyphenated_word_is_asked_for_either_way(query, expanded):
    assert unparse(expand_compounds(parse(query))) == expanded


def test_either_spelling_finds_the_other(bundled_index):
    # the bundled documents write "wellbeing" and "e-service"
    hyphened = search(bundled_index, "well-being", limit=50)
    assert hyphened.total and [h.id for h in hyphened.hits] == [h.id for h in search(bundled_index, "wellbeing",
                                                                                          limit=50).hits]
    joined = search(bundled_index, "eservice", limit=50)
    assert [h.id for h in joined.hits] == [h.id for h in search(bundled_index, "e-service", limit=50).hits]
    assert len(joined.hits) == 1 and "<mark>e-service</mark>" in str(joined.hits[0].highlighted)


def test_a_financial_year_is_found_however_it_is_written(bundled_index):
    slashed = search(bundled_index, "2023/24", limit=50)
    assert slashed.total and [h.id for h in search(bundled_index, "2023-24", limit=50).hits] == [
        h.id for h in slashed.hits]
