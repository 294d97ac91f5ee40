"""SPARQL answers written by Oxigraph's own result writers, with no Python object made for any value.

Through rdflib, every value of every row becomes an rdflib term before a Python writer turns it into
text again; at scale L that was half or more of a query that returns tens of thousands of rows
(bench/RESULTS.md). For the protocol's formats (JSON, XML, CSV, TSV) on our own store, the answer goes
from Oxigraph's evaluator to bytes in one call instead.
"""

from __future__ import annotations

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
    cut there, and read back to be written in `fmt`; that costs about 25 µs a kept row.
    """
    answer = store.query(full, use_default_graph_as_union=union)
    if isinstance(answer, ox.QueryBoolean) or not cap:
        return Written(answer.serialize(format=WRITERS[fmt]))
    parts = answer.serialize(format=TSV).split(b"\n", cap + 1)  # the header, `cap` rows, and any rest
    cut = len(parts) == cap + 2 and parts[-1] != b""
    tsv = b"\n".join(parts[:-1]) + b"\n" if cut else b"\n".join(parts)
    if fmt != "tsv":
        tsv = ox.parse_query_results(tsv, format=TSV).serialize(format=WRITERS[fmt])
    return Written(tsv, cap if cut else 0)
