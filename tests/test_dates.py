from datetime import date

import pytest

from corpus.dates import find_deadline


@pytest.mark.parametrize("sentence, written, by", [
    ("By 2023/24 every trust will offer it.", "By 2023/24", date(2024, 3, 31)),
    ("We will do this by April 2021.", "by April 2021", date(2021, 4, 30)),
    ("The plan will be published in 2020.", "in 2020", date(2020, 12, 31)),
    ("We aim to halve it by 2030, from 2019 levels.", "by 2030", date(2030, 12, 31)),
    ("Partners will act within five years of publication.", "within five years of publication", date(2024, 1, 7)),
    ("We will end it by the end of the decade.", "by the end of the decade", date(2029, 12, 31)),
    ("We will finish by the end of 2020.", "by the end of 2020", date(2020, 12, 31)),
    ("In 2019/20 we start, and by 2028 we finish.", "by 2028", date(2028, 12, 31)),
])
def test_deadlines_resolve_to_the_last_day_they_allow(sentence, written, by):
    deadline = find_deadline(sentence, "2019-01-07")
    assert deadline is not None
    assert (deadline.text, deadline.by) == (written, by)


@pytest.mark.parametrize("sentence", [
    "We will keep working with partners.",
    "The service covers 2019/22 in total.",
])
def test_no_deadline(sentence):
    assert find_deadline(sentence, "2019-01-07") is None


@pytest.mark.parametrize("by, today, status", [
    (None, date(2020, 1, 1), "no deadline"),
    (date(2024, 3, 31), date(2024, 3, 31), "due"),
    (date(2024, 3, 31), date(2024, 4, 1), "overdue"),
])
def test_deadline_status(by, today, status):
    from corpus.dates import deadline_status

    assert deadline_status(by, today) == status


@pytest.mark.parametrize("sentence, last_day", [
    ("It will close before 2022.", "2021-12-31"),
    ("We will act before April 2021.", "2021-03-31"),
    ("This will be done before 2023/24.", "2023-03-31"),
])
def test_before_allows_up_to_the_day_before(sentence, last_day):
    assert find_deadline(sentence, "2019-06-01").by.isoformat() == last_day


def test_a_superseded_commitment_is_superseded_from_that_day_on():
    from datetime import date

    from corpus.dates import deadline_status

    by, replaced = date(2025, 12, 31), date(2019, 10, 2)
    assert deadline_status(by, date(2019, 10, 1), replaced) == "due"
    assert deadline_status(by, date(2019, 10, 2), replaced) == "superseded"
    assert deadline_status(None, date(2020, 1, 1), replaced) == "superseded"
