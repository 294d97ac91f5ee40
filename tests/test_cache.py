import threading

import pytest

from search.cache import ResultCache
from search.index import open_index
from search.query import search


def test_the_least_recently_used_answer_goes_first():
    cache, calls = ResultCache(2), []
    ask = lambda key: cache.get(key, lambda: calls.append(key) or key.upper())  # noqa: E731
    assert [ask("a"), ask("b"), ask("a"), ask("c"), ask("a"), ask("b")] == ["A", "B", "A", "C", "A", "B"]
    assert calls == ["a", "b", "c", "b"]  # "b" was the least recent when "c" came
    assert (cache.hits, cache.misses) == (2, 4)


def test_size_zero_keeps_nothing_and_failures_are_not_kept():
    calls = []
    none = ResultCache(0)
    none.get("a", lambda: calls.append(1))
    none.get("a", lambda: calls.append(1))
    assert len(calls) == 2 and not none.answers

    def fail():
        raise ValueError("bad query")

    cache = ResultCache(4)
    with pytest.raises(ValueError):
        cache.get("q", fail)
    assert "q" not in cache.answers and cache.get("q", lambda: 5) == 5


def test_threads_share_one_cache():
    cache = ResultCache(8)
    results = []
    threads = [threading.Thread(target=lambda n=n: results.append(cache.get(n % 4, lambda n=n: n % 4)))
               for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(n % 4 for n in range(40)) and len(cache.answers) == 4


def test_a_cached_search_is_the_same_answer_and_keys_on_everything_asked(index):
    cached = open_index(index.path, cache_size=32)
    first = search(cached, "obesity", limit=5)
    assert search(cached, "obesity", limit=5) is first
    assert first == search(index, "obesity", limit=5)
    assert search(cached, "obesity", limit=5, offset=5) != first
    assert search(cached, "obesity", {"year": "2014"}, limit=5).total < first.total
    assert search(cached, "obesity", limit=5, sort="date") == search(index, "obesity", limit=5, sort="date")
    assert cached.cache.hits == 1
