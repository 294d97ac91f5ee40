"""Search at scale: our two engines and SQLite FTS5 on the same synthetic records and the same queries.

Each engine runs in its own process, so its peak memory is its own:
    python -m bench search --scale M                      # whoosh, tantivy and fts5
    python -m bench search --scale L --engines tantivy,fts5
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

from bench.synthetic import queries, records

ENGINES = ("whoosh", "tantivy", "fts5")


def worker(engine: str, scale: str, folder: Path, repeat: int) -> dict:
    """Build one engine's index of the scale, then time the mixed queries; return the figures."""
    rows = list(tqdm(records(scale), desc=f"generate {scale}", unit=" records", leave=False))
    start = time.perf_counter()
    if engine == "fts5":
        from bench import fts5
        fts5.build(rows, folder / "fts.sqlite")
    else:
        from search.index import build_index
        build_index(rows, folder / "index", engine, progress=_bar)
    built = time.perf_counter() - start
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    ask, opened = _opener(engine, folder)
    timings = []
    mixed = queries()
    for _ in range(repeat):
        for query in mixed:
            began = time.perf_counter()
            ask(query)
            timings.append((time.perf_counter() - began) * 1000)
    return {"engine": engine, "scale": scale, "records": len(rows), "build_s": built,
            "records_per_s": len(rows) / built, "size_mb": size / 2**20, "open_ms": opened,
            **percentiles(timings), "queries": len(timings),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _bar(items, label, total):
    return tqdm(items, desc=label, total=total, unit=" records", leave=False)


def _opener(engine: str, folder: Path):
    start = time.perf_counter()
    if engine == "fts5":
        from bench import fts5
        db = fts5.open_fts(folder / "fts.sqlite")
        ask = lambda q: fts5.search(db, q)  # noqa: E731
    else:
        from search.index import open_index
        from search.query import search
        index = open_index(folder / "index")
        ask = lambda q: search(index, q, limit=10)  # noqa: E731
    return ask, (time.perf_counter() - start) * 1000


def percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    at = lambda p: ordered[min(len(ordered) - 1, int(len(ordered) * p))]  # noqa: E731
    return {"p50_ms": statistics.median(ordered), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def run(scale: str, engines: list[str], repeat: int) -> list[dict]:
    results = []
    for engine in engines:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-{engine}-{scale}-"))
        try:
            done = subprocess.run([sys.executable, "-m", "bench.search_bench", engine, scale, str(folder),
                                   str(repeat)], check=True, stdout=subprocess.PIPE, text=True)
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return results


def table(results: list[dict]) -> str:
    peer = next((r for r in results if r["engine"] == "fts5"), None)
    lines = ["| engine | records | build s | records/s | index MB | open ms | p50 ms | p95 ms | p99 ms "
             "| p95 vs FTS5 | peak MB |", "|" + "---|" * 11]
    for r in results:
        ratio = f"{r['p95_ms'] / peer['p95_ms']:.2f}x" if peer else "n/a"
        lines.append(f"| {r['engine']} | {r['records']:,} | {r['build_s']:.1f} | {r['records_per_s']:,.0f} "
                     f"| {r['size_mb']:.0f} | {r['open_ms']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
                     f"| {r['p99_ms']:.1f} | {ratio} | {r['peak_mb']:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    engine, scale, folder, repeat = sys.argv[1:5]
    print(json.dumps(worker(engine, scale, Path(folder), int(repeat))))
