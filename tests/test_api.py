"""The JSON API: every route answers JSON, errors share one shape, and the OpenAPI description lists them all."""

import pytest


def test_documents_and_priorities(client):
    documents = client.get("/api/documents").json
    assert [d["id"] for d in documents] == ["alpha-2014", "beta-2016", "gamma-2019"]
    assert all(d["commitments"] > 0 for d in documents)
    assert isinstance(client.get("/api/priorities").json, list)


def test_a_document_with_its_sections_commitments_and_links(client):
    page = client.get("/api/document/gamma-2019").json
    assert page["view"]["summary"]["title"] == "A Vision for Riverside"
    assert page["view"]["sections"] and page["view"]["commitments"]
    assert {link["target"]["id"] for link in page["builds_on"]} >= {"beta-2016"}


def test_a_commitment_with_its_status(client):
    first = client.get("/api/document/beta-2016").json["view"]["commitments"][0]
    page = client.get(f"/api/commitment/{first['id']}").json
    assert page["commitment"]["text"] == first["text"]
    assert page["status"] in ("due", "overdue", "no deadline")


@pytest.mark.parametrize("path", ["/api/document/nope", "/api/commitment/nope", "/api/lineage/nope"])
def test_unknown_ids_are_404_in_the_one_error_shape(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert set(response.json) == {"ok", "error", "status"} and response.json["status"] == 404


def test_the_openapi_description_lists_every_api_route(app):
    spec = app.test_client().get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    routes = {r.rule.replace("<ident>", "{ident}") for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert routes == set(spec["paths"])
