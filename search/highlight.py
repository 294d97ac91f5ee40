"""Highlighting done once for both engines: the text is escaped, then each word that matched is marked."""

from __future__ import annotations

from markupsafe import Markup, escape

from search.analysis import spans, terms

SNIPPET = 280  # characters of a passage shown around its first match


def highlight(text: str, words: list[str], whole: bool = True) -> Markup:
    """`text` with <mark> around every word whose term the query asked for.

    With whole=False, a window of about SNIPPET characters around the first match, with ellipses.
    """
    wanted = {t for w in words for t in terms(w)}
    found = [span for span, term in spans(text) if term in wanted]
    start, end = (0, len(text)) if whole else window(text, found[0][0] if found else 0)
    pieces, at = [], start
    for first, last in found:
        if first < start or last > end:
            continue
        pieces += [escape(text[at:first]), Markup("<mark>"), escape(text[first:last]), Markup("</mark>")]
        at = last
    pieces.append(escape(text[at:end]))
    body = Markup("").join(pieces)
    return Markup("").join([Markup("… ") if start else "", body, Markup(" …") if end < len(text) else ""])


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
