"""Summaries restate: a short form of a commitment in an executive summary, the full one in a chapter.

The short form is linked to the full one (pg:restates) and not counted as a promise of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.models import Commitment

SAME = 0.8  # share of a commitment's words that a fuller one must also hold for it to count as restated
MIN_WORDS = 5  # shorter commitments are too generic to call restatements
SMALL_WORDS = frozenset("a an and the of to in for on by with at as is are be will we our its their this that".split())


def words(text: str) -> set[str]:
    """Content words, lower-cased, with a plural's s dropped so "services" meets "service"."""
    found = re.findall(r"\d+(?:[.,/]\d+)*|[a-z]+", text.lower())
    return {w[:-1] if w.endswith("s") and len(w) > 3 and not w[0].isdigit() else w
            for w in found if w not in SMALL_WORDS}


def restatements(commitments: Iterable[Commitment]) -> dict[str, str]:
    """For each commitment that restates a fuller one of the same document, that one's id.

    A restatement has most of its words and all of its figures in the fuller one, which has at least
    as many words; between equals the later one is the full form, since summaries come first.
    """
    bags = [(c.id, words(c.text)) for c in commitments if c.kind != "priority"]
    parents: dict[str, str] = {}
    for i, (short, short_words) in enumerate(bags):
        if len(short_words) < MIN_WORDS:
            continue
        for j, (long, long_words) in enumerate(bags):
            fuller = len(long_words) > len(short_words) or (len(long_words) == len(short_words) and j > i)
            figures_kept = all(w in long_words for w in short_words if w[0].isdigit())
            if (long != short and fuller and figures_kept and long not in parents
                    and len(short_words & long_words) >= SAME * len(short_words)):
                parents[short] = long
                break
    return parents
