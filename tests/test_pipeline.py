"""Extraction over many files: the same answer from one process or several, and bad files named."""

from corpus.manifest import bundled_corpus_dir
from corpus.pipeline import Source, corpus_sources, run_corpus


def test_extraction_in_two_processes_matches_one():
    metas, sources = corpus_sources(bundled_corpus_dir())
    one = run_corpus(sources, metas, workers=1)
    two = run_corpus(sources, metas, workers=2)
    assert two.extractions == one.extractions and not two.errors
    assert [e.document.id for e in two.extractions] == [s.meta.id for s in sources]


def test_a_bad_file_is_named_and_the_others_go_on_in_parallel(tmp_path):
    metas, sources = corpus_sources(bundled_corpus_dir())
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 this is not a PDF at all")
    bad = Source(broken, sources[0].meta)
    run = run_corpus([bad, *sources[1:]], metas, workers=2)
    assert len(run.extractions) == len(sources) - 1
    assert len(run.errors) == 1 and "broken.pdf" in run.errors[0]
