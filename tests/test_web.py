"""Pages and API through Flask's test client."""

import pytest


def test_home_lists_documents_and_priorities(client):
    page = client.get("/").get_data(as_text=True)
    assert "Healthier Riverside" in page
    assert "Priority 1: Reducing childhood obesity" in page


def test_search_page_highlights_and_links(client):
    page = client.get("/search?q=obesity").get_data(as_text=True)
    assert "<mark>obesity</mark>" in page
    assert "/commitment/" in page and "/lineage/" in page
    assert "p. 5" in page


def test_search_filter_keeps_to_one_document(client):
    page = client.get("/search?q=obesity&document=beta-2016").get_data(as_text=True)
    assert "Riverside Council will fund a healthy weight service" in page
    assert "The Council should halve childhood" not in page


def test_script_in_documents_and_queries_is_escaped(client):
    page = client.get("/search?q=sign").get_data(as_text=True)
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page
    page = client.get('/search?q=<script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)" not in page


def test_a_widened_search_says_how_many_results_hold_every_word(client):
    page = client.get("/search", query_string={"q": "obesity school"}).get_data(as_text=True)
    assert "4 with every word, then 8 with some of them" in page
    assert "with every word" not in client.get("/search", query_string={"q": "obesity"}).get_data(as_text=True)
    assert client.get("/api/search", query_string={"q": "obesity school"}).get_json()["every_word"] == 4


def test_a_bad_query_is_explained_under_the_query_kept_as_typed(client):
    response = client.get("/search", query_string={"q": "ob* year:2016", "sort": "date"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in page and "too short to end in *" in page
    assert 'value="ob* year:2016"' in page and '<option value="date" selected>' in page
    page = client.get("/search", query_string={"q": "year:<b>x</b>"}).get_data(as_text=True)
    assert "year:&lt;b&gt;x&lt;/b&gt; is not a year" in page and "<b>x</b>" not in page


def test_document_page(client):
    page = client.get("/doc/beta-2016").get_data(as_text=True)
    assert "Healthier Riverside: Next Steps" in page
    assert "implements" in page and "2 Childhood obesity" in page


def test_commitment_page_shows_section_page_and_deadline(client, data):
    from search.query import search

    hit = search(data.index, "fleet").hits[0]
    page = client.get(f"/commitment/{hit.id}").get_data(as_text=True)
    assert "3 Air quality" in page and "within three years of publication" in page
    cite = ("Riverside Council and Riverside NHS (2016) Healthier Riverside: Next Steps, section 3 Air quality, p. 5. "
            "https://example.org/next-steps.pdf")
    assert f"Cite: {cite}" in page
    assert client.get(f"/commitment/{hit.id}.json").get_json()["citation"] == cite


def test_lineage_page_draws_the_chain_back_to_the_origin(client):
    page = client.get("/lineage/gamma-2019").get_data(as_text=True)
    assert "<svg" in page
    assert "Healthier Riverside: Next Steps" in page and "(2014)" in page


@pytest.mark.parametrize("url", ["/doc/nope", "/commitment/nope", "/lineage/nope", "/no-such-page"])
def test_unknown_ids_are_404_pages(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_api_errors_share_one_json_shape(client):
    response = client.get("/api/search?q=")
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": "the search query is empty: type a word, or choose a filter",
                                   "status": 400}
    assert client.get("/api/lineage/nope").get_json()["status"] == 404


def test_api_search_matches_the_page(client):
    body = client.get("/api/search?q=obesity").get_json()
    assert body["total"] >= 4
    assert body["hits"][0]["document"] in {"alpha-2014", "beta-2016", "gamma-2019"}


def test_missing_data_gives_a_clear_503(tmp_path):
    from web import create_app

    client = create_app({"DATA_DIR": str(tmp_path)}).test_client()
    response = client.get("/")
    assert response.status_code == 503
    assert "policygraph build" in response.get_data(as_text=True)


def test_api_errors_are_json_even_for_a_browser(client):
    response = client.get("/api/search?q=", headers={"Accept": "text/html"})
    assert response.status_code == 400 and response.get_json()["ok"] is False


def test_a_running_app_serves_a_rebuild_once_it_is_swapped_in(tmp_path):
    from corpus.pipeline import corpus_sources
    from graph.datadir import build_data_dir
    from graph.namespaces import DEFAULT_BASE
    from tests.conftest import FIXTURES
    from web import create_app

    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path, sources[:1], metas, DEFAULT_BASE)
    client = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)}).test_client()
    before = client.get("/api/search?q=obesity").json["facets"]["document"]
    build_data_dir(tmp_path, sources, metas, DEFAULT_BASE)
    after = client.get("/api/search?q=obesity").json["facets"]["document"]
    assert len(before) == 1 and len(after) == 3


def test_a_priority_lineage_page_shows_commitment_links_with_both_sentences_and_drift(bundled_dir):
    from web import create_app

    client = create_app({"TESTING": True, "DATA_DIR": str(bundled_dir)}).test_client()
    page = client.get("/lineage/ovl-2019").get_data(as_text=True)
    assert "Chains back to the origins" in page
    priority = client.get("/api/priorities").get_json()
    first = next(p for p in priority if p["text"].startswith("Priority 1:"))
    page = client.get(f"/lineage/{first['id']}").get_data(as_text=True)
    assert "London should aim to be the first city with no child leaving primary school obese" in page  # 2014
    assert "The Mayor&#39;s ambition is to halve the proportion of London children" in page  # HIS, 2018
    assert '<ul class="drift">' in page


@pytest.mark.parametrize("url", ["/doc/gamma-2019", "/lineage/gamma-2019"])
def test_pages_show_the_sparql_behind_them_and_it_runs(client, url):
    import re
    from html import unescape
    from urllib.parse import parse_qs, urlparse

    page = client.get(url).get_data(as_text=True)
    link = unescape(re.search(r'<p class="behind"><a href="([^"]+)"', page).group(1))
    query = parse_qs(urlparse(link).query)["query"][0]
    result = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert result.status_code == 200 and result.get_json()["results"]["bindings"]


def test_threads_that_find_a_new_build_together_open_it_once(fixture_dir, monkeypatch):
    import threading

    import web

    app = web.create_app({"TESTING": True, "DATA_DIR": str(fixture_dir)})
    opened, real = [], web.open_data

    def counted(*args, **kwargs):
        opened.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(web, "open_data", counted)
    start = threading.Barrier(4)

    def ask() -> None:
        with app.app_context():
            start.wait()
            web.data()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 1 and app.extensions["policygraph"] is not None


def test_facet_counts_from_the_best_hits_only_say_so(tmp_path, monkeypatch):
    from corpus.pipeline import corpus_sources
    from graph.datadir import build_data_dir
    from graph.namespaces import DEFAULT_BASE
    from web import create_app

    from .conftest import FIXTURES

    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path, sources, metas, DEFAULT_BASE, backend="tantivy")
    config = {"TESTING": True, "DATA_DIR": str(tmp_path), "PAGE_SIZE": 2, "SEARCH_CACHE": 0}
    broad = {"q": "Riverside OR obesity OR emission OR council OR school OR children OR health"}
    assert 'class="estimate"' not in create_app(config).test_client().get("/search", query_string=broad).text
    monkeypatch.setenv("POLICYGRAPH_SEARCH_BEST_OF", "3")  # the fixture corpus's stand-in for 5,000 of 672,000
    page = create_app(config).test_client().get("/search", query_string=broad).text
    assert 'class="estimate"' in page and '<p class="count">about ' in page
