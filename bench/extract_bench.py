"""Extraction throughput: our pipeline against the naive baseline, on about a million words.

The corpus is the bundled digests copied under new ids until it reaches the size asked: real policy
prose, so the share of sentences that look like promises is what it is in real documents. Ours reads
every file (sections, sentences, prefilter, spaCy on candidates only, references) in two worker
processes; the baseline runs spaCy's full English pipeline (NER included) on every sentence, also in two.

    python -m bench extract [--words 1000000]
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import replace
from multiprocessing import Pool
from pathlib import Path

from corpus.manifest import bundled_corpus_dir
from corpus.pipeline import Source, corpus_sources

WORKERS = 2


def copies(folder: Path, words: int) -> tuple[list[Source], int]:
    """Enough renamed copies of the bundled documents to hold `words` words."""
    metas, sources = corpus_sources(bundled_corpus_dir())
    made, total, n = [], 0, 0
    while total < words:
        for source in sources:
            text = source.path.read_text(encoding="utf-8")
            path = folder / f"{source.meta.id}-{n}.md"
            path.write_text(text, encoding="utf-8")
            made.append(Source(path, replace(source.meta, id=f"{source.meta.id}-{n}", short_names=())))
            total += len(text.split())
        n += 1
    return made, total


def _ours(sources: list[Source]) -> int:
    from corpus.pipeline import run_corpus

    run = run_corpus(sources)
    return sum(len(e.commitments) for e in run.extractions)


def _baseline(sources: list[Source]) -> int:
    import spacy

    from corpus.sections import load_document

    nlp = _full_pipeline(spacy)
    count = 0
    for source in sources:
        document = load_document(source.path, source.meta)
        for doc in nlp.pipe((s.text for s in document.sentences), batch_size=64):
            count += len(doc)
    return count


def _full_pipeline(spacy):
    """The same trained pipeline as ours, with every component (NER too) left on."""
    from corpus.nlp import MODELS

    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise RuntimeError(f"none of {MODELS} is installed")


def timed_in_workers(work, sources: list[Source]) -> float:
    shares = [sources[i::WORKERS] for i in range(WORKERS)]
    start = time.perf_counter()
    with Pool(WORKERS) as pool:
        pool.map(work, shares)
    return time.perf_counter() - start


def run(words: int) -> str:
    folder = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    try:
        sources, total = copies(folder, words)
        ours = timed_in_workers(_ours, sources)
        baseline = timed_in_workers(_baseline, sources)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return "\n".join([
        f"{len(sources)} documents, {total:,} words, {WORKERS} worker processes (each loads spaCy once)",
        "| pipeline | seconds | words/s |", "|---|---|---|",
        f"| ours (prefilter, spaCy on candidates) | {ours:.1f} | {total / ours:,.0f} |",
        f"| baseline (full spaCy pipeline on every sentence) | {baseline:.1f} | {total / baseline:,.0f} |",
        f"ratio: ours is {baseline / ours:.1f}x the baseline's throughput",
    ])
