"""`policygraph serve`: gunicorn's worker processes, forked from a master that has read the build first.

The master reads the current build's large read-only parts (graph.datadir.preload: the lineage graph,
the search columns and, as GRAPH_IN_MEMORY says, a copy of the graph in memory), then forks its
workers, which share those pages. When a new build is swapped in (`build`, `ingest`, a curator's
decision), a thread in the master sees it and reloads: the master reads the new build, forks new
workers and lets the old ones finish their requests. Until then each worker reads the new build from
disk, so that nobody is served an old answer after a change, and no worker makes a copy of its own.

A graph served from a copy in memory is swapped in two steps, so that two copies are never held at once
(at scale L each is 0.8 GB, and with both the server took 3.2 GB). The first workers of a new build read
its graph from disk while the old workers, which hold the old copy, finish; once they are gone, the master
copies the new graph into memory and replaces its workers again.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from corpus.errors import PolicygraphError
from graph.datadir import copy_wanted, forget_preloaded, newer_build, preload
from graph.slots import share_query_slots
from settings import memory_choice
from web import create_app

WATCH_SECONDS = 2.0  # how often the master looks for a new build
M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
MMAP_THRESHOLD = 1 << 20


def run_server(config: Mapping[str, Any]) -> None:
    """Serve with gunicorn until stopped: `WORKERS` processes of `THREADS` threads, on `HOST`:`PORT`."""
    from gunicorn.app.base import BaseApplication

    data_dir = Path(config["DATA_DIR"])
    share_query_slots(int(config["SPARQL_CONCURRENCY"]))  # before any worker forks, so that all share them
    fix_mmap_threshold()  # likewise inherited by every worker

    class Server(BaseApplication):
        loaded: Path | None = None
        copy_to_come = False  # the loaded build's graph is read from disk until the old workers are gone

        def load_config(self) -> None:
            self.cfg.set("bind", f"{config['HOST']}:{config['PORT']}")
            self.cfg.set("workers", int(config["WORKERS"]))
            self.cfg.set("threads", int(config["THREADS"]))
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", int(float(config["SPARQL_TIMEOUT"]) or 60) + 30)  # a query may use its limit
            self.cfg.set("accesslog", "-")
            self.cfg.set("preload_app", True)
            self.cfg.set("when_ready", lambda arbiter: watch(data_dir, self, arbiter))

        def load(self):
            choice = memory_choice(dict(config))
            swapping = self.loaded is not None and (data_dir / "current").resolve() != self.loaded
            if swapping:  # the old build goes first, or the new workers would inherit it
                forget_preloaded()
                release_memory()
            try:
                # a second load of the same build only adds the copy: the rest is still held
                self.loaded = preload(data_dir, False if swapping else choice)
                self.copy_to_come = swapping and self.loaded is not None and copy_wanted(self.loaded, choice)
            except PolicygraphError as exc:
                if self.loaded is None:
                    raise
                self.loaded = (data_dir / "current").resolve()
                print(f"policygraph: could not read the new build ({exc}); its workers read it from disk",
                      file=sys.stderr)
            # Frozen, the collector leaves these objects alone, so their pages stay shared with the workers
            gc.freeze()
            return create_app({**config, "MASTER_COPIES": True})

        def reload(self) -> None:
            super().reload()
            self.callable = None  # gunicorn keeps a preloaded app across a reload; ours is of the old build

    Server().run()


def watch(data_dir: Path, server: Any, arbiter: Any) -> None:
    """In the master: signal a reload (SIGHUP) whenever a build other than the one loaded becomes current,
    and again, for its copy in memory, once the workers that were serving when it came have all exited."""
    def look() -> None:
        asked_for, serving = None, set()
        while True:
            time.sleep(WATCH_SECONDS)
            build = newer_build(data_dir, server.loaded)
            if build is not None and build != asked_for:
                arbiter.log.info("build %s is current: reading it, then replacing the workers", build.name)
                asked_for, serving = build, set(arbiter.WORKERS)
                os.kill(os.getpid(), signal.SIGHUP)
            elif server.copy_to_come and not serving & set(arbiter.WORKERS):
                arbiter.log.info("the old workers are gone: copying the graph into memory, then replacing the "
                                 "workers again")
                server.copy_to_come = False
                os.kill(os.getpid(), signal.SIGHUP)

    threading.Thread(target=look, name="policygraph-build-watch", daemon=True).start()


def fix_mmap_threshold(size: int = MMAP_THRESHOLD) -> None:
    """Give each block of `size` or more its own mapping, handed back to the system when freed.

    glibc raises its threshold to the largest such block freed so far, so after one SPARQL answer of some
    MB (bytes from the query's process, then text) the next ones came from the heap, which keeps what it
    grew by: at scale L each worker held about 150 MB more after a SPARQL load (bench/RESULTS.md).
    """
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to tune
        _libc().mallopt(M_MMAP_THRESHOLD, size)


def release_memory() -> None:
    """Hand freed memory back to the system. Freeing the old build's objects wrote to their pages, which the
    old workers share, so this process holds copies of them; glibc would keep those for reuse otherwise."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        _libc().malloc_trim(0)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL("libc.so.6")
