import pytest

from corpus.errors import BadQuery
from search.querylang import All, Any, Field, Not, Phrase, Word, parse, split_filters, unparse, words_of


@pytest.mark.parametrize("query, tree", [
    ("obesity", Word("obesity")),
    ("obesity children", All((Word("obesity"), Word("children")))),
    ("obesity AND children", All((Word("obesity"), Word("children")), strict=True)),
    ('"social prescribing"', Phrase("social prescribing")),
    ("alcohol OR drugs", Any((Word("alcohol"), Word("drugs")))),
    ("smoking NOT pregnancy", All((Word("smoking"), Not(Word("pregnancy"))))),
    ("smoking -pregnancy", All((Word("smoking"), Not(Word("pregnancy"))))),
    ("(air OR noise) pollution", All((Any((Word("air"), Word("noise"))), Word("pollution")))),
    ('actor:"NHS England"', Field("actor", "NHS England")),
    ("Document:ltp-2019", Field("document", "ltp-2019")),
    ("colour:red", Word("colour:red")),
    ("covid-19", Word("covid-19")),
    ('"unclosed phrase', Phrase("unclosed phrase")),
])
def test_parse(query, tree):
    assert parse(query) == tree


@pytest.mark.parametrize("query, message", [
    ("(air pollution", "closing"), ("air)", "unbalanced"), ('""', "nothing"), ("NOT", "nothing"),
    ("AND OR", "nothing"),
])
def test_bad_queries_say_what_is_wrong(query, message):
    with pytest.raises(BadQuery, match=message):
        parse(query)


def test_top_level_fields_become_filters_and_nested_ones_stay():
    rest, fields = split_filters(parse("obesity year:2019 (document:his-2018 OR actor:GLA)"))
    assert fields == [Field("year", "2019")]
    assert isinstance(rest, All) and Any((Field("document", "his-2018"), Field("actor", "GLA"))) in rest.nodes


def test_words_to_mark_leave_out_negated_ones():
    assert words_of(parse('obesity "sugar tax" NOT smoking')) == ["obesity", "sugar tax"]


@pytest.mark.parametrize("query", ['obesity "sugar tax" NOT smoking', "(a OR b) c", 'actor:"NHS England" x',
                                   "a AND b c"])
def test_unparse_round_trips(query):
    assert parse(unparse(parse(query))) == parse(query)
