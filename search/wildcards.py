"""Truncated words: `vaccin*` stands for every word of the index that starts with "vaccin".

Analysts search this way in every bibliographic database, to catch the forms stemming does not join
(vaccine, vaccines, vaccination, vaccinating). The prefix is matched against the words as written in the
corpus (the vocabulary kept for "did you mean"), not against stems, so `obesit*` finds "obesity" although
its stem is "obes". The words are then searched as if typed with OR between them.
"""

from __future__ import annotations

from corpus.errors import BadQuery
from search.analysis import normalise
from search.querylang import Any, Node, Phrase, Word, replace_words

SHORTEST = 3  # letters before the `*`: "he*" would stand for hundreds of words
MOST = 50  # distinct terms a prefix stands for at most, the commonest kept: at L "care*" gives 9


def expand_wildcards(node: Node, index) -> Node:
    """`node` with each truncated word replaced by the words of the index it stands for.

    A prefix no word starts with is left as it was, and finds nothing.

    :raises BadQuery: for a prefix of fewer than SHORTEST letters.
    """
    return replace_words(node, lambda leaf: _widen(leaf, index))


def _widen(leaf: Word | Phrase, index) -> Node:
    prefix = leaf.text.rstrip("*").lower()
    if not isinstance(leaf, Word) or not leaf.text.endswith("*") or not prefix.isalpha():
        return leaf
    if len(prefix) < SHORTEST:
        raise BadQuery(f"{leaf.text!r} is too short to end in *: write at least {SHORTEST} letters before it")
    words = standing_for(index.words_starting(prefix), index.words)
    if not words:
        return leaf
    return Word(words[0]) if len(words) == 1 else Any(tuple(Word(w) for w in words))


def standing_for(candidates: list[str], counts: dict[str, int]) -> list[str]:
    """One word for each distinct term among `candidates` (its commonest form), at most MOST of them,
    the commonest terms first; stop words are dropped, since they are not indexed."""
    forms: dict[str, list[tuple[int, str]]] = {}
    for word in candidates:
        term = normalise(word)
        if term:
            forms.setdefault(term, []).append((counts.get(word, 0), word))
    ranked = sorted(forms.values(), key=lambda found: (-sum(n for n, _ in found), min(w for _, w in found)))
    return [min(found, key=lambda pair: (-pair[0], pair[1]))[1] for found in ranked[:MOST]]
