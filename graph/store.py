"""Where the graph lives: the Oxigraph store on disk (written once per build, read by any number of processes),
or any SPARQL 1.1 server (graph.remote)."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef

from corpus.errors import DataDirError
from graph.namespaces import PREFIXES


def write_store(graphs: Iterable[Graph], path: Path) -> int:
    """Bulk-load named graphs into a new on-disk store; return the number of quads.

    The graphs go to an N-Quads file one by one, which Oxigraph then loads in one pass: memory holds one
    graph at a time, not the corpus.
    """
    dump = path.with_name(path.name + ".nq")
    with open(dump, "wb") as out:
        for graph in graphs:
            if len(graph) and isinstance(graph.identifier, URIRef):
                out.write(as_nquads(graph))
    store = ox.Store(str(path))
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    store.flush()
    count = len(store)
    del store
    dump.unlink()
    return count


def as_nquads(graph: Graph) -> bytes:
    """A named graph's triples as N-Quads: its N-Triples lines, each with the graph's name."""
    name = f" <{graph.identifier}> .\n".encode()
    return b"".join(line[:-2] + name for line in graph.serialize(format="nt", encoding="utf-8").splitlines()
                    if line.endswith(b" ."))


def open_store(path: Path, read_only: bool = True, in_memory: bool = False) -> Dataset:
    """An rdflib Dataset over the store; queries run natively in Oxigraph over the union of graphs.

    With `in_memory`, over a copy of the store in memory (see `memory_copy`), read-only.
    """
    if in_memory:
        return _dataset(memory_copy(str(path)))  # no source to reopen: a query's process inherits the copy
    try:
        inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise DataDirError(f"{path}: cannot open the graph store: {exc}") from exc
    dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    if read_only:
        dataset.policygraph_source = ("oxigraph", str(path))  # how another process opens the same store
    return dataset


def memory_store(dataset: Dataset) -> Dataset:
    """The same dataset in an in-memory Oxigraph store (for tests and one-off commands)."""
    inner = ox.Store()
    inner.bulk_load(dataset.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS)
    return _dataset(inner)


def _dataset(inner: ox.Store) -> Dataset:
    out = Dataset(store=OxigraphStore(store=inner), default_union=True)
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    return out


COPY_FACTOR = 2  # an in-memory copy takes about twice the store's bytes on disk (at L: 456 MB → 821 MB)
MEMORY_SHARE = 4  # "auto" copies a graph whose copy would take at most a quarter of this machine's memory
_COPY: dict[str, ox.Store] = {}  # the one copy this process holds, by the path of the store it copies


def memory_copy(path: str) -> ox.Store:
    """The store at `path` copied into memory, once a process (a copy of another path replaces it).

    On disk, Oxigraph reads every index entry through RocksDB; in memory the example queries that scan
    every commitment ran about ten times faster at scale L (bench/RESULTS.md). `policygraph serve`
    makes the copy before its workers fork, and they share it: Oxigraph's reads change none of its pages.
    Nothing writes to it: a new build is a new path, and so a new copy.
    """
    if path not in _COPY:
        with tempfile.TemporaryDirectory() as folder:
            dump = Path(folder) / "graph.nq"  # a file, so that the text is never in memory
            # Opening a store on disk starts RocksDB's threads. A process forked afterwards (a gunicorn
            # worker) inherits their state but not the threads, and its next write of a store (a curator's
            # decision) waits for them for ever. So another process reads the store; this one only loads.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                pool.submit(dump_store, path, str(dump)).result()
            _COPY.clear()  # the previous copy goes before the next is read, not after
            _COPY[path] = _loaded(dump)
    return _COPY[path]


def dump_store(path: str, out: str) -> None:
    """Write the store at `path` as N-Quads to `out`.

    :raises DataDirError: when there is no store at `path` to read.
    """
    try:
        disk = ox.Store.read_only(path)
    except OSError as exc:
        raise DataDirError(f"{path}: cannot open the graph store: {exc}") from exc
    disk.dump(output=out, format=ox.RdfFormat.N_QUADS)


def forget_copy() -> None:
    """Let go of the copy this process holds, if any (processes forked earlier keep theirs)."""
    _COPY.clear()


def has_copy(path: str) -> bool:
    """Whether this process already holds the store at `path` in memory (copied, or inherited at a fork)."""
    return path in _COPY


def fits_in_memory(path: Path) -> bool:
    """What GRAPH_IN_MEMORY=auto decides: copy the store when the copy would take at most a quarter of the
    machine's memory, so that a corpus many times larger than memory is still served from disk."""
    on_disk = sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
    return on_disk * COPY_FACTOR * MEMORY_SHARE <= physical_memory()


def physical_memory() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def memory_store_of(nquads: Path) -> Dataset:
    """An N-Quads file loaded into an in-memory Oxigraph store (the benchmark compares it with the disk store)."""
    return _dataset(_loaded(nquads))


def _loaded(nquads: Path) -> ox.Store:
    inner = ox.Store()
    inner.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return inner


def reopen(source: tuple[str, str]) -> Dataset:
    """The dataset a `policygraph_source` names, opened afresh (in a query's worker process)."""
    kind, where = source
    if kind == "oxigraph":
        return open_store(Path(where))
    from graph.remote import Endpoint, remote_dataset

    return remote_dataset(Endpoint(where, ""))
