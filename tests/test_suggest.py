import pytest

from search.querylang import parse
from search.suggest import suggest


@pytest.mark.parametrize("query, suggestion", [
    ("obesety", "obesity"),
    ("childhood obesety", "childhood obesity"),
    ('"low emision zone"', '"low emission zone"'),
    ("obesity", ""),
    ("ICS", ""),
    ("xqzzv", ""),
    # an English word the corpus lacks is not taken for a slip of a word as far from it as a letter
    ("grew", ""),
])
def test_unknown_words_get_the_nearest_known_word(index, query, suggestion):
    assert suggest(index, parse(query)) == suggestion


def test_the_english_word_list_knows_words_and_not_slips():
    from corpus.nlp import english_words

    words = english_words()
    assert {"junk", "grew", "government"} <= words
    assert not {"obesety", "polution", "dementa"} & words
