"""Hyphenated words in a query: `well-being` finds "well-being", "well being" and "wellbeing"; `2023-24` finds
"2023/24" and "2023–24".

The index holds each hyphenated word's parts and its parts written as one (search.analysis.compounds), so
the query asks for either: the parts as a phrase, or the word written as one.
"""

from __future__ import annotations

from search.analysis import financial_year, terms
from search.querylang import Any, Node, Phrase, Word, replace_words


def expand_compounds(node: Node) -> Node:
    """`node` with each hyphenated word asked for as its parts in order or as one word."""
    return replace_words(node, _either)


def _either(leaf: Word | Phrase) -> Node:
    text = leaf.text
    if isinstance(leaf, Word) and (year := financial_year(text)):
        return Word(year)
    if not isinstance(leaf, Word) or "-" not in text.strip("-") or text.endswith("*"):
        return leaf
    parts = [p for p in text.split("-") if p]
    joined = Word("".join(parts))
    # "e-cigarettes" as the phrase "e cigarettes" would be "cigarettes" alone, the "e" being no term
    if all(terms(p) for p in parts):
        return Any((Phrase(" ".join(parts)), joined))
    return joined
