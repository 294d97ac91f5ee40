"""Truncated words (`child*`), on every engine of the fixture corpus and as the query language's pure parts."""

import pytest

from corpus.errors import BadQuery
from search.query import search
from search.wildcards import MOST, standing_for


def ids(results):
    return [h.id for h in results.hits]


def test_a_prefix_finds_what_its_words_find_together(index):
    truncated = search(index, "child*", limit=100)
    spelt_out = search(index, "child OR childhood OR children", limit=100)
    assert truncated.total == spelt_out.total > search(index, "children", limit=100).total
    assert ids(truncated) == ids(spelt_out)
    marked = " ".join(str(h.highlighted) for h in truncated.hits)
    assert "<mark>childhood</mark>" in marked and "<mark>children</mark>" in marked


def test_a_prefix_longer_than_the_stem_still_finds_the_word(index):
    # "obesity" is indexed as "obes": the prefix is matched against the words as written
    assert ids(search(index, "obesit*", limit=100)) == ids(search(index, "obesity", limit=100))


def test_a_prefix_combines_like_a_word(index):
    without = search(index, "health* NOT child*", limit=100)
    assert without.total
    assert ids(without) == ids(search(index, "(health OR healthy OR healthier) NOT (child OR childhood OR children)",
                                      limit=100))
    assert not set(ids(without)) & set(ids(search(index, "child*", limit=100)))
    filtered = search(index, "obesity", {"year": "2016"}, limit=100)
    assert ids(search(index, "obes* year:2016", limit=100)) == ids(filtered)


def test_a_prefix_no_word_starts_with_finds_nothing(index):
    assert search(index, "zqxv*").total == 0


@pytest.mark.parametrize("query", ["ob*", "(a* OR obesity)", "obesity NOT he*"])
def test_a_prefix_of_fewer_than_three_letters_is_refused_by_name(index, query):
    with pytest.raises(BadQuery, match=r"too short to end in \*.*3 letters"):
        search(index, query)


def test_each_term_is_searched_once_in_its_commonest_form():
    counts = {"smoke": 4, "smoking": 9, "smoker": 2, "smokers": 3, "smokeless": 1}
    # smoke and smoking share a stem (as do smoker and smokers); the commonest stem comes first
    assert standing_for(sorted(counts), counts) == ["smoking", "smokers", "smokeless"]


def test_stop_words_are_not_searched_and_at_most_the_commonest_terms_are():
    assert standing_for(["this", "thistle"], {"this": 50, "thistle": 1}) == ["thistle"]
    counts = {f"care{chr(97 + n // 26)}{chr(97 + n % 26)}x": n for n in range(MOST + 10)}
    kept = standing_for(sorted(counts), counts)
    assert len(kept) == MOST
    assert set(kept) == {w for w, n in counts.items() if n >= 10}
