"""The cited end of a document-level link: which sentence of the earlier document a citing sentence points at.

A later document says "this priority builds on the Long Term Plan's commitment to cut fleet emissions by
20%"; the link it states runs between two documents, but a reader checking it wants the Long Term Plan's
own sentence beside the citing one. That sentence is found by matching: the citing sentence, less the
words that only name the earlier document, against every sentence of the earlier document, by TF-IDF
cosine. A citing sentence that says nothing but the name ("This vision builds on Better Health for
London") matches nothing well, and gets the earlier document's opening sentence, which says what it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from corpus.models import Extraction
from graph.linking import tfidf
from search.analysis import terms

MIN_MATCH = 0.12  # below this cosine the best sentence is chance, and the opening sentence says more
# How documents speak of each other, not what they speak of: "builds on", "takes forward", "in light of"
CITING = set(terms("builds built takes took forward draws line light responds refreshes implements sets out "
                   "commitment plan strategy report vision document paper priority published developed prepared "
                   "agreed calls made signed"))
YEAR = re.compile(r"(19|20)\d\d$")  # a bare year names when a document appeared, rarely what it promised


@dataclass(frozen=True, slots=True)
class CitedPassage:
    sentence: str
    page: int | None
    matched: bool  # False: the document's opening sentence, as nothing in it answers the citing sentence


def cited_passages(extractions: Sequence[Extraction]) -> dict[tuple[str, str], CitedPassage]:
    """(citing sentence, earlier document id) -> the earlier document's sentence it points at, for
    every reference between two documents of the corpus, and for each document's opening sentence under
    (\"\", document id), the answer for a link the manifest declares without a sentence."""
    by_id = {e.document.id: e for e in extractions}
    # every document's names: a sentence citing two documents must not match the second one's title
    naming = CITING | set(terms(" ".join(n for e in extractions for n in (e.document.meta.title,
                                                                       *e.document.meta.short_names))))
    found: dict[tuple[str, str], CitedPassage] = {}
    bagged: dict[str, list[tuple[str, int | None, list[str]]]] = {}  # each cited document's sentences, analysed once
    for extraction in extractions:
        for ref in extraction.references:
            if ref.target in by_id and (ref.evidence, ref.target) not in found:
                if ref.target not in bagged:
                    bagged[ref.target] = sentence_bags(by_id[ref.target])
                found[ref.evidence, ref.target] = best_passage(ref.evidence, by_id[ref.target],
                                                               naming | set(terms(ref.cited_as)), bagged[ref.target])
    for ident, extraction in by_id.items():
        found["", ident] = opening(extraction)
    return found


def sentence_bags(extraction: Extraction) -> list[tuple[str, int | None, list[str]]]:
    """The sentences a citation may point at, each with its words (years left out)."""
    # headings too: "the Strategy's Healthy Communities aim" points at a section more than at any sentence
    return [(s.text, s.page, [t for t in terms(s.text) if not YEAR.match(t)])
            for s in extraction.document.sentences if not s.text.endswith(":")]


def best_passage(citing: str, earlier: Extraction, naming: set[str],
                 bags: list[tuple[str, int | None, list[str]]] | None = None) -> CitedPassage:
    """The sentence of `earlier` that `citing` points at, less the words in `naming`, or its opening
    sentence when none stands out. `bags`: its sentence_bags, when already made."""
    candidates = sentence_bags(earlier) if bags is None else bags
    if not candidates:
        return opening(earlier)
    query = [t for t in terms(citing) if t not in naming and not YEAR.match(t)]
    if not query:
        return opening(earlier)
    vectors, _ = tfidf([[t for t in bag if t not in naming] for _, _, bag in candidates] + [query])
    scores = (vectors[:-1] @ vectors[-1].T).toarray().ravel()
    best = int(np.argmax(scores))
    if scores[best] < MIN_MATCH:
        return opening(earlier)
    text, page, _ = candidates[best]
    return CitedPassage(text, page, matched=True)


def opening(extraction: Extraction) -> CitedPassage:
    """The first sentence of prose: what the document says it is."""
    for sentence in extraction.document.sentences:
        if not sentence.is_heading and not sentence.lead_in and not sentence.text.endswith(":"):
            return CitedPassage(sentence.text, sentence.page, matched=False)
    return CitedPassage(extraction.document.meta.title, None, matched=False)


def passages_for(evidence: Iterable[str], target: str,
                 passages: dict[tuple[str, str], CitedPassage]) -> list[CitedPassage]:
    """The cited-end sentences for a link's citing sentences, each once, in order."""
    seen: dict[str, CitedPassage] = {}
    for sentence in evidence:
        passage = passages.get((sentence, target)) or passages.get(("", target))
        if passage:
            seen.setdefault(passage.sentence, passage)
    return list(seen.values())
