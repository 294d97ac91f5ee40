"""One corpus built from scratch several times, each stage's median reported.

    python -m bench builds --corpus M --runs 5      # bundled, S, M or L

The bundled corpus is built with the default engine (Whoosh), as the quick start builds it; the
synthetic scales with tantivy, as `python -m bench scale` builds them. Every run starts from an
empty data directory and keeps nothing from the one before (the language pipeline is loaded anew
by each build's worker processes). Each set of runs is added to bench/results/builds.jsonl.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.documents import write_corpus
from bench.scale import append_figures, build, machine

RESULTS = Path(__file__).parent / "results" / "builds.jsonl"
STAGES = ("build_s", "extract_s", "link_s", "graph_s", "index_s", "snapshot_s")


def run_builds(corpus: str, runs: int = 5, record: bool = True) -> dict:
    """Build `corpus` ("bundled", or a synthetic scale) `runs` times; return every run and the medians."""
    from corpus.manifest import bundled_corpus_dir

    work = Path(tempfile.mkdtemp(prefix=f"bench-builds-{corpus}-"))
    try:
        folder = bundled_corpus_dir() if corpus == "bundled" else work / "corpus"
        if corpus != "bundled":
            write_corpus(folder, corpus)
        each = []
        for number in range(runs):
            each.append(build(folder, work / f"data-{number}", "whoosh" if corpus == "bundled" else "tantivy"))
            shutil.rmtree(work / f"data-{number}")
        figures = {"corpus": corpus, "date": time.strftime("%Y-%m-%d"), "machine": machine(), "runs": each,
                   "median": {stage: statistics.median(r[stage] for r in each) for stage in STAGES}}
        if record:
            append_figures(RESULTS, figures)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(figures: dict) -> str:
    """Each run's stages and their medians, as bench/RESULTS.md keeps them."""
    head = "| run | " + " | ".join(s.removesuffix("_s") + " s" for s in STAGES) + " |"
    lines = [f"{figures['corpus']}, {figures['date']}, {figures['machine']}, {len(figures['runs'])} runs", "",
             head, "|" + "---|" * (len(STAGES) + 1)]
    for number, run in enumerate(figures["runs"], 1):
        lines.append(f"| {number} | " + " | ".join(f"{run[s]:.1f}" for s in STAGES) + " |")
    lines.append("| **median** | " + " | ".join(f"**{figures['median'][s]:.1f}**" for s in STAGES) + " |")
    return "\n".join(lines)
