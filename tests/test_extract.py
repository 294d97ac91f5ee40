"""Commitment extraction on sentences in the style of UK health policy (written by us)."""

import pytest

from corpus.extract import commitment_id, extract_commitments, find_targets, is_candidate
from corpus.loaders import parse_markdown
from corpus.models import DocumentMeta, Sentence
from corpus.sections import structure

META = DocumentMeta("test-doc", "Test plan", ("NHS England",), "2019-01-07")


def extract(markdown: str):
    return extract_commitments(structure(parse_markdown(markdown), META, "test"))


@pytest.mark.parametrize("sentence, actor, action", [
    ("NHS England will expand the Diabetes Prevention Programme by 2023/24.", "NHS England", "expand"),
    ("We will publish a new tobacco control plan in 2020.", "NHS England", "publish"),
    ("A new urgent care service will be rolled out across London by 2021.", "NHS England", "roll out"),
    ("The Mayor should ban smoking in parks and squares.", "Mayor of London", "ban"),
    ("We are committing to halve childhood obesity by 2030.", "NHS England", "halve"),
    ("London Councils will lobby for powers over fast food outlets.", "London Councils", "lobby"),
    ("Every borough will adopt a healthy workplace charter by 2016.", "London boroughs", "adopt"),
    ("Our ambition is to halve childhood obesity by 2030.", "NHS England", "halve"),
    ("The NHS will continue to invest in mental health services.", "The NHS", "invest"),
    ("London Councils is committed to working with the NHS on prevention.", "London Councils", "work"),
    ("The Mayor's ambition is for every school to join the programme.", "Mayor of London", "join"),
    ("It will be rolled out in 2020.", "NHS England", "roll out"),
    # the actor as written: "London 's NHS" matched no known name, and hyphens and commas were spaced out
    ("London's NHS will open two new gender clinics by 2021.", "The NHS in London", "open"),
    ("Five local and sub-regional pilots will test new ways of working.", "Five local and sub-regional pilots",
     "test"),
    ("The buses, cabs and vans of Riverside will run on electricity by 2025.", "buses, cabs and vans of Riverside",
     "run"),
])
def test_commitments_are_found_with_actor_and_action(sentence, actor, action):
    found = [c for c in extract(f"## 1 Plans\n\n{sentence}\n") if c.kind != "priority"]
    assert len(found) == 1, sentence
    assert found[0].actor == actor
    assert found[0].action == action
    assert found[0].text == sentence


@pytest.mark.parametrize("sentence", [
    "Demand for hospital care will rise by 4% a year.",
    "It is expected that costs will continue to grow.",
    "This will help people to stay well for longer.",
    "Will the government act on sugary drinks?",
    "In 2017, 23% of children in Year 6 were obese.",
    "The programme, which will run until 2021, was launched in 2016.",
    "Over the next five years, the number of people aged over 85 will double.",
    "These changes will mean fewer people need to go to hospital.",
    "It will provide care closer to home.",
    "The Mayor has already launched the Healthy Schools London programme.",
    "In 2015, partners agreed to pilot new ways of working in five areas.",
])
def test_look_alikes_are_not_commitments(sentence):
    assert [c for c in extract(f"## 1 Context\n\n{sentence}\n") if c.kind != "priority"] == []


def test_bullets_take_the_lead_in_actor():
    found = extract("## 2 Actions\n\nThe Mayor will:\n\n- publish a food strategy by 2018;\n"
                    "- fund 20 school projects.\n")
    assert [c.text for c in found] == ["publish a food strategy by 2018;", "fund 20 school projects."]
    assert {c.actor for c in found} == {"Mayor of London"}
    assert found[0].deadline == "by 2018"


def test_priority_headings_become_priorities():
    found = extract("## Priority 3: Improving air quality\n\nPartners will clean the air by 2025.\n")
    kinds = [c.kind for c in found]
    assert kinds == ["priority", "commitment"]
    assert found[0].themes == ("air-quality",)


def test_targets_have_values_units_and_what_they_count():
    targets = find_targets("We will invest £4.5bn so that 345,000 more children get support and 75% are seen.")
    assert [(t.value, t.unit) for t in targets] == [(4.5e9, "GBP"), (345000.0, ""), (75.0, "%")]
    assert targets[1].counts == "more children"


def test_kind_target_needs_a_quantity_and_a_deadline():
    found = extract("## 1 Plans\n\nWe will train 500 more nurses by 2022.\n\nWe will train more nurses.\n")
    assert [c.kind for c in found] == ["target", "commitment"]


def test_ids_are_stable_and_ignore_spacing_and_case():
    assert commitment_id("d", "We  will act.") == commitment_id("d", "we will act.")
    assert commitment_id("d", "We will act.") != commitment_id("e", "We will act.")


def test_prefilter_skips_headings_and_questions():
    assert not is_candidate(Sentence("Will it work?", "", None, 0, 13))
    assert not is_candidate(Sentence("We will act", "", None, 0, 11, is_heading=True))
    assert is_candidate(Sentence("We will act on this.", "", None, 0, 20))


@pytest.mark.parametrize("sentence", ["Chapter 4 will set out our approach to the workforce.",
                                      "The next section will explain how we will measure success.",
                                      "Annex B will list every indicator."])
def test_parts_of_the_document_announcing_what_follows_promise_nothing(sentence):
    from corpus.evaluation import predict
    from corpus.references import AliasTable

    assert predict(sentence, AliasTable([]))[0] is False
