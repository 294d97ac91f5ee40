import pytest

from search.analysis import terms, tokens


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


def test_tokens_know_where_they_stand():
    text = "Reduce childhood obesity"
    assert [text[t.start:t.end] for t in tokens(text)] == ["Reduce", "childhood", "obesity"]
