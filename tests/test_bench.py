"""The benchmark harness runs (a smoke test, scale S, no timing asserted)."""

from __future__ import annotations

from bench.sparql_bench import run, table
from graph.examples import load_examples


def test_the_sparql_bench_times_every_example_on_both_stores():
    rows = run(repeat=1)
    assert [r[0] for r in rows] == [e.name for e in load_examples()]
    assert all(r[1] > 0 and r[3] > 0 for r in rows)
    assert "median ratio over the" in table(rows)
