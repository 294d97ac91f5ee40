"""How many SPARQL queries a server evaluates at once, across all its worker processes.

A query on the graph's copy in memory runs in a process forked for it. Oxigraph's in-memory store writes
to what it reads (the reference counts of each quad it visits), so each such process ends up with a
private copy of most of the pages it touched: at scale L, 450 to 640 MB for a whole-graph query. With
8 clients on /sparql, 7 of them at once took the server to 4.7 GB (bench/RESULTS.md). On 2 cores more
queries at once do not answer more queries a second, so the rest wait their turn within their time limit.

A slot is an exclusive lock (flock) on one of N files. The system lets go of it when its holder exits,
however it exits, so a worker killed in the middle of a query cannot keep a slot for ever.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.errors import ServerBusy

RETRY_SECONDS = 0.005
_slots: list[Path] = []
_held: set[int] = set()  # descriptors this process holds slots by, closed in any child it forks


def share_query_slots(count: int) -> None:
    """Let `count` queries run at once in this process and in every process forked from it afterwards
    (0: no limit). `policygraph serve` calls it in gunicorn's master, before the workers fork."""
    if count <= 0:
        _slots.clear()
        return
    folder = Path(tempfile.mkdtemp(prefix="policygraph-slots-"))
    atexit.register(_remove, folder, os.getpid())
    _slots[:] = [folder / str(n) for n in range(count)]
    for path in _slots:
        path.touch()


@contextmanager
def query_slot(deadline: float) -> Iterator[None]:
    """Hold a slot while the block runs, waiting for one until `deadline` (time.monotonic()).

    :raises ServerBusy: when no slot frees up before the deadline.
    """
    if not _slots:
        yield
        return
    descriptor = _take(deadline)
    try:
        yield
    finally:
        _held.discard(descriptor)
        os.close(descriptor)


def _take(deadline: float) -> int:
    while True:
        for path in _slots:
            descriptor = os.open(path, os.O_RDWR | os.O_CLOEXEC)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            _held.add(descriptor)
            return descriptor
        if time.monotonic() >= deadline:
            raise ServerBusy(f"the server was answering {len(_slots)} other queries for the whole time limit; "
                             "try again in a moment")
        time.sleep(RETRY_SECONDS)


def _remove(folder: Path, owner: int) -> None:
    # forked workers run exit handlers too, and the slots outlive every worker
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)


def _forget_held() -> None:
    # A forked child shares the parent's locks through these descriptors; closing its copies keeps a
    # slot from outliving the query it was taken for (the parent still holds it until then).
    for descriptor in list(_held):
        os.close(descriptor)
    _held.clear()


os.register_at_fork(after_in_child=_forget_held)
