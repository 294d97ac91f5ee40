"""The benchmark harness runs (a smoke test, scale S, no timing asserted)."""

from __future__ import annotations

import statistics

from bench.sparql_bench import run, table
from graph.examples import load_examples


def test_the_sparql_bench_times_every_example_on_both_stores():
    rows = run(repeat=1)
    assert [r[0] for r in rows] == [e.name for e in load_examples()]
    assert all(r[1] > 0 and r[3] > 0 for r in rows)
    assert "median ratio over the" in table(rows)


def test_the_scale_bench_runs_the_whole_pipeline_and_every_peer_at_scale_s():
    from bench.scale import run_scale
    from bench.scale import table as scale_table

    figures = run_scale("S", repeat=1, http_seconds=1.5, clients=2, port=5188, record=False)
    assert figures["documents"] == 5 and figures["commitments"] >= 450 and figures["triples"] > 10_000
    assert all(figures[stage] > 0 for stage in ("extract_s", "link_s", "graph_s", "index_s", "snapshot_s"))
    assert set(figures["search"]) >= {"tantivy", "whoosh", "fts5"}
    assert set(figures["lineage"]) >= {"networkx", "oxigraph_sparql", "rdflib_memory_sparql"}
    assert list(figures["sparql"]) == [e.name for e in load_examples()]
    for name in ("api_search", "api_search_uncached", "api_lineage", "sparql", "peer_sparql"):
        load = figures["http"][name]
        assert load["requests"] > 0 and load["statuses"] == {200: load["requests"]}, (name, load["statuses"])
    assert "median ratio over the example queries" in scale_table(figures)


def test_the_plots_draw_one_png_per_chart_from_recorded_runs(tmp_path):
    from bench.plot import draw, series

    def run(scale, commitments, slow):
        lat = {"p50_ms": 1.0 * slow, "p95_ms": 2.0 * slow, "p99_ms": 3.0 * slow}
        return {"scale": scale, "commitments": commitments, "build_s": 10.0 * slow,
                **{f"{s}_s": 1.0 * slow for s in ("extract", "link", "graph", "index")},
                "search": {e: lat for e in ("tantivy", "whoosh", "fts5")},
                "lineage": {e: lat for e in ("networkx", "oxigraph_sparql", "rdflib_memory_sparql")},
                "sparql": {"q": {"oxigraph": lat, "rdflib_memory": lat}},
                "http": {n: {"per_second": 100.0 / slow} for n in ("api_search", "api_lineage", "sparql",
                                                                   "peer_sparql")}}

    runs = [run("S", 500, 1), run("M", 10_000, 4)]
    assert series(runs)["build"]["total"] == [10.0, 40.0]
    written = draw(runs, tmp_path)
    assert sorted(p.name for p in written) == ["build.png", "http.png", "lineage.png", "search.png", "sparql.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in written)


def test_the_remote_bench_writes_and_queries_the_same_graph_in_each_server(monkeypatch):
    from bench import remote
    from bench.remote import run_remote
    from bench.remote import table as remote_table

    # the Oxigraph server in batches, as at L where the whole graph is past its 128 MiB a request
    monkeypatch.setattr(remote, "OXIGRAPH_WHOLE", 0)
    monkeypatch.setattr(remote, "OXIGRAPH_BATCH", 5_000)
    figures = run_remote("S", ["oxigraph", "virtuoso"], repeat=1, record=False)
    stores = figures["stores"]
    assert list(stores) == ["embedded", "oxigraph", "virtuoso"]
    assert stores["oxigraph"]["quads"] == stores["embedded"]["quads"] > 10_000
    assert stores["virtuoso"]["quads"] > stores["embedded"]["quads"]  # and the closure of derivations
    for name in (e.name for e in load_examples()):
        assert len({stores[s]["queries"][name]["rows"] for s in stores}) == 1, name
    assert all(name in remote_table(figures) for name in stores)


def test_the_builds_bench_builds_from_scratch_each_time_and_takes_medians():
    from bench.builds import STAGES, run_builds
    from bench.builds import table as builds_table

    figures = run_builds("S", runs=2, record=False)
    assert len(figures["runs"]) == 2 and all(run["documents"] == 5 for run in figures["runs"])
    for stage in STAGES:
        low, high = sorted(run[stage] for run in figures["runs"])
        assert low <= figures["median"][stage] <= high and low > 0, stage
    assert builds_table(figures).count("\n| ") == 4  # the head, a row a run, the medians


def test_the_served_bench_times_a_build_already_made(fixture_dir):
    from bench.served import run_served
    from bench.served import table as served_table

    figures = run_served(fixture_dir, runs=2, repeat=1, record=False)
    assert len(figures["runs"]) == 2 and figures["backend"] == "whoosh"
    assert all(0 < run["p50_ms"] <= run["p95_ms"] <= run["p99_ms"] for run in figures["runs"])
    assert figures["median"]["p95_ms"] == statistics.median(run["p95_ms"] for run in figures["runs"])
    assert "| **median** |" in served_table(figures)


def test_the_swap_bench_sees_the_master_replace_its_workers_without_an_error(fixture_dir):
    from bench.servers import free_port
    from bench.swap import run_swap
    from bench.swap import table as swap_table

    before = (fixture_dir / "current").resolve()
    figures = run_swap(fixture_dir, free_port(), seconds=3, clients=2, record=False)
    assert figures["workers_replaced_s"] is not None and figures["workers_replaced_s"] > 0
    # the fixture's graph is served from memory, so its copy comes in a second replacement
    assert figures["workers_with_copy_s"] is not None and figures["workers_with_copy_s"] > figures["workers_replaced_s"]
    for load in ("sparql", "api_search_during_swap", "sparql_after_swap"):
        assert figures[load]["requests"] > 0 and figures[load]["server_errors"] == 0, load
    assert figures["mb_peak_during_swap"] > 0 and "| sparql_after_swap |" in swap_table(figures)
    assert figures["sparql"]["mb_peak"] > 0 and figures["sparql_after_swap"]["mb_peak"] > 0  # memory under SPARQL
    assert (fixture_dir / "current").resolve() == before  # the old build is current again
    assert not list((fixture_dir / "builds").glob("*-swap"))


def test_the_builds_bench_from_a_build_times_what_follows_extraction(fixture_dir):
    import json

    from bench.builds import run_from_build
    from bench.builds import table as builds_table

    made = json.loads((fixture_dir / "current" / "build.json").read_text())
    figures = run_from_build(fixture_dir / "current", runs=2, record=False)
    made_of = (made["quads"], made["index_records"])
    assert [(each["triples"], each["records"]) for each in figures["runs"]] == [made_of] * 2
    for each in figures["runs"]:
        assert each["extract_s"] == 0 and each["link_s"] > 0 and each["graph_s"] > 0 and each["index_s"] > 0
        assert each["build_s"] >= each["link_s"] + each["graph_s"] + each["index_s"] + each["snapshot_s"]
    assert "| **median** |" in builds_table(figures)
    assert json.loads((fixture_dir / "current" / "build.json").read_text()) == made  # the build it read is as it was


def test_the_facets_bench_compares_counts_on_the_best_hits_with_exact_ones(fixture_dir, tmp_path):
    from bench.facets import run_facets
    from bench.facets import table as facets_table
    from corpus.pipeline import corpus_sources
    from graph.datadir import build_data_dir
    from graph.namespaces import DEFAULT_BASE

    from .conftest import FIXTURES

    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path, sources, metas, DEFAULT_BASE, backend="tantivy")

    whoosh = run_facets(fixture_dir, count=20, best=(3,), record=False)
    assert whoosh["backend"] == "whoosh"
    assert whoosh["best"]["3"] == {"approximate": 0, "total_error_median": 0, "total_error_max": 0,
                                   "facet_moved_mean": 0, "facet_moved_max": 0, "top5_same": 1}
    # a page's worth of hits is always scored, and no query finds more than that in the fixture corpus
    tantivy = run_facets(tmp_path, count=20, best=(3,), record=False)
    assert tantivy["backend"] == "tantivy" and tantivy["best"]["3"] == whoosh["best"]["3"]
    assert "| 3 |" in facets_table(whoosh)


def test_the_remote_bench_can_write_a_build_already_made(fixture_dir):
    from bench.remote import run_remote
    from bench.remote import table as remote_table

    figures = run_remote("S", ["oxigraph"], repeat=1, record=False, from_build=fixture_dir)
    embedded, server = figures["stores"]["embedded"], figures["stores"]["oxigraph"]
    assert embedded["in_memory"] and embedded["write_s"] is None and server["write_s"] > 0
    assert server["quads"] == embedded["quads"] > 0
    rows = lambda store: {query: v["rows"] for query, v in store["queries"].items()}  # noqa: E731
    assert rows(server) == rows(embedded)
    assert sum(v["rows"] for v in embedded["queries"].values()) > 0
    assert "| embedded | (built) |" in remote_table(figures)


def test_the_throughput_bench_loads_a_served_build_several_times_and_takes_medians(fixture_dir):
    from bench.servers import free_port
    from bench.throughput import run_throughput
    from bench.throughput import table as throughput_table

    figures = run_throughput(fixture_dir, free_port(), runs=3, seconds=1, clients=2, record=False)
    assert len(figures["runs"]) == 3 and not figures["cache"]
    assert all(run["per_second"] > 0 and run["server_errors"] == 0 and set(run["statuses"]) == {200}
               for run in figures["runs"])
    assert figures["median"]["per_second"] == statistics.median(run["per_second"] for run in figures["runs"])
    assert all(run["server_cpu_ms"] > 0 and run["client_cpu_ms"] > 0 for run in figures["runs"])
    assert figures["mb_end"] > 0 and throughput_table(figures).count("\n| ") == 5  # head, 3 runs, the median


def test_the_throughput_bench_can_search_beside_a_sparql_load(fixture_dir):
    from bench.servers import free_port
    from bench.throughput import run_throughput
    from bench.throughput import table as throughput_table

    figures = run_throughput(fixture_dir, free_port(), runs=1, seconds=2, clients=2, sparql_clients=1, record=False)
    run = figures["runs"][0]
    assert run["per_second"] > 0 and run["server_errors"] == 0
    assert run["sparql"]["per_second"] > 0 and run["sparql"]["server_errors"] == 0 and run["mb_peak"] > 0
    assert figures["median"]["sparql_per_second"] == run["sparql"]["per_second"]
    assert "| /sparql requests/s |" in throughput_table(figures)


def test_the_machine_is_described_with_its_speed_on_two_fixed_tasks():
    import re

    from bench.scale import machine

    assert re.fullmatch(r"\d+ cores, .+, Python loop \d+ ms, random reads \d+ ms", machine())
