from pathlib import Path

import pytest

from corpus.errors import CorpusError
from corpus.loaders import load_blocks, parse_markdown, parse_plain_text

FIXTURES = Path(__file__).parent / "fixtures" / "corpus" / "texts"


def test_markdown_keeps_pages_headings_and_bullets():
    blocks = load_blocks(FIXTURES / "beta-2016.md")
    kinds = [(b.kind, b.page) for b in blocks]
    assert kinds[0] == ("title", None)
    assert ("heading", 4) in kinds
    bullets = [b for b in blocks if b.kind == "bullet"]
    assert [b.text[:5] for b in bullets] == ["train", "ban a"]
    assert all(b.page == 4 for b in bullets)


def test_markdown_heading_levels():
    blocks = parse_markdown("# T\n\n## 1 One\n\ntext.\n\n### 1.1 Sub\n\nmore.\n")
    assert [(b.kind, b.level) for b in blocks if b.kind != "paragraph"] == [("title", 0), ("heading", 1),
                                                                          ("heading", 2)]


def test_plain_text_short_lines_without_full_stop_are_headings():
    blocks = parse_plain_text("Title here\n\nA heading\n\nA sentence that ends.\nIt goes on.\n")
    assert [b.kind for b in blocks] == ["title", "heading", "paragraph"]
    assert blocks[2].text == "A sentence that ends. It goes on."


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"   \n\n", "the file is empty"),
    ("binary.txt", b"\x00\x01\x02abc", "binary file"),
    ("latin.txt", "caf\xe9 policy".encode("latin-1"), "not UTF-8"),
    ("slides.pptx", b"anything", "unsupported file type"),
    ("headings.txt", b"Only a heading\n", "no paragraphs"),
])
def test_bad_files_are_reported_with_their_path(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CorpusError) as info:
        load_blocks(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CorpusError, match="cannot read the file"):
        load_blocks(tmp_path / "nope.md")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_text("We will do this by 2030.\n" * 60_000)  # about 1.5 MB
    monkeypatch.setenv("POLICYGRAPH_MAX_FILE_MB", "1")
    with pytest.raises(CorpusError, match="big.txt: the file is larger than 1 MB"):
        load_blocks(big)
    monkeypatch.setenv("POLICYGRAPH_MAX_FILE_MB", "2")
    assert load_blocks(big)
