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
])
def test_unknown_words_get_the_nearest_known_word(index, query, suggestion):
    assert suggest(index, parse(query)) == suggestion
