import pytest

from search.analysis import terms
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
    assert terms("Local organizations will prioritize behavior") == terms(
        "Local organisations will prioritise behaviour")
