"""End to end in a real browser: Playwright driving Debian's chromium against `policygraph serve`.

An analyst's path: search, narrow by two facets, open a commitment, open its lineage diagram, click
through to an ancestor, then run an example query in the SPARQL workbench and download it as CSV.
Screenshots go to $POLICYGRAPH_SCREENSHOTS when set (the README's come from there), else to a
temporary folder.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from .test_server import running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def live(bundled_dir):
    with running_server(bundled_dir) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "the browser tests need Debian's chromium: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("POLICYGRAPH_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def snap(page: Page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000  # a real picture of a page, not a blank one


def count(page: Page) -> int:
    return int(re.search(r"(\d+) results?", page.locator("p.count").inner_text()).group(1))


def facet(page: Page, name: str, value: str) -> None:
    group = page.locator("aside.facets h2", has_text=name).locator("xpath=following-sibling::ul[1]")
    group.get_by_role("link", name=value, exact=True).click()
    expect(group.locator("strong", has_text=value)).to_be_visible()


def test_search_facets_commitment_lineage_and_ancestor(live, page, shots):
    page.goto(live + "/search")
    page.get_by_label("Words, a").fill("childhood obesity")
    page.keyboard.press("Enter")
    expect(page.locator("p.count")).to_contain_text("results for")
    everything = count(page)
    facet(page, "Document", "ovl-2019")
    facet(page, "Kind", "priority")
    assert "document=ovl-2019" in page.url and "kind=priority" in page.url
    assert 0 < count(page) < everything
    expect(page.locator("li.hit mark").first).to_be_visible()  # the matched words are highlighted
    snap(page, shots, "search")

    hit = page.locator("li.hit").first
    expect(hit).to_contain_text("Priority 1: Reducing childhood obesity")
    hit.get_by_role("link", name="commitment").click()
    expect(page.locator("blockquote.commitment")).to_have_text("Priority 1: Reducing childhood obesity")
    expect(page.locator("table.links").first).to_contain_text("London should aim to be the first city")
    snap(page, shots, "commitment")

    page.get_by_role("link", name="Lineage diagram").click()
    expect(page.locator("svg.diagram")).to_be_visible()
    expect(page.locator("ol.chains li").first).to_contain_text("Priority 1")
    snap(page, shots, "lineage")
    # the chain runs through the priority's action on hot food takeaways back to the 2014 recommendation
    ancestor = page.locator("svg.diagram a", has=page.locator("title", has_text="Boroughs should use planning"))
    ancestor.click()
    expect(page.locator("blockquote.commitment")).to_contain_text(
        "Boroughs should use planning powers to restrict new fast food outlets within 400 metres of schools.")
    expect(page.locator("p.kicker")).to_contain_text("Better Health for London")


def test_workbench_example_query_and_csv_download(live, page, shots):
    page.goto(live + "/sparql")
    page.locator("details.examples summary").click()
    page.get_by_role("link", name="Where each priority of Our Vision for London comes from").click()
    table = page.locator("table.sparql-results")
    expect(table.locator("th").first).to_have_text("priority")
    assert table.locator("tbody tr").count() >= 10
    snap(page, shots, "workbench")
    with page.expect_download() as download:
        page.locator("p.downloads").get_by_role("link", name="csv", exact=True).click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["priority", "earlier", "document", "year"]
    assert len(rows) - 1 == table.locator("tbody tr").count()
    assert {r[0] for r in rows[1:]} >= {"Priority 1: Reducing childhood obesity", "Priority 5: Improving "
                                        "tobacco control and reducing smoking"}


def test_the_sparql_behind_a_page_runs_in_the_highlighting_editor(live, page):
    page.goto(live + "/lineage/ovl-2019")
    page.get_by_role("link", name="Show the SPARQL behind this page").click()
    expect(page.locator(".CodeMirror")).to_be_visible()  # the editor took over the textarea
    expect(page.locator(".CodeMirror .cm-keyword").first).to_have_text(re.compile("SELECT", re.I))
    rows = page.locator("table.sparql-results tbody tr")
    assert rows.count() >= 10
    expect(rows.first.locator("a").first).to_have_attribute("href", re.compile(r"^/(doc|commitment)/"))

    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("ASK { ?d dcterms:identifier 'bhfl-2014' }")
    page.keyboard.press("Control+Enter")
    expect(page.locator("p.answer")).to_have_text("Yes")
    expect(page.locator("p.share a")).to_have_attribute("href", re.compile(r"query=ASK"))


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
A11Y_PAGES = ["/", "/search?q=childhood+obesity", "/doc/ovl-2019", "/lineage/ovl-2019", "/sparql",
              "/sparql?query=SELECT+%3Fd+WHERE+%7B+%3Fd+a+pg%3ADocument+%7D", "/nope"]


@pytest.mark.parametrize("path", A11Y_PAGES)
def test_pages_pass_the_axe_accessibility_rules(live, browser, path):
    # our Content-Security-Policy rightly refuses the injected axe script: this context alone sets it aside
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live + path)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']});
        return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
    }""")
    context.close()
    assert found == [], found


@pytest.mark.parametrize("path", ["/", "/search?q=obesity", "/doc/ovl-2019", "/sparql"])
def test_pages_fit_a_phone(live, browser, path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(live + path)
    overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 1, f"{path} is {overflow}px wider than a phone's screen"


def test_search_works_from_the_keyboard_alone(live, page):
    page.goto(live + "/")
    page.keyboard.press("Tab")  # the first stop is the skip link or the brand; keep going to the search box
    for _ in range(6):
        if page.evaluate("document.activeElement.id") == "q-top":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q-top"
    page.keyboard.type("tobacco")
    page.keyboard.press("Enter")
    expect(page.locator("p.count")).to_contain_text("results for")


def test_the_content_security_policy_stops_an_injected_script(live, page):
    page.goto(live + "/")
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("() => window.injected === undefined")


def test_a_curator_rejects_a_suggested_link_in_the_browser(page, tmp_path):
    from corpus.pipeline import corpus_sources
    from graph.datadir import build_data_dir
    from graph.namespaces import DEFAULT_BASE

    from .conftest import FIXTURES

    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path / "data", sources, metas, DEFAULT_BASE)
    with running_server(tmp_path / "data", env={"POLICYGRAPH_EDIT_TOKEN": "s3cret"}) as base:
        page.goto(base + "/commitment/72d28727c104")
        row = page.locator("table.links tr", has_text="The Council should halve childhood obesity by 2025")
        row.get_by_label("Your name").fill("Ann Analyst")
        row.get_by_label("Edit token").fill("s3cret")
        row.get_by_role("button", name="Reject").click()
        expect(page.locator("blockquote.commitment")).to_have_text("Priority 1: Reducing childhood obesity")
        expect(page.locator("table.links tr", has_text="The Council should halve childhood obesity")).to_have_count(0)
    assert "Ann Analyst" in (tmp_path / "data" / "curated-links.yaml").read_text()


HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def test_no_injected_markup_runs_anywhere(page, tmp_path):
    """Markup in a document's title, text and publisher, in a commitment, a search, a facet and a SPARQL
    literal: shown as text on every page, and no script runs."""
    import urllib.parse

    from corpus.pipeline import corpus_sources
    from graph.datadir import build_data_dir, ingest_paths
    from graph.namespaces import DEFAULT_BASE

    from .conftest import FIXTURES

    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(tmp_path / "data", sources, metas, DEFAULT_BASE)
    hostile = tmp_path / "hostile.md"
    hostile.write_text(f"# Plan {HOSTILE}\n\n## 1 Aims {HOSTILE}\n\nThe Council will halve obesity by 2030 "
                       f"{HOSTILE}.\n", encoding="utf-8")
    ingest_paths(tmp_path / "data", [str(hostile)], f"Plan {HOSTILE}", (f"Council {HOSTILE}",), "2020",
                 "hostile-2020")
    ran = []
    page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
    with running_server(tmp_path / "data") as base:
        quoted = urllib.parse.quote(HOSTILE)
        for path in ("/", "/doc/hostile-2020", "/lineage/hostile-2020", f"/search?q={quoted}",
                     f"/search?q=obesity&publisher={urllib.parse.quote('Council ' + HOSTILE)}",
                     "/search?q=halve", "/sparql?query=" + urllib.parse.quote(f"SELECT ?x WHERE {{ BIND('{HOSTILE}' "
                                                                                 "AS ?x) }"),
                     f"/id/{quoted}", f"/doc/{quoted}"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.evaluate("() => window.__xss") is None, path
            assert page.locator("script:not([src])").count() == 0, path  # no inline script made it in
        page.goto(base + "/search?q=halve+obesity")
        hit = page.locator("li.hit", has_text="halve obesity").first
        expect(hit).to_contain_text("<img src=x")  # shown as text, not made into an element
        hit.get_by_role("link", name="commitment").click()
        expect(page.locator("blockquote.commitment")).to_contain_text("<script>window.__xss=1</script>")
        assert page.evaluate("() => window.__xss") is None
    assert ran == []
