"""Benchmarks. With no command: each build stage of the bundled corpus and the everyday queries.

Usage:
    python -m bench [--repeat N]
    python -m bench search --scale S|M|L [--engines whoosh,tantivy,fts5] [--repeat N]
    python -m bench extract [--words N]
    python -m bench soak [--seconds 600] [--clients 6]
    python -m bench sparql [--repeat 5]
    python -m bench scale --scale S|M|L [--repeat 5] [--http-seconds 60] [--clients 8]
    python -m bench served --data-dir DIR [--runs 5] [--repeat 5]
    python -m bench swap --data-dir DIR [--seconds 60] [--clients 8]
    python -m bench throughput --data-dir DIR [--runs 5] [--seconds 60] [--clients 8] [--cache off|on]
                                [--sparql-clients N]
    python -m bench facets --data-dir DIR [--queries 60] [--best 5000,2000,1000]
    python -m bench plot
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path

from corpus.manifest import bundled_corpus_dir
from corpus.pipeline import corpus_sources, run_corpus
from graph.build import build_dataset
from graph.datadir import build_data_dir, open_data
from graph.lineage import trace_lineage
from graph.namespaces import DEFAULT_BASE
from graph.sparql import run_query
from graph.store import write_store
from search.index import build_index
from search.query import search
from search.records import corpus_records

QUERIES = ("obesity", "air quality", "mental health", "HIV", "social prescribing", "smoking 2030")
SPARQL = "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Commitment }"


def timed(fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def latencies(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        _, seconds = timed(fn)
        times.append(seconds * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def stages(work: Path) -> list[tuple[str, float]]:
    work.mkdir(parents=True)
    metas, sources = corpus_sources(bundled_corpus_dir())
    run, extract_s = timed(run_corpus, sources, metas)
    dataset, graph_s = timed(build_dataset, run.extractions, run.catalogue, DEFAULT_BASE)
    quads, store_s = timed(write_store, dataset.graphs(), work / "store")
    records, index_s = timed(build_index, list(corpus_records(run.extractions)), work / "index")
    print(f"{len(run.extractions)} documents, {sum(len(e.commitments) for e in run.extractions)} commitments, "
          f"{quads} quads, {records} index records")
    return [("parse + extract", extract_s), ("RDF graph", graph_s), ("Oxigraph store", store_s),
            ("search index", index_s)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50, help="runs per latency measurement (default 50)")
    commands = parser.add_subparsers(dest="command")
    scale = commands.add_parser("search", help="our two engines and SQLite FTS5 on a synthetic corpus",
                                description="Example: python -m bench search --scale M --engines whoosh,fts5")
    scale.add_argument("--scale", choices=["S", "M", "L"], default="S")
    scale.add_argument("--engines", default="whoosh,tantivy,fts5", help="comma-separated (default: all three)")
    scale.add_argument("--repeat", type=int, default=5, help="passes over the 60 mixed queries (default 5)")
    extract = commands.add_parser("extract", help="extraction throughput against the full-spaCy baseline",
                                  description="Example: python -m bench extract --words 1000000")
    extract.add_argument("--words", type=int, default=1_000_000, help="size of the corpus (default 1,000,000)")
    soak = commands.add_parser("soak", help="clients and ingests against a live server for a fixed time",
                               description="Example: python -m bench soak --seconds 600 --clients 6")
    soak.add_argument("--seconds", type=float, default=600, help="how long (default 600)")
    soak.add_argument("--clients", type=int, default=6, help="concurrent clients (default 6)")
    soak.add_argument("--port", type=int, default=5077, help="loopback port for the server (default 5077)")
    sparql = commands.add_parser("sparql", help="the example queries on Oxigraph and on rdflib's Memory store",
                                 description="Example: python -m bench sparql --repeat 5")
    sparql.add_argument("--repeat", type=int, default=5, help="runs of each query on each store (default 5)")
    scaled = commands.add_parser("scale", help="the whole pipeline on synthetic documents, with the peers",
                                 description="Example: python -m bench scale --scale M --repeat 5")
    scaled.add_argument("--scale", choices=["S", "M", "L"], default="S")
    scaled.add_argument("--repeat", type=int, default=5, help="passes over each query set (default 5)")
    scaled.add_argument("--http-seconds", type=float, default=60, help="length of each HTTP load (default 60)")
    scaled.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (default 8)")
    scaled.add_argument("--no-whoosh", action="store_true", help="skip Whoosh (its L build takes some 18 minutes)")
    remote = commands.add_parser("remote", help="the graph in the Oxigraph server and in Virtuoso, beside the embedded "
                                 "store", description="Example: python -m bench remote --scale M")
    remote.add_argument("--scale", choices=["S", "M", "L"], default="S")
    remote.add_argument("--servers", default="oxigraph,virtuoso", help="comma-separated (default: both)")
    remote.add_argument("--repeat", type=int, default=5, help="runs of each example query on each store (default 5)")
    remote.add_argument("--from-build", type=Path, metavar="DATA_DIR",
                        help="instead of a new corpus, the documents this data directory's build extracted, beside "
                             "its own store read into memory")
    builds = commands.add_parser("builds", help="one corpus built from scratch several times, with stage medians",
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 description="Examples: python -m bench builds --corpus M --runs 5\n"
                                             "          python -m bench builds --from-build DATA_DIR/current")
    builds.add_argument("--corpus", choices=["bundled", "S", "M", "L"], default="bundled")
    builds.add_argument("--from-build", type=Path, metavar="BUILD",
                        help="instead, time only what follows extraction (link, graph, index, snapshot) on the "
                             "documents this build folder extracted, e.g. DATA_DIR/current")
    builds.add_argument("--runs", type=int, default=5, help="builds from scratch (default 5)")
    served = commands.add_parser("served", help="search latency on a build already made, as the server runs it",
                                 description="Example: python -m bench served --data-dir /srv/policygraph --runs 5")
    served.add_argument("--data-dir", type=Path, required=True, help="a data directory with a finished build")
    served.add_argument("--runs", type=int, default=5, help="times the build is opened and timed (default 5)")
    served.add_argument("--repeat", type=int, default=5, help="timed passes over the queries in a run (default 5)")
    swap = commands.add_parser("swap", help="a new build swapped in while the server is under load",
                               description="Example: python -m bench swap --data-dir /tmp/bench-data --seconds 60")
    swap.add_argument("--data-dir", type=Path, required=True, help="a data directory with a finished build")
    swap.add_argument("--seconds", type=float, default=60, help="length of each load (default 60)")
    swap.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    swap.add_argument("--port", type=int, default=8768, help="loopback port to serve on (default 8768)")
    through = commands.add_parser("throughput", help="/api/search requests a second on a build already made",
                                  description="Example: python -m bench throughput --data-dir /srv/policygraph "
                                              "--cache off   (every search answered afresh)")
    through.add_argument("--data-dir", type=Path, required=True, help="a data directory with a finished build")
    through.add_argument("--runs", type=int, default=5, help="timed loads (default 5)")
    through.add_argument("--seconds", type=float, default=60, help="length of each load (default 60)")
    through.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    through.add_argument("--cache", choices=["on", "off"], default="off",
                         help="each worker's result cache (default off: what the engine itself sustains)")
    through.add_argument("--sparql-clients", type=int, default=0, metavar="N",
                         help="also N clients on /sparql with the example queries throughout (default 0)")
    through.add_argument("--port", type=int, default=8769, help="loopback port to serve on (default 8769)")
    facets = commands.add_parser("facets", help="how far totals and facets counted on the best hits are from exact",
                                 description="Example: python -m bench facets --data-dir /tmp/bench-data")
    facets.add_argument("--data-dir", type=Path, required=True, help="a data directory with a finished build")
    facets.add_argument("--queries", type=int, default=60, help="how many of the mixed queries (default 60)")
    facets.add_argument("--best", default="5000,2000,1000", help="best hits counted, comma-separated")
    commands.add_parser("plot", help="growth curves from the recorded scale runs, as PNG files",
                        description="Example: python -m bench plot   (writes bench/plots/*.png)")
    args = parser.parse_args()
    if args.command == "plot":
        from bench.plot import draw

        for path in draw():
            print(path)
        return
    if args.command == "served":
        from bench.served import run_served
        from bench.served import table as served_table

        print(served_table(run_served(args.data_dir, args.runs, args.repeat)))
        return
    if args.command == "facets":
        from bench.facets import run_facets
        from bench.facets import table as facets_table

        best = tuple(int(n) for n in args.best.split(","))
        print(facets_table(run_facets(args.data_dir, args.queries, best)))
        return
    if args.command == "throughput":
        from bench.throughput import run_throughput
        from bench.throughput import table as throughput_table

        figures = run_throughput(args.data_dir, args.port, args.runs, args.seconds, args.clients,
                                 cache=args.cache == "on", sparql_clients=args.sparql_clients)
        print(throughput_table(figures))
        return
    if args.command == "swap":
        from bench.swap import run_swap
        from bench.swap import table as swap_table

        print(swap_table(run_swap(args.data_dir, args.port, args.seconds, args.clients)))
        return
    if args.command == "builds":
        from bench.builds import run_builds, run_from_build
        from bench.builds import table as builds_table

        if args.from_build:
            print(builds_table(run_from_build(args.from_build, args.runs)))
        else:
            print(builds_table(run_builds(args.corpus, args.runs)))
        return
    if args.command == "remote":
        from bench.remote import run_remote
        from bench.remote import table as remote_table

        print(remote_table(run_remote(args.scale, args.servers.split(","), args.repeat, from_build=args.from_build)))
        return
    if args.command == "scale":
        from bench.scale import run_scale
        from bench.scale import table as scale_table

        print(scale_table(run_scale(args.scale, args.repeat, args.http_seconds, args.clients,
                                    whoosh=not args.no_whoosh)))
        return
    if args.command == "sparql":
        from bench.sparql_bench import run as run_sparql
        from bench.sparql_bench import table as sparql_table

        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}")
        print(sparql_table(run_sparql(args.repeat)))
        return
    if args.command == "soak":
        from bench.soak import run as run_soak

        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}")
        for key, value in run_soak(args.seconds, args.clients, args.port).items():
            print(f"  {key:<14} {value}")
        return
    if args.command == "extract":
        from bench.extract_bench import run as run_extract

        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}")
        print(run_extract(args.words))
        return
    if args.command == "search":
        from bench.search_bench import run, table

        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}; scale {args.scale}")
        print(table(run(args.scale, args.engines.split(","), args.repeat)))
        return
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, seconds in stages(Path(tmp) / "stages"):
            print(f"  {name:<20} {seconds:8.2f} s")
        metas, sources = corpus_sources(bundled_corpus_dir())
        _, total = timed(build_data_dir, Path(tmp) / "data", sources, metas, DEFAULT_BASE)
        print(f"  {'full build':<20} {total:8.2f} s")
        data = open_data(Path(tmp) / "data")
        rows = [(f"search {q!r}", *latencies(lambda q=q: search(data.index, q), args.repeat)) for q in QUERIES]
        rows.append(("lineage ovl-2019", *latencies(lambda: trace_lineage(data.lineage, "ovl-2019"), args.repeat)))
        rows.append(("SPARQL count", *latencies(lambda: run_query(data.dataset, SPARQL).rows(), args.repeat)))
        print(f"  {'query':<28} {'p50 ms':>8} {'p95 ms':>8}")
        for name, p50, p95 in rows:
            print(f"  {name:<28} {p50:8.1f} {p95:8.1f}")
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
