import pytest

from search.analysis import spans_of, terms


@pytest.mark.parametrize("text, expected", [
    ("Cut A&E waits", ["cut", "a&e", "wait"]),
    ("by 2023/24", ["2023/24"]),
    ("£4.5bn a year", ["4.5bn", "year"]),
    ("1,000 link workers", ["1000", "link", "worker"]),
    ("London's boroughs", ["london", "borough"]),
    ("the NHS will", ["nh"]),
])
def test_terms_keep_numbers_financial_years_and_ampersands(text, expected):
    assert terms(text) == expected


def test_the_words_asked_for_know_where_they_stand_in_every_written_form():
    text = "Reduce the childhood obesity; obese children"
    wanted = frozenset(terms("obesity") + terms("the"))
    assert [text[a:b] for a, b in spans_of(text, wanted)] == ["obesity", "obese"]
    assert spans_of(text, frozenset()) == []
