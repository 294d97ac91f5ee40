"""Highlighting done once for both engines: the text is escaped, then each word that matched is marked."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from search.analysis import spans_of, terms

SNIPPET = 280  # characters of a passage shown around its first match


def highlight(text: str, words: list[str], whole: bool = True) -> Markup:
    """`text` with <mark> around every word whose term the query asked for.

    With whole=False, a window of about SNIPPET characters around the first match, with ellipses.
    """
    wanted = _terms_of(tuple(words))
    found = spans_of(text, wanted)
    start, end = (0, len(text)) if whole else window(text, found[0][0] if found else 0)
    # plain strings for the fixed markup and one Markup at the end: a Markup per piece had doubled the cost
    pieces, at = ["… " if start else ""], start
    for first, last in found:
        if first < start or last > end:
            continue
        pieces += [escape(text[at:first]), "<mark>", escape(text[first:last]), "</mark>"]
        at = last
    pieces += [escape(text[at:end]), " …" if end < len(text) else ""]
    return Markup("".join(pieces))


@lru_cache(maxsize=256)
def _terms_of(words: tuple[str, ...]) -> frozenset[str]:
    """The terms of a query's words: the same for each of a page's hits."""
    return frozenset(term for word in words for term in terms(word))


def window(text: str, first: int) -> tuple[int, int]:
    """About SNIPPET characters holding `first`, widened to word boundaries."""
    if len(text) <= SNIPPET:
        return 0, len(text)
    start = max(0, first - SNIPPET // 3)
    end = min(len(text), start + SNIPPET)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end
