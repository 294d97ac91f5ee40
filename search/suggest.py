"""Did you mean: a word the index has never seen is replaced by the nearest word it has."""

from __future__ import annotations

from difflib import SequenceMatcher

from corpus.nlp import english_words
from search.acronyms import acronym
from search.analysis import normalise
from search.querylang import Node, Phrase, Word, replace_words, unparse

CLOSE = 0.75  # how alike two words must be (difflib's ratio) to offer one for the other
# ... when the word typed is an English word the corpus lacks: "junk food" is not a slip for "june food",
# while "goverment", a slip common enough to be in the English word list, is still put right (0.95)
CLOSE_TO_A_WORD = 0.85


def suggest(index, node: Node) -> str:
    """The query with each unknown word corrected, or "" when every word is known or nothing is close."""
    changed = []

    def fix(leaf: Word | Phrase) -> Word | Phrase:
        words = leaf.text.split()
        better = [_better(index, w) or w for w in words]
        if better == words:
            return leaf
        changed.append(leaf)
        return type(leaf)(" ".join(better))

    fixed = replace_words(node, fix)
    return unparse(fixed) if changed else ""


def _better(index, word: str) -> str | None:
    lower = word.lower()
    if not lower.isalpha() or acronym(word) or not normalise(lower) or _known(index, lower):
        return None
    best, best_key = None, (CLOSE_TO_A_WORD if lower in english_words() else CLOSE, 0)
    for candidate in _bucket(index, lower[0]):
        if abs(len(candidate) - len(lower)) > 2:
            continue
        ratio = SequenceMatcher(None, lower, candidate).ratio()
        key = (ratio, index.words[candidate])
        if key > best_key:
            best, best_key = candidate, key
    return best


def _known(index, word: str) -> bool:
    return word in index.words or index.engine.doc_freq(normalise(word)) > 0


def _bucket(index, letter: str) -> list[str]:
    """The index's words starting with `letter`, worked out once per open index."""
    buckets = getattr(index, "buckets", None)
    if buckets is None:
        buckets = {}
        for word in index.words:
            buckets.setdefault(word[0], []).append(word)
        index.buckets = buckets
    return buckets.get(letter, [])
