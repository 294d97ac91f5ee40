"""Keyword search: ranked, grouped, faceted and highlighted. The web page, the API and the CLI all call `search`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from markupsafe import Markup

from corpus.dates import deadline_status
from corpus.errors import BadQuery
from search.acronyms import expand
from search.analysis import terms
from search.compounds import expand_compounds
from search.engine import Matches
from search.highlight import highlight
from search.index import SearchIndex
from search.querylang import FIELDS, All, Any, Field, Node, Not, Phrase, Word, parse, prune, split_filters, words_of
from search.suggest import suggest
from search.table import NONE, STATUSES
from search.wildcards import expand_wildcards

MAX_QUERY = 1000
WIDEN_BELOW = 10  # fewer records than this holding every word, and those with some words follow
FACETS = ("kind", "document", "publisher", "year", "actor", "theme", "deadline", "status")
SORTS = ("relevance", "date", "deadline")
COMMITMENTS = frozenset({"commitment", "target", "recommendation", "priority"})
# A small lift for what was promised over the background text around it.
KIND_BOOST = {"priority": 1.3, "commitment": 1.2, "target": 1.2, "recommendation": 1.1, "document": 1.0,
              "passage": 0.8}
KINDS = tuple(KIND_BOOST)  # every kind of record the index holds


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
    status: str  # due | overdue | no deadline | superseded as of the search, "" for passages and documents
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
    approximate: bool = False  # True when so much matched that total and facets were counted on the best part
    every_word: int = -1  # of the total, how many hold every word: fewer when a narrow search was widened


def search(index: SearchIndex, query: str, filters: dict[str, str] | None = None, limit: int = 20,
           offset: int = 0, sort: str = "relevance", today: date | None = None) -> SearchResults:
    """Search commitments, passages and documents.

    :raises BadQuery: for an empty or over-long query, an unknown filter or sort, or unbalanced brackets.
    """
    query, filters = check(query, filters, sort)
    index.refresh()
    today = today or date.today()
    key = (query, tuple(sorted(filters.items())), limit, offset, sort, today)
    return index.cache.get(key, lambda: answer(index, query, filters, limit, offset, sort, today))


def answer(index: SearchIndex, query: str, filters: dict[str, str], limit: int, offset: int, sort: str,
           today: date) -> SearchResults:
    node, fields = split_filters(parse(query)) if query else (None, [])
    node = expand_wildcards(expand_compounds(node), index) if node is not None else None
    fields += [Field(name, value) for name, value in filters.items()]
    check_values(node, fields)
    suggestion = suggest(index, node) if node is not None else ""
    wanted = offset + limit
    found = matching(index, node, fields, today, top=2 * wanted + 20)
    corrected = not len(found.every) and bool(suggestion)
    if corrected:
        node = split_filters(parse(suggestion))[0]
        found = matching(index, node, fields, today, top=2 * wanted + 20)
    table = index.store.table
    heads, folded = group(found.every, table)
    ordered, scores = order(found, heads, table, sort, wanted)
    if sort == "relevance" and len(ordered) < min(wanted, len(heads)):  # paged past what was scored
        found = matching(index, node, fields, today, top=None)
        heads, folded = group(found.every, table)
        ordered, scores = order(found, heads, table, sort, wanted)
    page = ordered[offset:offset + limit].tolist()
    marked = words_of(expand(node)) if node is not None else []
    folded_under = restated(found.every, table, page)
    hits = tuple(hit(record, score, folded_under[row], marked, today) for record, row, score in zip(
        index.store.fetch(page), page, scores[offset:offset + limit].tolist(), strict=True))
    facets = count_facets(heads, folded, table, today)
    total, every_word = totals(found, heads, table)
    return SearchResults(query, total, hits, facets, filters, sort, suggestion, corrected, found.found >= 0,
                         every_word)


def totals(found: Matches, heads: np.ndarray, table) -> tuple[int, int]:
    """How many results (estimated past `best_of`), and how many of them hold every word."""
    total = len(heads)
    if found.found >= 0:  # the share of matches that stand as results is taken to hold for the uncounted rest
        total = round(found.found * len(heads) / max(1, len(found.every)))
    # counted as the same words joined by AND would count them, grouped among themselves
    return total, total if found.first is None else len(group(found.ranked[found.first], table)[0])


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


def check_values(node: Node | None, fields: list[Field]) -> None:
    """Refuse a year, deadline or kind that no record could have, which would otherwise find nothing
    and not say why (`year:201`, `kind:comitment`).

    :raises BadQuery: naming the field and value, and what it takes.
    """
    for one in [*fields, *fields_in(node)]:
        value = one.value.strip().lower()
        if one.name in ("year", "deadline") and not (len(value) == 4 and value.isdigit()):
            raise BadQuery(f"{one.name}:{one.value} is not a year: write four digits, as in {one.name}:2024")
        if one.name == "kind" and value not in KINDS:
            raise BadQuery(f"no kind {one.value} (use {', '.join(KINDS)})")


def fields_in(node: Node | None) -> list[Field]:
    if isinstance(node, Field):
        return [node]
    if isinstance(node, Not):
        return fields_in(node.node)
    if isinstance(node, All | Any):
        return [f for n in node.nodes for f in fields_in(n)]
    return []


def matching(index: SearchIndex, node: Node | None, fields: list[Field], today: date, top: int | None) -> Matches:
    """What `node` matches; when plain words find fewer than WIDEN_BELOW records together, the records
    holding only some of them follow those holding all, so a narrow search still shows what is near."""
    found = run(index, node, fields, today, top)
    words = expand(node) if node is not None else None  # "ultra low emission zone" is one phrase, not four words
    if len(found.every) >= WIDEN_BELOW or not (isinstance(words, All) and not words.strict and all(
            map(is_plain, words.nodes))):
        return found
    some = run(index, Any(words.nodes), fields, today, top)
    every_word = np.zeros(index.store.table.size + 1, dtype=bool)
    every_word[found.every] = True
    return Matches(some.every, some.ranked, some.scores, every_word[some.ranked], some.found)


def is_plain(node: Node) -> bool:
    """A word or phrase, or an acronym with its expansions ("A&E" OR "accident and emergency")."""
    return isinstance(node, Word | Phrase) or isinstance(node, Any) and all(isinstance(n, Word | Phrase)
                                                                             for n in node.nodes)


def run(index: SearchIndex, node: Node | None, fields: list[Field], today: date, top: int | None) -> Matches:
    """What matches, with the kind boost applied to the scores and the status filter to everything."""
    statuses = {f.value.lower() for f in fields if f.name == "status"}
    unknown = statuses - set(STATUSES)
    if unknown:
        raise BadQuery(f"no status {', '.join(sorted(unknown))} (use {', '.join(STATUSES)})")
    indexed = [f for f in fields if f.name != "status"]
    # a stop word alone ("and") asks for nothing, rather than for nothing to match
    wanted = prune(expand(node), lambda leaf: bool(terms(leaf.text))) if node is not None else None
    if indexed:
        wanted = All(tuple([wanted] if wanted is not None else []) + tuple(indexed))
    table = index.store.table
    found = index.engine.match(wanted, top)
    every, ranked, scores = found.every, found.ranked, found.scores
    # a row added by an update after the table was loaded waits for the next search
    every = every[every < table.size]
    known = ranked < table.size
    ranked, scores = ranked[known], scores[known] * boosts(table)[table.kind.codes[ranked[known]]]
    total = found.found
    if statuses:
        codes = [STATUSES.index(s) for s in statuses]
        kept = np.isin(table.statuses(every, today), codes)
        total = round(total * kept.mean()) if total >= 0 and len(kept) else total
        every = every[kept]
        keep = np.isin(table.statuses(ranked, today), codes)
        ranked, scores = ranked[keep], scores[keep]
    return Matches(every, ranked, scores, found=total)


def boosts(table) -> np.ndarray:
    return np.array([KIND_BOOST.get(kind, 1.0) for kind in table.kind.values] + [1.0])


def group(rows: np.ndarray, table) -> tuple[np.ndarray, np.ndarray]:
    """Fold each summary restatement under its fuller commitment, and each passage under a commitment it holds.

    A restatement or passage stands alone when what it would fold under did not match. Returns the
    heads, and the passages folded away.
    """
    matched = np.zeros(table.size + 1, dtype=bool)  # the extra cell answers for "no row" (-1)
    matched[rows] = True
    parents = table.parent[rows]
    restatement = matched[parents] & (parents >= 0)
    held = np.zeros(table.size + 1, dtype=bool)
    holders = table.passage[rows]
    held[holders[holders >= 0]] = True
    passage = (table.kind.codes[rows] == table.passage_code) & held[rows]
    return rows[~(restatement | passage)], rows[passage]


def restated(rows: np.ndarray, table, heads: list[int]) -> dict[int, list[str]]:
    """For each of `heads`, the ids of the matched restatements folded under it (one pass over the matches)."""
    parents = table.parent[rows]
    under = np.isin(parents, heads)
    found: dict[int, list[str]] = {head: [] for head in heads}
    for row, parent in zip(rows[under].tolist(), parents[under].tolist(), strict=True):
        found[parent].append(table.id[row])
    return found


def order(found: Matches, heads: np.ndarray, table, sort: str, wanted: int) -> tuple[np.ndarray, np.ndarray]:
    """The heads in the order asked, with the score of each (0 where not scored).

    By relevance, only the best `wanted` of the ranked heads, in order (best first, ties by row so the order
    is stable); by date or deadline, every head is, ties broken by score where known, then by row.
    """
    is_head = np.zeros(table.size + 1, dtype=bool)
    is_head[heads] = True
    ranked = is_head[found.ranked]
    rows, scores = found.ranked[ranked], found.scores[ranked]
    if sort == "relevance":
        first = found.first[ranked] if found.first is not None else np.ones(len(rows), dtype=bool)
        rows, scores, first = contenders(rows, scores, first, wanted)
        best = np.lexsort((rows, -scores, ~first))[:wanted]
        return rows[best], scores[best]
    score_of = dict(zip(rows.tolist(), scores.tolist(), strict=True))
    known = np.array([score_of.get(r, 0.0) for r in heads.tolist()])
    if sort == "date":
        by_date = np.lexsort((heads, -known, -table.issued[heads]))
        return heads[by_date], known[by_date]
    by = table.deadline_by[heads]
    by_deadline = np.lexsort((heads, -known, np.where(by == NONE, np.iinfo(np.int64).max, by)))
    return heads[by_deadline], known[by_deadline]


def contenders(rows: np.ndarray, scores: np.ndarray, first: np.ndarray, wanted: int) -> tuple[np.ndarray, ...]:
    """Those of `rows` that can be among the best `wanted` (all words first, then by score): the ties at the
    last place included, so that sorting them alone gives the same best as sorting all.

    A broad search at L ranks 5,000 rows for a page of 20; sorting them all took 0.7 ms of its 15.
    """
    if len(rows) <= wanted or wanted < 1:
        return rows, scores, first
    leaders = int(first.sum())
    pool = first if leaders >= wanted else ~first  # the group in which the last place falls
    need = wanted if leaders >= wanted else wanted - leaders
    pooled = scores[pool]
    last = np.partition(pooled, len(pooled) - need)[len(pooled) - need]
    keep = pool & (scores >= last) if leaders >= wanted else first | (scores >= last)
    return rows[keep], scores[keep], first[keep]


def count_facets(heads: np.ndarray, folded: np.ndarray, table, today: date) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet's values over the results. Folded passages count only as passages, since
    choosing the passage facet lists them all."""
    statuses = table.statuses(heads, today)
    status_counts = np.bincount(statuses[statuses >= 0], minlength=len(STATUSES))
    return {
        "kind": table.kind.count(np.concatenate([heads, folded])),
        "document": table.document.count(heads), "publisher": table.publishers.count(heads),
        "year": table.year.count(heads), "actor": table.actor.count(heads), "theme": table.themes.count(heads),
        "deadline": table.deadline.count(heads),
        "status": [(s, int(n)) for s, n in zip(STATUSES, status_counts, strict=True) if n],
    }


def hit(record: dict, score: float, restated: list[str], marked: list[str], today: date) -> Hit:
    by, replaced = record["deadline_by"], record.get("superseded_on")
    is_commitment = record["kind"] in COMMITMENTS
    return Hit(
        id=record["id"], kind=record["kind"], text=record["text"],
        highlighted=highlight(record["text"], marked, whole=is_commitment),
        document=record["document"], document_title=record["document_title"], year=str(record["year"]),
        section=record["section"] or "", page=record["page"], actor=record["actor"] or "",
        deadline=record["deadline"] or "", themes=tuple(record["themes"]), score=round(score, 3),
        status=deadline_status(date.fromisoformat(by) if by else None, today,
                               date.fromisoformat(replaced) if replaced else None) if is_commitment else "",
        restated=tuple(restated),
    )
