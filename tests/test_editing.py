"""Curating links from the commitment pages: off by default; when on, behind a token and a CSRF check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.pipeline import corpus_sources
from graph.datadir import build_data_dir
from graph.namespaces import DEFAULT_BASE
from web import create_app

from .conftest import FIXTURES

PRIORITY, HALVE_2025 = "72d28727c104", "fc11a60afbb5"
TOKEN = "correct horse battery staple"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path / "data", sources, metas, DEFAULT_BASE)
    return tmp_path / "data"


def form_of(client) -> dict[str, str]:
    page = client.get(f"/commitment/{PRIORITY}").get_data(as_text=True)
    form = re.search(r'<form class="curate".*?</form>', page, re.S).group(0)
    return dict(re.findall(r'name="(later|earlier|csrf)" value="([^"]*)"', form))


def test_editing_is_off_by_default(data_dir):
    client = create_app({"TESTING": True, "DATA_DIR": str(data_dir)}).test_client()
    assert 'class="curate"' not in client.get(f"/commitment/{PRIORITY}").get_data(as_text=True)
    response = client.post("/curate", data={"later": PRIORITY, "earlier": HALVE_2025, "decision": "reject",
                                            "token": ""}, headers={"Accept": "application/json"})
    assert response.status_code == 403 and "editing is off" in response.get_json()["error"]


def test_a_curator_rejects_a_suggestion_and_it_is_gone(data_dir):
    client = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "EDIT_TOKEN": TOKEN}).test_client()
    fields = form_of(client)
    assert fields["later"] == PRIORITY and fields["earlier"] == HALVE_2025 and len(fields["csrf"]) == 64
    response = client.post("/curate", data={**fields, "decision": "reject", "token": TOKEN, "by": "Ann"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/commitment/{PRIORITY}")
    page = client.get(f"/commitment/{PRIORITY}").get_data(as_text=True)
    assert "The Council should halve childhood obesity by 2025" not in page.split("What builds on it")[0]


@pytest.mark.parametrize(("change", "message"), [
    ({"token": "guess"}, "the edit token is wrong"),
    ({"csrf": "0" * 64}, "did not come from this site"),
    ({"decision": "add"}, "decision must be confirm or reject"),
])
def test_forged_or_wrong_requests_are_refused_and_change_nothing(data_dir, change, message):
    client = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "EDIT_TOKEN": TOKEN}).test_client()
    fields = {**form_of(client), "decision": "reject", "token": TOKEN, "by": "Ann", **change}
    response = client.post("/curate", data=fields, headers={"Accept": "application/json"})
    assert response.status_code in (400, 403) and message in response.get_json()["error"]
    assert not (data_dir / "curated-links.yaml").exists()


def test_a_request_from_another_browser_without_the_cookie_is_refused(data_dir):
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "EDIT_TOKEN": TOKEN})
    fields = form_of(app.test_client())
    stranger = app.test_client()  # no cookie: a forged cross-site post looks like this
    response = stranger.post("/curate", data={**fields, "decision": "reject", "token": TOKEN},
                             headers={"Accept": "application/json"})
    assert response.status_code == 403
