"""Settings: defaults, then POLICYGRAPH_* variables, then explicit values; wrong ones named at once."""

import pytest

from corpus.errors import BadInput
from settings import from_environment, memory_choice
from web import create_app


@pytest.mark.parametrize(("value", "choice"), [("auto", None), ("1", True), (1, True), (True, True), ("yes", True),
                                               ("0", False), (0, False), ("No", False), (" false ", False)])
def test_graph_in_memory_is_auto_on_or_off(value, choice):
    assert memory_choice({"GRAPH_IN_MEMORY": value}) is choice


def test_graph_in_memory_is_auto_by_default(monkeypatch):
    monkeypatch.delenv("POLICYGRAPH_GRAPH_IN_MEMORY", raising=False)
    assert memory_choice(from_environment()) is None


def test_a_wrong_graph_in_memory_is_named_before_anything_is_served(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICYGRAPH_GRAPH_IN_MEMORY", "sometimes")
    with pytest.raises(BadInput, match="POLICYGRAPH_GRAPH_IN_MEMORY must be auto, 1 or 0, not 'sometimes'"):
        create_app({"DATA_DIR": str(tmp_path)})


def test_a_number_setting_that_is_not_a_number_is_named(monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_PAGE_SIZE", "twenty")
    with pytest.raises(BadInput, match="POLICYGRAPH_PAGE_SIZE must be a whole number, not 'twenty'"):
        from_environment()


def test_a_negative_search_best_of_is_named(monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_SEARCH_BEST_OF", "-1")
    with pytest.raises(BadInput, match="POLICYGRAPH_SEARCH_BEST_OF must be 0 or more, not -1"):
        from_environment()


def test_explicit_values_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_PAGE_SIZE", "30")
    assert from_environment()["PAGE_SIZE"] == 30
    assert from_environment({"PAGE_SIZE": 5})["PAGE_SIZE"] == 5
