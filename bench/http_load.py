"""A bounded HTTP load on loopback: a fixed number of clients, each sending its next request as soon as the
last is answered, for a fixed time. Used for our server and for the peer SPARQL endpoint alike."""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.servers import wait_until_up
from bench.soak import Tally, resident_mb, summary


def hammer(port: int, paths: list[str], seconds: float, clients: int) -> dict:
    """Requests per second, errors and latency over `seconds`, cycling through `paths` on kept-alive
    connections (as a browser or a client library would)."""
    tally, until = Tally(), time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(port, paths[n % len(paths):] + paths[:n % len(paths)],
                                                      until, tally)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(tally, seconds, clients, 0, 0)


def _client(port: int, paths: list[str], until: float, tally: Tally) -> None:
    connection, n = http.client.HTTPConnection("127.0.0.1", port, timeout=30), 0
    while time.monotonic() < until:
        path, started = paths[n % len(paths)], time.monotonic()
        n += 1
        try:
            connection.request("GET", path, headers={"Accept": "application/sparql-results+json, */*"})
            response = connection.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status, body = 599, str(exc).encode()
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        tally.add(status, time.monotonic() - started, path, body[:200].decode("utf-8", "replace")
                  if status >= 500 else "")
    connection.close()


class Server:
    """`policygraph serve` on a data directory, or any command that serves on `port`, for a `with` block."""

    def __init__(self, command: list[str], port: int, ready: str = "/", env: dict | None = None):
        self.command, self.port, self.ready, self.env = command, port, ready, env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, env=self.env)
        try:
            # the peer parses millions of quads; a server that exits is reported at once, not after the wait
            wait_until_up(f"http://127.0.0.1:{self.port}{self.ready}", self.process, seconds=900)
        except RuntimeError as exc:
            self.process.kill()
            self.process.communicate()
            raise RuntimeError(f"{' '.join(self.command[:3])} did not start: {exc}") from exc
        return self

    def resident_mb(self) -> float:
        return resident_mb(self.process.pid)

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def policygraph_server(data_dir: Path, port: int, workers: int = 2, search_cache: int | None = None) -> Server:
    """`policygraph serve` with `workers`; `search_cache` answers kept a worker (None: the setting's default)."""
    import os

    script = str(Path(sys.executable).with_name("policygraph"))
    env = dict(os.environ, POLICYGRAPH_WORKERS=str(workers))
    if search_cache is not None:
        env["POLICYGRAPH_SEARCH_CACHE"] = str(search_cache)
    # ready when a search answers: the home page lists every priority, which at L took minutes (RESULTS.md)
    return Server([script, "serve", "--data-dir", str(data_dir), "--port", str(port)], port,
                  ready="/api/search?q=plan", env=env)


def peer_endpoint(nquads: Path, port: int, workers: int = 2) -> Server:
    """rdflib-endpoint (FastAPI on uvicorn) serving the same quads from rdflib's in-memory store."""
    return Server([sys.executable, "-m", "bench.peer_endpoint", str(nquads), str(port), str(workers)], port,
                  ready="/?query=ASK%7B%7D")
