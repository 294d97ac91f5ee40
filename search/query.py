"""Keyword search over commitments: ranked, highlighted, with facet counts and filters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape
from whoosh import highlight
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import And, Term

from corpus.dates import deadline_status
from corpus.errors import BadQuery
from search.acronyms import expand_acronyms
from search.schema import FACETS

MAX_QUERY = 1000


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    kind: str
    text: str
    highlighted: Markup  # the sentence, HTML-escaped, with <mark> around matched words
    document: str
    document_title: str
    year: str
    section: str
    page: int | None
    actor: str
    deadline: str
    themes: tuple[str, ...]
    score: float
    status: str  # due | overdue | no deadline, as of the day of the search


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)


def search(index, query: str, filters: dict[str, str] | None = None, limit: int = 20,
           offset: int = 0) -> SearchResults:
    """Search commitments. The web page, the API and the CLI all call this.

    :raises BadQuery: for an empty, over-long or unknown-field query.
    """
    query = (query or "").strip()
    filters = {k: v for k, v in (filters or {}).items() if v}
    if not query:
        raise BadQuery("the search query is empty")
    if len(query) > MAX_QUERY:
        raise BadQuery(f"the search query is longer than {MAX_QUERY} characters")
    unknown = set(filters) - set(FACETS)
    if unknown:
        raise BadQuery(f"cannot filter on {', '.join(sorted(unknown))} (use {', '.join(FACETS)})")
    indexed = {k: v for k, v in filters.items() if k != "status"}
    with index.searcher() as searcher:
        parser = MultifieldParser(["text", "heading"], index.schema, fieldboosts={"text": 2.0, "heading": 0.5},
                                  group=OrGroup.factory(0.9))
        parsed = parser.parse(expand_acronyms(query))
        wanted = And([parsed, *[Term(k, v) for k, v in indexed.items()]]) if indexed else parsed
        results = searcher.search(wanted, limit=None)
        results.fragmenter = highlight.WholeFragmenter(charlimit=None)
        results.formatter = MarkFormatter()
        today = date.today()
        matching = [r for r in results if filters.get("status") in (None, status_of(r, today))]
        facets = count_facets(matching, today)
        page = [hit_from(r, today) for r in matching[offset:offset + limit]]
        return SearchResults(query, len(matching), tuple(page), facets, filters)


def status_of(result, today: date) -> str:
    by = result.get("deadline_by")
    return deadline_status(date.fromisoformat(by) if by else None, today)


def count_facets(results, today: date) -> dict[str, list[tuple[str, int]]]:
    counts = {name: Counter() for name in FACETS}
    for hit in results:
        counts["status"][status_of(hit, today)] += 1
        for name in FACETS[:-1]:
            for value in str(hit.get(name) or "").split(","):
                if value:
                    counts[name][value] += 1
    return {name: counts[name].most_common(15) for name in FACETS}


def hit_from(result, today: date) -> Hit:
    marked = result.highlights("text") or ""
    return Hit(
        id=result["id"], kind=result["kind"], text=result["text"],
        highlighted=Markup(marked) if marked else escape(result["text"]),
        document=result["document"], document_title=result["document_title"], year=result["year"],
        section=result.get("section") or "", page=result.get("page"), actor=result.get("actor") or "",
        deadline=result.get("deadline") or "", themes=tuple(t for t in (result.get("theme") or "").split(",") if t),
        score=round(result.score or 0.0, 3), status=status_of(result, today),
    )


class MarkFormatter(highlight.Formatter):
    """Escape the sentence, then wrap each matched word in <mark>."""

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"

    def format_fragment(self, fragment, replace=False):
        output, index = [], fragment.startchar
        text = fragment.text
        for token in fragment.matches:
            if token.startchar > index:
                output.append(str(escape(text[index:token.startchar])))
            output.append(self.format_token(text, token, replace))
            index = token.endchar
        output.append(str(escape(text[index:fragment.endchar])))
        return "".join(output)
