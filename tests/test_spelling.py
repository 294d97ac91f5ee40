import pytest

from search.schema import analyzer
from search.spelling import fold


@pytest.mark.parametrize("american, british", [
    ("organization", "organisation"), ("organizations", "organisations"), ("prioritize", "prioritise"),
    ("analyze", "analyse"), ("behavior", "behaviour"), ("programs", "programmes"), ("center", "centre"),
    ("pediatric", "paediatric"), ("counseling", "counselling"),
])
def test_american_spellings_fold_to_british(american, british):
    assert fold(american) == british
    assert fold(british) == british


@pytest.mark.parametrize("word", ["size", "prize", "citizen", "seize", "colours", "health"])
def test_other_words_are_left_alone(word):
    assert fold(word) == word


def test_the_analyzer_treats_both_spellings_alike():
    tokens = lambda text: [t.text for t in analyzer()(text)]  # noqa: E731
    assert tokens("Local organizations will prioritize behavior") == tokens(
        "Local organisations will prioritise behaviour")
