import pytest

from search.analysis import compounds, spans_of, terms


@pytest.mark.parametrize("text, expected", [
    ("Cut A&E waits", ["cut", "a&e", "wait"]),
    ("by 2023/24", ["2023/24"]),
    ("£4.5bn a year", ["4.5", "billion", "year"]),
    ("£4.5 billion a year", ["4.5", "billion", "year"]),
    ("£1,200m and 2mn people", ["1200", "million", "2", "million", "peopl"]),
    ("10mg", ["10mg"]),
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


def test_an_amount_written_short_is_marked_in_either_form():
    text = "at least £4.5 billion a year, the £4.5bn promised"
    assert [text[a:b] for a, b in spans_of(text, frozenset(terms("£4.5bn")))] == ["4.5", "billion", "4.5bn"]


def test_a_hyphenated_word_is_its_parts_and_also_one_word():
    text = "health and well-being boards, e-cigarettes and COVID-19 in 2019-20"
    assert terms(text) == ["health", "well", "be", "board", "cigarett", "covid", "19", "2019", "20"]
    assert compounds(text) == ["wellb", "ecigarett", "covid19", "2019/20"]
    wanted = frozenset(terms("wellbeing") + terms("boards"))
    assert [text[a:b] for a, b in spans_of(text, wanted)] == ["well-being", "boards"]
    assert [text[a:b] for a, b in spans_of(text, frozenset(terms("well")))] == ["well"]


def test_a_financial_year_written_with_a_dash_is_also_written_with_a_slash():
    text = "by 2023-24 and in 2019–20, not 1990-2000"
    assert compounds(text) == ["2023/24", "2019/20"]
    assert [text[a:b] for a, b in spans_of(text, frozenset(["2023/24", "2019/20"]))] == ["2023-24", "2019–20"]
