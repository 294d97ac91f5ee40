"""The columns every search reads for every match, as numpy arrays indexed by row number.

A broad query at scale matches tens of thousands of records; grouping, filtering by status, sorting and
counting facets over them in Python loops took hundreds of milliseconds, and as array operations takes a few.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


class Table:
    """Built from the store's rows: (row, id, kind, document, year, issued, actor, themes, publishers,
    deadline_by, passage, parent, superseded_on)."""

    def __init__(self, rows: list[tuple]):
        size = max((r[0] for r in rows), default=-1) + 1
        self.size = size
        self.present = _array(size, False, [(r[0], True) for r in rows], bool)
        self.id = [""] * size
        for r in rows:
            self.id[r[0]] = r[1]
        row_of = {r[1]: r[0] for r in rows}
        self.kind = _codes(size, [(r[0], r[2]) for r in rows])
        self.document = _codes(size, [(r[0], r[3]) for r in rows])
        self.year = _codes(size, [(r[0], str(r[4])) for r in rows])
        self.actor = _codes(size, [(r[0], r[6]) for r in rows if r[6]])
        self.themes = _multi(size, [(r[0], r[7]) for r in rows])
        self.publishers = _multi(size, [(r[0], r[8]) for r in rows])
        self.deadline = _codes(size, [(r[0], r[9][:4]) for r in rows if r[9]])
        self.issued = _array(size, 0, [(r[0], _ordinal(r[5])) for r in rows], np.int64)
        self.deadline_by = _array(size, NONE, [(r[0], _ordinal(r[9])) for r in rows if r[9]], np.int64)
        self.passage = _array(size, NONE, [(r[0], row_of.get(r[10], NONE)) for r in rows if r[10]], np.int64)
        self.parent = _array(size, NONE, [(r[0], row_of.get(r[11], NONE)) for r in rows if r[11]], np.int64)
        self.superseded_on = _array(size, NONE, [(r[0], _ordinal(r[12])) for r in rows if r[12]], np.int64)
        kinds = self.kind.values
        self.is_commitment = np.isin(self.kind.codes, [kinds.index(k) for k in COMMITMENT_KINDS if k in kinds])
        self.passage_code = kinds.index("passage") if "passage" in kinds else -2

    def statuses(self, rows: np.ndarray, today: date) -> np.ndarray:
        """0 due, 1 overdue, 2 no deadline, 3 superseded, -1 not a commitment, for each of `rows`."""
        by, replaced = self.deadline_by[rows], self.superseded_on[rows]
        status = np.where(by == NONE, 2, np.where(by < today.toordinal(), 1, 0))
        status = np.where((replaced != NONE) & (replaced <= today.toordinal()), 3, status)
        return np.where(self.is_commitment[rows], status, NONE)


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
