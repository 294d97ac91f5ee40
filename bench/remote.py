"""The graph in a SPARQL server against the embedded store, on the same records.

    python -m bench remote --scale M [--servers oxigraph,virtuoso] [--repeat 5]
    python -m bench remote --from-build DATA_DIR [--servers virtuoso]

Synthetic documents (bench/documents.py) are extracted and linked once. Their graph is then written to
the embedded Oxigraph store, to the Oxigraph server and to Virtuoso (each started here on loopback
ports), timing each write, and every example query runs `--repeat` times on each through the same
code the web app uses (rdflib's Dataset over the store, or over graph.remote's SPARQL client).
With `--from-build`, the documents a data directory's build extracted are written instead (no new
corpus, no extraction), and the embedded store is that build's own, read into memory as
`policygraph serve` reads it. Each run is added to bench/results/remote.jsonl.
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


def run_remote(scale: str, servers: list[str], repeat: int = 5, record: bool = True,
               from_build: Path | None = None) -> dict:
    """Write one corpus's graph to each store and time the example queries on each; return the figures.

    With `from_build` (a data directory), the documents that build extracted are written instead of a new
    synthetic corpus, and the embedded store is that build's own, read into memory as the server reads it.
    """
    from graph.build import build_dataset
    from graph.linking import lineage_links
    from graph.namespaces import DEFAULT_BASE
    from graph.remote import remote_dataset, write_remote

    work = Path(tempfile.mkdtemp(prefix=f"bench-remote-{scale}-"))
    try:
        figures = {"scale": scale if from_build is None else str(from_build), "date": time.strftime("%Y-%m-%d"),
                   "machine": machine(), "repeat": repeat, "stores": {}}
        catalogue, extractions = documents_of(scale, from_build, work)
        examples, links = examples_for(catalogue), lineage_links(extractions)
        embedded = embedded_figures(catalogue, extractions, links, from_build, work, repeat, examples)
        figures["stores"]["embedded"] = embedded
        dataset = build_dataset(extractions, catalogue, DEFAULT_BASE, links)
        for name in servers:
            (work / name).mkdir()
            with SERVERS[name](work / name) as endpoint:
                if name == "oxigraph" and embedded["quads"] > OXIGRAPH_WHOLE:
                    endpoint = dataclasses.replace(endpoint, batch=OXIGRAPH_BATCH)
                began = time.perf_counter()
                quads = write_remote(dataset, endpoint, DEFAULT_BASE)
                figures["stores"][name] = {"write_s": time.perf_counter() - began, "quads": quads,
                                           "mb": folder_mb(work / name),
                                           "queries": query_figures(remote_dataset(endpoint), repeat, examples)}
        if record:
            append_figures(RESULTS, figures)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def documents_of(scale: str, from_build: Path | None, work: Path) -> tuple:
    """The catalogue and extractions to write: a new synthetic corpus's, or those a build already made."""
    from bench.documents import write_corpus
    from corpus.pipeline import corpus_sources, run_corpus
    from graph.datadir import load_extractions, open_build

    if from_build is not None:
        return load_extractions(open_build(from_build))
    write_corpus(work / "corpus", scale)
    metas, sources = corpus_sources(work / "corpus")
    run = run_corpus(sources, metas)
    return run.catalogue, run.extractions


def embedded_figures(catalogue, extractions, links, from_build: Path | None, work: Path, repeat: int,
                     examples: list) -> dict:
    """The embedded store's figures: a new store written on disk, or a build's own store read into memory."""
    from graph.build import named_graphs
    from graph.datadir import open_build, open_data
    from graph.namespaces import DEFAULT_BASE
    from graph.native import native_store
    from graph.store import open_store, write_store

    if from_build is not None:
        build = open_data(from_build, in_memory=True).dataset
        return {"write_s": None, "quads": len(native_store(build)), "mb": folder_mb(open_build(from_build) / "store"),
                "in_memory": True, "queries": query_figures(build, repeat, examples)}
    began = time.perf_counter()
    quads = write_store(named_graphs(extractions, catalogue, DEFAULT_BASE, links), work / "store")
    return {"write_s": time.perf_counter() - began, "quads": quads, "mb": folder_mb(work / "store"),
            "queries": query_figures(open_store(work / "store"), repeat, examples)}


def examples_for(catalogue) -> list:
    """The example queries; for a synthetic corpus, naming its documents in the roles of the bundled ones."""
    from bench.documents import stand_in_examples
    from graph.examples import load_examples

    if all(meta.id.startswith("synthetic-") for meta in catalogue):
        return stand_in_examples(len(catalogue))
    return load_examples()


def query_figures(dataset, repeat: int, examples: list) -> dict:
    from graph.namespaces import sparql_prologue

    out = {}
    for example in examples:
        query = sparql_prologue() + example.query
        rows = len(list(dataset.query(query)))
        out[example.name] = {"rows": rows, **percentiles(timed_ms(lambda q=query: list(dataset.query(q)), repeat))}
    return out


def table(f: dict) -> str:
    stores = list(f["stores"])
    lines = [f"scale {f['scale']}, {f['date']}, {f['machine']}, repeat {f['repeat']}", "",
             "| store | write s | quads | on disk MB |", "|---|---|---|---|"]
    lines += [f"| {name} | {'(built)' if s['write_s'] is None else format(s['write_s'], '.1f')} | {s['quads']:,} | "
              f"{s['mb']:.0f} |" for name, s in f["stores"].items()]
    lines += ["", "| example query | " + " | ".join(f"{s} p50 / p95 ms" for s in stores) + " |",
              "|---|" + "---|" * len(stores)]
    for query in f["stores"]["embedded"]["queries"]:
        cells = [f["stores"][s]["queries"][query] for s in stores]
        lines.append(f"| {query} | " + " | ".join(f"{c['p50_ms']:.1f} / {c['p95_ms']:.1f}" for c in cells) + " |")
    return "\n".join(lines)
