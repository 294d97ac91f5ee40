"""Hostile queries against a live server: refused or stopped at their limit, nothing fetched, nothing read.

A loopback listener stands in for any outside URL a query names, and a named pipe for any file: a
connection to the one, or an open of the other, is recorded, and every test asserts there was none.
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .test_server import running_server


class Listener:
    """A TCP port on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


class Tripwire:
    """A named pipe: opening it to read (as a file:// load would) unblocks our writer, which records it."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "secret.nt"
        os.mkfifo(self.path)
        self.opened = False
        self.thread = threading.Thread(target=self._wait, daemon=True)
        self.thread.start()

    def _wait(self) -> None:
        try:
            with open(self.path, "w") as pipe:  # blocks until someone opens the pipe to read
                self.opened = pipe is not None and self.path.exists()
        except OSError:
            pass

    def close(self) -> None:
        if not self.opened:  # release our own blocked writer
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
            self.thread.join(timeout=2)
            self.opened = False


@pytest.fixture(scope="module")
def live(fixture_dir):
    with running_server(fixture_dir, env={"POLICYGRAPH_SPARQL_TIMEOUT": "2"}) as base:
        yield base


@pytest.fixture
def traps(tmp_path):
    listener, tripwire = Listener(), Tripwire(tmp_path)
    yield listener, tripwire
    time.sleep(0.3)  # anything the server set off has had time to arrive
    seen = listener.connections
    listener.close()
    opened = tripwire.opened
    tripwire.close()
    assert seen == 0, f"the server connected to the loopback listener {seen} times"
    assert not opened, "the server opened the file a query named"


def ask(base: str, query: str, method: str = "GET", accept: str = "application/sparql-results+json"):
    if method == "GET":
        request = urllib.request.Request(base + "/sparql?" + urllib.parse.urlencode({"query": query}),
                                         headers={"Accept": accept})
    else:
        request = urllib.request.Request(base + "/sparql", data=query.encode(), method="POST",
                                         headers={"Content-Type": "application/sparql-query", "Accept": accept})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode(), time.monotonic() - started


def attacks(port: int, pipe: Path) -> list[tuple[str, str]]:
    url, file = f"http://127.0.0.1:{port}/x", pipe.as_uri()
    return [
        (f"LOAD <{url}>", "read-only"),
        (f"LOAD <{file}> INTO GRAPH <urn:g>", "read-only"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
        ("DELETE WHERE { ?s ?p ?o }", "read-only"),
        ("DROP ALL", "read-only"),
        (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "SERVICE is not allowed"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", "SERVICE is not allowed"),
        (f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", "FROM / FROM NAMED is not allowed"),
        (f"SELECT * FROM NAMED <{file}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM / FROM NAMED is not allowed"),
        (f"ASK FROM <{file}> {{ ?s ?p ?o }}", "FROM / FROM NAMED is not allowed"),
    ]


@pytest.mark.parametrize("number", range(10))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_writes_loads_services_and_outside_graphs_are_refused(live, traps, number, method):
    listener, tripwire = traps
    query, message = attacks(listener.port, tripwire.path)[number]
    status, body, _ = ask(live, query, method)
    assert status == 400 and message in body, body


def test_describing_a_url_does_not_fetch_it(live, traps):
    listener, tripwire = traps
    for iri in (f"http://127.0.0.1:{listener.port}/x", tripwire.path.as_uri()):
        status, body, _ = ask(live, f"DESCRIBE <{iri}>", accept="text/turtle")
        assert status == 200 and "127.0.0.1" not in body.replace(iri, "")


def test_dereferencing_and_twins_never_fetch(live, traps):
    listener, _ = traps
    for path in (f"/id/http://127.0.0.1:{listener.port}/x", f"/lineage/http:%2F%2F127.0.0.1:{listener.port}.ttl"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(live + path, timeout=10)
        refused.value.close()
        assert refused.value.code == 404


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?f ?l",  # a cartesian product
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|!<urn:p>)* ?b . ?c (<urn:p>|!<urn:p>)* ?d }",  # paths, all pairs
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . FILTER(REGEX(STR(?x), STR(?y))) }",  # REGEX on pairs
])
def test_queries_built_to_explode_are_stopped_while_others_are_answered(live, query):
    results = {}
    slow = threading.Thread(target=lambda: results.setdefault("slow", ask(live, query)))
    slow.start()
    time.sleep(0.3)
    started = time.monotonic()
    with urllib.request.urlopen(live + "/api/documents", timeout=10) as response:  # another user meanwhile
        assert response.status == 200
    assert time.monotonic() - started < 2
    slow.join(timeout=30)
    status, body, took = results["slow"]
    assert status in (200, 503), body
    if status == 503:
        assert "time limit" in body and took < 10


def test_a_ten_megabyte_query_is_refused_before_it_is_read(live):
    host, port = urllib.parse.urlsplit(live).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/sparql")
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Content-Length", str(10_000_000))
    connection.endheaders()  # the body is never sent: the answer comes from the length alone
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_a_query_over_64_kb_is_a_clear_400(live):
    status, body, _ = ask(live, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000, "POST")
    assert status == 400 and "the limit is 65,536" in body


@pytest.mark.parametrize("depth", [25, 40, 2000])
def test_deeply_nested_groups_are_a_clear_error_not_a_crash(live, depth):
    status, body, took = ask(live, "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth, "POST")
    assert status == 400 and "nests groups" in body and took < 2
    with urllib.request.urlopen(live + "/api/documents", timeout=10) as response:
        assert response.status == 200  # and the server is still there
