"""The extractor never crashes on strange text: it finds commitments or nothing, or names the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.errors import CorpusError
from corpus.manifest import bundled_corpus_dir, load_manifest
from corpus.models import DocumentMeta
from corpus.pipeline import Source, extract_document
from corpus.references import AliasTable

KNOWN = AliasTable(load_manifest(bundled_corpus_dir() / "manifest.toml"))
META = DocumentMeta("fuzz-2020", "Fuzz", ("Nobody",), "2020")
FOLDER = Path(tempfile.mkdtemp(prefix="extract-fuzz-"))
PIECES = ["We will", "NHS England will", "by 2023/24", "by the end of", "the Long Term Plan", "builds on",
          "Priority 3:", "## 2.1 Heading", "<!-- page 7 -->", "- ", "1. ", "£4.5bn", "50%", "should", "not",
          "?", ";", ":", ".", "\n", "\n\n", "  ", "’", "“", "(", ")", "2028", "April 2021", "halve", "every"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(st.characters(exclude_categories=("Cs",)), max_size=12)),
                max_size=60))
def test_any_text_extracts_or_is_refused_by_name(parts):
    path = FOLDER / "fuzz.md"
    path.write_text(" ".join(parts), encoding="utf-8")
    try:
        extraction = extract_document(Source(path, META), KNOWN)
    except CorpusError as exc:
        assert str(path) in str(exc)
    else:
        text = extraction.document.text
        for c in extraction.commitments:
            assert c.kind == "priority" or c.text.strip() in text or c.text.strip()[:20] in text
