"""Killing a rebuild half way leaves the previous graph and index serving, and a rerun completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.manifest import bundled_corpus_dir
from corpus.pipeline import corpus_sources
from graph.datadir import build_data_dir, build_status, open_data
from graph.namespaces import DEFAULT_BASE
from search.query import search

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
# Each file appears while its stage is being written, so killing as it appears stops that stage half way.
STAGES = {"extraction": "builds/*/", "graph": "builds/*/store/*", "index": "builds/*/index/records.sqlite"}


def rebuild(data_dir: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "from cli import main; main()", "build", "--corpus", str(bundled_corpus_dir()),
               "--data-dir", str(data_dir)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[1])})


def kill_when(process: subprocess.Popen, data_dir: Path, pattern: str, before: set[Path]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if set(data_dir.glob(pattern)) - before:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        time.sleep(0.002)
    pytest.fail(f"the rebuild ended (status {process.poll()}) before {pattern} appeared")


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_rebuild_killed_half_way_leaves_the_previous_build_serving(tmp_path, stage):
    data_dir = tmp_path / "data"
    metas, sources = corpus_sources(FIXTURES)
    build_data_dir(data_dir, sources, metas, DEFAULT_BASE)
    served = open_data(data_dir)
    expected = [h.id for h in search(served.index, "obesity").hits]
    before = set(data_dir.glob(STAGES[stage]))

    kill_when(rebuild(data_dir), data_dir, STAGES[stage], before)

    assert build_status(data_dir) == "ready"
    again = open_data(data_dir)
    assert [h.id for h in search(again.index, "obesity").hits] == expected
    assert again.info.documents == len(metas)
    finished = rebuild(data_dir)
    assert finished.wait(timeout=300) == 0
    assert open_data(data_dir).info.documents == 10


def test_a_rebuild_killed_at_the_swap_serves_one_build_whole(tmp_path):
    """Killed once the new build is complete, around the swap: the old build or the new one serves,
    whole, never neither and never a mix; and a rerun completes."""
    data_dir = tmp_path / "data"
    metas, sources = corpus_sources(FIXTURES)
    build_data_dir(data_dir, sources, metas, DEFAULT_BASE)
    before = set(data_dir.glob("builds/*/build.json"))

    kill_when(rebuild(data_dir), data_dir, "builds/*/build.json", before)

    assert build_status(data_dir) == "ready"
    served = open_data(data_dir)
    assert served.info.documents in (len(metas), 10)
    assert len(search(served.index, "obesity").hits) > 0
    finished = rebuild(data_dir)
    assert finished.wait(timeout=300) == 0
    assert open_data(data_dir).info.documents == 10
