"""The whole pipeline at scale S, M or L, with the peers in the same run, on the same records.

    python -m bench scale --scale M [--repeat 5] [--http-seconds 60] [--clients 8]

Synthetic documents are written to disk (bench/documents.py) and built exactly as `policygraph build`
builds a corpus: parse and extract, link, RDF graph into the Oxigraph store, search index (tantivy). Then,
on that build:
  - keyword search with facets and highlighting: tantivy, Whoosh (its own index of the same records)
    and SQLite FTS5 (the peer), the 60 mixed queries of bench/synthetic.py;
  - lineage of every priority (up to 50): our networkx trace, and the same ancestors and evidence by a
    SPARQL property path on Oxigraph and on rdflib's in-memory store (the peer);
  - each example SPARQL query on Oxigraph and on rdflib's in-memory store;
  - HTTP on loopback for a bounded time: /api/search, /api/lineage and /sparql on `policygraph serve` (2
    workers), and /sparql on rdflib-endpoint (the peer, 2 workers) with the same queries;
  - resident memory of the build and of the server.
Each run's figures are added to bench/results/scale.jsonl, from which `python -m bench plot` draws.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import platform
import resource
import shutil
import signal
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path

from tqdm import tqdm

from bench.documents import stand_in_examples, write_corpus
from bench.http_load import hammer, peer_endpoint, policygraph_server
from bench.search_bench import percentiles
from bench.synthetic import queries

RESULTS = Path(__file__).parent / "results" / "scale.jsonl"
ANCESTORS = """SELECT ?s ?o ?quote WHERE {{ <{iri}> prov:wasDerivedFrom* ?s .
  ?s prov:qualifiedDerivation ?d . ?d prov:entity ?o ; pg:evidence/oa:hasSelector/oa:exact ?quote }}"""


class StageClock:
    """A progress hook that shows bars and times the build's stages as the build reports them."""

    def __init__(self) -> None:
        self.spans: dict[str, list[float]] = {}

    def __call__(self, items, label, total):
        return self._timed(tqdm(items, desc=label, total=total, leave=False), label)

    def _timed(self, items, label):
        # a stage's work happens while its items are made (extract: the pool works ahead) or between
        # them (store: graph, then index), so the whole span counts, and each store step on its own
        self.spans.setdefault(f"{label}:start", [time.perf_counter()])
        for item in items:
            began = time.perf_counter()
            yield item
            if label == "store":
                self.spans.setdefault(f"store:{item}", []).append(time.perf_counter() - began)
        self.spans[f"{label}:end"] = [time.perf_counter()]

    def stages(self) -> dict[str, float]:
        total = lambda key: sum(self.spans.get(key, [0.0]))  # noqa: E731
        return {"extract_s": total("extract:end") - total("extract:start"),
                "link_s": total("store:start") - total("extract:end"),
                "graph_s": total("store:graph"), "index_s": total("store:index"),
                "snapshot_s": total("store:snapshot")}


def build(corpus: Path, data_dir: Path, backend: str = "tantivy") -> dict:
    from corpus.pipeline import corpus_sources
    from graph.datadir import build_data_dir
    from graph.namespaces import DEFAULT_BASE

    clock, started = StageClock(), time.perf_counter()
    metas, sources = corpus_sources(corpus)
    info = build_data_dir(data_dir, sources, metas, DEFAULT_BASE, progress=clock, backend=backend)
    current = data_dir / "current"
    return {"build_s": time.perf_counter() - started, **clock.stages(), "documents": info.documents,
            "commitments": info.commitments, "triples": info.quads, "records": info.index_records,
            "index_mb": folder_mb(current / "index"), "store_mb": folder_mb(current / "store"),
            "build_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.resolve().rglob("*") if f.is_file()) / 2**20


PEER_LIMIT_S = 30  # a peer's query is stopped here and counted at the limit: the ratio is then a floor
PEER_WORKERS_PAST = 2_000_000  # triples past which the peer endpoint runs one worker, not two: each holds all


def timed_ms(fn, repeat: int, limit_s: float | None = None) -> list[float]:
    """Milliseconds of each run; with `limit_s`, a run is stopped there, counted at the limit, and is the last
    (rdflib's store takes minutes on some queries at L, and one such run says enough)."""
    out = []
    for _ in range(repeat):
        began = time.perf_counter()
        try:
            with time_limit(limit_s):
                fn()
        except TimeoutError:
            out.append(limit_s * 1000)
            break
        out.append((time.perf_counter() - began) * 1000)
    return out


@contextlib.contextmanager
def time_limit(seconds: float | None):
    # rdflib evaluates in Python, so an alarm's exception stops it between two steps of the query
    if not seconds:
        yield
        return

    def stop(*_):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def search_figures(data, records: list[dict], work: Path, repeat: int, whoosh: bool) -> dict:
    from bench import fts5
    from search.index import build_index, open_index
    from search.query import search

    mixed = queries()
    engines = {"tantivy": lambda q: search(data.index, q, limit=10)}
    out = {}
    if whoosh:
        began = time.perf_counter()
        build_index(records, work / "whoosh", "whoosh")
        out["whoosh_build_s"] = time.perf_counter() - began
        index = open_index(work / "whoosh")
        engines["whoosh"] = lambda q: search(index, q, limit=10)
    fts5.build(records, work / "fts.sqlite")
    db = fts5.open_fts(work / "fts.sqlite")
    engines["fts5"] = lambda q: fts5.search(db, q)
    with frozen_heap():
        for name, ask in engines.items():
            for q in mixed:  # one pass untimed, as a server is warm: the first reads pages of the index from disk
                ask(q)
            times = [t for _ in range(repeat) for q in mixed for t in timed_ms(lambda q=q, ask=ask: ask(q), 1)]
            out[name] = percentiles(times)
    return out


@contextlib.contextmanager
def frozen_heap():
    """Time as the server runs: with what is already loaded kept out of the collector's sweeps.

    This process holds every extraction and record (millions of objects at L), which the server does
    not, and a full collection walks them all, inside whichever search happens to trigger it.
    `policygraph serve` freezes its preloaded objects the same way.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def lineage_figures(data, memory, priorities: list[str], repeat: int) -> dict:
    from graph.lineage import node_for, trace_lineage
    from graph.namespaces import sparql_prologue

    iris = [node_for(data.lineage, p) for p in priorities]
    ours = [t for p in priorities for t in timed_ms(lambda p=p: trace_lineage(data.lineage, p), repeat)]
    query = lambda iri: sparql_prologue() + ANCESTORS.format(iri=iri)  # noqa: E731
    oxigraph = [t for i in iris for t in timed_ms(lambda i=i: list(data.dataset.query(query(i))), repeat)]
    peer = [t for i in iris[:10] for t in timed_ms(lambda i=i: list(memory.query(query(i))), max(1, repeat // 2),
                                                   PEER_LIMIT_S)]
    return {"networkx": percentiles(ours), "oxigraph_sparql": percentiles(oxigraph),
            "rdflib_memory_sparql": percentiles(peer), "priorities": len(priorities)}


def sparql_figures(data, memory, repeat: int, examples: list, nquads: Path | None = None) -> dict:
    """Each example query answered as /sparql answers it (JSON, written by Oxigraph: graph.sparql.write),
    on the build's store and, with `nquads`, on Oxigraph's in-memory store loaded from them (what
    GRAPH_IN_MEMORY serves from); beside rdflib's in-memory store reading every row (the peer, which
    writes nothing, so its ratio is a floor)."""
    from graph.namespaces import sparql_prologue
    from graph.sparql import write
    from graph.store import memory_store_of

    in_memory = memory_store_of(nquads) if nquads else None
    out = {}
    for example in examples:
        query, full = example.query, sparql_prologue() + example.query
        fast = timed_ms(lambda q=query: write(data.dataset, q, [], "json"), repeat)
        slow = timed_ms(lambda q=full: list(memory.query(q)), repeat, PEER_LIMIT_S)
        out[example.name] = {"oxigraph": percentiles(fast), "rdflib_memory": percentiles(slow),
                             "ratio": statistics.median(slow) / max(statistics.median(fast), 1e-6),
                             "peer_stopped": max(slow) >= PEER_LIMIT_S * 1000, "written": "json"}
        if in_memory is not None:
            near = timed_ms(lambda q=query: write(in_memory, q, [], "json"), repeat)
            out[example.name]["oxigraph_memory"] = percentiles(near)
            out[example.name]["ratio_memory"] = statistics.median(slow) / max(statistics.median(near), 1e-6)
    return out


def http_figures(data_dir: Path, nquads: Path, priorities: list[str], seconds: float, clients: int,
                 port: int, triples: int = 0, examples: list | None = None) -> dict:
    from graph.examples import load_examples

    examples = examples or load_examples()
    words = [urllib.parse.quote(q) for q in queries()]
    sparql = [f"/sparql?query={urllib.parse.quote(e.query)}" for e in examples]
    targets = {"api_search": [f"/api/search?q={w}" for w in words],
               "api_lineage": [f"/api/lineage/{p}" for p in priorities], "sparql": sparql}
    out = {}
    began = time.perf_counter()
    with policygraph_server(data_dir, port) as server:
        out["startup_s"] = time.perf_counter() - began
        for name, paths in targets.items():
            out[name] = hammer(port, paths, seconds, clients)
        out["server_mb"] = server.resident_mb()
    # the same searches with no answer kept: what the engine itself sustains, the cache aside
    with policygraph_server(data_dir, port, search_cache=0):
        out["api_search_uncached"] = hammer(port, targets["api_search"], seconds, clients)
    from graph.namespaces import sparql_prologue

    peer_paths = [f"/?query={urllib.parse.quote(sparql_prologue() + e.query)}" for e in examples]
    out["peer_workers"] = 1 if triples > PEER_WORKERS_PAST else 2
    with peer_endpoint(nquads, port + 1, out["peer_workers"]) as peer:
        out["peer_sparql"] = hammer(port + 1, peer_paths, seconds, clients)
        out["peer_mb"] = peer.resident_mb()
    return out


def run_scale(scale: str, repeat: int = 5, http_seconds: float = 60, clients: int = 8, port: int = 5088,
              whoosh: bool = True, record: bool = True) -> dict:
    """Build the scale from its documents, time everything against the peers, and return the figures."""
    import pyoxigraph as ox

    from bench.sparql_bench import memory_copy
    from graph.datadir import load_extractions, open_build, open_data
    from search.records import corpus_records

    work = Path(tempfile.mkdtemp(prefix=f"bench-scale-{scale}-"))
    try:
        figures = {"scale": scale, "date": time.strftime("%Y-%m-%d"), "machine": machine(), "repeat": repeat}
        began = time.perf_counter()
        write_corpus(work / "corpus", scale)
        figures["generate_s"] = time.perf_counter() - began
        figures.update(build(work / "corpus", work / "data"))
        data = open_data(work / "data")
        _, extractions = load_extractions(open_build(work / "data"))
        priorities = [c.id for e in extractions for c in e.commitments if c.kind == "priority"][:50]
        figures["search"] = search_figures(data, list(corpus_records(extractions)), work, repeat, whoosh)
        # Oxigraph writes the quads itself (rdflib takes minutes to serialize millions), and the peer parses them
        data.dataset.store._inner.dump(output=str(work / "graph.nq"), format=ox.RdfFormat.N_QUADS)
        memory = memory_copy(work / "graph.nq")
        figures["lineage"] = lineage_figures(data, memory, priorities, repeat)
        examples = stand_in_examples(figures["documents"])
        figures["sparql"] = sparql_figures(data, memory, repeat, examples, work / "graph.nq")
        del memory
        figures["http"] = http_figures(work / "data", work / "graph.nq", priorities, http_seconds, clients, port,
                                       figures["triples"], examples)
        if record:
            append_figures(RESULTS, figures)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def append_figures(path: Path, figures: dict) -> None:
    """Add one run's figures to a JSON Lines file of results."""
    path.parent.mkdir(exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(figures) + "\n")


@functools.cache
def machine() -> str:
    """The machine, with how fast it ran two fixed tasks: this machine's speed has differed by a fifth from
    one day to the next, so figures from different days are compared by these first."""
    import os

    return (f"{os.cpu_count()} cores, {platform.machine()}, {platform.python_implementation()} "
            f"{platform.python_version()}, {speed()}")


def speed() -> str:
    """Milliseconds for a loop of Python and for a million random reads of a 64 MB array, best of three."""
    import numpy as np

    rows = np.random.default_rng(0).integers(0, 8_000_000, 1_000_000)
    table = np.arange(8_000_000, dtype=np.int64)
    python = min(timed_ms(lambda: sum(i * i for i in range(300_000)), 3))
    reads = min(timed_ms(lambda: table[rows].sum(), 3))
    return f"Python loop {python:.0f} ms, random reads {reads:.0f} ms"


def table(f: dict) -> str:
    """The figures of one run as the tables bench/RESULTS.md keeps."""
    ms = lambda p: f"{p['p50_ms']:.1f} / {p['p95_ms']:.1f} / {p['p99_ms']:.1f}"  # noqa: E731
    lines = [f"scale {f['scale']}, {f['date']}, {f['machine']}, repeat {f['repeat']}", "",
             "| documents | commitments | triples | index records | build s | extract s | link s | graph s "
             "| index s | snapshot s | index MB | store MB | build peak MB |", "|" + "---|" * 13,
             f"| {f['documents']:,} | {f['commitments']:,} | {f['triples']:,} | {f['records']:,} | {f['build_s']:.1f} "
             f"| {f['extract_s']:.1f} | {f['link_s']:.1f} | {f['graph_s']:.1f} | {f['index_s']:.1f} "
             f"| {f.get('snapshot_s', 0):.1f} "
             f"| {f['index_mb']:.0f} | {f['store_mb']:.0f} | {f['build_peak_mb']:.0f} |", "",
             "| what | p50 / p95 / p99 ms |", "|---|---|"]
    lines += [f"| search, {name} | {ms(p)} |" for name, p in f["search"].items() if isinstance(p, dict)]
    lines += [f"| lineage of a priority, {name} | {ms(p)} |" for name, p in f["lineage"].items()
              if isinstance(p, dict)]
    lines += ["", "| example query | Oxigraph p50 / p95 ms | rdflib Memory p50 / p95 ms | ratio "
              "| Oxigraph in memory p50 / p95 ms | ratio |", "|---|---|---|---|---|---|"]
    ratios, near = [], []
    for name, q in f["sparql"].items():
        ratios.append(q["ratio"])
        floor = ">= " if q.get("peer_stopped") else ""
        in_memory = "- | -"
        if "oxigraph_memory" in q:
            near.append(q["ratio_memory"])
            in_memory = (f"{q['oxigraph_memory']['p50_ms']:.1f} / {q['oxigraph_memory']['p95_ms']:.1f} "
                         f"| {floor}{q['ratio_memory']:.0f}x")
        lines.append(f"| {name} | {q['oxigraph']['p50_ms']:.1f} / {q['oxigraph']['p95_ms']:.1f} "
                     f"| {q['rdflib_memory']['p50_ms']:.1f} / {q['rdflib_memory']['p95_ms']:.1f} "
                     f"| {floor}{q['ratio']:.0f}x | {in_memory} |")
    if near:
        lines.append(f"\nmedian ratio in memory: {statistics.median(near):.0f}x")
    lines += [f"\nmedian ratio over the example queries: {statistics.median(ratios):.0f}x", "",
              "| HTTP, bounded load | requests/s | 5xx | p50 / p95 / p99 ms |", "|---|---|---|---|"]
    h = f["http"]
    lines += [f"| {name} | {h[name]['per_second']:.0f} | {h[name]['server_errors']} | {ms(h[name])} |"
              for name in ("api_search", "api_search_uncached", "api_lineage", "sparql", "peer_sparql") if name in h]
    lines.append(f"\nserver resident memory after the load: ours {h['server_mb']:.0f} MB, peer {h['peer_mb']:.0f} MB")
    return "\n".join(lines)
