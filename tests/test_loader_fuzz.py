"""Random and damaged files never crash a loader: each gives blocks or one CorpusError naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.errors import CorpusError
from corpus.loaders import load_blocks

from .test_pdf import make_report

SUFFIXES = [".pdf", ".html", ".docx", ".txt", ".md"]
FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-"))
VALID_PDF = make_report(FOLDER / "valid.pdf").read_bytes()
VALID_HTML = (Path(__file__).parent / "fixtures" / "html" / "riverside-plan.html").read_bytes()


def _valid_docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("1 Plan", level=1)
    document.add_paragraph("The Council will open a clinic by 2025.")
    document.save(FOLDER / "valid.docx")
    return (FOLDER / "valid.docx").read_bytes()


VALID_DOCX = _valid_docx()


def survives(data: bytes, suffix: str) -> None:
    path = FOLDER / f"input{suffix}"
    path.write_bytes(data)
    try:
        blocks = load_blocks(path)
    except CorpusError as exc:
        assert str(path) in str(exc)
    else:
        assert all(b.kind in ("heading", "paragraph", "bullet") for b in blocks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048), st.sampled_from(SUFFIXES))
def test_random_bytes(data, suffix):
    survives(data, suffix)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([(VALID_PDF, ".pdf"), (VALID_HTML, ".html"), (VALID_DOCX, ".docx")]),
       st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=20),
       st.floats(0.05, 1.0))
def test_damaged_documents(original, flips, keep):
    data, suffix = original
    damaged = bytearray(data[: max(1, int(len(data) * keep))])
    for where, value in flips:
        damaged[int(where * len(damaged))] = value
    survives(bytes(damaged), suffix)
