"""Recent search results, kept by an open index so that a search asked again is answered at once.

Most of what analysts type is asked again: the same few topics, the first page of each, shared links.
A search at scale L takes about 20 ms of one core, which caps two workers near 50 searches a second;
a repeated one is a dictionary lookup. The index empties its cache whenever it sees its records change,
and a new build opens a new index, so a cached answer is never one the index would no longer give.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class ResultCache:
    """The `size` most recently used answers (none when `size` is 0), safe to share between threads."""

    def __init__(self, size: int = 0):
        self.size = size
        self.answers: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer kept for `key`, or `compute()`'s, kept for next time. An exception is not kept."""
        if not self.size:
            return compute()
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                self.hits += 1
                return self.answers[key]  # type: ignore[return-value]
        answer = compute()  # outside the lock: two threads may compute one answer, neither waits on the other
        with self.lock:
            self.misses += 1
            self.answers[key] = answer
            while len(self.answers) > self.size:
                self.answers.popitem(last=False)
        return answer

    def clear(self) -> None:
        with self.lock:
            self.answers.clear()
