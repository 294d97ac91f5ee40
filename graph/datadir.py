"""The data directory: builds written aside, then swapped in atomically, so readers never see half a build.

    DATA_DIR/
      current -> builds/20261123T230000-1234    (symlink, replaced atomically)
      builds/<stamp>/store/                     (Oxigraph)
      builds/<stamp>/index/                     (Whoosh)
      builds/<stamp>/build.json                 (written last: a build without it is incomplete)
      build.lock                                (one writer at a time)
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from corpus.errors import CorpusError, DataDirError
from corpus.manifest import bundled_corpus_dir
from corpus.models import DocumentMeta
from corpus.pipeline import Progress, Source, corpus_sources, no_progress, run_corpus
from graph.build import build_dataset
from graph.lineage import load_lineage
from graph.store import open_store, write_store
from search.index import build_index, open_index
from search.records import corpus_records

MARKER = "build.json"


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


@dataclass
class Data:
    """A finished build opened for reading: what the web app and the CLI query."""

    info: BuildInfo
    dataset: Dataset
    index: object
    lineage: nx.DiGraph


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
                   progress: Progress = no_progress, backend: str = "whoosh") -> BuildInfo:
    """Build graph and index aside, then make them current. A failure leaves the previous build serving.

    :raises CorpusError: when no document could be read.
    :raises DataDirError: when another process holds the write lock.
    """
    with writer_lock(data_dir):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # sorts in build order
        stage = data_dir / "builds" / f"{stamp}-{os.getpid()}"
        stage.mkdir(parents=True)
        try:
            info = _build_into(stage, sources, catalogue, base, progress, backend)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        _swap(data_dir, stage)
        _clean(data_dir, keep=stage)
        return info


def _build_into(stage: Path, sources: list[Source], catalogue: list[DocumentMeta], base: str,
                progress: Progress, backend: str) -> BuildInfo:
    run = run_corpus(sources, catalogue, progress)
    if not run.extractions:
        raise CorpusError("no document could be read:\n" + "\n".join(run.errors))
    steps = progress(["graph", "index"], "store", 2)
    for step in steps:
        if step == "graph":
            quads = write_store(build_dataset(run.extractions, run.catalogue, base), stage / "store")
        else:
            records = build_index(corpus_records(run.extractions), stage / "index", backend)
    info = BuildInfo(str(stage), time.strftime("%Y-%m-%dT%H:%M:%S%z"), base, len(run.extractions),
                     sum(len(e.commitments) for e in run.extractions),
                     sum(len(e.references) for e in run.extractions), quads, records, run.errors)
    (stage / MARKER).write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
    return info


def _swap(data_dir: Path, stage: Path) -> None:
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
    return "ready" if (target / MARKER).exists() and (target / "store").exists() else "broken"


def open_data(data_dir: Path) -> Data:
    """Open the current build read-only.

    :raises DataDirError: when there is no finished build to open.
    """
    status = build_status(data_dir)
    if status != "ready":
        what = "nothing has been built" if status == "missing" else "the current build is incomplete"
        raise DataDirError(f"{data_dir}: {what}; run `policygraph build --data-dir {data_dir}`")
    path = (data_dir / "current").resolve()
    raw = json.loads((path / MARKER).read_text(encoding="utf-8"))
    info = BuildInfo(**{**raw, "errors": tuple(raw["errors"])})
    dataset = open_store(path / "store")
    return Data(info, dataset, open_index(path / "index"), load_lineage(dataset))


def is_current(data_dir: Path, data: Data) -> bool:
    """False once a newer build has been swapped in, so a long-running reader knows to reopen."""
    return (data_dir / "current").resolve() == Path(data.info.path).resolve()


def build_corpus_dir(data_dir: Path, corpus_dir: Path | None, base: str,
                     progress: Progress = no_progress, backend: str = "whoosh") -> BuildInfo:
    """Build a corpus folder (default: the bundled London corpus) into the data directory."""
    metas, sources = corpus_sources(corpus_dir or bundled_corpus_dir())
    return build_data_dir(data_dir, sources, metas, base, progress, backend)


def ensure_built(data_dir: Path, base: str, rebuild: bool = False, progress: Progress = no_progress,
                 corpus_dir: Path | None = None, backend: str = "whoosh") -> str:
    """Make sure there is a finished build to serve (building `corpus_dir`, default the bundled corpus).

    Return what was done, for the user; "" when the current build was fine.
    """
    status = build_status(data_dir)
    if status == "ready" and not rebuild:
        return ""
    reason = {"missing": "no data yet", "broken": "the current build is incomplete"}.get(status, "rebuild asked")
    info = build_corpus_dir(data_dir, corpus_dir, base, progress, backend)
    which = "the bundled corpus" if corpus_dir is None else "the corpus"
    return f"{reason}: built {which} ({info.documents} documents, {info.commitments} commitments)"


def search_data(data_dir: Path, query: str, filters: dict[str, str], limit: int, offset: int = 0,
                sort: str = "relevance"):
    """Search the current build (the CLI's entry point; the web app keeps its Data open)."""
    from search.query import search

    return search(open_data(data_dir).index, query, filters, limit=limit, offset=offset, sort=sort)


def search_evaluation_data(data_dir: Path, judgments: Path):
    from search.evaluation import evaluate_search

    return evaluate_search(open_data(data_dir).index, judgments)


def lineage_data(data_dir: Path, ident: str):
    from graph.lineage import trace_lineage

    return trace_lineage(open_data(data_dir).lineage, ident)


def sparql_data(data_dir: Path, query: str, fmt: str) -> str:
    from graph.sparql import run_query, serialise

    return serialise(run_query(open_data(data_dir).dataset, query), fmt)


def validate_data(data_dir: Path):
    from graph.validate import validate_dataset

    return validate_dataset(open_data(data_dir).dataset)
