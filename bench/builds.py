"""One corpus built from scratch several times, each stage's median reported.

    python -m bench builds --corpus M --runs 5      # bundled, S, M or L
    python -m bench builds --from-build DATA_DIR/current --runs 5   # graph and index of its extractions

The bundled corpus is built with the default engine (Whoosh), as the quick start builds it; the
synthetic scales with tantivy, as `python -m bench scale` builds them. Every run starts from an
empty data directory and keeps nothing from the one before (the language pipeline is loaded anew
by each build's worker processes). With --from-build, each run starts from the documents that build
extracted, as `policygraph build` has them once it has read the files, and times what follows: link,
graph, index (tantivy) and snapshot. Each set of runs is added to bench/results/builds.jsonl.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.documents import write_corpus
from bench.scale import StageClock, append_figures, build, folder_mb, machine

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
        return medians(corpus, each, record)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def medians(corpus: str, each: list[dict], record: bool) -> dict:
    """Every run and each stage's median, added to the results file if `record`."""
    figures = {"corpus": corpus, "date": time.strftime("%Y-%m-%d"), "machine": machine(), "runs": each,
               "median": {stage: statistics.median(r[stage] for r in each) for stage in STAGES}}
    if record:
        append_figures(RESULTS, figures)
    return figures


def run_from_build(build_dir: Path, runs: int = 5, record: bool = True) -> dict:
    """Link, graph, index and snapshot the extractions of `build_dir` `runs` times, each into a new folder."""
    from graph.datadir import load_extractions, store_extractions
    from graph.namespaces import DEFAULT_BASE

    catalogue, extractions = load_extractions(build_dir.resolve())
    work = Path(tempfile.mkdtemp(prefix="bench-builds-from-"))
    try:
        each = []
        for number in range(runs):
            stage, clock = work / f"build-{number}", StageClock()
            stage.mkdir()
            started = time.perf_counter()
            clock.spans.update({"extract:start": [started], "extract:end": [started]})  # nothing is read
            info = store_extractions(stage, catalogue, extractions, DEFAULT_BASE, clock, "tantivy")
            each.append({"build_s": time.perf_counter() - started, **clock.stages(), "triples": info.quads,
                         "records": info.index_records, "index_mb": folder_mb(stage / "index"),
                         "store_mb": folder_mb(stage / "store")})
            shutil.rmtree(stage)
        return medians(f"extractions of {build_dir.resolve().name} ({len(extractions)} documents)", each, record)
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
