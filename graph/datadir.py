"""The data directory: builds written aside, then swapped in atomically, so readers never see half a build.

    DATA_DIR/
      current -> builds/20261123T230000-1234    (symlink, replaced atomically)
      builds/<stamp>/store/                     (Oxigraph)
      builds/<stamp>/index/                     (records in SQLite, terms in Whoosh or tantivy)
      builds/<stamp>/extractions.pickle         (what `ingest` reuses instead of re-reading every file)
      builds/<stamp>/catalogue.sqlite           (graph.snapshot: what the pages read, asked once a build)
      builds/<stamp>/lineage.pickle             (graph.snapshot: the lineage graph with its evidence)
      builds/<stamp>/build.json                 (written last: a build without it is incomplete)
      build.lock                                (one writer at a time)
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from corpus.errors import CorpusError, DataDirError
from corpus.manifest import bundled_corpus_dir
from corpus.models import DocumentMeta, Extraction
from corpus.pipeline import Progress, Source, corpus_sources, no_progress, run_corpus
from graph.build import build_dataset, named_graphs
from graph.curation import Decision, curation_file, load_decisions, record_decision
from graph.linking import lineage_links
from graph.remote import Endpoint, remote_dataset, write_remote
from graph.snapshot import LINEAGE, Catalogue, open_catalogue, open_lineage, read_lineage, write_snapshot
from graph.store import fits_in_memory, forget_copy, has_copy, memory_copy, open_store, write_store
from search.docstore import count_records, superseded_records
from search.index import analysed_before, build_index, open_index, update_index
from search.records import corpus_records

MARKER = "build.json"
EXTRACTIONS = "extractions.pickle"


@dataclass(frozen=True, slots=True)
class BuildInfo:
    path: str
    built_at: str
    base: str
    documents: int
    commitments: int
    references: int
    quads: int
    index_records: int
    errors: tuple[str, ...]
    endpoint: str = ""  # the SPARQL server holding the graph, if not the build's own store
    update_endpoint: str = ""
    update_batch: int = 0  # the most triples in one update request to that server (0: no limit)


@dataclass
class Data:
    """A finished build opened for reading: what the web app and the CLI query."""

    info: BuildInfo
    dataset: Dataset
    index: object
    catalogue: Catalogue
    build: Path

    @cached_property
    def lineage(self) -> nx.DiGraph:
        """Read when first asked for: a worker about to be replaced (server.py) that opens a new build for its
        last requests reads it only if one of them needs it (at 100,000 commitments, 170 MB)."""
        return open_lineage(self.dataset, self.build)


def default_data_dir() -> Path:
    root = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(root) / "policygraph"


@contextmanager
def writer_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's write lock, or fail at once with a clear message."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DataDirError(f"{data_dir}: another policygraph process is building here; try again later") from exc
        yield


def build_data_dir(data_dir: Path, sources: list[Source], catalogue: list[DocumentMeta], base: str,
                   progress: Progress = no_progress, backend: str = "whoosh",
                   endpoint: Endpoint | None = None) -> BuildInfo:
    """Build graph and index aside, then make them current. A failure leaves the previous build serving.

    With an `endpoint`, the graph goes to that SPARQL server instead of the build's own store, last of
    all, so that a build failing before then leaves the server's graph as it was.

    :raises CorpusError: when no document could be read.
    :raises DataDirError: when another process holds the write lock.
    """
    with writer_lock(data_dir), staged(data_dir) as stage:
        run = run_corpus(sources, catalogue, progress)
        if not run.extractions:
            raise CorpusError("no document could be read:\n" + "\n".join(run.errors))
        return store_extractions(stage, run.catalogue, run.extractions, base, progress, backend, endpoint,
                                 load_decisions(curation_file(data_dir)), run.errors)


def store_extractions(stage: Path, catalogue, extractions, base: str, progress: Progress = no_progress,
                      backend: str = "whoosh", endpoint: Endpoint | None = None, decisions: tuple = (),
                      errors=()) -> BuildInfo:
    """Link extracted documents, write their graph, index and snapshot into the build folder `stage`, and
    mark it complete (everything a build does after reading the files)."""
    links = lineage_links(extractions, decisions)
    steps = ["index", "graph"] if endpoint else ["graph", "index"]
    for step in progress([*steps, "snapshot"], "store", 3):
        if step == "graph":
            quads = write_graph(extractions, catalogue, links, stage, endpoint, base)
        elif step == "index":
            records = build_index(corpus_records(extractions, links.superseded), stage / "index", backend, progress)
        else:
            write_snapshot(graph_of(stage, endpoint), stage)
    return finish(stage, base, catalogue, extractions, quads, records, errors, endpoint)


def write_graph(extractions, catalogue, links, stage: Path, endpoint: Endpoint | None, base: str) -> int:
    if endpoint:
        return write_remote(build_dataset(extractions, catalogue, base, links), endpoint, base)
    return write_store(named_graphs(extractions, catalogue, base, links), stage / "store")


def graph_of(build: Path, endpoint: Endpoint | None, in_memory: bool | None = False, copy: bool = True) -> Dataset:
    """The graph a build wrote: its own store, or the SPARQL server it wrote to.

    The store is read from a copy in memory when `in_memory` says so (None: when it fits, see
    graph.store.fits_in_memory); with `copy` False, only if this process already holds that copy.
    """
    if endpoint:
        return remote_dataset(endpoint)
    store = build / "store"
    return open_store(store, in_memory=wants_copy(store, in_memory) and (copy or has_copy(str(store))))


def wants_copy(store: Path, in_memory: bool | None) -> bool:
    return fits_in_memory(store) if in_memory is None else in_memory


def recorded_endpoint(build: Path) -> Endpoint | None:
    """The SPARQL server a build put its graph in, if it did not keep it in its own store."""
    raw = json.loads((build / MARKER).read_text(encoding="utf-8"))
    if not raw.get("endpoint"):
        return None
    return Endpoint(raw["endpoint"], raw["update_endpoint"], raw.get("update_batch", 0))


def ingest_into_data_dir(data_dir: Path, sources: list[Source], progress: Progress = no_progress) -> BuildInfo:
    """Add or replace documents without re-reading the others: a new build made from the current one.

    Only the new files are extracted; the others' extractions come from the current build, so their
    triples and index records stay exactly as they were.
    :raises CorpusError: naming each file that could not be read (then nothing changes).
    :raises DataDirError: when nothing is built yet, or another process holds the write lock.
    """
    with writer_lock(data_dir), staged(data_dir) as stage:
        current = open_build(data_dir)
        catalogue, kept = load_extractions(current)
        run = run_corpus(sources, catalogue, progress)
        if run.errors:
            raise CorpusError("nothing was ingested:\n" + "\n".join(run.errors))
        replaced = {e.document.id for e in run.extractions}
        extractions = tuple(e for e in kept if e.document.id not in replaced) + run.extractions
        return rewrite(stage, current, run.catalogue, extractions, replaced, load_decisions(curation_file(data_dir)))


def rewrite(stage: Path, current: Path, catalogue, extractions, replaced: set[str], decisions) -> BuildInfo:
    """A new build from the current one: the graph written again, the index changed only where it must be.

    Besides the replaced documents, any document whose commitments became (or stopped being) superseded
    gets its records written again, so that status filters stay true.
    """
    base = json.loads((current / MARKER).read_text(encoding="utf-8"))["base"]
    endpoint = recorded_endpoint(current)
    links = lineage_links(extractions, decisions)
    shutil.copytree(current / "index", stage / "index")
    was = superseded_records(stage / "index")
    changed = {c.document for e in extractions for c in e.commitments
               if was.get(c.id, "") != links.superseded.get(c.id, "")}
    again = replaced | changed
    update_index(stage / "index", again, corpus_records([e for e in extractions if e.document.id in again],
                                                        links.superseded))
    quads = write_graph(extractions, catalogue, links, stage, endpoint, base)
    write_snapshot(graph_of(stage, endpoint), stage)
    return finish(stage, base, catalogue, extractions, quads, count_records(stage / "index"), (), endpoint)


def curate_data_dir(data_dir: Path, decision: Decision) -> BuildInfo:
    """Record a curator's decision, then rewrite the graph with it: a new build made from the current one.

    :raises CorpusError: when an id is not in the build, or the earlier end is not earlier.
    :raises DataDirError: when nothing is built yet, or another process holds the write lock.
    """
    with writer_lock(data_dir), staged(data_dir) as stage:
        current = open_build(data_dir)
        catalogue, extractions = load_extractions(current)
        check_ends(decision, catalogue, extractions)
        record_decision(curation_file(data_dir), decision)
        return rewrite(stage, current, catalogue, extractions, set(), load_decisions(curation_file(data_dir)))


def check_ends(decision: Decision, catalogue, extractions) -> None:
    issued = {m.id: m.issued_on for m in catalogue}
    issued.update({c.id: e.document.meta.issued_on for e in extractions for c in e.commitments})
    for ident in (decision.later, decision.earlier):
        if ident not in issued:
            raise CorpusError(f"{ident!r} is not the id of a commitment or document in the current build")
    if issued[decision.earlier] >= issued[decision.later]:
        raise CorpusError(f"{decision.earlier!r} ({issued[decision.earlier][:10]}) is not earlier than "
                          f"{decision.later!r} ({issued[decision.later][:10]}): lineage runs back in time")


@contextmanager
def staged(data_dir: Path) -> Iterator[Path]:
    """A new build folder: made current if the block completes, removed if it fails or is interrupted."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # sorts in build order
    stage = data_dir / "builds" / f"{stamp}-{os.getpid()}"
    stage.mkdir(parents=True)
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    make_current(data_dir, stage)
    _clean(data_dir, keep=stage)


def finish(stage: Path, base: str, catalogue, extractions, quads: int, records: int, errors,
           endpoint: Endpoint | None = None) -> BuildInfo:
    """Write what later ingests need, then the marker that says the build is complete (always last)."""
    with open(stage / EXTRACTIONS, "wb") as handle:
        pickle.dump((tuple(catalogue), tuple(extractions)), handle, protocol=pickle.HIGHEST_PROTOCOL)
    info = BuildInfo(str(stage), time.strftime("%Y-%m-%dT%H:%M:%S%z"), base, len(extractions),
                     sum(e.promises for e in extractions), sum(len(e.references) for e in extractions),
                     quads, records, tuple(errors),
                     *((endpoint.query, endpoint.update, endpoint.batch) if endpoint else ()))
    (stage / MARKER).write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
    return info


def open_build(data_dir: Path) -> Path:
    if build_status(data_dir) != "ready":
        raise DataDirError(f"{data_dir}: nothing is built here to add to; run `policygraph build` first")
    return (data_dir / "current").resolve()


def load_extractions(build: Path) -> tuple[tuple[DocumentMeta, ...], tuple[Extraction, ...]]:
    """The catalogue and extractions a build was made from (a build from before ingest existed has none)."""
    try:
        with open(build / EXTRACTIONS, "rb") as handle:
            return pickle.load(handle)  # our own file, written by `finish` in this data directory
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise DataDirError(f"{build}: this build cannot be added to ({exc}); rebuild it with `policygraph build`") \
            from exc


def make_current(data_dir: Path, stage: Path) -> None:
    """Point `current` at a finished build folder of the data directory, atomically."""
    link = data_dir / "current"
    tmp = data_dir / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(stage.relative_to(data_dir))
    os.replace(tmp, link)  # atomic on POSIX: readers see the old build or the new one, never neither


def _clean(data_dir: Path, keep: Path) -> None:
    """Remove builds that are neither current nor the one just replaced (kept for readers still on it)."""
    builds = sorted(p for p in (data_dir / "builds").iterdir() if p.is_dir())
    finished = [b for b in builds if (b / MARKER).exists()]
    keepers = {keep, *finished[-2:]}
    for build in builds:
        if build not in keepers:
            shutil.rmtree(build, ignore_errors=True)


def build_status(data_dir: Path) -> str:
    """"ready", "missing" (nothing built yet) or "broken" (current is not a finished build)."""
    link = data_dir / "current"
    if not link.is_symlink() and not link.exists():
        return "missing"
    target = link.resolve()
    if not (target / MARKER).exists():
        return "broken"
    return "ready" if (target / "store").exists() or recorded_endpoint(target) else "broken"


def open_data(data_dir: Path, search_cache: int = 0, in_memory: bool | None = False, copy: bool = True,
              best_of: int | None = None) -> Data:
    """Open the current build read-only, its index keeping up to `search_cache` recent answers (search.cache)
    and bringing in a search's `best_of` best matches (search.index.open_index), its graph read from memory
    as `in_memory` and `copy` say (see `graph_of`).

    :raises DataDirError: when there is no finished build to open.
    """
    status = build_status(data_dir)
    if status != "ready":
        what = "nothing has been built" if status == "missing" else "the current build is incomplete"
        raise DataDirError(f"{data_dir}: {what}; run `policygraph build --data-dir {data_dir}`")
    path = (data_dir / "current").resolve()
    raw = json.loads((path / MARKER).read_text(encoding="utf-8"))
    info = BuildInfo(**{**raw, "errors": tuple(raw["errors"])})
    dataset = graph_of(path, recorded_endpoint(path), in_memory, copy)
    return Data(info, dataset, open_index(path / "index", search_cache, best_of), open_catalogue(dataset, path),
                path)


def preload(data_dir: Path, in_memory: bool | None = False) -> Path | None:
    """Read the current build's large read-only parts (lineage graph, search columns, and as `in_memory`
    says the graph's copy in memory) into this process; return the build read, if there is one.

    `policygraph serve` calls it before forking its workers, which then share those pages instead of
    each reading its own copy (at scale L, 170 MB and 130 MB a worker). Stores on disk and indexes,
    which hold files and threads, are still opened by each worker after the fork.
    """
    from search.docstore import read_table, table_file

    if build_status(data_dir) != "ready":
        return None
    build = (data_dir / "current").resolve()
    if copy_wanted(build, in_memory):
        memory_copy(str(build / "store"))
    if (build / LINEAGE).exists():
        read_lineage(str(build / LINEAGE))
    table = table_file(build / "index")
    if table.exists():
        read_table(str(table))
    return build


def copy_wanted(build: Path, in_memory: bool | None) -> bool:
    """Whether the build's graph is to be served from a copy in memory (never when it is on a SPARQL server)."""
    return not recorded_endpoint(build) and wants_copy(build / "store", in_memory)


def forget_preloaded() -> None:
    """Drop what `preload` read from this process's caches, so that the next build is read afresh and the old
    one is not also kept (by the cache, and by every process forked from this one afterwards)."""
    from search.docstore import read_table

    read_lineage.cache_clear()
    read_table.cache_clear()
    forget_copy()


def newer_build(data_dir: Path, loaded: Path | None) -> Path | None:
    """The current build, if it is ready and is not `loaded` (a serving process's cue to read it)."""
    if build_status(data_dir) != "ready":
        return None
    current = (data_dir / "current").resolve()
    return current if current != loaded else None


def is_current(data_dir: Path, data: Data) -> bool:
    """False once a newer build has been swapped in, so a long-running reader knows to reopen.

    Asked on every request: two stats (is `current` the same folder as the one open?) rather than resolving
    both paths, which walked each of their parts and took 0.4 ms a request. The folder is the one opened,
    not the one the build recorded when it was made: in a data directory moved or restored elsewhere,
    that one is gone or another, and every request reopened the build (at L, twice the CPU a search).
    """
    try:
        now, opened = os.stat(data_dir / "current"), os.stat(data.build)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)


def build_corpus_dir(data_dir: Path, corpus_dir: Path | None, base: str, progress: Progress = no_progress,
                     backend: str = "whoosh", endpoint: Endpoint | None = None) -> BuildInfo:
    """Build a corpus folder (default: the bundled London corpus) into the data directory."""
    metas, sources = corpus_sources(corpus_dir or bundled_corpus_dir())
    return build_data_dir(data_dir, sources, metas, base, progress, backend, endpoint)


STALE_INDEX = ("the current build's search index was made by an older policygraph: amounts written short "
               "(£4.5bn), hyphenated words and financial years written 2023-24 are found both ways only once it "
               "is rebuilt, with `policygraph build --corpus DIR` (the bundled corpus: `policygraph serve --rebuild`)")


def ensure_built(data_dir: Path, base: str, rebuild: bool = False, progress: Progress = no_progress,
                 corpus_dir: Path | None = None, backend: str = "whoosh", endpoint: Endpoint | None = None) -> str:
    """Make sure there is a finished build to serve (building `corpus_dir`, default the bundled corpus).

    Return what was done, for the user; "" when the current build was fine.
    """
    status = build_status(data_dir)
    if status == "ready" and not rebuild:
        return STALE_INDEX if analysed_before((data_dir / "current").resolve() / "index") else ""
    reason = {"missing": "no data yet", "broken": "the current build is incomplete"}.get(status, "rebuild asked")
    info = build_corpus_dir(data_dir, corpus_dir, base, progress, backend, endpoint)
    which = "the bundled corpus" if corpus_dir is None else "the corpus"
    return f"{reason}: built {which} ({info.documents} documents, {info.commitments} commitments)"


def search_data(data_dir: Path, query: str, filters: dict[str, str], limit: int, offset: int = 0,
                sort: str = "relevance", as_of: str | None = None, best_of: int | None = None):
    """Search the current build (the CLI's entry point; the web app keeps its Data open)."""
    from corpus.dates import parse_day
    from search.query import search

    return search(open_data(data_dir, best_of=best_of).index, query, filters, limit=limit, offset=offset, sort=sort,
                  today=parse_day(as_of))


def ingest_paths(data_dir: Path, paths: list[str], title: str, publishers: tuple[str, ...], issued: str,
                 ident: str, progress: Progress = no_progress) -> BuildInfo:
    """Fetch what is a URL, describe each file, and ingest them all (the CLI's entry point)."""
    import tempfile

    from corpus.intake import fetch, source_for

    with tempfile.TemporaryDirectory() as folder:
        sources = []
        for given in paths:
            url = given if given.startswith(("http://", "https://")) else ""
            path = fetch(url, Path(folder)) if url else Path(given)
            sources.append(source_for(path, title, publishers, issued, ident, url))
        return ingest_into_data_dir(data_dir, sources, progress)


def extract_file(data_dir: Path, path: Path, title: str, publishers: tuple[str, ...], issued: str) -> list[dict]:
    """What `path` holds, resolved against the documents of the current build (or of the bundled corpus)."""
    from datetime import date

    from corpus.export import extraction_rows
    from corpus.intake import file_metadata, source_for
    from corpus.references import AliasTable

    stated = file_metadata(path)
    source = source_for(path, title or stated.get("title", "") or path.stem,
                        publishers or tuple(stated.get("publishers", ())) or ("unknown",),
                        issued or stated.get("issued", "") or str(date.today().year))
    if build_status(data_dir) == "ready":
        catalogue = load_extractions(open_build(data_dir))[0]
    else:
        catalogue = tuple(corpus_sources(bundled_corpus_dir())[0])
    others = [m for m in catalogue if m.id != source.meta.id]
    run = run_corpus([source], others)
    if run.errors:
        raise CorpusError(run.errors[0])
    return list(extraction_rows(run.extractions[0], AliasTable([*others, source.meta])))


def search_evaluation_data(data_dir: Path, judgments: Path):
    from search.evaluation import evaluate_search

    return evaluate_search(open_data(data_dir).index, judgments)


def lineage_evaluation_data(data_dir: Path, gold: Path, threshold: float | None = None):
    """Suggest links over the current build's extractions and score them against a gold list."""
    from graph.evaluation import load_gold, score_links
    from graph.linking import THRESHOLD, suggest_links

    _, extractions = load_extractions(open_build(data_dir))
    suggestions = suggest_links(extractions, THRESHOLD if threshold is None else threshold)
    return score_links(suggestions, load_gold(gold, extractions))


def paths_data(data_dir: Path, later: str, earlier: str):
    from graph.lineage import paths_between

    return paths_between(open_data(data_dir).lineage, later, earlier)


def lineage_data(data_dir: Path, ident: str):
    from graph.lineage import trace_lineage

    return trace_lineage(open_data(data_dir).lineage, ident)


def sparql_data(data_dir: Path, query: str, fmt: str, timeout: float | None = None,
                max_rows: int | None = None) -> tuple[str, str]:
    """Run a query on the current build: the answer in `fmt`, and a notice if it was cut ("" if not)."""
    from graph.sparql import write

    reply = write(open_data(data_dir).dataset, query, [], fmt, timeout, max_rows)
    return reply.body.decode("utf-8"), reply.notice


def validate_data(data_dir: Path):
    from graph.validate import validate_dataset

    return validate_dataset(open_data(data_dir).dataset)
