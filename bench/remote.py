"""The graph in a SPARQL server against the embedded store, on the same records.

    python -m bench remote --scale M [--servers oxigraph,virtuoso] [--repeat 5]

Synthetic documents (bench/documents.py) are extracted and linked once. Their graph is then written to
the embedded Oxigraph store, to the Oxigraph server and to Virtuoso (each started here on loopback
ports), timing each write, and every example query runs `--repeat` times on each through the same
code the web app uses (rdflib's Dataset over the store, or over graph.remote's SPARQL client).
Each run is added to bench/results/remote.jsonl.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from pathlib import Path

from bench.scale import append_figures, folder_mb, machine, timed_ms
from bench.search_bench import percentiles
from bench.servers import oxigraph_server, virtuoso_server

RESULTS = Path(__file__).parent / "results" / "remote.jsonl"
SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}
# The Oxigraph server refuses an update body over 128 MiB, about 900,000 of our triples (L has 2.4 million)
OXIGRAPH_WHOLE = 800_000
OXIGRAPH_BATCH = 200_000


def run_remote(scale: str, servers: list[str], repeat: int = 5, record: bool = True) -> dict:
    """Write one corpus's graph to each store and time the example queries on each; return the figures."""
    from bench.documents import write_corpus
    from corpus.pipeline import corpus_sources, run_corpus
    from graph.build import build_dataset, named_graphs
    from graph.linking import lineage_links
    from graph.namespaces import DEFAULT_BASE
    from graph.remote import remote_dataset, write_remote
    from graph.store import open_store, write_store

    work = Path(tempfile.mkdtemp(prefix=f"bench-remote-{scale}-"))
    try:
        write_corpus(work / "corpus", scale)
        metas, sources = corpus_sources(work / "corpus")
        run = run_corpus(sources, metas)
        links = lineage_links(run.extractions)
        figures = {"scale": scale, "date": time.strftime("%Y-%m-%d"), "machine": machine(), "repeat": repeat,
                   "stores": {}}
        began = time.perf_counter()
        quads = write_store(named_graphs(run.extractions, run.catalogue, DEFAULT_BASE, links), work / "store")
        figures["stores"]["embedded"] = {"write_s": time.perf_counter() - began, "quads": quads,
                                         "mb": folder_mb(work / "store"),
                                         "queries": query_figures(open_store(work / "store"), repeat)}
        dataset = build_dataset(run.extractions, run.catalogue, DEFAULT_BASE, links)
        for name in servers:
            (work / name).mkdir()
            with SERVERS[name](work / name) as endpoint:
                if name == "oxigraph" and figures["stores"]["embedded"]["quads"] > OXIGRAPH_WHOLE:
                    endpoint = dataclasses.replace(endpoint, batch=OXIGRAPH_BATCH)
                began = time.perf_counter()
                quads = write_remote(dataset, endpoint, DEFAULT_BASE)
                figures["stores"][name] = {"write_s": time.perf_counter() - began, "quads": quads,
                                           "mb": folder_mb(work / name),
                                           "queries": query_figures(remote_dataset(endpoint), repeat)}
        if record:
            append_figures(RESULTS, figures)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def query_figures(dataset, repeat: int) -> dict:
    from graph.examples import load_examples
    from graph.namespaces import sparql_prologue

    out = {}
    for example in load_examples():
        query = sparql_prologue() + example.query
        rows = len(list(dataset.query(query)))
        out[example.name] = {"rows": rows, **percentiles(timed_ms(lambda q=query: list(dataset.query(q)), repeat))}
    return out


def table(f: dict) -> str:
    stores = list(f["stores"])
    lines = [f"scale {f['scale']}, {f['date']}, {f['machine']}, repeat {f['repeat']}", "",
             "| store | write s | quads | on disk MB |", "|---|---|---|---|"]
    lines += [f"| {name} | {s['write_s']:.1f} | {s['quads']:,} | {s['mb']:.0f} |" for name, s in f["stores"].items()]
    lines += ["", "| example query | " + " | ".join(f"{s} p50 / p95 ms" for s in stores) + " |",
              "|---|" + "---|" * len(stores)]
    for query in f["stores"]["embedded"]["queries"]:
        cells = [f["stores"][s]["queries"][query] for s in stores]
        lines.append(f"| {query} | " + " | ".join(f"{c['p50_ms']:.1f} / {c['p95_ms']:.1f}" for c in cells) + " |")
    return "\n".join(lines)
