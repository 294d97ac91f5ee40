"""Deadlines: find the time limit a commitment sets, keep it as written, and resolve it to a date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from corpus.errors import BadQuery

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTH_RE = "|".join(MONTHS)
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20}
YEAR = r"(?:19|20)\d\d"
FY = rf"{YEAR}\s*[/-]\s*\d\d(?!\d)"
WHEN = rf"(?:(?:the\s+)?(?:end|start|beginning)\s+of\s+)?(?:(?:{MONTH_RE})\s+)?(?:{FY}|{YEAR})"
DEADLINE = re.compile(
    rf"\b(?P<cue>by|before|in|during|until|no\s+later\s+than|over|within|throughout)\s+(?P<when>{WHEN})"
    rf"|\b(?P<cue2>by|before|within|over)\s+(?P<rel>the\s+end\s+of\s+(?:the|this)\s+(?:decade|parliament)"
    rf"|(?:the\s+next\s+)?(?P<n>\d+|{'|'.join(NUMBER_WORDS)})\s+years?(?:\s+of\s+publication)?)",
    re.IGNORECASE,
)
FY_PARTS = re.compile(rf"(?P<y>{YEAR})\s*[/-]\s*(?P<y2>\d\d)")


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str  # as written, with its cue: "by 2023/24"
    by: date  # the last day it allows


def find_deadline(sentence: str, issued: str) -> Deadline | None:
    """Return the deadline a sentence sets, preferring one introduced by "by".

    >>> find_deadline("By 2023/24 every trust will offer it.", "2019-01-07").by
    datetime.date(2024, 3, 31)
    """
    found = [d for m in DEADLINE.finditer(sentence) if (d := _resolve(m, issued))]
    if not found:
        return None
    by_cue = [d for d in found if d.text.lower().startswith(("by", "no later", "before", "within", "over"))]
    return (by_cue or found)[-1]


def _resolve(match: re.Match, issued: str) -> Deadline | None:
    text = " ".join(match.group(0).split())
    if match.group("when"):
        by = resolve_when(match.group("when"))
        if by and match.group("cue").lower() == "before":
            by = day_before(match.group("when"), by)
    else:
        by = resolve_relative(match.group("rel"), match.group("n"), issued)
    return Deadline(text, by) if by else None


def resolve_when(when: str) -> date | None:
    """Resolve "2023/24", "April 2021", "the end of 2020" to the last day they allow."""
    low = " ".join(when.lower().split())
    if fy := FY_PARTS.search(low):
        start = int(fy.group("y"))
        if (start + 1) % 100 != int(fy.group("y2")):
            return None  # "2019/22" is a range, not a financial year
        return date(start + 1, 3, 31)
    year = int(re.search(YEAR, low).group(0))
    month = next((MONTHS[m] for m in MONTHS if re.search(rf"\b{m}\b", low)), None)
    if month:
        return date(year, month, calendar.monthrange(year, month)[1])
    if low.startswith(("the start of", "start of", "the beginning of", "beginning of")):
        return date(year, 1, 31)
    return date(year, 12, 31)


def day_before(when: str, last: date) -> date:
    """The last day "before <when>" allows: the day before the period starts ("before 2022" is 2021-12-31)."""
    low = " ".join(when.lower().split())
    if low.startswith(("the end of", "end of")):
        return last
    if FY_PARTS.search(low):
        return date(last.year - 1, 3, 31)  # a financial year starts on 1 April
    if any(re.search(rf"\b{m}\b", low) for m in MONTHS):
        return last.replace(day=1) - timedelta(days=1)
    return date(last.year - 1, 12, 31)


def resolve_relative(rel: str, n: str | None, issued: str) -> date | None:
    year = int(issued[:4])
    low = rel.lower()
    if "decade" in low:
        end = year // 10 * 10 + 9
        return date(end if end > year else end + 10, 12, 31)
    if "parliament" in low:
        return date(year + 5, 12, 31)
    if n:
        count = int(n) if n.isdigit() else NUMBER_WORDS[n.lower()]
        month = int(issued[5:7]) if len(issued) >= 7 else 12
        day = int(issued[8:10]) if len(issued) >= 10 else calendar.monthrange(year + count, month)[1]
        return date(year + count, month, min(day, calendar.monthrange(year + count, month)[1]))
    return None


def parse_day(text: str | None) -> date | None:
    """An as-of date given by a person (YYYY-MM-DD), or None for today.

    :raises BadQuery: naming the text when it is not such a date.
    """
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BadQuery(f"as_of must be a date written YYYY-MM-DD, not {text[:40]!r}") from exc


def deadline_status(deadline_by: date | None, today: date | None = None, superseded_on: date | None = None) -> str:
    """"superseded" (a later document replaced its terms by then), "no deadline", "due" (on or before its
    last day) or "overdue" (past it), as of `today`."""
    if superseded_on is not None and superseded_on <= (today or date.today()):
        return "superseded"
    if deadline_by is None:
        return "no deadline"
    return "due" if deadline_by >= (today or date.today()) else "overdue"
