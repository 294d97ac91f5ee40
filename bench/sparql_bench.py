"""The example SPARQL queries on our embedded store beside rdflib's default in-memory store, same quads.

    python -m bench sparql [--repeat 5]

Ours answers as /sparql does, its JSON written by Oxigraph (graph.sparql.write); the peer reads every
row through rdflib's `Dataset.query` and writes nothing, so the ratio is a floor. Medians and p95 over
`--repeat` runs of each query, and the ratio of medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Dataset

from corpus.manifest import bundled_corpus_dir
from graph.datadir import build_corpus_dir, open_data
from graph.examples import load_examples
from graph.namespaces import DEFAULT_BASE, PREFIXES, sparql_prologue
from graph.sparql import write


def timings(ask, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        ask()
        out.append((time.perf_counter() - started) * 1000)
    return sorted(out)


def memory_copy(source: Dataset | Path) -> Dataset:
    """The same quads in rdflib's default store, from a dataset or an N-Quads file."""
    copy = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        copy.bind(prefix, namespace)
    if isinstance(source, Path):
        copy.parse(source, format="nquads")
    else:
        copy.parse(data=source.serialize(format="nquads"), format="nquads")
    return copy


def run(repeat: int) -> list[tuple[str, float, float, float, float, float]]:
    """(query, oxigraph p50, p95, rdflib p50, p95, ratio) for each example query on the bundled corpus."""
    with tempfile.TemporaryDirectory() as tmp:
        build_corpus_dir(Path(tmp) / "data", bundled_corpus_dir(), DEFAULT_BASE)
        ours = open_data(Path(tmp) / "data").dataset
        theirs = memory_copy(ours)
        rows = []
        for example in load_examples():
            query = sparql_prologue() + example.query
            fast = timings(lambda q=example.query: write(ours, q, [], "json"), repeat)
            slow = timings(lambda q=query: list(theirs.query(q)), repeat)
            p95 = lambda t: t[min(len(t) - 1, int(len(t) * 0.95))]  # noqa: E731
            rows.append((example.name, statistics.median(fast), p95(fast), statistics.median(slow), p95(slow),
                         statistics.median(slow) / max(statistics.median(fast), 1e-6)))
        return rows


def table(rows: list[tuple]) -> str:
    lines = ["| query | Oxigraph p50 ms | p95 ms | rdflib Memory p50 ms | p95 ms | ratio |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {n} | {a:.1f} | {b:.1f} | {c:.1f} | {d:.1f} | {r:.0f}x |" for n, a, b, c, d, r in rows]
    ratios = sorted(r[5] for r in rows)
    lines.append(f"\nmedian ratio over the {len(rows)} example queries: {statistics.median(ratios):.0f}x")
    return "\n".join(lines)
