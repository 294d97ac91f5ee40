"""SPARQL answers written by Oxigraph's own result writers, with no Python object made for any value.

Through rdflib, every value of every row becomes an rdflib term before a Python writer turns it into
text again; at scale L that was half or more of a query that returns tens of thousands of rows
(bench/RESULTS.md). For the protocol's formats (JSON, XML, CSV, TSV) on our own store, the answer goes
from Oxigraph's evaluator to bytes in one call instead.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

WRITERS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
TSV = ox.QueryResultsFormat.TSV


@dataclass(frozen=True, slots=True)
class Written:
    """An answer already in its format, and the row cap it was cut to (0 when it is whole)."""

    body: bytes
    cut_at: int = 0


def native_store(dataset: Dataset) -> ox.Store | None:
    """The Oxigraph store under a dataset, or None for any other store (rdflib's, a remote server)."""
    store = dataset.store
    return store._inner if isinstance(store, OxigraphStore) else None  # noqa: SLF001 - no public way in


def write_answer(store: ox.Store, full: str, fmt: str, union: bool = True, cap: int | None = None) -> Written:
    """Evaluate a checked SELECT or ASK query and write its answer in `fmt` (json, xml, csv or tsv).

    With `cap`, at most that many rows are kept. Oxigraph's writers take a whole answer, so a capped one
    is written as TSV first, where each row is one line (the format escapes line breaks inside values),
    stopped one row past the cap (first_lines), and read back to be written in `fmt`; that costs about
    25 µs a kept row.
    """
    answer = store.query(full, use_default_graph_as_union=union)
    if isinstance(answer, ox.QueryBoolean) or not cap:
        return Written(answer.serialize(format=WRITERS[fmt]))
    parts = first_lines(answer, cap + 2).split(b"\n", cap + 1)  # the header, `cap` rows, and any rest
    cut = len(parts) == cap + 2 and parts[-1] != b""
    tsv = b"\n".join(parts[:-1]) + b"\n" if cut else b"\n".join(parts)
    if fmt != "tsv":
        tsv = ox.parse_query_results(tsv, format=TSV).serialize(format=WRITERS[fmt])
    return Written(tsv, cap if cut else 0)


def first_lines(answer: ox.QuerySolutions, lines: int) -> bytes:
    """What Oxigraph writes of `answer` as TSV until it has written `lines` line ends (or all of it).

    Oxigraph computes rows as its writer asks for them, so stopping the writer stops the query: at scale L
    a capped `SELECT * { ?s ?p ?o }` took 11 ms instead of 2.8 s. A query that sorts or groups still reads
    everything before its first row.
    """
    sink = _Lines(lines)
    with contextlib.suppress(_Enough):
        answer.serialize(sink, format=TSV)
    return b"".join(sink.chunks)


class _Enough(Exception):
    """Raised from the file Oxigraph writes to, to stop it."""


class _Lines(io.RawIOBase):
    def __init__(self, lines: int) -> None:
        super().__init__()
        self.chunks: list[bytes] = []
        self.left = lines

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.left -= chunk.count(b"\n")
        if self.left <= 0:
            raise _Enough
        return len(chunk)
