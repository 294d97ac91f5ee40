"""Keyword search: ranked, grouped, faceted and highlighted. The web page, the API and the CLI all call `search`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from corpus.dates import deadline_status
from corpus.errors import BadQuery
from search.acronyms import expand
from search.docstore import Table
from search.highlight import highlight
from search.index import SearchIndex
from search.querylang import FIELDS, All, Field, Node, parse, split_filters, words_of
from search.suggest import suggest

MAX_QUERY = 1000
FACETS = ("kind", "document", "publisher", "year", "actor", "theme", "deadline", "status")
SORTS = ("relevance", "date", "deadline")
COMMITMENTS = frozenset({"commitment", "target", "recommendation", "priority"})
# A small lift for what was promised over the background text around it.
KIND_BOOST = {"priority": 1.3, "commitment": 1.2, "target": 1.2, "recommendation": 1.1, "document": 1.0,
              "passage": 0.8}


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    kind: str
    text: str
    highlighted: Markup  # HTML-escaped text (a snippet for passages), with <mark> around matched words
    document: str
    document_title: str
    year: str
    section: str
    page: int | None
    actor: str
    deadline: str
    themes: tuple[str, ...]
    score: float
    status: str  # due | overdue | no deadline as of the search, "" for passages and documents
    restated: tuple[str, ...] = ()  # ids of shorter restatements grouped under this commitment


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    suggestion: str = ""  # a better-spelt query, offered as "did you mean"
    corrected: bool = False  # True when the hits are for `suggestion`, the query itself finding nothing


def search(index: SearchIndex, query: str, filters: dict[str, str] | None = None, limit: int = 20,
           offset: int = 0, sort: str = "relevance", today: date | None = None) -> SearchResults:
    """Search commitments, passages and documents.

    :raises BadQuery: for an empty or over-long query, an unknown filter or sort, or unbalanced brackets.
    """
    query, filters = check(query, filters, sort)
    index.refresh()
    node, fields = split_filters(parse(query)) if query else (None, [])
    fields += [Field(name, value) for name, value in filters.items()]
    today = today or date.today()
    suggestion = suggest(index, node) if node is not None else ""
    matches = run(index, node, fields, today)
    corrected = not matches and bool(suggestion)
    if corrected:
        node = split_filters(parse(suggestion))[0]
        matches = run(index, node, fields, today)
    table = index.store.table
    groups = group(matches, table)
    ordered = order(groups, table, sort)
    page = ordered[offset:offset + limit]
    records = index.store.fetch([row for row, _, _ in page])
    marked = words_of(expand(node)) if node is not None else []
    hits = tuple(hit(r, score, [table.id[x] for x in also], marked, today)
                 for r, (_, score, also) in zip(records, page, strict=True))
    folded = [row for row, _ in matches if table.kind[row] == "passage"
              and table.id[row] in {table.passage[r] for r, _ in matches}]
    facets = count_facets([row for row, _, _ in groups], table, today)
    facets["kind"] = kind_counts([row for row, _, _ in groups] + folded, table)
    return SearchResults(query, len(groups), hits, facets, filters, sort, suggestion, corrected)


def check(query: str, filters: dict[str, str] | None, sort: str) -> tuple[str, dict[str, str]]:
    query = (query or "").strip()
    filters = {k: v.strip() for k, v in (filters or {}).items() if v and v.strip()}
    if not query and not filters:
        raise BadQuery("the search query is empty: type a word, or choose a filter")
    if len(query) > MAX_QUERY:
        raise BadQuery(f"the search query is longer than {MAX_QUERY} characters")
    unknown = set(filters) - set(FIELDS)
    if unknown:
        raise BadQuery(f"cannot filter on {', '.join(sorted(unknown))} (use {', '.join(FIELDS)})")
    if sort not in SORTS:
        raise BadQuery(f"cannot sort by {sort!r} (use {', '.join(SORTS)})")
    return query, filters


def run(index: SearchIndex, node: Node | None, fields: list[Field], today: date) -> list[tuple[int, float]]:
    """Every matching (row, score) after the kind boost and the status filter, best first."""
    statuses = {f.value.lower() for f in fields if f.name == "status"}
    indexed = [f for f in fields if f.name != "status"]
    wanted = expand(node) if node is not None else None
    if indexed:
        wanted = All(tuple([wanted] if wanted is not None else []) + tuple(indexed))
    table = index.store.table
    matches = [(row, score * KIND_BOOST.get(table.kind[row], 1.0)) for row, score in index.engine.match(wanted)]
    if statuses:
        matches = [(row, s) for row, s in matches if status_of(table, row, today) in statuses]
    matches.sort(key=lambda m: (-m[1], m[0]))
    return matches


def status_of(table: Table, row: int, today: date) -> str:
    if table.kind[row] not in COMMITMENTS:
        return ""
    by = table.deadline_by[row]
    return deadline_status(date.fromisoformat(by) if by else None, today)


def group(matches: list[tuple[int, float]], table: Table) -> list[tuple[int, float, list[int]]]:
    """Fold each summary restatement under its fuller commitment, and each passage under a commitment it holds.

    A restatement or passage stands alone when what it would fold under did not match.
    """
    row_of = {table.id[row]: row for row, _ in matches}
    held = {table.passage[row] for row, _ in matches if table.passage[row]}
    groups: dict[int, tuple[int, float, list[int]]] = {}
    for row, score in matches:
        parent = row_of.get(table.parent[row])
        if parent is not None:
            groups.setdefault(parent, (parent, 0.0, []))[2].append(row)
        elif not (table.kind[row] == "passage" and table.id[row] in held):
            also = groups.get(row, (row, 0.0, []))[2]
            groups[row] = (row, score, also)
    return [g for g in groups.values() if g[1] or g[0] in row_of.values()]


def order(groups, table: Table, sort: str):
    if sort == "date":
        return sorted(groups, key=lambda g: (_negated(table.issued[g[0]]), -g[1], g[0]))
    if sort == "deadline":
        return sorted(groups, key=lambda g: (table.deadline_by[g[0]] or "9999", -g[1], g[0]))
    return sorted(groups, key=lambda g: (-g[1], g[0]))


def _negated(iso: str) -> tuple[int, ...]:
    return tuple(-int(p) for p in iso.split("-") if p.isdigit())


def kind_counts(rows: list[int], table: Table) -> list[tuple[str, int]]:
    """Passages folded under a commitment still count as passages: choosing "passage" lists them all."""
    return Counter(table.kind[row] for row in set(rows)).most_common()


def count_facets(rows: list[int], table: Table, today: date) -> dict[str, list[tuple[str, int]]]:
    counts = {name: Counter() for name in FACETS}
    for row in rows:
        counts["kind"][table.kind[row]] += 1
        counts["document"][table.document[row]] += 1
        counts["year"][table.year[row]] += 1
        counts["publisher"].update(table.publishers[row])
        counts["theme"].update(table.themes[row])
        if table.actor[row]:
            counts["actor"][table.actor[row]] += 1
        if table.deadline_by[row]:
            counts["deadline"][table.deadline_by[row][:4]] += 1
        status = status_of(table, row, today)
        if status:
            counts["status"][status] += 1
    return {name: counts[name].most_common(20) for name in FACETS}


def hit(record: dict, score: float, restated: list[str], marked: list[str], today: date) -> Hit:
    by = record["deadline_by"]
    is_commitment = record["kind"] in COMMITMENTS
    return Hit(
        id=record["id"], kind=record["kind"], text=record["text"],
        highlighted=highlight(record["text"], marked, whole=is_commitment),
        document=record["document"], document_title=record["document_title"], year=str(record["year"]),
        section=record["section"] or "", page=record["page"], actor=record["actor"] or "",
        deadline=record["deadline"] or "", themes=tuple(record["themes"]), score=round(score, 3),
        status=deadline_status(date.fromisoformat(by) if by else None, today) if is_commitment else "",
        restated=tuple(restated),
    )
