"""Benchmarks. Run `python -m bench`; results are recorded by hand in bench/RESULTS.md."""
