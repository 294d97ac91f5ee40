"""SPARQL servers started on loopback ports for a `with` block: the Oxigraph server (from the `oxigraph`
package) and Virtuoso 7 (Debian's virtuoso-opensource-7-bin). The tests and the benchmarks share them."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from graph.remote import Endpoint

VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = {isql}
DirsAllowed = {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
[HTTPServer]
ServerPort = {http}
ServerRoot = {d}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""
VIRTUOSO_BATCH = 1000  # triples per update request: Virtuoso refuses a request past 10,000 lines of its SQL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {process.stderr.read()[-500:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:  # refused, reset or slow while it starts (URLError is one too)
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url} within {seconds} s")


@contextlib.contextmanager
def oxigraph_server(folder: Path) -> Iterator[Endpoint]:
    """`oxigraph serve` on a new store in `folder`, its default graph the union of the named graphs."""
    beside = Path(sys.executable).with_name("oxigraph")
    command = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not command:
        raise RuntimeError("the Oxigraph server is not installed: pip install oxigraph")
    port = free_port()
    process = subprocess.Popen([command, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query?query=ASK%7B%7D", process, 60)
        yield Endpoint(base + "/query", base + "/update")
    finally:
        process.terminate()
        process.communicate(timeout=30)


@contextlib.contextmanager
def virtuoso_server(folder: Path, buffers: int = 20000) -> Iterator[Endpoint]:
    """A new Virtuoso database in `folder`, its SPARQL account allowed to write. `buffers`: 8 KB pages of
    cache (Virtuoso's guide: about two thirds of the memory it may use)."""
    command = shutil.which("virtuoso-t")
    if not command:
        raise RuntimeError("Virtuoso is not installed: apt-get install virtuoso-opensource-7-bin")
    isql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, isql=isql, http=http, buffers=buffers, dirty=buffers * 3 // 4))
    process = subprocess.Popen([command, "-c", str(ini), "+foreground"], cwd=folder, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{http}/sparql"
    try:
        wait_until_up(url + "?query=ASK%7B%7D", process, 120)
        subprocess.run(["isql-vt", str(isql), "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield Endpoint(url, url, batch=VIRTUOSO_BATCH)
    finally:
        process.terminate()
        process.communicate(timeout=60)
