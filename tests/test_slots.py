"""Query slots: at most N queries at once across processes, and no slot lost to a process that dies."""

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.errors import QueryTimeout, ServerBusy
from graph.slots import query_slot, share_query_slots
from graph.sparql import run_query
from web import create_app

FORK = multiprocessing.get_context("fork")


@pytest.fixture
def one_slot():
    share_query_slots(1)
    yield
    share_query_slots(0)


def _hold(ready, seconds: float) -> None:
    with query_slot(time.monotonic() + 5):
        ready.set()
        time.sleep(seconds)


def _can_take(within: float) -> bool:
    try:
        with query_slot(time.monotonic() + within):
            return True
    except QueryTimeout:
        return False


def test_a_query_waits_for_a_slot_and_gives_up_at_its_deadline(one_slot):
    ready = FORK.Event()
    holder = FORK.Process(target=_hold, args=(ready, 1.5))
    holder.start()
    assert ready.wait(10)
    started = time.monotonic()
    assert not _can_take(0.3)
    assert time.monotonic() - started >= 0.3
    assert _can_take(10)  # once the holder is done
    assert time.monotonic() - started >= 1.0
    holder.join()


def test_a_slot_comes_back_when_its_holder_is_killed(one_slot):
    ready = FORK.Event()
    holder = FORK.Process(target=_hold, args=(ready, 60))
    holder.start()
    assert ready.wait(10)
    assert not _can_take(0.2)
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    assert _can_take(1)


def test_a_child_forked_by_a_holder_does_not_keep_its_slot(one_slot):
    with query_slot(time.monotonic() + 1):
        child = FORK.Process(target=time.sleep, args=(30,))
        child.start()
    try:
        assert _can_take(0.5)  # the child still runs, with copies of the parent's descriptors closed
    finally:
        child.kill()
        child.join()


def test_a_sparql_query_waiting_past_its_limit_says_the_server_was_busy(one_slot, bundled, bundled_dir):
    ready = FORK.Event()
    holder = FORK.Process(target=_hold, args=(ready, 30))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(ServerBusy, match="other queries"):
            run_query(bundled.dataset, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=0.5)
        app = create_app({"TESTING": True, "DATA_DIR": str(bundled_dir), "SPARQL_TIMEOUT": 0.5})
        busy = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                                     headers={"Accept": "application/sparql-results+json"})
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
        assert "other queries" in busy.get_json()["error"]
    finally:
        holder.kill()
        holder.join()
    assert len(run_query(bundled.dataset, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=10).result) == 1


def test_no_slots_means_no_limit():
    share_query_slots(0)
    with query_slot(time.monotonic()), query_slot(time.monotonic()):
        pass


# In its own interpreter: a fork of pytest running every exit handler would also run multiprocessing's,
# which stops the daemon processes it inherited in its list, the query pool's among them.
OUTLIVE = """
import atexit, os, sys, time
sys.path.insert(0, sys.argv[1])
from graph import slots
slots.share_query_slots(1)
pid = os.fork()
if pid == 0:  # as a gunicorn worker ends: its exit handlers run
    atexit._run_exitfuncs()
    os._exit(0)
os.waitpid(pid, 0)
with slots.query_slot(time.monotonic() + 1):
    print(slots._slots[0].parent)
"""


def test_the_slots_outlive_a_forked_worker_that_exits_and_go_with_their_owner():
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", OUTLIVE, str(root)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    assert folder.name.startswith("policygraph-slots-") and not folder.exists()
