"""The columns every search reads for every match, as numpy arrays indexed by row number.

A broad query at scale matches tens of thousands of records; grouping, filtering by status, sorting and
counting facets over them in Python loops took hundreds of milliseconds, and as array operations takes a few.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import numpy as np

NONE = -1  # "no value" in a code or row column
COMMITMENT_KINDS = ("commitment", "target", "recommendation", "priority")
STATUSES = ("due", "overdue", "no deadline", "superseded")


@dataclass(frozen=True)
class Codes:
    """One single-valued column: an integer code per row, and the value each code stands for."""
    codes: np.ndarray
    values: tuple[str, ...]

    def count(self, rows: np.ndarray, top: int = 20) -> list[tuple[str, int]]:
        present = self.codes[rows]
        counts = np.bincount(present[present >= 0], minlength=len(self.values))
        return _top(counts, self.values, top)


@dataclass(frozen=True)
class Multi:
    """One many-valued column (themes, publishers), stored as offsets into one array of codes."""
    offsets: np.ndarray
    codes: np.ndarray
    values: tuple[str, ...]

    def count(self, rows: np.ndarray, top: int = 20) -> list[tuple[str, int]]:
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        lengths = ends - starts
        if not lengths.sum():
            return []
        firsts = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        picked = self.codes[firsts + np.arange(lengths.sum())]
        return _top(np.bincount(picked, minlength=len(self.values)), self.values, top)


def _top(counts: np.ndarray, values: tuple[str, ...], top: int) -> list[tuple[str, int]]:
    order = np.lexsort((np.arange(len(counts)), -counts))[:top]
    return [(values[i], int(counts[i])) for i in order if counts[i]]


class Ids:
    """Each row's record id: one UTF-8 blob and where each id starts in it, so that it can be memory-mapped
    (as a list of 672,000 strings it was 70 MB a process at scale L, copied into each one that read it)."""

    def __init__(self, blob: np.ndarray, starts: np.ndarray):
        self.blob, self.starts = blob, starts

    @classmethod
    def of(cls, ids: list[str]) -> Ids:
        encoded = [i.encode("utf-8") for i in ids]
        starts = np.concatenate([[0], np.cumsum([len(e) for e in encoded])]).astype(np.int64)
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), starts)

    def __getitem__(self, row: int) -> str:
        return self.blob[self.starts[row]:self.starts[row + 1]].tobytes().decode("utf-8")

    def __len__(self) -> int:
        return len(self.starts) - 1


@dataclass(frozen=True)
class Table:
    """The columns of every record, by row number; rows with no record are not `present`."""
    size: int
    present: np.ndarray
    id: Ids
    kind: Codes
    document: Codes
    year: Codes
    actor: Codes
    themes: Multi
    publishers: Multi
    deadline: Codes
    issued: np.ndarray
    deadline_by: np.ndarray
    passage: np.ndarray
    parent: np.ndarray
    superseded_on: np.ndarray
    is_commitment: np.ndarray
    passage_code: int

    def statuses(self, rows: np.ndarray, today: date) -> np.ndarray:
        """0 due, 1 overdue, 2 no deadline, 3 superseded, -1 not a commitment, for each of `rows`."""
        by, replaced = self.deadline_by[rows], self.superseded_on[rows]
        status = np.where(by == NONE, 2, np.where(by < today.toordinal(), 1, 0))
        status = np.where((replaced != NONE) & (replaced <= today.toordinal()), 3, status)
        return np.where(self.is_commitment[rows], status, NONE)


def table_of(rows: list[tuple]) -> Table:
    """The table of the store's rows: (row, id, kind, document, year, issued, actor, themes, publishers,
    deadline_by, passage, parent, superseded_on)."""
    size = max((r[0] for r in rows), default=-1) + 1
    ids = [""] * size
    for r in rows:
        ids[r[0]] = r[1]
    row_of = {r[1]: r[0] for r in rows}
    kind = _codes(size, [(r[0], r[2]) for r in rows])
    kinds = kind.values
    return Table(
        size=size, present=_array(size, False, [(r[0], True) for r in rows], bool), id=Ids.of(ids), kind=kind,
        document=_codes(size, [(r[0], r[3]) for r in rows]), year=_codes(size, [(r[0], str(r[4])) for r in rows]),
        actor=_codes(size, [(r[0], r[6]) for r in rows if r[6]]), themes=_multi(size, [(r[0], r[7]) for r in rows]),
        publishers=_multi(size, [(r[0], r[8]) for r in rows]),
        deadline=_codes(size, [(r[0], r[9][:4]) for r in rows if r[9]]),
        issued=_array(size, 0, [(r[0], _ordinal(r[5])) for r in rows], np.int64),
        deadline_by=_array(size, NONE, [(r[0], _ordinal(r[9])) for r in rows if r[9]], np.int64),
        passage=_array(size, NONE, [(r[0], row_of.get(r[10], NONE)) for r in rows if r[10]], np.int64),
        parent=_array(size, NONE, [(r[0], row_of.get(r[11], NONE)) for r in rows if r[11]], np.int64),
        superseded_on=_array(size, NONE, [(r[0], _ordinal(r[12])) for r in rows if r[12]], np.int64),
        is_commitment=np.isin(kind.codes, [kinds.index(k) for k in COMMITMENT_KINDS if k in kinds]),
        passage_code=kinds.index("passage") if "passage" in kinds else -2,
    )


def save_table(table: Table, folder: Path) -> None:
    """Write the table as a folder of .npy files (and the values each code stands for, as JSON), whole or
    not at all: it is written beside and renamed into place."""
    part = folder.with_name(f"{folder.name}.part-{os.getpid()}")
    part.mkdir()
    try:
        values = {}
        for name, column in _columns(table):
            if isinstance(column, Codes | Multi):
                values[name] = list(column.values)
            for suffix, array in _arrays(column):
                np.save(part / f"{name}{suffix}.npy", array, allow_pickle=False)
        meta = {"size": table.size, "passage_code": table.passage_code, "values": values}
        (part / "columns.json").write_text(json.dumps(meta), encoding="utf-8")
        part.rename(folder)
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)
        raise


def load_table(folder: Path) -> Table:
    """The table saved in `folder`, its arrays memory-mapped: every process that reads it shares one copy
    of its pages, which the system can drop and read again, rather than each holding its own."""
    meta = json.loads((folder / "columns.json").read_text(encoding="utf-8"))

    def read(name: str) -> np.ndarray:
        return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

    columns = {}
    for item in fields(Table):
        name, kind = item.name, item.type
        if kind == "Codes":
            columns[name] = Codes(read(name), tuple(meta["values"][name]))
        elif kind == "Multi":
            columns[name] = Multi(read(f"{name}.offsets"), read(f"{name}.codes"), tuple(meta["values"][name]))
        elif kind == "Ids":
            columns[name] = Ids(read(f"{name}.blob"), read(f"{name}.starts"))
        elif kind == "np.ndarray":
            columns[name] = read(name)
        else:
            columns[name] = meta[name]
    return Table(**columns)


def _columns(table: Table) -> list[tuple[str, object]]:
    return [(f.name, getattr(table, f.name)) for f in fields(Table) if f.type not in ("int",)]


def _arrays(column) -> list[tuple[str, np.ndarray]]:
    if isinstance(column, Codes):
        return [("", column.codes)]
    if isinstance(column, Multi):
        return [(".offsets", column.offsets), (".codes", column.codes)]
    if isinstance(column, Ids):
        return [(".blob", column.blob), (".starts", column.starts)]
    return [("", column)]


def _codes(size: int, pairs: list[tuple[int, str]]) -> Codes:
    values = tuple(sorted({v for _, v in pairs}))
    index = {v: i for i, v in enumerate(values)}
    return Codes(_array(size, NONE, [(row, index[v]) for row, v in pairs], np.int32), values)


def _multi(size: int, pairs: list[tuple[int, tuple[str, ...]]]) -> Multi:
    values = tuple(sorted({v for _, vs in pairs for v in vs}))
    index = {v: i for i, v in enumerate(values)}
    by_row = dict(pairs)
    lengths = np.array([len(by_row.get(row, ())) for row in range(size)], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    codes = np.array([index[v] for row in range(size) for v in by_row.get(row, ())], dtype=np.int32)
    return Multi(offsets, codes, values)


def _array(size: int, fill, pairs: list[tuple[int, object]], dtype) -> np.ndarray:
    array = np.full(size, fill, dtype=dtype)
    if pairs:
        rows, values = zip(*pairs, strict=True)
        array[list(rows)] = values
    return array


def _ordinal(iso: str) -> int:
    """Days since year 1 of an ISO date, or of its first day when only the year (or month) is known."""
    parts = [int(p) for p in iso.split("-")[:3]] + [1, 1]
    return date(parts[0], parts[1] or 1, parts[2] or 1).toordinal() if parts[0] else 0
