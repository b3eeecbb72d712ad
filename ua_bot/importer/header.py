"""Identifiers: the UA number as written and normalised, the update it belongs to, the AI
index number and the issue date, from every header and footer form (UA_FORMAT.md §2)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ua_bot.importer.dates import parse_date
from ua_bot.importer.sections import _ORD, _UA_NUM, Doc
from ua_bot.ua_number import try_normalise_ua

_SERIES = r"(?P<series>UA|EXTRA|MA|NSA|Medical\s+Action\s*#?\s*MA|Urgent\s+Action)"
# "UA 78/05 Fear for safety", "Further Information on UA 301/06 (MDE 13/126/2006, ...) - ..."
B_LINE = re.compile(
    r"^(?P<lead>(?:further\s+information|follow[- ]up|(?:" + _ORD + r"\s+)?update)\s+"
    r"(?:on|of|to)\s+)?" + _SERIES + r"\s*:?\s*" + _UA_NUM + r"\b\s*"
    r"(?P<paren>\((?:[^()]|\([^()]*\))*\))?\s*(?:and\s+follow-up\s*\([^)]*\))?\s*"
    r"(?:\((?P<ord2>\w+)\s+update\)\s*)?[-–:]?\s*(?P<concern>.*)$",
    re.IGNORECASE,
)
# "Further information on UA 41/16", "first update on ua 141/13", "This is the first update of UA"
UPDATE = re.compile(
    r"(?P<lead>further\s+information\s+on|follow[- ]up\s+(?:on|to)|(?P<ord>" + _ORD + r")\s+update"
    r"\s+(?:on|of|to)|update\s+(?:on|of|to))\s+(?:the\s+)?(?:UA|urgent\s+action)\s*:?\s*#?\s*"
    + _UA_NUM,
    re.IGNORECASE,
)
# "THIRD UA 41/16" (the 2017 template's type-and-number field)
ORDINAL_UA = re.compile(r"^(?P<ord>" + _ORD + r")\s+UA\s*:?\s*" + _UA_NUM, re.IGNORECASE)
MENTION = re.compile(
    r"(?<![\w/])(?:UA|urgent\s+action|EXTRA)(?:-Nr\.?\s*:\s*UA)?\s*[-:#]?\s*"
    + _UA_NUM
    + r"(?![\d/])",
    re.IGNORECASE,
)
SEE_ALSO = re.compile(r"\b(?:see|also|previous|earlier)\s+(?:the\s+)?(?:UA|urgent action)\b", re.I)
DATE_LINE = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}$")


@dataclass
class Header:
    ua_number: str | None = None
    ua_written: str = ""
    series: str = "UA"
    update_of: str | None = None
    ordinal: str = ""
    index_number: str = ""
    issue_date: dt.date | None = None
    country: str = ""
    b_line: int | None = None
    concern: str = ""
    warnings: list[str] = field(default_factory=list)


def _num(text: str) -> str | None:
    return try_normalise_ua(re.sub(r"\s+", "", text))


def _early_lines(doc: Doc, limit: int = 25) -> list[int]:
    """The first non-blank lines, where identifiers are (the head and the banner section)."""
    out = []
    for i, line in enumerate(doc.lines):
        if line:
            out.append(i)
        if len(out) >= limit:
            break
    return out


def parse_header(doc: Doc) -> Header:
    h = Header()
    candidates: list[tuple[str, str, int | None]] = []  # (number, as written, line)

    for section in doc.of_kind("e_type"):
        doc.use(section.at)
        text = section.rest()
        if not text and section.body:
            text = doc.lines[section.body[0]]
            doc.use(section.body[0])
        m = ORDINAL_UA.search(text) or MENTION.search(text)
        if m and _num(m.group("num")):
            candidates.append((_num(m.group("num")), m.group(0).strip(), section.at))
            if "ord" in m.groupdict() and m.group("ord") and m.group("ord").lower() != "first":
                h.ordinal = m.group("ord").lower()
                h.update_of = _num(m.group("num"))
        u = UPDATE.search(text)
        if u and _num(u.group("num")):
            h.update_of = _num(u.group("num"))

    for i, heading in doc.infos("ua_line"):
        doc.use(i)
        num = _num(heading.group("num"))
        if num:
            candidates.append((num, doc.lines[i].split("Index")[0].strip(), i))
        lead = heading.group("lead").lower()
        if lead and not lead.startswith("first") and num:
            h.update_of = num
            h.ordinal = lead.split()[0] if lead.split()[0] != "further" else h.ordinal
        h.index_number = h.index_number or heading.group("index")
        if heading.group("country") and not h.country:
            h.country = heading.group("country").strip(" ,")
        h.issue_date = h.issue_date or parse_date(heading.group("date"))

    for i, heading in doc.infos("index"):
        doc.use(i)
        h.index_number = h.index_number or re.sub(r"\s+", " ", heading.group("index"))
    for i, heading in doc.infos("issue_date"):
        doc.use(i)
        h.issue_date = h.issue_date or parse_date(heading.group("rest"))

    early = _early_lines(doc)
    for i in early:
        line = doc.lines[i]
        if i in doc.used:
            continue
        m = B_LINE.match(line)
        if m and _num(m.group("num")) and not m.group("concern").lower().startswith("index"):
            num = _num(m.group("num"))
            h.b_line = i
            h.series = m.group("series").upper() if m.group("series").isalpha() else "UA"
            h.concern = m.group("concern").strip(" -–:")
            candidates.append((num, line[: m.end("num")].strip(), i))
            if m.group("lead") or m.group("ord2"):
                h.update_of = num
            doc.use(i)
            break
    for i in early:
        if DATE_LINE.match(doc.lines[i]) and i not in doc.used and h.b_line is not None:
            h.issue_date = h.issue_date or parse_date(doc.lines[i])
            doc.use(i)

    for i in early:
        u = UPDATE.search(doc.lines[i])
        if u and _num(u.group("num")):
            h.update_of = h.update_of or _num(u.group("num"))
            h.ordinal = h.ordinal or (u.group("ord") or "").lower()
            candidates.append((_num(u.group("num")), u.group(0), i))

    for i, line in enumerate(doc.lines):
        if len(candidates) >= 1:
            break
        for m in MENTION.finditer(line):
            if SEE_ALSO.search(line[max(0, m.start() - 20) : m.start() + 3]):
                continue
            num = _num(m.group("num"))
            if num:
                candidates.append((num, m.group(0).strip(), i))
                break

    if candidates:
        h.ua_number, h.ua_written, _ = candidates[0]
        others = sorted({c[0] for c in candidates} - {h.ua_number})
        if others and h.update_of not in others:
            h.warnings.append(
                f"The document also gives UA number(s) {', '.join(others)}; I used {h.ua_number}."
            )
    if h.update_of and h.ua_number != h.update_of and h.ua_number:
        h.warnings.append(f"This updates UA {h.update_of} but is numbered {h.ua_number}.")
    if h.series not in ("UA", "URGENT ACTION") and h.ua_number:
        h.warnings.append(f"This is an {h.series} series document, stored as number {h.ua_number}.")
    return h
