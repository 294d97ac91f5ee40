import pytest

from search.analysis import spans, terms


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


def test_words_know_where_they_stand():
    text = "Reduce the childhood obesity"
    assert [(text[a:b], term) for (a, b), term in spans(text)] == [
        ("Reduce", "reduc"), ("the", ""), ("childhood", "childhood"), ("obesity", "obes")]
