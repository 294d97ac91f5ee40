"""One analyzer for both search engines: text becomes terms in Python, so Whoosh and tantivy index the same terms.

Both engines then see pre-analysed, space-separated terms. That keeps stemming, stop words, spelling folding
and number handling identical whichever engine serves, and lets the highlighter mark exactly what matched.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem

from search.spelling import fold

# Raised whenever the terms a text gives change, so that an index made before can be found and remade
# (2: amounts written short, hyphenated words and financial years written with a dash)
ANALYSIS = 2
# Numbers keep their inner separators ("2023/24", "4.5bn", "1,000"); words keep "&" ("A&E") and lose "'s".
TOKEN = re.compile(r"\d+(?:[.,/]\d+)*[^\W\d_]*|\w+(?:&\w+)*(?:['’]\w+)?")
STOP = frozenset(STOP_WORDS)
# Words joined by hyphens ("well-being", "co-ordinated", "e-cigarettes", "COVID-19"): indexed as their parts,
# as always, and also written as one, so that either spelling finds the other
COMPOUND = re.compile(r"[^\W\d_]\w*(?:-\w+)+")
# A financial year is written 2023/24, 2023-24 or 2023–24: all three are the term "2023/24"
YEARS = re.compile(r"(?<![\d/.,])(\d{4})[-–](\d{2})(?!\d|[/.,]\d)")
# Amounts written short, as reports and the press write money and people ("£20m", "£4.5bn", "2mn people")
SCALES = {"bn": "billion", "m": "million", "mn": "million"}
SCALED = re.compile(r"(\d+(?:[.,]\d+)*)(bn|mn|m)")


def spans_of(text: str, wanted: frozenset[str]) -> list[tuple[int, int]]:
    """Where each word of `text` whose term is in `wanted` stands, in order: for the highlighter. A hyphenated
    word found written as one ("wellbeing" found "well-being") is one span."""
    if not wanted:
        return []
    words = [m.span() for m in TOKEN.finditer(text) if (term := normalise(m.group().lower())) in wanted
             or " " in term and not wanted.isdisjoint(term.split())]
    if "-" not in text and "–" not in text:
        return words
    joined = [m.span() for m in COMPOUND.finditer(text) if _joined(m.group()) in wanted] + [
        m.span() for m in YEARS.finditer(text) if f"{m[1]}/{m[2]}" in wanted]
    inside = [w for w in words if not any(a <= w[0] and w[1] <= b for a, b in joined)]
    return sorted(joined + inside)


def compounds(text: str) -> list[str]:
    """The term of each hyphenated word of `text` written as one ("wellb" for "well-being"), and of each
    financial year written with a dash ("2023/24" for "2023-24")."""
    if "-" not in text and "–" not in text:
        return []
    return [term for m in COMPOUND.finditer(text) if (term := _joined(m.group()))] + [
        f"{m[1]}/{m[2]}" for m in YEARS.finditer(text)]


def financial_year(word: str) -> str | None:
    """ "2023/24" for "2023-24" or "2023–24"; None for anything else."""
    found = YEARS.fullmatch(word)
    return f"{found[1]}/{found[2]}" if found else None


def _joined(word: str) -> str:
    return normalise(word.replace("-", "").lower())


def terms(text: str) -> list[str]:
    """The indexed terms of `text`, in order."""
    # joined and split again: stop words ("") drop out, and an amount's two terms come apart
    return " ".join(map(normalise, map(str.lower, TOKEN.findall(text)))).split()


def analysed(text: str) -> str:
    """The form both engines index: terms joined by spaces."""
    return " ".join(terms(text))


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """One lower-case word as an index term (two for an amount written short), or "" for a stop word."""
    if word[0].isdigit():
        amount = SCALED.fullmatch(word)
        if amount:  # "£4.5bn" is "£4.5 billion" said short: both are the two terms "4.5 billion"
            return f"{normalise(amount[1])} {SCALES[amount[2]]}"
        return word.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", word) else word
    word = re.sub(r"['’]s$", "", word).replace("'", "").replace("’", "")
    if word in STOP or len(word) < 2 and word.isalpha() and word not in ("i",):
        return ""
    return stem(fold(word)) if word.isalpha() else word
