"""Suggested lineage between commitments: for each commitment, the earlier commitments it derives from.

Four kinds of signal, combined into one confidence:
  - text: TF-IDF cosine over the search analyzer's terms and word pairs (so "hot food takeaways" and
    "fast food outlets" meet on "food", and "illegal tobacco" counts as a pair, not two words);
  - subject: shared themes and the same actor;
  - citation: the later sentence, or its section, names the earlier document; or the later document
    is known to build on the earlier one;
  - time: only commitments of earlier documents are candidates.
A priority heading ("Priority 4: Improving air quality") says little by itself, so it is compared
sentence by sentence with its section's framing paragraphs, and the best-matching sentence becomes
its evidence. Its bulleted actions are left out: each is a commitment with lineage of its own, and
letting them speak for the priority tied it to every specific measure instead of to the aims it renews.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from corpus.models import Commitment, Extraction
from graph.relations import Change, classify, drift
from search.analysis import terms

THRESHOLD = 0.75  # the default confidence at which a suggestion is written to the graph
PER_COMMITMENT = 3  # at most this many antecedents per commitment...
PER_PRIORITY = 8  # ...and per priority, whose topic can have dozens
CANDIDATES = 50  # earlier commitments weighed in full for each later one: those most alike in words
# A word in more commitments than this does not pick candidates (it is in most of them, and with it the
# product that picks them is nearly dense at 100,000 commitments); their similarity still counts it.
COMMON = 2000
GENERIC_ACTORS = {"Partners", "Greater London Authority", "London", "NHS England", "The NHS"}
FEATURES = ("text", "common", "pairs", "rank", "themes", "cites", "builds", "actor", "priority_theme")
# Fitted by graph.evaluation.fit_weights on the dev half of tests/data/lineage_gold.toml; the test half was
# held out (tests/test_linking.py checks the fit still gives these).
WEIGHTS = {"text": 1.68, "common": 2.89, "pairs": -0.18, "rank": 3.51, "themes": 1.94, "cites": 0.13,
           "builds": 0.18, "actor": -0.33, "priority_theme": 1.65, "bias": -8.87}


@dataclass(frozen=True, slots=True)
class Suggestion:
    later: Commitment
    earlier: Commitment
    relation: str  # restates | builds-on | implements | strengthens | weakens | narrows | broadens | supersedes
    confidence: float
    later_sentence: str  # the evidence on the later side: the commitment, or for a priority its best sentence
    later_page: int | None
    signals: tuple[str, ...]  # why, for a person: "text 0.41", "themes tobacco", "cites devolution-mou-2017"
    drift: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Unit:
    """One commitment as the linker sees it: its sentences (one, or a priority's whole section)."""

    commitment: Commitment
    date: str
    sentences: tuple[tuple[str, int | None], ...]
    cites: frozenset[str]  # documents its sentence or section names


def suggest_links(extractions: Sequence[Extraction], threshold: float = THRESHOLD,
                  per_commitment: int = PER_COMMITMENT, per_priority: int = PER_PRIORITY) -> list[Suggestion]:
    """Every suggested link at or above `threshold`, strongest first within each later commitment."""
    units = list(linkable_units(extractions))
    weights = np.array([WEIGHTS[name] for name in FEATURES])
    out: list[Suggestion] = []
    for later, candidates in candidate_features(units, document_lineage(extractions)):
        scores = 1 / (1 + np.exp(-(candidates.features @ weights + WEIGHTS["bias"])))
        cap = per_priority if later.commitment.kind == "priority" else per_commitment
        for k in np.argsort(-scores)[:cap]:
            if scores[k] < threshold:
                break
            earlier = units[candidates.earlier[k]]
            sentence = later.sentences[candidates.sentence[k]]
            out.append(make_suggestion(later, earlier, round(float(scores[k]), 3), sentence,
                                       explain(later, earlier, candidates.features[k])))
    return out


@dataclass(frozen=True, slots=True)
class Candidates:
    """Every earlier commitment that one later commitment might derive from, as a row of signals."""

    earlier: np.ndarray  # unit indices
    sentence: np.ndarray  # which of the later unit's sentences matches each best
    features: np.ndarray  # one row per candidate, columns as in FEATURES


def candidate_features(units: list[Unit], lineage: set[tuple[str, str]],
                       keep: int | None = CANDIDATES) -> Iterable[tuple[Unit, Candidates]]:
    """For each later unit, its candidates (the `keep` earlier commitments most alike in words, or all
    when None) with their signals. Text similarity is one sparse product for a batch of later units,
    so its cost grows with the words commitments share rather than with every pair; the other
    signals are reckoned for the candidates alone."""
    if not units:
        return
    sizes = np.array([len(u.sentences) for u in units])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    bags = [terms(text) for u in units for text, _ in u.sentences]
    vectors, shared = tfidf(bags)
    pairs = pair_matrix(bags)
    # Each of the later unit's sentences against each earlier commitment's own sentence only: an
    # earlier priority's section holds commitments that are candidates in their own right.
    heads = vectors[starts]
    rare = np.bincount(heads.indices, minlength=heads.shape[1]) <= COMMON
    picking = (heads @ sparse.diags(rare.astype(heads.dtype))).T.tocsr()
    heads_shared, heads_pairs = ((shared[starts] > 0).astype(np.float32), pairs[starts])
    dates = np.unique([u.date for u in units], return_inverse=True)[1]  # ranks: integers compare faster than text
    for first in range(0, len(units), BATCH):
        last = min(first + BATCH, len(units))
        lines = slice(starts[first], starts[last - 1] + sizes[last - 1])
        pick_batch = (vectors[lines] @ picking).toarray()
        picked = []  # (unit, its rows in the batch, candidate columns, their ranks)
        for later in range(first, last):
            earlier = np.flatnonzero(dates < dates[later])
            if len(earlier):
                rows = slice(starts[later] - lines.start, starts[later] - lines.start + sizes[later])
                chosen, rank = nearest(pick_batch[rows][:, earlier].max(axis=0), keep)
                picked.append((later, rows, earlier[chosen], rank))
        if not picked:
            continue
        wanted = np.unique(np.concatenate([p[2] for p in picked]))  # every candidate of the batch, once
        text_batch = (vectors[lines] @ heads[wanted].T).toarray()
        common_batch = (shared[lines] @ heads_shared[wanted].T).toarray()
        joint_batch = (pairs[lines] @ heads_pairs[wanted].T).toarray()
        for later, rows, cols, rank in picked:
            at = np.searchsorted(wanted, cols)
            text, common, joint = text_batch[rows][:, at], common_batch[rows][:, at], joint_batch[rows][:, at]
            columns = [text.max(axis=0), common.max(axis=0) / 10, np.minimum(joint.max(axis=0), 3), 1 / rank]
            columns += [np.array([relation_signals(units[later], units[j], lineage) for j in cols]).T]
            yield units[later], Candidates(cols, text.argmax(axis=0), np.column_stack([*columns[:4], *columns[4]]))


BATCH = 64  # later commitments whose text similarity is one sparse product


def nearest(best: np.ndarray, keep: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the `keep` highest scores (all when None), in position order, and the rank of
    each among all the scores (1 = highest)."""
    top = np.arange(len(best)) if not keep or len(best) <= keep else np.argpartition(-best, keep - 1)[:keep]
    top = top[np.argsort(-best[top], kind="stable")]
    ranks = np.arange(1, len(top) + 1, dtype=float)
    order = np.argsort(top)
    return top[order], ranks[order]


def relation_signals(later: Unit, earlier: Unit, lineage: set[tuple[str, str]]) -> list[float]:
    a, b = later.commitment, earlier.commitment
    themes = min(len(set(a.themes) & set(b.themes)), 2)
    return [themes, float(b.document in later.cites), float((a.document, b.document) in lineage),
            float(a.actor == b.actor and a.actor not in GENERIC_ACTORS),
            float(a.kind == "priority" and bool(themes))]


def explain(later: Unit, earlier: Unit, row: np.ndarray) -> tuple[str, ...]:
    """The signals behind a suggestion, in words an analyst can check."""
    a, b = later.commitment, earlier.commitment
    named = dict(zip(FEATURES, row, strict=True))
    themes = sorted(set(a.themes) & set(b.themes))
    signals = [f"text {named['text']:.2f}"]
    signals += [f"themes {', '.join(themes)}"] if themes else []
    signals += [f"cites {b.document}"] if named["cites"] else []
    signals += [f"{a.document} builds on {b.document}"] if named["builds"] and not named["cites"] else []
    signals += [f"same actor: {a.actor}"] if named["actor"] else []
    return tuple(signals)


def make_suggestion(later: Unit, earlier: Unit, confidence: float, sentence: tuple[str, int | None],
                    signals: tuple[str, ...]) -> Suggestion:
    a, b = later.commitment, earlier.commitment
    text, page = sentence if a.kind == "priority" else (a.text, a.page)
    return Suggestion(a, b, classify(a, b, text), confidence, text, page, signals, drift(a, b, text))


def linkable_units(extractions: Iterable[Extraction]) -> Iterable[Unit]:
    """Each commitment once: a summary's short restatement stands aside for its fuller form."""
    for extraction in extractions:
        document = extraction.document
        short = {s for s, _ in extraction.restates}
        by_section: dict[str, list[tuple[str, int | None]]] = {}
        for sentence in document.sentences:
            if not sentence.is_heading and not sentence.lead_in:  # bullets speak for themselves
                by_section.setdefault(sentence.section, []).append((sentence.text, sentence.page))
        cites: dict[str, set[str]] = {}
        for ref in extraction.references:
            for key in (ref.commitment, ref.section):
                if key:
                    cites.setdefault(key, set()).add(ref.target)
        date = document.meta.issued_on
        for c in extraction.commitments:
            if c.id in short:
                continue
            sentences = ((c.text, c.page),)
            named = cites.get(c.id, set())
            if c.kind == "priority":
                sentences += tuple(by_section.get(c.section, ()))
                named = named | cites.get(c.section, set())
            yield Unit(c, date, sentences, frozenset(named))


def document_lineage(extractions: Iterable[Extraction]) -> set[tuple[str, str]]:
    """(later, earlier) document pairs that a document says, or the manifest says, derive one from another."""
    edges = set()
    for extraction in extractions:
        meta = extraction.document.meta
        edges.update((meta.id, target) for _, target in meta.relations)
        edges.update((r.subject, r.target) for r in extraction.references if r.relation != "cites")
    graph = nx.DiGraph(edges)
    return {(a, d) for a in graph for d in nx.descendants(graph, a)}


def tfidf(bags: list[list[str]]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Unit-length TF-IDF rows (log tf, smooth idf), and each row's terms weighted by idf alone; sparse."""
    vocabulary: dict[str, int] = {}
    df: Counter = Counter()
    counted = [Counter(bag) for bag in bags]
    for counts in counted:
        df.update(counts.keys())
    indptr, indices, weights, idfs = [0], [], [], []
    for counts in counted:
        for term, n in counts.items():
            idf = math.log(1 + len(bags) / df[term])
            indices.append(vocabulary.setdefault(term, len(vocabulary)))
            weights.append((1 + math.log(n)) * idf)
            idfs.append(idf)
        indptr.append(len(indices))
    shape = (len(bags), max(1, len(vocabulary)))
    vectors = sparse.csr_matrix((np.array(weights, dtype=np.float32), indices, indptr), shape=shape)
    shared = sparse.csr_matrix((np.array(idfs, dtype=np.float32), indices, indptr), shape=shape)
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    return sparse.diags(1 / np.where(norms == 0, 1, norms)).astype(np.float32) @ vectors, shared


def pair_matrix(bags: list[list[str]]) -> sparse.csr_matrix:
    """Which neighbouring word pairs each row holds: "illegal tobacco" is one thing, not two words."""
    vocabulary: dict[tuple[str, str], int] = {}
    indptr, indices = [0], []
    for bag in bags:
        indices += sorted({vocabulary.setdefault(p, len(vocabulary)) for p in zip(bag, bag[1:], strict=False)})
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(bags), max(1, len(vocabulary))))


def superseded_on(suggestions: Iterable[Suggestion], extractions: Iterable[Extraction]) -> dict[str, str]:
    """Commitment id -> the date a later document replaced its terms: a link that supersedes it, or that
    gives another deadline or target where it had one (adding a deadline to an open aim replaces nothing).
    The earliest such date, when several do."""
    issued = {e.document.id: e.document.meta.issued_on for e in extractions}
    found: dict[str, str] = {}
    for s in suggestions:
        if s.relation == "supersedes" or any(replaces(c) for c in s.drift):
            day = issued[s.later.document]
            found[s.earlier.id] = min(day, found.get(s.earlier.id, day))
    return found


@dataclass(frozen=True, slots=True)
class LineageLinks:
    """The linker's suggestions with the curators' decisions applied, computed once per build."""

    suggestions: tuple[Suggestion, ...]  # those no curator has decided on
    curated: tuple  # graph.curation.Decision, for every confirmed or added link
    superseded: dict[str, str]  # commitment id -> date, as in `superseded_on`


def lineage_links(extractions: Sequence[Extraction], decisions: tuple = ()) -> LineageLinks:
    from graph.curation import apply_decisions, confirmed  # curation builds on this module

    suggestions = suggest_links(list(extractions))
    kept, curated = apply_decisions(suggestions, decisions)
    by_pair = {(s.later.id, s.earlier.id): s for s in suggestions}
    commitments = {c.id: c for e in extractions for c in e.commitments}
    counted = list(kept)
    for pair, decision in curated.items():
        if pair in by_pair:
            counted.append(confirmed(by_pair[pair], decision))
        elif pair[0] in commitments and pair[1] in commitments:  # a curator's link the linker never made
            later, earlier = commitments[pair[0]], commitments[pair[1]]
            relation = decision.relation or classify(later, earlier, later.text)
            counted.append(Suggestion(later, earlier, relation, 1.0, later.text, later.page, ("curated",),
                                      drift(later, earlier, later.text)))
    return LineageLinks(tuple(kept), tuple(curated.values()), superseded_on(counted, extractions))


def replaces(change: Change) -> bool:
    """A new deadline or target in place of a stated one."""
    return change.aspect in ("deadline", "target") and change.before != "none" and change.after != "none"
