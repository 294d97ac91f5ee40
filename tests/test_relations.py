"""How a later commitment relates to an earlier one, and what drifted."""

from dataclasses import replace
from datetime import date

from corpus.models import Commitment
from graph.relations import classify, drift

BASE = Commitment(id="x", document="a", section="", page=1, text="", actor="Mayor of London",
                  actor_is_publisher=False, action="halve", deadline="", deadline_by=None, targets=(),
                  themes=(), strength="will", kind="commitment", confidence=0.9, char_start=0, char_end=0)


def make(text: str, **changes) -> Commitment:
    return replace(BASE, text=text, **changes)


def test_a_later_deadline_weakens_and_an_earlier_one_strengthens():
    before = make("Halve childhood obesity by 2025.", deadline="by 2025", deadline_by=date(2025, 12, 31))
    later = make("Halve childhood obesity by 2030.", deadline="by 2030", deadline_by=date(2030, 12, 31))
    assert classify(later, before, later.text) == "weakens"
    assert classify(before, later, before.text) == "strengthens"
    assert [(c.aspect, c.before, c.after) for c in drift(later, before, later.text)] == [
        ("deadline", "by 2025", "by 2030")]


def test_saying_the_same_again_restates():
    a = make("The Mayor will back Thrive LDN, the citywide movement for better mental health.")
    b = make("The Mayor will back Thrive LDN, the citywide mental health movement.")
    assert classify(b, a, b.text) == "restates"


def test_from_england_to_london_narrows():
    a = make("Every area in England will have a suicide prevention plan.")
    b = make("Every London borough will have a suicide prevention plan agreed with the NHS.")
    assert classify(b, a, b.text) == "narrows"
    assert ("population", "England", "London") in {(c.aspect, c.before, c.after) for c in drift(b, a, b.text)}


def test_a_firm_promise_after_a_recommendation_implements():
    a = make("Boroughs should use planning powers to restrict fast food outlets near schools.",
             strength="should", kind="recommendation")
    b = make("The Mayor will use the London Plan to stop hot food takeaways near schools.")
    assert classify(b, a, b.text) == "implements"


def test_replacing_words_supersede_and_a_new_actor_is_drift():
    a = make("NHS England will publish a workforce plan.", actor="NHS England")
    b = make("This plan replaces the workforce plan promised earlier.", actor="Health Education England")
    assert classify(b, a, b.text) == "supersedes"
    assert ("actor", "NHS England", "Health Education England") in {
        (c.aspect, c.before, c.after) for c in drift(b, a, b.text)}
