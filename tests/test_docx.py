"""Word documents, written here with python-docx from our own text."""

from datetime import datetime
from pathlib import Path

import pytest
from docx import Document

from corpus.docx import docx_metadata, load_docx
from corpus.errors import CorpusError
from corpus.intake import source_for
from corpus.pipeline import run_corpus


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    document = Document()
    document.core_properties.title = "Riverside Carers Plan"
    document.core_properties.author = "Riverside Council"
    document.core_properties.created = datetime(2022, 2, 1)
    document.add_heading("Riverside Carers Plan", level=0)
    document.add_heading("1 Support for carers", level=1)
    document.add_paragraph("Riverside Council will give every young carer a named support worker by 2024.")
    document.add_paragraph("We will:")
    document.add_paragraph("open a carers' hub in each locality by April 2023;", style="List Bullet")
    document.add_paragraph("fund 50 respite breaks a year.", style="List Bullet")
    document.add_heading("1.1 Measuring progress", level=2)
    document.add_paragraph("Carers told us that finding help is hard.")
    path = tmp_path_factory.mktemp("docx") / "carers.docx"
    document.save(path)
    return path


def test_headings_paragraphs_and_bullets(plan):
    blocks = [(b.kind, b.level, b.text) for b in load_docx(plan)]
    assert blocks[:3] == [("heading", 1, "Riverside Carers Plan"), ("heading", 1, "1 Support for carers"),
                          ("paragraph", 0, "Riverside Council will give every young carer a named support "
                                           "worker by 2024.")]
    assert ("bullet", 0, "fund 50 respite breaks a year.") in blocks
    assert ("heading", 2, "1.1 Measuring progress") in blocks


def test_metadata_from_core_properties(plan):
    assert docx_metadata(plan) == {"title": "Riverside Carers Plan", "publishers": ["Riverside Council"],
                                   "issued": "2022-02-01"}


def test_a_word_document_yields_commitments(plan):
    run = run_corpus([source_for(plan)])
    texts = {c.text: c.deadline for c in run.extractions[0].commitments}
    assert texts["open a carers' hub in each locality by April 2023;"] == "by April 2023"


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_a_damaged_word_document_is_named(tmp_path, content):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    with pytest.raises(CorpusError, match="bad.docx"):
        load_docx(bad)
