"""Web pages: the main content becomes blocks; navigation, banners and footers do not."""

from pathlib import Path

import pytest

from corpus.errors import CorpusError
from corpus.html import html_metadata, load_html
from corpus.intake import source_for
from corpus.pipeline import run_corpus

PAGE = Path(__file__).parent / "fixtures" / "html" / "riverside-plan.html"


def test_the_main_content_is_kept_in_order():
    blocks = load_html(PAGE)
    assert [(b.kind, b.level) for b in blocks[:3]] == [("heading", 1), ("paragraph", 0), ("heading", 2)]
    texts = [b.text for b in blocks]
    assert "The Council will replace its diesel refuse lorries with electric ones by 2025." in texts
    assert "install 400 on-street charging points by March 2024;" in texts
    assert any("2022 & 2023" in t for t in texts)


@pytest.mark.parametrize("boilerplate", ["cookies", "Skip to main", "Environment", "Open Government Licence",
                                         "parking strategy", "not text"])
def test_boilerplate_is_dropped(boilerplate):
    assert not any(boilerplate in b.text for b in load_html(PAGE))


def test_metadata_comes_from_the_meta_tags():
    assert html_metadata(PAGE) == {"title": "Riverside Air Plan", "publishers": ["Riverside Council"],
                                   "issued": "2021-06-14"}


def test_a_page_yields_commitments_with_deadlines():
    run = run_corpus([source_for(PAGE)])
    assert run.errors == ()
    found = {c.text: c.deadline for c in run.extractions[0].commitments}
    assert found["The Council will replace its diesel refuse lorries with electric ones by 2025."] == "by 2025"
    assert any("charging points" in text for text in found)


@pytest.mark.parametrize("html, message", [
    ("<html><body><nav><p>Home</p></nav><footer><p>Licence</p></footer></body></html>", "no main content"),
    ("", "empty"),
])
def test_pages_without_content_say_so(tmp_path, html, message):
    page = tmp_path / "page.html"
    page.write_text(html)
    with pytest.raises(CorpusError, match=f"page.html: .*{message}"):
        load_html(page)


def test_a_page_in_a_declared_charset_is_decoded(tmp_path):
    page = tmp_path / "latin.html"
    page.write_bytes('<html><head><meta charset="iso-8859-1"></head><body><main><p>Caf\xe9 owners will '
                     'offer free water by 2025.</p></main></body></html>'.encode("iso-8859-1"))
    assert load_html(page)[0].text == "Café owners will offer free water by 2025."


def test_a_page_that_lies_about_its_charset_is_named(tmp_path):
    page = tmp_path / "bad.html"
    page.write_bytes(b'<html><head><meta charset="utf-8"></head><body><p>\xff\xfe bad</p></body></html>')
    with pytest.raises(CorpusError, match="bad.html: cannot decode"):
        load_html(page)
