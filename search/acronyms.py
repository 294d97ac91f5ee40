"""Acronyms used across UK health policy, expanded both ways in queries ("ICS" finds "integrated care system")."""

from __future__ import annotations

from search.analysis import terms
from search.querylang import All, Any, Node, Phrase, Word, replace_words

ACRONYMS = {
    "A&E": "accident and emergency",
    "AMR": "antimicrobial resistance",
    "CAMHS": "child and adolescent mental health services",
    "CCG": "clinical commissioning group",
    "CVD": "cardiovascular disease",
    "CYP": "children and young people",
    "DHSC": "department of health and social care",
    "FYFV": "five year forward view",
    "GLA": "greater london authority",
    "GP": "general practice",
    "HIS": "health inequalities strategy",
    "HIV": "human immunodeficiency virus",
    "HLP": "healthy london partnership",
    "IAPT": "improving access to psychological therapies",
    "ICB": "integrated care board",
    "ICS": "integrated care system",
    "LTP": "long term plan",
    "MoU": "memorandum of understanding",
    "PCN": "primary care network",
    "PHE": "public health england",
    "STI": "sexually transmitted infection",
    "STP": "sustainability and transformation partnership",
    "TB": "tuberculosis",
    "ULEZ": "ultra low emission zone",
    "UTC": "urgent treatment centre",
    "VRU": "violence reduction unit",
}
# Written in lower case these are ordinary words, so only their capitals count as the acronym.
WORDS_TOO = frozenset({"HIS"})
_BY_UPPER = {a.upper(): a for a in ACRONYMS}
_BY_TERMS = {tuple(terms(p)): a for a, p in ACRONYMS.items()}


def acronym(word: str) -> str | None:
    """The table's acronym that `word` is (plurals too: "ICSs"), or None."""
    for candidate in (word, word[:-1] if word.endswith("s") else None):
        if candidate and candidate.upper() in _BY_UPPER:
            found = _BY_UPPER[candidate.upper()]
            if found not in WORDS_TOO or candidate == found:
                return found
    return None


def expand(node: Node) -> Node:
    """The tree with each acronym OR'd with its expansion, and each expansion with its acronym."""
    node = _join_runs(node)
    return replace_words(node, _expand_leaf)


def _expand_leaf(leaf: Word | Phrase) -> Node:
    if isinstance(leaf, Word) and (found := acronym(leaf.text)):
        return Any((leaf, Phrase(ACRONYMS[found])))
    if isinstance(leaf, Phrase) and (found := _BY_TERMS.get(tuple(terms(leaf.text)))):
        return Any((leaf, Word(found)))
    return leaf


def _join_runs(node: Node) -> Node:
    """Within an AND, plain words that spell out an expansion ("integrated care system") become its phrase."""
    if isinstance(node, Any):
        return Any(tuple(_join_runs(n) for n in node.nodes))
    if not isinstance(node, All):
        return node
    nodes = [_join_runs(n) for n in node.nodes]
    for size in (5, 4, 3, 2):
        for start in range(len(nodes) - size + 1):
            run = nodes[start:start + size]
            if all(isinstance(n, Word) for n in run):
                text = " ".join(n.text for n in run)
                if tuple(terms(text)) in _BY_TERMS:
                    nodes[start:start + size] = [Phrase(text)]
                    return _join_runs(All(tuple(nodes), node.strict)) if len(nodes) > 1 else nodes[0]
    return All(tuple(nodes), node.strict)
