"""A new build swapped in while `policygraph serve` is under load: the master reads it and replaces its workers.

    python -m bench swap --data-dir DIR [--seconds 60] [--clients 8]

Serves the data directory's current build with the default settings (2 workers, GRAPH_IN_MEMORY=auto)
and records: the time to start, memory idle, /sparql over the example queries (with synthetic
stand-ins for the bundled documents they name when the build is synthetic), then a new build swapped
in while /api/search is under load, the time until the master has replaced both workers, memory at
most during that and after it, and /sparql again. So that no build has to be made, the "new build" is
the current one's files linked from a new build folder (its search index copied); it is removed, and
the old build made current again, at the end. Memory is the proportional set size of the server's
processes (bench/soak.py).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
import urllib.parse
from contextlib import closing
from pathlib import Path

from bench.http_load import hammer, policygraph_server
from bench.scale import append_figures, machine
from bench.synthetic import queries

RESULTS = Path(__file__).parent / "results" / "swap.jsonl"


def run_swap(data_dir: Path, port: int, seconds: float = 60, clients: int = 8, record: bool = True) -> dict:
    """Serve, load, swap a build in under load, load again; return (and record) the figures."""
    from graph.datadir import make_current, open_build

    old = open_build(data_dir)
    sparql = [f"/sparql?query={urllib.parse.quote(e.query)}" for e in examples_for(old)]
    search = [f"/api/search?q={urllib.parse.quote(q)}" for q in queries()]
    out = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "build": str(old), "clients": clients,
           "sparql_concurrency": os.environ.get("POLICYGRAPH_SPARQL_CONCURRENCY", "default")}
    began = time.perf_counter()
    with policygraph_server(data_dir, port) as server:
        out |= {"startup_s": time.perf_counter() - began, "mb_idle": server.resident_mb()}
        out["sparql"] = loaded(server, lambda: hammer(port, sparql, seconds, clients))
        new = linked_copy(old)
        try:
            first = workers(server.process.pid)
            make_current(data_dir, new)
            watch = Watch(server, first)
            out["api_search_during_swap"] = hammer(port, search, seconds, clients)
            out |= watch.result()
            out["sparql_after_swap"] = loaded(server, lambda: hammer(port, sparql, seconds, clients))
            out["mb_end"] = server.resident_mb()
        finally:
            make_current(data_dir, old)
            shutil.rmtree(new)
    if record:
        append_figures(RESULTS, out)
    return out


def loaded(server, load) -> dict:
    """The figures of `load()`, with the server's memory at most while it ran (sampled twice a second):
    each SPARQL query runs in a process of its own, which copies the pages of the graph it reads."""
    peak, done = [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak[0] = max(peak[0], server.resident_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        figures = load()
    finally:
        done.set()
        thread.join()
    return figures | {"mb_peak": peak[0]}


def examples_for(build: Path) -> list:
    """The example queries, with synthetic stand-ins when the build is a synthetic corpus."""
    from bench.documents import stand_in_examples
    from graph.examples import load_examples

    with closing(sqlite3.connect(f"file:{build / 'catalogue.sqlite'}?mode=ro", uri=True)) as db:
        synthetic = db.execute("SELECT COUNT(*) FROM documents WHERE id LIKE 'synthetic-%'").fetchone()[0]
    return stand_in_examples(synthetic) if synthetic else load_examples()


def linked_copy(build: Path) -> Path:
    """A new build folder beside `build` whose files are links to its files, and whose record names itself.

    The search index is copied instead: its files (tantivy's segments, the search columns) are mapped into
    memory, and linked they would share the old build's pages, which a real new build's never do.
    """
    new = build.with_name(build.name + "-swap")
    new.mkdir()
    for entry in build.iterdir():
        if entry.name == "index":
            shutil.copytree(entry.resolve(), new / entry.name)
        elif entry.name != "build.json":
            (new / entry.name).symlink_to(entry.resolve())
    info = json.loads((build / "build.json").read_text(encoding="utf-8")) | {"path": str(new)}
    (new / "build.json").write_text(json.dumps(info), encoding="utf-8")
    return new


def workers(master: int) -> set[int]:
    """The worker processes of the gunicorn master `master`: its children, but for those multiprocessing
    started (its resource tracker, and the process that reads a store for the copy in memory)."""
    found = set()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == master and b"multiprocessing" not in (proc / "cmdline").read_bytes():
                found.add(int(proc.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


class Watch:
    """Samples the server once a second from the swap on: its memory, when none of `first` is a worker, and
    when the workers are replaced again, as they are once the master has copied the new graph into memory
    (server.py); sampling stops then, or at `limit_s` when no second replacement comes."""

    limit_s = 180.0

    def __init__(self, server, first: set[int]):
        self.server, self.first, self.began = server, first, time.perf_counter()
        self.peak_mb, self.replaced_s, self.copied_s = 0.0, None, None
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        second: set[int] = set()
        while time.perf_counter() - self.began < self.limit_s and self.copied_s is None:
            self.peak_mb = max(self.peak_mb, self.server.resident_mb())
            now = workers(self.server.process.pid)
            if self.replaced_s is None and len(now) >= 2 and not now & self.first:
                self.replaced_s, second = time.perf_counter() - self.began, now
            elif self.replaced_s is not None and len(now) >= 2 and not now & (self.first | second):
                self.copied_s = time.perf_counter() - self.began
            time.sleep(1)

    def result(self) -> dict:
        self.thread.join()
        return {"workers_replaced_s": self.replaced_s, "workers_with_copy_s": self.copied_s,
                "mb_peak_during_swap": self.peak_mb, "mb_after_swap": self.server.resident_mb()}


def table(figures: dict) -> str:
    f = figures
    lines = [f"{f['build']}; {f['machine']}, {f['date']}; {f['clients']} clients; "
             f"SPARQL_CONCURRENCY {f.get('sparql_concurrency', 'default')}", "",
             "| start s | MB idle | workers replaced after s | again, with the copy, after s "
             "| MB at most during the swap | MB after | MB at the end |",
             "|---|---|---|---|---|---|---|",
             f"| {f['startup_s']:.1f} | {f['mb_idle']:.0f} | {_seconds(f['workers_replaced_s'])} "
             f"| {_seconds(f.get('workers_with_copy_s'))} "
             f"| {f['mb_peak_during_swap']:.0f} | {f['mb_after_swap']:.0f} | {f['mb_end']:.0f} |", "",
             "| load | requests/s | 5xx | p50 / p95 / p99 ms | MB at most |", "|---|---|---|---|---|"]
    for name in ("sparql", "api_search_during_swap", "sparql_after_swap"):
        h = f[name]
        lines.append(f"| {name} | {h['per_second']:.1f} | {h['server_errors']} "
                     f"| {h['p50_ms']:.0f} / {h['p95_ms']:.0f} / {h['p99_ms']:.0f} | {_mb(h.get('mb_peak'))} |")
    return "\n".join(lines)


def _mb(value: float | None) -> str:
    return f"{value:.0f}" if value else "-"


def _seconds(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "not within the watch"
