"""Web pages (a GOV.UK or NHS publication page, say) read into blocks: the main content only.

Navigation, banners, cookie notices, breadcrumbs, footers and scripts are dropped. When the page marks
its main content (<main>, role="main" or <article>), only that is kept.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from corpus.errors import CorpusError
from corpus.models import Block

SKIPPED = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg",
           "button", "select", "iframe"}
SKIPPED_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}
SKIPPED_NAMES = re.compile(r"cookie|banner|breadcrumb|skip-link|share|related|feedback|sidebar", re.I)
MAIN_ROLES = {"main"}
BLOCKS = {"p": "paragraph", "li": "bullet", "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading",
          "blockquote": "paragraph", "td": "paragraph", "dd": "paragraph"}
VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "track"}
META_KEYS = {
    "title": ("dc.title", "og:title", "citation_title"),
    "publishers": ("dc.publisher", "govuk:primary-publishing-organisation", "citation_publisher", "og:site_name"),
    "issued": ("dc.date", "dc.date.issued", "article:published_time", "govuk:first-published-at",
               "citation_publication_date"),
}


class _Page(HTMLParser):
    """Collects (kind, level, text, in_main) for each block, and the page's meta tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, main)
        self.blocks: list[tuple[str, int, str, bool]] = []
        self.current: list[str] | None = None
        self.current_tag = ""
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = (attributes.get("name") or attributes.get("property") or "").lower()
            if key and attributes.get("content"):
                self.meta.setdefault(key, attributes["content"].strip())
        self.in_title = tag == "title"
        if tag in VOID:
            return
        parent_skipped = self.stack[-1][1] if self.stack else False
        parent_main = self.stack[-1][2] if self.stack else False
        names = f"{attributes.get('class', '')} {attributes.get('id', '')}"
        skipped = parent_skipped or tag in SKIPPED or attributes.get("role", "") in SKIPPED_ROLES \
            or bool(SKIPPED_NAMES.search(names)) or "hidden" in attributes
        main = parent_main or tag in ("main", "article") or attributes.get("role", "") in MAIN_ROLES
        self.stack.append((tag, skipped, main))
        if tag in BLOCKS and not skipped:
            self._close()
            self.current, self.current_tag = [], tag

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in BLOCKS and tag == self.current_tag:
            self._close()
        while self.stack:  # browsers forgive unclosed tags; so do we
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif self.current is not None and not (self.stack and self.stack[-1][1]):
            self.current.append(data)

    def _close(self):
        if self.current is not None:
            text = " ".join("".join(self.current).split())
            main = any(m for _, _, m in self.stack)
            if text:
                level = int(self.current_tag[1]) if self.current_tag[0] == "h" else 0
                self.blocks.append((BLOCKS[self.current_tag], level, text, main))
        self.current, self.current_tag = None, ""


def read_html(path: Path) -> _Page:
    """Parse the page, decoding it as its charset declaration says (UTF-8 when it says nothing).

    :raises CorpusError: naming the file when it cannot be read or decoded.
    """
    from corpus.loaders import read_bytes

    raw = read_bytes(path)
    declared = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", raw[:4096], re.I)
    charset = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        text = raw.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot decode the page as {charset} ({exc})") from exc
    page = _Page()
    page.feed(text)
    page.close()
    page._close()
    return page


def load_html(path: Path) -> list[Block]:
    """The main content of a web page as blocks (no pages: the web has none).

    :raises CorpusError: when the page cannot be read or has no main content.
    """
    page = read_html(path)
    found = page.blocks
    if any(main for *_, main in found):
        found = [b for b in found if b[3]]
    blocks = [Block(kind, text, None, level) for kind, level, text, _ in found]
    if not any(b.kind in ("paragraph", "bullet") for b in blocks):
        raise CorpusError(f"{path}: no main content found (no paragraphs outside navigation and boilerplate)")
    return blocks


def html_metadata(path: Path) -> dict:
    """Title, publishers and issue date from the page's meta tags (and its <title>)."""
    page = read_html(path)
    found: dict = {}
    for key, names in META_KEYS.items():
        value = next((page.meta[n] for n in names if page.meta.get(n)), "")
        if value:
            found[key] = value
    if "publishers" in found:
        found["publishers"] = [found["publishers"]]
    if "issued" in found:
        match = re.match(r"\d{4}(-\d{2}(-\d{2})?)?", found["issued"])
        found["issued"] = match.group(0) if match else ""
    title = " ".join("".join(page.title).split())
    found.setdefault("title", title.split(" - ")[0].split(" | ")[0].strip() if title else "")
    return {k: v for k, v in found.items() if v}
