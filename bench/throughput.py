"""/api/search requests a second on a build already made, as `policygraph serve` answers them, several times over.

    python -m bench throughput --data-dir DIR [--runs 5] [--seconds 60] [--clients 8] [--cache off]

`bench scale` loads the server it built once; this serves the data directory's current build with 2
workers, sends the mixed queries (bench/synthetic.py) for a few untimed seconds, then runs `--runs`
loads of `--seconds` each on kept-alive connections and takes the median. With `--cache off` each
worker's result cache is turned off (SEARCH_CACHE=0), so every request is searched afresh: what the
engine itself sustains. The clients run on the same two cores, so each run also gives the CPU time the
server and the clients used a request. Runs are added to bench/results/throughput.jsonl.
"""

from __future__ import annotations

import resource
import statistics
import time
import urllib.parse
from pathlib import Path

from bench.http_load import hammer, policygraph_server
from bench.scale import append_figures, machine
from bench.soak import cpu_seconds
from bench.synthetic import queries

RESULTS = Path(__file__).parent / "results" / "throughput.jsonl"
MEASURES = ("per_second", "p50_ms", "p95_ms", "p99_ms", "server_errors", "server_cpu_ms", "client_cpu_ms")
WARM_UP_S = 5.0


def run_throughput(data_dir: Path, port: int, runs: int = 5, seconds: float = 60, clients: int = 8,
                   cache: bool = False, record: bool = True) -> dict:
    """Load /api/search `runs` times for `seconds` each; return (and record) each run and the medians."""
    from graph.datadir import open_build

    paths = [f"/api/search?q={urllib.parse.quote(q)}" for q in queries()]
    each = []
    with policygraph_server(data_dir, port, search_cache=None if cache else 0) as server:
        hammer(port, paths, WARM_UP_S, clients)
        for _ in range(runs):
            each.append(_one_load(server.process.pid, port, paths, seconds, clients))
        mb = server.resident_mb()
    out = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "build": str(open_build(data_dir)),
           "cache": cache, "clients": clients, "seconds": seconds, "workers": 2, "mb_end": round(mb),
           "runs": each, "median": {m: statistics.median(r[m] for r in each) for m in MEASURES}}
    if record:
        append_figures(RESULTS, out)
    return out


def _one_load(server: int, port: int, paths: list[str], seconds: float, clients: int) -> dict:
    """One load's figures, with the CPU milliseconds a request of the server's processes and of the clients."""
    server_before, client_before = cpu_seconds(server), _own_cpu_seconds()
    figures = hammer(port, paths, seconds, clients)
    answered = max(1, figures["requests"])
    figures["server_cpu_ms"] = round((cpu_seconds(server) - server_before) * 1000 / answered, 2)
    figures["client_cpu_ms"] = round((_own_cpu_seconds() - client_before) * 1000 / answered, 2)
    return {m: figures[m] for m in MEASURES} | {"statuses": figures["statuses"]}


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def table(figures: dict) -> str:
    f = figures
    lines = [f"{f['build']}; {f['machine']}, {f['date']}; /api/search, 2 workers, {f['clients']} clients, "
             f"{f['seconds']:.0f} s a run, result cache {'on' if f['cache'] else 'off'}; {f['mb_end']} MB at the end",
             "", "| run | requests/s | 5xx | p50 / p95 / p99 ms | CPU ms a request: server / clients |",
             "|---|---|---|---|---|"]
    for number, run in enumerate([*f["runs"], f["median"]], start=1):
        name = "**median**" if run is f["median"] else str(number)
        lines.append(f"| {name} | {run['per_second']:.1f} | {run['server_errors']:g} "
                     f"| {run['p50_ms']:.1f} / {run['p95_ms']:.1f} / {run['p99_ms']:.1f} "
                     f"| {run['server_cpu_ms']:.2f} / {run['client_cpu_ms']:.2f} |")
    return "\n".join(lines)
