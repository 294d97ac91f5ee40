"""The real thing: `policygraph serve` in its own process, on a loopback port, asked by an HTTP client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.servers import free_port
from bench.servers import wait_until_up as wait_for
from bench.swap import workers as worker_pids
from server import WATCH_SECONDS

REPO = Path(__file__).resolve().parents[1]


def policygraph(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the installed console script (the one beside this interpreter), as a user would."""
    script = Path(sys.executable).with_name("policygraph")
    command = [str(script)] if script.exists() else [shutil.which("policygraph") or "policygraph"]
    return subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


@contextmanager
def running_server(data_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`policygraph serve` on a free loopback port, for as long as the block runs; yields its base URL."""
    port = free_port()
    process = policygraph("serve", "--data-dir", str(data_dir), "--port", str(port), env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", process)
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=10)  # also closes the pipes


@pytest.fixture(scope="module")
def server(fixture_dir):
    with running_server(fixture_dir) as base:
        yield base


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_search_over_http(server):
    status, body = get(server + "/search?q=obesity")
    assert status == 200
    assert "<mark>obesity</mark>" in body


def test_lineage_over_http(server):
    status, body = get(server + "/lineage/gamma-2019")
    assert status == 200 and "Healthier Riverside" in body


def test_api_over_http(server):
    status, body = get(server + "/api/search?q=air")
    assert status == 200
    assert json.loads(body)["total"] >= 2
    status, body = get(server + "/api/search?q=")
    assert status == 400 and json.loads(body)["ok"] is False


def test_serve_builds_the_bundled_corpus_when_nothing_is_there(tmp_path):
    """What the quick start does on a fresh machine: no data yet, so `serve` builds first."""
    port = free_port()
    process = policygraph("serve", "--data-dir", str(tmp_path / "data"), "--port", str(port))
    try:
        wait_for(f"http://127.0.0.1:{port}/", process, seconds=300)
        status, body = get(f"http://127.0.0.1:{port}/search?q=obesity")
        assert status == 200 and body.count('<li class="hit ') >= 3
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "no data yet: built the bundled corpus" in err


def test_sparqlwrapper_select_ask_and_construct(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("PREFIX pg: <https://w3id.org/policygraph/ns#> "
                    "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Commitment }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "16"
    client.setQuery("ASK { ?d a <https://w3id.org/policygraph/ns#Document> }")
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT { ?d <http://purl.org/dc/terms/title> ?t } WHERE { "
                    "?d a <https://w3id.org/policygraph/ns#Document> ; <http://purl.org/dc/terms/title> ?t }")
    client.setReturnFormat(TURTLE)
    from rdflib import Graph

    assert len(Graph().parse(data=client.query().convert(), format="turtle")) == 3


def test_a_document_ingested_into_a_served_directory_is_served_at_once_then_by_new_workers(tmp_path):
    from corpus.pipeline import corpus_sources
    from graph.datadir import build_data_dir
    from graph.namespaces import DEFAULT_BASE

    from .conftest import FIXTURES

    metas, sources = corpus_sources(FIXTURES / "corpus")
    data_dir = tmp_path / "data"
    build_data_dir(data_dir, [s for s in sources if s.meta.id != "gamma-2019"],
                   [m for m in metas if m.id != "gamma-2019"], DEFAULT_BASE)
    port = free_port()
    process = policygraph("serve", "--data-dir", str(data_dir), "--port", str(port),
                          env={"POLICYGRAPH_GRAPH_IN_MEMORY": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", process)
        first = workers(process.pid, 2)
        before = json.loads(get(base + "/api/search?q=emission")[1])
        ingest = policygraph("ingest", str(FIXTURES / "corpus" / "texts" / "gamma-2019.txt"), "--data-dir",
                             str(data_dir), "--id", "gamma-2019", "--title", "A Vision for Riverside",
                             "--publisher", "Riverside Council", "--issued", "2019")
        assert ingest.wait(timeout=120) == 0, ingest.stderr.read()
        ingest.communicate()
        after = json.loads(get(base + "/api/search?q=emission")[1])  # at once: the old workers read it from disk
        lineage = json.loads(get(base + "/api/lineage/gamma-2019")[1])
        deadline = time.monotonic() + 60  # then the master reads the new build and forks new workers
        while (replaced := workers(process.pid, 2)) & first and time.monotonic() < deadline:
            time.sleep(0.5)
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?d a pg:Document }"
        documents = json.loads(get(base + "/sparql?format=json&query=" + urllib.parse.quote(count))[1])
        # and once the old workers are gone, it copies the new graph into memory and replaces them again
        while (copied := workers(process.pid, 2)) & (first | replaced) and time.monotonic() < deadline:
            time.sleep(0.5)
        again = json.loads(get(base + "/sparql?format=json&query=" + urllib.parse.quote(count))[1])
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    assert "gamma-2019" not in dict(before["facets"]["document"])
    assert "gamma-2019" in dict(after["facets"]["document"])
    assert "beta-2016" in json.dumps(lineage)
    assert len(replaced) == 2 and not replaced & first, err
    assert len(copied) == 2 and not copied & (first | replaced), err
    assert err.index("reading it, then replacing the workers") < err.index("copying the graph into memory")
    for answer in (documents, again):
        assert answer["results"]["bindings"][0]["n"]["value"] == str(len(metas))


def test_a_graph_served_from_disk_is_swapped_in_one_step(fixture_dir, tmp_path):
    from bench.swap import linked_copy
    from graph.datadir import make_current

    data_dir = tmp_path / "data"
    shutil.copytree(fixture_dir, data_dir, symlinks=True)
    port = free_port()
    process = policygraph("serve", "--data-dir", str(data_dir), "--port", str(port),
                          env={"POLICYGRAPH_GRAPH_IN_MEMORY": "0"})
    try:
        wait_for(f"http://127.0.0.1:{port}/", process)
        first = workers(process.pid, 2)
        make_current(data_dir, linked_copy((data_dir / "current").resolve()))
        deadline = time.monotonic() + 60
        while (replaced := workers(process.pid, 2)) & first and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(4 * WATCH_SECONDS)  # time enough for a second replacement, were one to come
        later = workers(process.pid, 2)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    assert len(replaced) == 2 and not replaced & first, err
    assert later == replaced and "copying the graph into memory" not in err


def workers(master: int, count: int) -> set[int]:
    """The master's worker processes, once `count` of them run (or what runs after 20 s)."""
    deadline = time.monotonic() + 20
    while len(found := worker_pids(master)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_serve_runs_worker_processes(fixture_dir):
    port = free_port()
    process = policygraph("serve", "--data-dir", str(fixture_dir), "--port", str(port), "--workers", "3")
    try:
        wait_for(f"http://127.0.0.1:{port}/", process)
        assert len(workers(process.pid, 3)) == 3  # gunicorn's workers, each with its own app
        status, body = get(f"http://127.0.0.1:{port}/api/documents")
        assert status == 200 and "gamma-2019" in body
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    assert "with 3 workers" in err


def query_processes(serving: set[int]) -> set[int]:
    """The processes the workers `serving` have forked: one a SPARQL query evaluated on the graph in memory."""
    return set().union(*(worker_pids(worker) for worker in serving))


def test_no_more_sparql_queries_run_at_once_than_the_setting_allows_across_workers(fixture_dir):
    from concurrent.futures import ThreadPoolExecutor

    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # stopped at the limit
    port = free_port()
    process = policygraph("serve", "--data-dir", str(fixture_dir), "--port", str(port),
                          env={"POLICYGRAPH_SPARQL_CONCURRENCY": "1", "POLICYGRAPH_SPARQL_TIMEOUT": "4"})
    url = f"http://127.0.0.1:{port}/sparql?query="
    try:
        wait_for(f"http://127.0.0.1:{port}/", process)
        serving = workers(process.pid, 2)
        with ThreadPoolExecutor(2) as clients:
            slow = clients.submit(get, url + urllib.parse.quote(endless))
            time.sleep(0.5)
            started, most = time.monotonic(), 0
            quick = clients.submit(get, url + urllib.parse.quote("ASK { ?s ?p ?o }"))
            while not quick.done():
                most = max(most, len(query_processes(serving)))
                time.sleep(0.05)
            waited = time.monotonic() - started
    finally:
        process.terminate()
        process.communicate(timeout=20)
    assert quick.result()[0] == 200 and "true" in quick.result()[1]
    assert slow.result()[0] == 503 and "time limit" in slow.result()[1]
    assert waited > 2  # its turn came only once the endless query was stopped, at 4 s
    assert most == 1  # the endless query's process, and never a second one beside it


# After a large block is freed, is a smaller one (still over 1 MB) taken from the heap or given a mapping of its own?
HEAP_OR_MAPPING = """
import sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "fixed":
    from server import fix_mmap_threshold
    fix_mmap_threshold()
freed = bytes(8 << 20)
del freed  # glibc's own threshold would now rise to 8 MB
kept = bytes(2 << 20)
heap = [line.split()[0] for line in open("/proc/self/maps") if line.rstrip().endswith("[heap]")]
low, high = (int(part, 16) for part in heap[0].split("-"))
print("heap" if low <= id(kept) < high else "mapping")
"""


@pytest.mark.parametrize("threshold, place", [("fixed", "mapping"), ("glibc's", "heap")])
def test_a_large_answer_is_given_back_to_the_system_once_freed(threshold, place):
    done = subprocess.run([sys.executable, "-c", HEAP_OR_MAPPING, str(REPO), threshold], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == place
