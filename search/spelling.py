"""Fold American spellings into British ones, so that "organization" finds "organisation"."""

from __future__ import annotations

import re

WORDS = {
    "color": "colour", "behavior": "behaviour", "favor": "favour", "labor": "labour", "neighbor": "neighbour",
    "honor": "honour", "tumor": "tumour", "center": "centre", "program": "programme", "pediatric": "paediatric",
    "fetal": "foetal", "anemia": "anaemia", "estrogen": "oestrogen", "hemoglobin": "haemoglobin",
    "defense": "defence", "offense": "offence", "gray": "grey", "aging": "ageing", "fiber": "fibre",
    "liter": "litre", "meter": "metre", "theater": "theatre", "practicing": "practising", "enroll": "enrol",
    "fulfill": "fulfil", "counseling": "counselling", "modeling": "modelling", "traveling": "travelling",
}
SUFFIXES = r"(e|es|ed|ing|ation|ations|er|ers|able)"
IZE = re.compile(rf"^([a-z]{{3,}})iz{SUFFIXES}$")
YZE = re.compile(r"^([a-z]{2,})yz(e|es|ed|ing|er|ers)$")
PLURAL_OR_VERB = re.compile(r"^([a-z]+?)(s|ed|ing)$")


def fold(word: str) -> str:
    """The British spelling of a lower-case word, or the word itself."""
    if word in WORDS:
        return WORDS[word]
    match = PLURAL_OR_VERB.match(word)
    if match and match.group(1) in WORDS:
        return WORDS[match.group(1)] + match.group(2)
    return YZE.sub(r"\1ys\2", IZE.sub(r"\1is\2", word))
