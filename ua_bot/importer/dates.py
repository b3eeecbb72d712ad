"""Dates as UA documents write them: "27 December, 2017", "December 27th, 2017", "27.12.2017"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan enero janvier januar janeiro",
        "february feb febrero fevrier février februar fevereiro",
        "march mar marzo mars märz marz março marco",
        "april apr abril avril",
        "may mayo mai maio",
        "june jun junio juin juni junho",
        "july jul julio juillet juli julho",
        "august aug agosto aout août",
        "september sep sept septiembre septembre setembro",
        "october oct octubre octobre oktober outubro",
        "november nov noviembre novembre novembro",
        "december dec diciembre décembre decembre dezember dezembro",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH = r"(?P<month>[A-Za-zéûäç]{3,10})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º)?"
_YEAR = r"(?P<year>\d{4}|'\d{2})"
_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+|de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})\b"),
]
_PARTIAL = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![\w.])", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*\d)", re.IGNORECASE),
]


@dataclass(frozen=True)
class FoundDate:
    """A date found in text; ``year`` is ``None`` when the text gave only day and month."""

    day: int
    month: int
    year: int | None
    start: int
    end: int

    def date(self, default_year: int | None = None) -> dt.date | None:
        year = self.year if self.year is not None else default_year
        if year is None:
            return None
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return None


def _month(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return MONTHS.get(text.lower())


def _year(text: str) -> int:
    return 2000 + int(text[1:]) if text.startswith("'") else int(text)


def find_dates(text: str, *, partial: bool = False) -> list[FoundDate]:
    """Every full date in ``text`` in order (and day-month dates when ``partial``)."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            month = _month(m.group("month"))
            day, year = int(m.group("day")), _year(m.group("year"))
            if month and month > 12 and day <= 12:  # 12/27/2017 written US style
                day, month = month, day
            if not month or not 1 <= month <= 12 or not free(m.start(), m.end()):
                continue
            candidate = FoundDate(day, month, year, m.start(), m.end())
            if candidate.date() is not None:
                found.append(candidate)
                taken.append((m.start(), m.end()))
    if partial:
        for pattern in _PARTIAL:
            for m in pattern.finditer(text):
                month = _month(m.group("month"))
                if month and free(m.start(), m.end()) and 1 <= int(m.group("day")) <= 31:
                    found.append(FoundDate(int(m.group("day")), month, None, m.start(), m.end()))
                    taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> dt.date | None:
    """The first full date in ``text``, or ``None``."""
    for d in find_dates(text):
        return d.date()
    return None


def infer_year(day_month: FoundDate, after: dt.date) -> dt.date | None:
    """A day-month date completed with the first year that puts it on or after ``after``."""
    for year in (after.year, after.year + 1):
        candidate = day_month.date(year)
        if candidate is not None and candidate >= after:
            return candidate
    return None
