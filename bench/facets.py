"""How far a broad search's total and facets are from exact, when counted on its best hits only.

    python -m bench facets --data-dir DIR [--queries 60] [--best 5000,2000,1000]

Past BEST_OF matches (search/tantivy_engine.py), the tantivy engine brings only the best hits into Python:
the total is then scaled from them and the facets are counted on them (the answer says `approximate`).
This opens the data directory's current build and answers the mixed queries of bench/synthetic.py with
every hit counted (exact), then with each `--best`, and compares:
  - the total: the median and largest error, as a share of the exact total;
  - the facets (all but kind): how much of each facet's share moves (half the L1 distance between the
    exact and counted shares, 0 to 1), and how often the five values on top come in the same order.
Whoosh scores every match, so on a Whoosh build every figure is exact. Runs are added to
bench/results/facets.jsonl.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

from bench.scale import append_figures, machine
from bench.synthetic import queries

RESULTS = Path(__file__).parent / "results" / "facets.jsonl"
EVERY = 0  # SEARCH_BEST_OF's "every match"


def run_facets(data_dir: Path, count: int = 60, best: tuple[int, ...] = (5000, 2000, 1000),
               record: bool = True) -> dict:
    """Compare the total and facets counted on the best hits with exact ones; return the figures."""
    from graph.datadir import open_build
    from search.index import open_index
    from search.query import answer

    path = open_build(data_dir) / "index"
    wanted, today = queries()[:count], date.today()

    def each(best_of: int) -> dict:  # answer() rather than search(): the cache left out
        index = open_index(path, best_of=best_of)
        return {q: answer(index, q, {}, 20, 0, "relevance", today) for q in wanted}

    exact, index = each(EVERY), open_index(path)
    figures = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "backend": index.backend,
               "records": index.store.table.size, "queries": len(wanted), "best": {}}
    for size in best:
        figures["best"][str(size)] = compare(exact, each(size))
    if record:
        append_figures(RESULTS, figures)
    return figures


def compare(exact: dict, counted: dict) -> dict:
    totals = [abs(counted[q].total - e.total) / max(1, e.total) for q, e in exact.items()]
    moved, same = [], []
    for query, right in exact.items():
        names = [name for name in right.facets if name != "kind"]
        got = counted[query].facets
        moved += [half_l1(shares(right.facets[n]), shares(got.get(n, []))) for n in names]
        same += [[v for v, _ in right.facets[n][:5]] == [v for v, _ in got.get(n, [])[:5]] for n in names]
    return {"approximate": sum(r.approximate for r in counted.values()),
            "total_error_median": statistics.median(totals), "total_error_max": max(totals),
            "facet_moved_mean": statistics.mean(moved), "facet_moved_max": max(moved),
            "top5_same": sum(same) / len(same)}


def shares(values: list[tuple[str, int]]) -> dict[str, float]:
    whole = sum(n for _, n in values) or 1
    return {value: n / whole for value, n in values}


def half_l1(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in a.keys() | b.keys()) / 2


def table(f: dict) -> str:
    lines = [f"{f['backend']}, {f['records']:,} records, {f['queries']} queries, {f['date']}, {f['machine']}", "",
             "| best hits counted | answers approximate | total error, median / max | facet share moved, "
             "mean / max | top 5 in the same order |", "|---|---|---|---|---|"]
    for size, g in f["best"].items():
        lines.append(f"| {int(size):,} | {g['approximate']} | {g['total_error_median']:.1%} / "
                     f"{g['total_error_max']:.1%} | {g['facet_moved_mean']:.1%} / {g['facet_moved_max']:.1%} | "
                     f"{g['top5_same']:.0%} |")
    return "\n".join(lines)
