"""Security at the web edge: headers, a Content-Security-Policy, request size limits, escaping."""

from __future__ import annotations

import pytest

from web import CSP

SCRIPT = '<script>alert("x")</script>'


@pytest.mark.parametrize("url", ["/", "/search?q=obesity", "/doc/gamma-2019", "/sparql", "/nope"])
def test_pages_carry_the_policy_and_the_usual_headers(client, url):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.headers["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP and "frame-ancestors 'none'" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_machine_answers_carry_the_headers_too(client):
    response = client.get("/api/documents")
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.mimetype == "application/json"


def test_a_request_body_over_the_limit_is_refused(client):
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1024 * 1024)
    response = client.post("/sparql", data=huge, content_type="application/sparql-query",
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 413 and response.get_json()["ok"] is False


@pytest.mark.parametrize("url", [f"/search?q={SCRIPT}", f"/search?q=obesity&document={SCRIPT}",
                                 f"/doc/{SCRIPT}", f"/lineage/{SCRIPT}", f"/sparql?query={SCRIPT}"])
def test_markup_in_any_input_comes_back_escaped(client, url):
    page = client.get(url, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert SCRIPT not in page
    assert "Traceback" not in page


def test_a_query_over_ten_kilobytes_is_a_clear_400(client):
    response = client.get("/api/search", query_string={"q": "obesity " * 2000})
    assert response.status_code == 400 and "long" in response.get_json()["error"]


@pytest.mark.parametrize("url", ["/static/../pyproject.toml", "/static/%2e%2e/pyproject.toml",
                                 "/static/..%2fcli.py", "/doc/..%2F..%2Fetc%2Fpasswd", "/id/..%2F..%2Fetc%2Fpasswd",
                                 "/static/vendor/../../web.py", "/lineage/%2e%2e%2fsettings.ttl"])
def test_no_route_serves_a_file_from_outside_its_folder(client, url):
    response = client.get(url, headers={"Accept": "text/turtle"})
    assert response.status_code in (400, 404)
    body = response.get_data(as_text=True)
    assert "[project]" not in body and "def " not in body and "root:" not in body
