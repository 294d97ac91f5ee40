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


def test_statuses_can_be_judged_on_another_day(bundled_dir):
    from web import create_app

    client = create_app({"TESTING": True, "DATA_DIR": str(bundled_dir)}).test_client()
    # "Every Londoner should be able to see a GP in the evenings and at weekends by 2017."
    hits = client.get("/api/search?q=GP+evenings+weekends+2017&kind=recommendation").get_json()["hits"]
    ident = hits[0]["id"]
    assert client.get(f"/api/commitment/{ident}?as_of=2016-01-01").get_json()["status"] == "due"
    assert client.get(f"/api/commitment/{ident}?as_of=2018-06-01").get_json()["status"] == "overdue"
    early = client.get("/api/search?q=GP+evenings+weekends+2017&kind=recommendation&as_of=2016-01-01").get_json()
    assert early["hits"][0]["status"] == "due"
    bad = client.get(f"/api/commitment/{ident}?as_of=last+year")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_json()["error"]
    page = client.get("/search?q=GP&as_of=2016-01-01").get_data(as_text=True)
    assert 'value="2016-01-01"' in page and "as_of=2016-01-01" in page
