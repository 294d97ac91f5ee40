"""PDF reports, generated here from our own text: pages, headings and paragraphs survive; the print furniture
(running heads and feet, page numbers, contents, references) does not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fpdf import FPDF

from corpus.errors import CorpusError
from corpus.intake import source_for
from corpus.pdf import join_lines, load_pdf, pdf_metadata
from corpus.pipeline import run_corpus

HEAD = "Riverside Health Plan 2021"
BODY = ("The Council will open two new community diagnostic centres by 2024. Partners will train 300 more "
        "health visitors over the next three years, so that every family is seen within two weeks of a birth.")
SECOND = ("Riverside Council will extend stop smoking support to every pharmacy in the borough by March 2023, "
          "and we will publish progress every year.")


class Report(FPDF):
    def header(self):
        self.set_font("helvetica", size=8)
        self.cell(0, 6, HEAD, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self):
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.cell(0, 6, f"Page {self.page_no()}", align="C")


def heading(pdf: FPDF, text: str, size: int = 15) -> None:
    pdf.set_font("helvetica", "B", size)
    pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font("helvetica", size=10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def make_report(path: Path, extra_pages: int = 0) -> Path:
    pdf = Report()
    pdf.set_title("Riverside Health Plan")
    pdf.set_author("Riverside Council")
    pdf.set_creation_date(datetime(2021, 5, 4, tzinfo=UTC))
    pdf.add_page()
    heading(pdf, "Contents", 18)
    pdf.set_font("helvetica", size=10)
    for line in ("1 Introduction ........ 2", "2 Early diagnosis ........ 3", "3 Smoking ........ 4",
                 "4 Next steps ........ 5", "References ........ 6"):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    heading(pdf, "1 Introduction")
    paragraph(pdf, "This plan sets out how partners in Riverside will improve health. It is written for "
                   "the tests of policygraph and describes no real place.")
    paragraph(pdf, "Its actions build on earlier work, and their imple-\nmentation will be reviewed each year.")
    pdf.add_page()
    heading(pdf, "2 Early diagnosis")
    paragraph(pdf, BODY)
    pdf.add_page()
    heading(pdf, "3 Smoking")
    pdf.set_font("helvetica", size=10)
    with pdf.text_columns(ncols=2, gutter=8) as columns:
        columns.write(SECOND + " " + "Smoking rates are highest in the east of the borough. " * 12)
    for n in range(extra_pages):
        pdf.add_page()
        heading(pdf, f"{4 + n} Further work {n + 1}")
        paragraph(pdf, f"Partners will review programme {n + 1} by 2025. " + "Background on the borough. " * 30)
    pdf.add_page()
    heading(pdf, "References")
    paragraph(pdf, "1. Riverside Council (2019) A survey of health. We will not find commitments here.")
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    return make_report(tmp_path_factory.mktemp("pdf") / "plan.pdf")


def test_sections_and_paragraphs_keep_their_pages(report):
    blocks = load_pdf(report)
    headings = [(b.text, b.level, b.page) for b in blocks if b.kind == "heading"]
    assert headings[:3] == [("1 Introduction", 1, 2), ("2 Early diagnosis", 1, 3), ("3 Smoking", 1, 4)]
    assert any(b.text == BODY and b.page == 3 for b in blocks)


def test_running_heads_page_numbers_contents_and_references_are_gone(report):
    texts = " ".join(b.text for b in load_pdf(report))
    assert HEAD not in texts and "Page 2" not in texts
    assert "........" not in texts and "Contents" not in texts
    assert "A survey of health" not in texts


def test_words_broken_across_lines_are_joined(report):
    assert any("their implementation will be reviewed" in b.text for b in load_pdf(report))
    assert join_lines(("a joined-up imple-", "mentation")) == "a joined-up implementation"
    assert join_lines(("cost 2019-", "20 budget")) == "cost 2019- 20 budget"


def test_two_columns_read_in_order(report):
    texts = [b.text for b in load_pdf(report) if b.page == 4 and b.kind == "paragraph"]
    assert texts and texts[0].startswith("Riverside Council will extend stop smoking support")


def test_metadata_comes_from_the_pdf(report):
    assert pdf_metadata(report) == {"title": "Riverside Health Plan", "publishers": ["Riverside Council"],
                                    "issued": "2021-05-04"}


def test_a_pdf_yields_commitments_with_pages(report):
    run = run_corpus([source_for(report)])
    assert run.errors == ()
    pages = {c.text: c.page for c in run.extractions[0].commitments}
    assert pages["The Council will open two new community diagnostic centres by 2024."] == 3
    assert any(text.startswith("Riverside Council will extend") for text in pages)
    assert not any("A survey of health" in text for text in pages)


def test_an_encrypted_pdf_is_named(tmp_path):
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.cell(0, 10, "We will keep this secret by 2030.")
    pdf.output(str(tmp_path / "locked.pdf"))
    with pytest.raises(CorpusError, match="locked.pdf: .*encrypted"):
        load_pdf(tmp_path / "locked.pdf")


def test_a_scanned_pdf_without_text_is_named(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(CorpusError, match="scan.pdf: no text layer"):
        load_pdf(tmp_path / "scan.pdf")


@pytest.mark.parametrize("cut", [0, 40, 0.5])
def test_empty_and_truncated_pdfs_are_named(report, tmp_path, cut):
    data = report.read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[: int(len(data) * cut) if isinstance(cut, float) else cut])
    with pytest.raises(CorpusError, match="broken.pdf"):
        load_pdf(broken)
