"""/api/search requests a second on a build already made, as `policygraph serve` answers them, several times over.

    python -m bench throughput --data-dir DIR [--runs 5] [--seconds 60] [--clients 8] [--cache off]
                                              [--sparql-clients 0]

`bench scale` loads the server it built once; this serves the data directory's current build with 2
workers, sends the mixed queries (bench/synthetic.py) for a few untimed seconds, then runs `--runs`
loads of `--seconds` each on kept-alive connections and takes the median. With `--cache off` each
worker's result cache is turned off (SEARCH_CACHE=0), so every request is searched afresh: what the
engine itself sustains. The clients run on the same two cores, so each run also gives the CPU time the
server and the clients used a request. With `--sparql-clients N`, N more clients send the example SPARQL
queries to /sparql throughout each load, as an analyst's export would while others search: the search
figures are then those of a shared server, the CPU a request is left out (query processes come and go),
and the server's memory at most is recorded. Runs are added to bench/results/throughput.jsonl.
"""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

from bench.http_load import hammer, policygraph_server
from bench.scale import append_figures, machine
from bench.soak import cpu_seconds
from bench.swap import examples_for, loaded
from bench.synthetic import queries

RESULTS = Path(__file__).parent / "results" / "throughput.jsonl"
MEASURES = ("per_second", "p50_ms", "p95_ms", "p99_ms", "server_errors", "server_cpu_ms", "client_cpu_ms")
SPARQL_MEASURES = ("per_second", "p50_ms", "p95_ms", "server_errors")
WARM_UP_S = 5.0


def run_throughput(data_dir: Path, port: int, runs: int = 5, seconds: float = 60, clients: int = 8,
                   cache: bool = False, sparql_clients: int = 0, record: bool = True) -> dict:
    """Load /api/search `runs` times for `seconds` each; return (and record) each run and the medians."""
    from graph.datadir import open_build

    build = open_build(data_dir)
    paths = [f"/api/search?q={urllib.parse.quote(q)}" for q in queries()]
    sparql = [f"/sparql?query={urllib.parse.quote(e.query)}" for e in examples_for(build)] if sparql_clients else []
    each = []
    with policygraph_server(data_dir, port, search_cache=None if cache else 0) as server:
        hammer(port, paths, WARM_UP_S, clients)
        for _ in range(runs):
            each.append(_one_load(server, port, paths, seconds, clients, sparql, sparql_clients))
        mb = server.resident_mb()
    measures = [m for m in MEASURES if m in each[0]]
    out = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "build": str(build), "cache": cache,
           "clients": clients, "sparql_clients": sparql_clients, "seconds": seconds, "workers": 2,
           "sparql_concurrency": os.environ.get("POLICYGRAPH_SPARQL_CONCURRENCY", "default"),
           "search_best_of": os.environ.get("POLICYGRAPH_SEARCH_BEST_OF", "default"), "mb_end": round(mb),
           "runs": each, "median": {m: statistics.median(r[m] for r in each) for m in measures}}
    if sparql_clients:
        out["median"] |= {f"sparql_{m}": statistics.median(r["sparql"][m] for r in each) for m in SPARQL_MEASURES}
        out["median"]["mb_peak"] = statistics.median(r["mb_peak"] for r in each)
    if record:
        append_figures(RESULTS, out)
    return out


def _one_load(server, port: int, paths: list[str], seconds: float, clients: int, sparql: list[str],
              sparql_clients: int) -> dict:
    """One load's figures: alone, with the CPU milliseconds a request of the server's processes and of the
    clients; beside a SPARQL load, with that load's figures and the server's memory at most."""
    if sparql_clients:
        beside: dict = {}
        other = threading.Thread(target=lambda: beside.update(hammer(port, sparql, seconds, sparql_clients)))
        other.start()
        figures = loaded(server, lambda: hammer(port, paths, seconds, clients))
        other.join()
        return ({m: figures[m] for m in MEASURES if m in figures} | {"statuses": figures["statuses"]}
                | {"mb_peak": round(figures["mb_peak"]), "sparql": {m: beside[m] for m in SPARQL_MEASURES}})
    pid = server.process.pid
    server_before, client_before = cpu_seconds(pid), _own_cpu_seconds()
    figures = hammer(port, paths, seconds, clients)
    answered = max(1, figures["requests"])
    figures["server_cpu_ms"] = round((cpu_seconds(pid) - server_before) * 1000 / answered, 2)
    figures["client_cpu_ms"] = round((_own_cpu_seconds() - client_before) * 1000 / answered, 2)
    return {m: figures[m] for m in MEASURES} | {"statuses": figures["statuses"]}


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def table(figures: dict) -> str:
    f = figures
    beside = f.get("sparql_clients", 0)
    lines = [f"{f['build']}; {f['machine']}, {f['date']}; /api/search, 2 workers, {f['clients']} clients, "
             f"{f['seconds']:.0f} s a run, result cache {'on' if f['cache'] else 'off'}"
             + (f"; {beside} clients on /sparql beside, SPARQL_CONCURRENCY {f['sparql_concurrency']}" if beside else "")
             + f"; {f['mb_end']} MB at the end", ""]
    if beside:
        lines += ["| run | requests/s | 5xx | p50 / p95 / p99 ms | /sparql requests/s | 5xx | p50 / p95 ms "
                  "| MB at most |", "|---|---|---|---|---|---|---|---|"]
    else:
        lines += ["| run | requests/s | 5xx | p50 / p95 / p99 ms | CPU ms a request: server / clients |",
                  "|---|---|---|---|---|"]
    for number, run in enumerate([*f["runs"], f["median"]], start=1):
        name = "**median**" if run is f["median"] else str(number)
        line = (f"| {name} | {run['per_second']:.1f} | {run['server_errors']:g} "
                f"| {run['p50_ms']:.1f} / {run['p95_ms']:.1f} / {run['p99_ms']:.1f} ")
        if beside:
            other = run.get("sparql") or {m: run[f"sparql_{m}"] for m in SPARQL_MEASURES}
            line += (f"| {other['per_second']:.1f} | {other['server_errors']:g} | {other['p50_ms']:.0f} / "
                     f"{other['p95_ms']:.0f} | {run['mb_peak']:.0f} |")
        else:
            line += f"| {run['server_cpu_ms']:.2f} / {run['client_cpu_ms']:.2f} |"
        lines.append(line)
    return "\n".join(lines)
