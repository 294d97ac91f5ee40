"""Acronyms used across UK health policy, expanded both ways in queries ("ICS" finds "integrated care system")."""

from __future__ import annotations

import re

ACRONYMS = {
    "LTP": "long term plan",
    "ICS": "integrated care system",
    "CYP": "children and young people",
    "PHE": "public health england",
    "GLA": "greater london authority",
    "HIS": "health inequalities strategy",
    "STP": "sustainability and transformation partnership",
    "CCG": "clinical commissioning group",
    "GP": "general practice",
    "TB": "tuberculosis",
    "HIV": "human immunodeficiency virus",
    "PCN": "primary care network",
    "ULEZ": "ultra low emission zone",
    "FYFV": "five year forward view",
    "MoU": "memorandum of understanding",
}
_ACRONYM = re.compile(r'(?<![\w"])(' + "|".join(map(re.escape, ACRONYMS)) + r')s?(?![\w"])')
_PHRASE = re.compile(r'(?<![\w"])(' + "|".join(re.escape(p) for p in ACRONYMS.values()) + r')s?(?![\w"])',
                     re.IGNORECASE)
_BY_PHRASE = {p: a for a, p in ACRONYMS.items()}


def expand_acronyms(query: str) -> str:
    """Rewrite "ICS" as (ICS OR "integrated care system"), and the phrase the other way round.

    Acronyms match only in the capitals they are written in ("his" stays a pronoun); words inside
    quotes are left as the user wrote them.
    """
    parts = re.split(r'("[^"]*")', query)
    return "".join(part if part.startswith('"') else _expand(part) for part in parts)


def _expand(text: str) -> str:
    text = _PHRASE.sub(lambda m: f'("{m.group(0)}" OR {_BY_PHRASE[m.group(1).lower()]})', text)
    return _ACRONYM.sub(lambda m: m.group(0) if _inside_expansion(text, m.start())
                        else f'({m.group(0)} OR "{ACRONYMS[m.group(1)]}")', text)


def _inside_expansion(text: str, at: int) -> bool:
    """True for the acronym that the phrase rule has just written (`... OR ICS)`)."""
    return text[max(0, at - 4):at] == " OR "
