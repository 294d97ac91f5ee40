"""Actors: recognise who must act, and name them the same way across documents."""

from __future__ import annotations

import re

# (canonical name, patterns). Longest, most specific names first: the first match wins.
ACTORS: tuple[tuple[str, str], ...] = (
    ("NHS England and NHS Improvement", r"NHS England and NHS Improvement|NHSE/?I\b"),
    ("NHS England", r"NHS England|NHSE\b"),
    ("NHS Improvement", r"NHS Improvement"),
    ("NHS Trust Development Authority", r"Trust Development Authority|NHS TDA"),
    ("Public Health England", r"Public Health England|\bPHE\b"),
    ("Health Education England", r"Health Education England|\bHEE\b"),
    ("Care Quality Commission", r"Care Quality Commission|\bCQC\b"),
    ("Monitor", r"^Monitor\b"),
    ("Department of Health and Social Care", r"Department of Health(?: and Social Care)?|\bDHSC\b"),
    ("HM Treasury", r"Treasury"),
    ("Cabinet Office", r"Cabinet Office"),
    ("Transport for London", r"Transport for London|\bTfL\b"),
    ("London Health Board", r"London Health Board"),
    ("Healthy London Partnership", r"Healthy London Partnership"),
    ("London Health Commission", r"London Health Commission|the Commission\b"),
    ("London Councils", r"London Councils"),
    ("Mayor of London", r"\bMayor\b|City Hall"),
    ("Greater London Authority", r"Greater London Authority|\bGLA\b"),
    ("London boroughs", r"boroughs?\b|local authorit|\bcouncils\b|local government"),
    ("Clinical commissioning groups", r"\bCCGs?\b|clinical commissioning groups?"),
    ("Integrated care systems", r"\bICSs?\b|integrated care systems?"),
    ("Primary care networks", r"\bPCNs?\b|primary care networks?"),
    ("HM Government", r"\bgovernment\b|\bministers?\b"),
    ("The NHS in London", r"NHS in London|London's NHS"),
    ("The NHS", r"\bthe NHS\b|^NHS\b"),
    ("Partners", r"\bpartners\b|\bpartnership\b"),
)
_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in ACTORS)
FIRST_PERSON = {"we", "us", "our", "i"}


def canonical_actor(phrase: str) -> str | None:
    """Map a subject phrase to a known actor's canonical name, or None when unknown."""
    for name, pattern in _COMPILED:
        if pattern.search(phrase):
            return name
    return None


def is_first_person(phrase: str) -> bool:
    return phrase.strip().lower() in FIRST_PERSON
