import pytest

from search.acronyms import acronym, expand
from search.querylang import parse, unparse


@pytest.mark.parametrize("query, expanded", [
    ("ICS", '(ICS OR "integrated care system")'),
    ("ICSs", '(ICSs OR "integrated care system")'),
    ("integrated care systems", '("integrated care systems" OR ICS)'),
    ('"integrated care system"', '("integrated care system" OR ICS)'),
    ("GP access", '(GP OR "general practice") access'),
    ("A&E waits", '(A&E OR "accident and emergency") waits'),
    ("STIs", '(STIs OR "sexually transmitted infection")'),
    ("Violence Reduction Unit", '("Violence Reduction Unit" OR VRU)'),
    ("his plan", "his plan"),
    ("actor:GLA smoking", "actor:GLA smoking"),
])
def test_acronyms_expand_both_ways(query, expanded):
    assert unparse(expand(parse(query))) == expanded


@pytest.mark.parametrize("word, found", [("ics", "ICS"), ("HIS", "HIS"), ("his", None), ("tbs", "TB"),
                                         ("obesity", None)])
def test_acronyms_are_recognised_in_any_case_but_ordinary_words(word, found):
    assert acronym(word) == found
