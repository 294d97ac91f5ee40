from search.highlight import SNIPPET, highlight


def test_matched_words_are_marked_in_their_written_form():
    marked = str(highlight("Londoners who smoke will be offered help to stop smoking.", ["smoking"]))
    assert marked.count("<mark>") == 2 and "<mark>smoke</mark>" in marked


def test_text_is_escaped_before_marks_are_added():
    marked = str(highlight('Take down <script>alert("x")</script> signs', ["script", "signs"]))
    assert "<script>" not in marked and "&lt;<mark>script</mark>&gt;" in marked


def test_a_long_passage_is_cut_to_a_window_around_the_first_match():
    text = "filler words here " * 40 + "the obesity target " + "more filler text " * 40
    marked = str(highlight(text, ["obesity"], whole=False))
    assert "<mark>obesity</mark>" in marked
    assert marked.startswith("… ") and marked.endswith(" …")
    assert len(marked) < SNIPPET + 60
