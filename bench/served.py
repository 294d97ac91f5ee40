"""Search latency on a build already made, timed as the server runs it, several times over.

    python -m bench served --data-dir DIR [--runs 5] [--repeat 5]

`bench scale` builds a corpus once and times it in the same process that built it. This times the
data directory's current build in a fresh process: it opens the build as `policygraph serve` does,
makes one untimed pass over the mixed queries (bench/synthetic.py), freezes the heap, then times
`--repeat` passes. That is one run; each of `--runs` runs opens the build afresh. It prints each
run's p50/p95/p99 and their medians, and adds them to bench/results/served.jsonl.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.scale import append_figures, frozen_heap, machine, timed_ms
from bench.search_bench import percentiles
from bench.synthetic import queries

RESULTS = Path(__file__).parent / "results" / "served.jsonl"
MEASURES = ("p50_ms", "p95_ms", "p99_ms")


def run_served(data_dir: Path, runs: int = 5, repeat: int = 5, record: bool = True) -> dict:
    """Time the mixed keyword searches on the current build `runs` times; return the figures."""
    from graph.datadir import open_build
    from search.index import open_index

    build = open_build(data_dir)
    each, backend = [], ""
    for _ in range(runs):
        index = open_index(build / "index")
        each.append(one_run(index, repeat))
        backend = index.backend
        index.close()
    figures = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "build": str(build), "backend": backend,
               "runs": each, "median": {m: statistics.median(r[m] for r in each) for m in MEASURES}}
    if record:
        append_figures(RESULTS, figures)
    return figures


def one_run(index, repeat: int) -> dict:
    from search.query import search

    mixed = queries()
    with frozen_heap():
        for query in mixed:  # warm, as a server is after its first minutes
            search(index, query, limit=10)
        times = [t for _ in range(repeat) for q in mixed for t in timed_ms(lambda q=q: search(index, q, limit=10), 1)]
    return percentiles(times)


def table(figures: dict) -> str:
    lines = [f"{figures['build']} ({figures['backend']}); {figures['machine']}, {figures['date']}", "",
             "| run | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|"]
    lines += [f"| {n} | " + " | ".join(f"{r[m]:.1f}" for m in MEASURES) + " |"
              for n, r in enumerate(figures["runs"], 1)]
    lines.append("| **median** | " + " | ".join(f"**{figures['median'][m]:.1f}**" for m in MEASURES) + " |")
    return "\n".join(lines)
