import pytest

from search.acronyms import expand_acronyms


@pytest.mark.parametrize("query, expanded", [
    ("ICS", '(ICS OR "integrated care system")'),
    ("integrated care systems", '("integrated care systems" OR ICS)'),
    ("GP access", '(GP OR "general practice") access'),
    ("his plan", "his plan"),
    ('"LTP" smoking', '"LTP" smoking'),
])
def test_acronyms_expand_both_ways(query, expanded):
    assert expand_acronyms(query) == expanded
