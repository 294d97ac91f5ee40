"""How a later commitment relates to an earlier one, and what drifted between them.

The relation is read from what changed: a new deadline, a new target, a wider or narrower population,
a firmer or looser promise. Rules, not a model: each can be explained in one line to the analyst
who has to decide whether to confirm the link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.models import Commitment
from search.analysis import terms

FIRM = {"will", "must", "commit", "pledge"}
LOOSE = {"should", "aim"}
BUILDS = re.compile(r"\bbuild(s|ing)? on\b", re.I)
HEDGES = re.compile(r"\b(explore|consider|look at|seek to|work towards|review whether)\b", re.I)
# "instead of" is left out: it mostly contrasts within one sentence ("24 months instead of 12")
REPLACES = re.compile(r"\b(replac\w*|in place of|supersed\w*)\b", re.I)
NATIONAL = re.compile(r"\b(England|the country|nationally|national|every area|across the NHS|UK)\b")
LONDON = re.compile(r"\b(London|Londoners?|borough|boroughs|capital)\b")
GROUPS = {
    "children": re.compile(r"\b(child|children|pupils?|schools?|young people|0 to 25)\b", re.I),
    "women": re.compile(r"\b(women|mothers|pregnan\w+)\b", re.I),
    "older people": re.compile(r"\b(older|frail\w*)\b", re.I),
    "people with mental illness": re.compile(r"\bmental (illness|health services)\b", re.I),
    "homeless people": re.compile(r"\b(homeless\w*|rough sleep\w*|sleeping rough)\b", re.I),
}


@dataclass(frozen=True, slots=True)
class Change:
    aspect: str  # deadline | target | actor | population
    before: str
    after: str


def classify(later: Commitment, earlier: Commitment, later_text: str) -> str:
    """One of: supersedes, restates, strengthens, weakens, narrows, broadens, implements, builds-on."""
    if REPLACES.search(later_text) and overlap(later_text, earlier.text) >= 0.2:
        return "supersedes"
    if overlap(later_text, earlier.text) >= 0.6 and later.deadline_by == earlier.deadline_by:
        return "restates"
    if later.deadline_by and earlier.deadline_by and later.deadline_by != earlier.deadline_by:
        return "weakens" if later.deadline_by > earlier.deadline_by else "strengthens"
    scope = scope_change(later_text, earlier.text)
    if scope:
        return scope
    if BUILDS.search(later_text):  # the later text says so itself
        return "builds-on"
    if (HEDGES.search(later_text) and not HEDGES.search(earlier.text) and earlier.strength in FIRM
            and overlap(later_text, earlier.text) >= 0.35):  # the same promise, made more loosely
        return "weakens"
    if later.strength in FIRM and (earlier.strength in LOOSE or earlier.kind == "recommendation"):
        return "implements"
    return "builds-on"


def drift(later: Commitment, earlier: Commitment, later_text: str) -> tuple[Change, ...]:
    """What changed from the earlier commitment to the later: deadline, target, actor, population."""
    changes = []
    # compared by the last day each allows, so "by 2017" and "By 2017" are one deadline
    if later.kind != "priority" and (later.deadline or earlier.deadline) and later.deadline_by != earlier.deadline_by:
        changes.append(Change("deadline", earlier.deadline or "none", later.deadline or "none"))
    before, after = targets_text(earlier), targets_text(later)
    if later.kind != "priority" and before and after and before != after:
        changes.append(Change("target", before, after))
    if later.actor != earlier.actor:
        changes.append(Change("actor", earlier.actor, later.actor))
    was, now = population(earlier.text), population(later_text)
    if was != now and was and now:
        changes.append(Change("population", was, now))
    return tuple(changes)


def overlap(a: str, b: str) -> float:
    """Share of terms in common (Jaccard), for telling a restatement from a new commitment."""
    x, y = set(terms(a)), set(terms(b))
    return len(x & y) / len(x | y) if x and y else 0.0


def scope_change(later_text: str, earlier_text: str) -> str:
    was_national, now_national = bool(NATIONAL.search(earlier_text)), bool(NATIONAL.search(later_text))
    was_london, now_london = bool(LONDON.search(earlier_text)), bool(LONDON.search(later_text))
    if was_national and not was_london and now_london and not now_national:
        return "narrows"
    if was_london and not was_national and now_national and not now_london:
        return "broadens"
    return ""


def population(text: str) -> str:
    """Where and whom a commitment covers, in a few words: "London; children"."""
    place = "England" if NATIONAL.search(text) and not LONDON.search(text) else (
        "London" if LONDON.search(text) else "")
    groups = [name for name, pattern in GROUPS.items() if pattern.search(text)]
    return "; ".join(p for p in [place, ", ".join(groups)] if p)


def targets_text(c: Commitment) -> str:
    return "; ".join(t.text for t in c.targets)
