"""A bounded soak: several clients mix search, lineage, SPARQL and page requests against `policygraph serve`
on loopback while ingests run, for a fixed time. It reports requests, errors by status, latency
percentiles and the server's resident memory (master and workers) at the start and the end.

    python -m bench soak --seconds 600 --clients 6
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REQUESTS = (
    "/api/search?q={word}", "/search?q={word}&document={doc}", "/api/lineage/{doc}", "/lineage/{doc}",
    "/doc/{doc}", "/api/priorities", "/sparql?query=" + urllib.parse.quote(
        "SELECT ?t (COUNT(?c) AS ?n) WHERE { ?c pg:inDocument/dcterms:title ?t } GROUP BY ?t"),
    "/sparql?query=" + urllib.parse.quote("SELECT * WHERE { ?d prov:wasDerivedFrom+ ?e } LIMIT 50"),
    "/doc/{doc}.csv", "/",
)
WORDS = ("obesity", "air quality", "smoking", "mental health", "HIV", "dementia", "homeless", "integrated care")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    ingests: int = 0
    failures: list[str] = field(default_factory=list)  # the first few server errors, to say what went wrong
    memory: list[float] = field(default_factory=list)  # resident MB, sampled through the run
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float, path: str = "", detail: str = "") -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds * 1000)
            if status >= 500 and len(self.failures) < 5:
                self.failures.append(f"{status} {path}: {detail[:200]}")


def resident_mb(pid: int) -> float:
    """Memory of a process and all its descendants (gunicorn's master, workers, query processes), in MB:
    the proportional set size, so pages forked processes share are counted once, not once a process."""
    total = 0
    for member in family(pid):
        try:
            total += _pss(Path(f"/proc/{member}"))
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e6


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) that a process and its living descendants have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in family(pid):
        try:
            stat = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(stat[11]) + int(stat[12])  # utime and stime, the 14th and 15th fields
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def family(pid: int) -> set[int]:
    """`pid` and every process below it."""
    parent = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parent[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    members, grew = {pid}, True
    while grew:
        more = {p for p, up in parent.items() if up in members} - members
        members, grew = members | more, bool(more)
    return members


def _pss(proc: Path) -> int:
    for line in (proc / "smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def sample_memory(pid: int, until: float, every: float, samples: list[float]) -> None:
    while time.monotonic() < until:
        samples.append(round(resident_mb(pid)))
        time.sleep(every)


def client(base: str, docs: list[str], until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        path = rng.choice(REQUESTS).format(word=urllib.parse.quote(rng.choice(WORDS)), doc=rng.choice(docs))
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status, detail = exc.code, exc.read().decode("utf-8", "replace")
            exc.close()
        except (urllib.error.URLError, OSError) as exc:
            status, detail = 599, str(exc)  # the connection itself failed: counted as a server error
        else:
            detail = ""
        tally.add(status, time.monotonic() - started, path, detail)


def ingester(data_dir: Path, document: Path, meta: dict, until: float, tally: Tally) -> None:
    """Re-ingest one document again and again, as an editor adding a revised version would."""
    command = [str(Path(sys.executable).with_name("policygraph")), "ingest", str(document), "--data-dir",
               str(data_dir), "--title", meta["title"], "--publisher", meta["publisher"], "--issued",
               meta["issued"], "--id", meta["id"]]
    while time.monotonic() < until - 5:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            tally.ingests += 1
        time.sleep(1)


def soak(data_dir: Path, seconds: float, clients: int, document: Path, meta: dict, port: int) -> dict:
    """Run the soak against a server on `data_dir`; return its figures."""
    script = Path(sys.executable).with_name("policygraph")
    server = subprocess.Popen([str(script), "serve", "--data-dir", str(data_dir), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait(base)
        docs = [d["id"] for d in __import__("json").loads(urllib.request.urlopen(base + "/api/documents").read())]
        start_mb, tally = resident_mb(server.pid), Tally()
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=client, args=(base, docs, until, tally, n)) for n in range(clients)]
        threads.append(threading.Thread(target=ingester, args=(data_dir, document, meta, until, tally)))
        threads.append(threading.Thread(target=sample_memory, args=(server.pid, until, seconds / 10, tally.memory)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        end_mb = resident_mb(server.pid)
    finally:
        server.terminate()
        server.communicate(timeout=20)
    return summary(tally, seconds, clients, start_mb, end_mb)


def wait(base: str, seconds: float = 60, path: str = "/") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + path, timeout=2).close()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"the server at {base} did not answer within {seconds} s")


def summary(tally: Tally, seconds: float, clients: int, start_mb: float, end_mb: float) -> dict:
    times = sorted(tally.latencies) or [0.0]
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q))]  # noqa: E731
    return {"seconds": seconds, "clients": clients, "requests": len(tally.latencies),
            "per_second": round(len(tally.latencies) / seconds, 1), "statuses": dict(tally.statuses),
            "server_errors": sum(n for s, n in tally.statuses.items() if s >= 500), "ingests": tally.ingests,
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(pick(0.95), 1),
            "p99_ms": round(pick(0.99), 1), "rss_start_mb": round(start_mb), "rss_end_mb": round(end_mb),
            "rss_samples_mb": tally.memory, "failures": tally.failures}


def run(seconds: float, clients: int, port: int) -> dict:
    """The soak on a fresh build of the bundled corpus, re-ingesting Our Vision for London throughout."""
    from corpus.manifest import bundled_corpus_dir
    from graph.datadir import build_corpus_dir
    from graph.namespaces import DEFAULT_BASE

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        build_corpus_dir(data_dir, None, DEFAULT_BASE)
        document = Path(tmp) / "ovl-2019.md"
        shutil.copy(bundled_corpus_dir() / "texts" / "ovl-2019.md", document)
        meta = {"id": "ovl-2019", "title": "Our Vision for London", "publisher": "Greater London Authority",
                "issued": "2019-10-02"}
        return soak(data_dir, seconds, clients, document, meta, port)
