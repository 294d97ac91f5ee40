"""Themes: a small controlled vocabulary (a SKOS scheme in the graph) assigned by keyword."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Theme:
    slug: str
    label: str
    pattern: re.Pattern


def _theme(slug: str, label: str, words: str) -> Theme:
    return Theme(slug, label, re.compile(rf"\b(?:{words})", re.IGNORECASE))


THEMES: tuple[Theme, ...] = (
    _theme("obesity", "Obesity and healthy weight", r"obes|overweight|healthy weight|weight management|sugar|"
           r"fast[- ]food|junk food|calorie|takeaway"),
    _theme("mental-health", "Mental health and wellbeing", r"mental|wellbeing|well-being|psycholog|IAPT|"
           r"talking therap|Thrive LDN|emotional"),
    _theme("suicide-prevention", "Suicide prevention", r"suicid"),
    _theme("air-quality", "Air quality", r"air quality|air pollution|clean(?:er)? air|emission|ULEZ|pollut"),
    _theme("tobacco", "Tobacco and smoking", r"smok|tobacco|cigarette|vap"),
    _theme("alcohol", "Alcohol", r"alcohol"),
    _theme("hiv-sexual-health", "HIV and sexual health", r"HIV\b|sexual health|STIs?\b|PrEP\b|sexually transmitted"),
    _theme("tuberculosis", "Tuberculosis", r"tuberculosis|TB\b"),
    _theme("dementia", "Dementia", r"dementia"),
    _theme("end-of-life", "End of life care", r"end of life|end-of-life|palliative|dying"),
    _theme("homelessness", "Homelessness and rough sleeping", r"homeless|rough sleep"),
    _theme("violence", "Violence reduction", r"violen|knife|knives"),
    _theme("children-young-people", "Children and young people", r"child|young (?:people|Londoners)|school|"
           r"early years|adolescen|CYP\b"),
    _theme("maternity", "Maternity and early life", r"maternity|stillbirth|pregnan|neonatal|midwi|perinatal"),
    _theme("primary-care", "Primary care", r"GPs?\b|general practi|primary care|pharmac|primary care network"),
    _theme("workforce", "Workforce", r"workforce|staff|recruit|nurses|clinicians|training places|apprentice"),
    _theme("digital", "Digital and data", r"digital|online|\bapps?\b|data\b|technology|electronic|records"),
    _theme("estates", "Estates and capital", r"estate|capital receipts|premises|surplus land|buildings"),
    _theme("prevention", "Prevention and public health", r"prevent|screening|health checks?|vaccin|immunis|"
           r"public health"),
    _theme("health-inequalities", "Health inequalities", r"inequalit|deprived|deprivation|disparit|"
           r"the gap between|most disadvantaged"),
    _theme("social-care", "Social care", r"social care|care homes?|carers"),
    _theme("integration", "Integration and devolution", r"integrat|ICSs?\b|devolution|devolved|"
           r"sustainability and transformation|STPs?\b|new care models"),
    _theme("cancer", "Cancer", r"cancer"),
    _theme("diabetes", "Diabetes", r"diabet"),
    _theme("cardiovascular", "Heart and circulation", r"heart|stroke|cardio|blood pressure|hypertension"),
    _theme("physical-activity", "Physical activity and healthy streets", r"physical activity|exercise|walking|"
           r"cycling|active travel|sport|Healthy Streets|green space|parks"),
    _theme("good-work", "Good work and employment", r"workplace|employ|living wage|Good Work"),
    _theme("urgent-care", "Urgent and emergency care", r"A&E|urgent care|emergency|ambulance"),
    _theme("funding", "Funding and finance", r"funding|investment|£\s?\d|budget|efficienc"),
)
BY_SLUG = {t.slug: t for t in THEMES}


def assign_themes(*texts: str) -> tuple[str, ...]:
    """Return the slugs of every theme whose keywords occur in any of the texts, in table order."""
    joined = "\n".join(texts)
    return tuple(t.slug for t in THEMES if t.pattern.search(joined))
