"""Growth curves from the recorded scale runs: each latency and the build time against corpus size.

    python -m bench plot            # reads bench/results/scale.jsonl, writes bench/plots/*.png

The newest run of each scale is drawn; both axes are logarithmic, so a straight line of slope one is
linear growth and a flat line is a cost that does not grow with the corpus.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.scale import RESULTS

PLOTS = Path(__file__).parent / "plots"


def newest_by_scale(path: Path = RESULTS) -> list[dict]:
    runs: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            run = json.loads(line)
            runs[run["scale"]] = run
    return sorted(runs.values(), key=lambda r: r["commitments"])


def series(runs: list[dict]) -> dict[str, dict[str, list[float]]]:
    """Chart -> line -> one value per run, in the runs' order."""
    def at(run: dict, *keys: str) -> float | None:
        # a run may lack a measure (Whoosh is not built at L; a run may stop before its HTTP load): a gap
        for key in keys:
            run = run.get(key) if isinstance(run, dict) else None
        return run

    charts: dict[str, dict[str, list[float | None]]] = {
        "build": {stage: [r.get(f"{stage}_s") for r in runs] for stage in ("extract", "link", "graph", "index",
                                                                                "snapshot")},
        "search": {name: [at(r, "search", name, "p95_ms") for r in runs] for name in ("tantivy", "whoosh", "fts5")},
        "lineage": {name: [at(r, "lineage", name, "p95_ms") for r in runs]
                    for name in ("networkx", "oxigraph_sparql", "rdflib_memory_sparql")},
        "sparql": {store: [statistics.median(q[store]["p95_ms"] for q in r["sparql"].values()) for r in runs]
                   for store in ("oxigraph", "rdflib_memory")},
        "http": {name: [at(r, "http", name, "per_second") for r in runs]
                 for name in ("api_search", "api_search_uncached", "api_lineage", "sparql", "peer_sparql")},
    }
    charts["build"]["total"] = [r["build_s"] for r in runs]
    return charts


LABELS = {"build": ("Build time by stage", "seconds"), "search": ("Keyword search, p95", "ms"),
          "lineage": ("Lineage of a priority, p95", "ms"),
          "sparql": ("Example SPARQL queries, median of each query's p95", "ms"),
          "http": ("HTTP under a bounded load", "requests per second")}


def draw(runs: list[dict] | None = None, folder: Path = PLOTS) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")  # no screen here, and none needed for a file
    import matplotlib.pyplot as plt

    runs = runs if runs is not None else newest_by_scale()
    sizes = [r["commitments"] for r in runs]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chart, lines in series(runs).items():
        title, unit = LABELS[chart]
        figure, axes = plt.subplots(figsize=(6, 4), dpi=110)
        for name, values in lines.items():
            axes.plot(sizes, values, marker="o", label=name.replace("_", " "))
        axes.set(xscale="log", yscale="log", xlabel="commitments in the corpus", ylabel=unit,
                 title=f"{title} ({', '.join(r['scale'] for r in runs)})")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize="small")
        figure.tight_layout()
        figure.savefig(folder / f"{chart}.png")
        plt.close(figure)
        written.append(folder / f"{chart}.png")
    return written
