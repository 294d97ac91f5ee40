"""The soak harness, shortened: clients and ingests against a live server, no server errors."""

from __future__ import annotations

import shutil

from bench.soak import soak

from .conftest import FIXTURES
from .test_server import free_port


def test_a_short_soak_with_ingests_has_no_server_errors(fixture_dir, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(fixture_dir, data_dir, symlinks=True)
    document = FIXTURES / "corpus" / "texts" / "gamma-2019.txt"
    meta = {"id": "gamma-2019", "title": "A Vision for Riverside", "publisher": "Riverside Council",
            "issued": "2019"}
    figures = soak(data_dir, seconds=15, clients=3, document=document, meta=meta, port=free_port())
    assert figures["server_errors"] == 0, figures["failures"]
    assert figures["requests"] > 50 and figures["ingests"] >= 1, figures
    assert figures["p99_ms"] > 0 and figures["rss_end_mb"] > 0
