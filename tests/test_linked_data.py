"""Linked data: IRIs dereference, and every page has Turtle, JSON-LD, JSON and CSV twins."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Graph, URIRef

from graph.namespaces import DEFAULT_BASE

ALPHA = DEFAULT_BASE + "doc/riverside-health-commission/2014/alpha-2014"
PAGES = ["/index", "/doc/gamma-2019", "/lineage/gamma-2019", "/search?q=obesity"]
MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "json": "application/json", "csv": "text/csv"}


def twin_url(page: str, ext: str) -> str:
    path, _, query = page.partition("?")
    return f"{path}.{ext}" + (f"?{query}" if query else "")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("ext", list(MEDIA))
def test_every_page_has_its_twins(client, page, ext):
    response = client.get(twin_url(page, ext))
    assert response.status_code == 200 and response.mimetype == MEDIA[ext]
    body = response.get_data(as_text=True)
    if ext == "ttl":
        assert len(Graph().parse(data=body, format="turtle")) > 5
    elif ext == "jsonld":
        assert any("@id" in node for node in json.loads(body))
    elif ext == "json":
        assert json.loads(body)
    else:
        rows = list(csv.reader(io.StringIO(body)))
        assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows)


def test_pages_link_to_their_twins(client):
    page = client.get("/doc/gamma-2019").get_data(as_text=True)
    assert all(f'href="/doc/gamma-2019.{ext}"' in page for ext in MEDIA)


def test_a_commitment_twin_holds_its_derivations_and_both_evidence_sentences(client):
    ident = client.get("/api/search?q=Reducing+childhood+obesity&kind=priority").get_json()["hits"][0]["id"]
    graph = Graph().parse(data=client.get(f"/commitment/{ident}.ttl").get_data(as_text=True), format="turtle")
    quotes = {str(o) for o in graph.objects(None, URIRef("http://www.w3.org/ns/oa#exact"))}
    assert quotes, "the twin should carry the evidence of its links"
    mine = {DEFAULT_BASE + f"commitment/{ident}"}
    allowed = ("derivation/", "evidence/")
    assert all(str(s) in mine or isinstance(s, BNode) or str(s)[len(DEFAULT_BASE):].startswith(allowed)
               for s in graph.subjects()), "only the commitment, its derivations and their evidence"
    row = list(csv.DictReader(io.StringIO(client.get(f"/commitment/{ident}.csv").get_data(as_text=True))))
    assert [r["id"] for r in row] == [ident]


def test_an_iri_sends_a_browser_to_its_page_and_a_client_its_triples(client):
    path = "/id/" + ALPHA[len(DEFAULT_BASE):]
    browser = client.get(path, headers={"Accept": "text/html,application/xhtml+xml"})
    assert browser.status_code == 303 and browser.headers["Location"].endswith("/doc/alpha-2014")
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    graph = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    assert (URIRef(ALPHA), None, None) in graph
    assert client.get(path, headers={"Accept": "application/ld+json"}).mimetype == "application/ld+json"


@pytest.mark.parametrize("url", ["/id/nothing/here", "/doc/nope.ttl", "/commitment/nope.csv", "/lineage/nope.jsonld"])
def test_unknown_things_are_404(client, url):
    response = client.get(url, headers={"Accept": "text/turtle"})
    assert response.status_code == 404 and len(response.data) < 2000  # an error, not the whole graph


def test_an_unknown_twin_extension_is_404(client):
    assert client.get("/doc/gamma-2019.exe").status_code == 404
