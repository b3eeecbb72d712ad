"""The (soft) appeal deadline: from the target heading ("... BEFORE 14 JUNE 2013 TO:",
"Contact these two officials by 27 December, 2017:"), the template's deadline fields, or
"check ... if sending appeals after <date>". "Immediately" is kept as wording, not a date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ua_bot.importer.dates import FoundDate, find_dates, infer_year
from ua_bot.importer.sections import Doc

_SOON = re.compile(r"\b(?:immediately|as soon as possible|as quickly as possible|urgently)\b", re.I)
_AFTER = re.compile(r"\bafter\b", re.I)
_BY = re.compile(
    r"\b(?:send(?:\s+appeals)?\s+(?:before|by)|should\s+be\s+sent\s+by|deadline\s*:?|until)\b",
    re.I,
)


@dataclass
class Deadline:
    date: dt.date | None = None
    wording: str = ""
    warnings: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # where the date was read
    unusual: str = ""  # the phrase, when the date came from no deadline heading


def _complete(found: FoundDate, issue: dt.date | None, out: Deadline, text: str) -> dt.date | None:
    if found.year is not None:
        return found.date()
    if issue is not None:
        when = infer_year(found, issue)
        if when:
            out.warnings.append(f"The deadline {text.strip()!r} has no year: I took {when:%Y}.")
        return when
    out.warnings.append(f"The deadline {text.strip()!r} has no year and there is no issue date.")
    return None


def _date_in(
    text: str, issue: dt.date | None, out: Deadline, *, after_only: bool = False
) -> dt.date | None:
    if after_only:
        m = _AFTER.search(text)
        if not m:
            return None
        text = text[m.end() :]
    found = find_dates(text, partial=True)
    return _complete(found[0], issue, out, text) if found else None


def find_deadline(doc: Doc, issue: dt.date | None) -> Deadline:
    out = Deadline()
    candidates: list[dt.date | None] = []
    at: list[list[int]] = []  # the lines of each candidate
    for section in doc.of_kind("deadline"):
        text = doc.value(section) or doc.lines[section.at or 0]
        if _SOON.search(text):
            out.wording = out.wording or text
        after_only = text.lower().startswith("please send appeals immediately")
        when = _date_in(text, issue, out, after_only=after_only)
        following = next((i for i in section.body if doc.lines[i].strip()), None)
        if when is None and following is not None and text.rstrip().lower().endswith("after"):
            # "... if sending appeals after" / "August 25, 1999." on the next line
            when = _date_in(doc.lines[following], issue, out)
            if when:
                doc.use(following)
        candidates.append(when)
        at.append([i for i in (section.at, following) if i is not None])
    for section in doc.of_kind("check_section"):
        doc.use(section.at)
    for section in doc.of_kind("targets"):
        heading = doc.lines[section.at] if section.at is not None else ""
        if _SOON.search(heading):
            out.wording = out.wording or heading
        date_text = section.heading.group("date") if section.heading else ""
        if date_text:
            candidates.append(_date_in(date_text, issue, out))
            at.append([section.at] if section.at is not None else [])
    if not any(candidates):
        for i, line in enumerate(doc.lines):
            m = _BY.search(line)
            if m and len(line) < 200:
                when = _date_in(line[m.end() :], issue, out)
                if when:
                    candidates.append(when)
                    at.append([i])
                    out.unusual = line.strip()
                    doc.use(i)
                    break
    dates = [d for d in candidates if d]
    if dates:
        out.date = dates[0]
        out.lines = at[candidates.index(out.date)]
        if len(set(dates)) > 1:
            shown = ", ".join(sorted({d.isoformat() for d in dates}))
            out.warnings.append(
                f"The document gives several deadlines ({shown}); I took {out.date}."
            )
    return out
