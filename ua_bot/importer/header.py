"""Identifiers: the UA number as written and normalised, the update it belongs to, the AI
index number and the issue date, from every header and footer form (docs/ua-format.md §2)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ua_bot.importer.countries import region_for
from ua_bot.importer.dates import parse_date
from ua_bot.importer.sections import ORDINAL_WORD, UA_NUMBER, Doc
from ua_bot.ua_number import try_normalise_ua

_SERIES = r"(?P<series>UA|EXTRA|MA|NSA|Medical\s+Action\s*#?\s*MA|Urgent\s+Action)"
# "UA 78/05 Fear for safety", "Further Information on UA 301/06 (MDE 13/126/2006, ...) - ..."
B_LINE = re.compile(
    r"^(?P<lead>(?:further\s+information|follow[- ]up|(?:" + ORDINAL_WORD + r"\s+)?update)\s+"
    r"(?:on|of|to)\s+)?" + _SERIES + r"\s*:?\s*" + UA_NUMBER + r"\b\s*"
    r"(?P<paren>\((?:[^()]|\([^()]*\))*\))?\s*(?:and\s+follow-up\s*\([^)]*\))?\s*"
    r"(?:\((?P<ord2>\w+)\s+update\)\s*)?[-–:]?\s*(?P<concern>.*)$",
    re.IGNORECASE,
)
# "Further information on UA 41/16", "first update on ua 141/13", "This is the first update of UA"
UPDATE = re.compile(
    r"(?P<lead>further\s+information\s+on|follow[- ]up\s+(?:on|to)|(?P<ord>"
    + ORDINAL_WORD
    + r")\s+update\s+(?:on|of|to)|update\s+(?:on|of|to))\s+(?:the\s+)?(?:UA|urgent\s+action)"
    r"\s*:?\s*#?\s*" + UA_NUMBER,
    re.IGNORECASE,
)
# "THIRD UA 41/16" (the 2017 template's type-and-number field)
ORDINAL_UA = re.compile(r"^(?P<ord>" + ORDINAL_WORD + r")\s+UA\s*:?\s*" + UA_NUMBER, re.IGNORECASE)
MENTION = re.compile(
    r"(?<![\w/])(?:UA|urgent\s+action|EXTRA)(?:-Nr\.?\s*:\s*UA)?\s*[-:#]?\s*"
    + UA_NUMBER
    + r"(?![\d/])",
    re.IGNORECASE,
)
SEE_ALSO = re.compile(r"\b(?:see|also|previous|earlier)\s+(?:the\s+)?(?:UA|urgent action)\b", re.I)
DATE_LINE = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}$")
# The issue date at the end of the UA line, as 1990s Word documents set it on the right
_TRAILING_DATE = re.compile(
    r"\s+(?P<date>\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+"
    r"\d{1,2},?\s+\d{4})\s*$"
)


@dataclass
class Header:
    ua_number: str | None = None
    ua_written: str = ""
    series: str = "UA"
    update_of: str | None = None
    index_number: str = ""
    issue_date: dt.date | None = None
    country: str = ""
    b_line: int | None = None
    concern: str = ""
    warnings: list[str] = field(default_factory=list)
    # (number, as written), in order of trust: template field, header line, B line, mentions
    candidates: list[tuple[str, str]] = field(default_factory=list)
    b_lines: list[int] = field(default_factory=list)  # the UA line and its continuations
    concern_below: bool = False  # the concern was on a paragraph of its own under the UA line


def _num(text: str) -> str | None:
    return try_normalise_ua(re.sub(r"\s+", "", text))


def _early_lines(doc: Doc, limit: int = 25) -> list[int]:
    """The first non-blank lines: where the identifiers are."""
    return [i for i, line in enumerate(doc.lines) if line][:limit]


def _from_template(doc: Doc, h: Header) -> None:
    """``URGENT ACTION TYPE AND NUMBER: THIRD UA 41/16`` (2017 template)."""
    for section in doc.of_kind("e_type"):
        text = doc.value(section)
        m = ORDINAL_UA.search(text) or MENTION.search(text)
        num = _num(m.group("num")) if m else None
        if m and num:
            h.candidates.append((num, m.group(0).strip()))
            if (m.groupdict().get("ord") or "first").lower() != "first":
                h.update_of = num
        u = UPDATE.search(text)
        if u and _num(u.group("num")):
            h.update_of = _num(u.group("num"))


def _from_ua_lines(doc: Doc, h: Header) -> None:
    """``UA: 123/13 Index: AMR 41/029/2013 Mexico Date: 3 May 2013``, its footer and update
    forms; ``PUBLIC AI Index:`` and ``PUBLICATION DATE:`` lines."""
    for i, heading in doc.infos("ua_line"):
        doc.use(i)
        num = _num(heading.group("num"))
        if num:
            h.candidates.append((num, doc.lines[i].split("Index")[0].strip()))
            lead = heading.group("lead").lower()
            if lead and not lead.startswith("first"):
                h.update_of = num
        h.index_number = h.index_number or heading.group("index")
        h.country = h.country or heading.group("country").strip(" ,")
        h.issue_date = h.issue_date or parse_date(heading.group("date"))
    for i, heading in doc.infos("index"):
        doc.use(i)
        h.index_number = h.index_number or re.sub(r"\s+", " ", heading.group("index"))
    for i, heading in doc.infos("issue_date"):
        doc.use(i)
        h.issue_date = h.issue_date or parse_date(heading.group("rest"))


def _from_b_line(doc: Doc, h: Header, early: list[int]) -> None:
    """``UA 78/05 Fear for safety`` / ``Further information on UA 78/05 (...) - concern`` and
    the date line of the older text layouts."""
    for i in early:
        m = B_LINE.match(doc.lines[i])
        if i in doc.used or not m or m.group("concern").lower().startswith("index"):
            continue
        num = _num(m.group("num"))
        if not num:
            continue
        h.b_line = i
        h.series = m.group("series").upper() if m.group("series").isalpha() else "UA"
        h.concern = m.group("concern").strip(" -–:")
        glued = _TRAILING_DATE.search(h.concern)
        if glued and parse_date(glued.group("date")):
            h.issue_date = h.issue_date or parse_date(glued.group("date"))
            h.concern = h.concern[: glued.start()].strip(" -–:")
        h.candidates.append((num, doc.lines[i][: m.end("num")].strip()))
        if m.group("lead") or m.group("ord2"):
            h.update_of = num
        doc.use(i)
        h.b_lines = [i]
        if not h.concern:
            _concern_below(doc, h, i, early)
        elif region_for(h.concern):  # "UA 188/14 - Tunisia": a country, not the concern
            h.country, h.concern = h.concern, ""
        break
    if h.b_line is None:
        return
    for i in early:
        if DATE_LINE.match(doc.lines[i]) and i not in doc.used:
            h.issue_date = h.issue_date or parse_date(doc.lines[i])
            doc.use(i)


_CONTINUES_B_LINE = re.compile(r"^(?:\(.*\)|and|and\s+follow-up.*|follow-up\s*\(.*\).*)$", re.I)


def _concern_below(doc: Doc, h: Header, at: int, early: list[int]) -> None:
    """A UA line whose parts a Word header set as separate paragraphs: "Further information
    on UA 118/09" / "(MDE 13/049/2009, 5 May 2009)" / "and" / "follow-up (...)" / the
    concern. The concern is the first short line after the parenthesised references."""
    below = [i for i in early if i > at]
    for i in below[:6]:
        line = doc.lines[i].strip()
        if _CONTINUES_B_LINE.match(line):
            h.b_lines.append(i)
            continue
        if DATE_LINE.match(line) or len(line) > 80 or line.endswith(".") or line.isupper():
            return
        concern = re.sub(r"^[-–:]\s*", "", line)
        if concern and not region_for(concern.split()[0]):
            h.concern = concern
            h.b_lines.append(i)
            h.concern_below = True
            doc.use(*h.b_lines)
        return


def _from_mentions(doc: Doc, h: Header, early: list[int]) -> None:
    """Update phrases near the top; else the first "UA n/yy" anywhere that is not a
    reference to another UA ("see UA 202/11")."""
    for i in early:
        u = UPDATE.search(doc.lines[i])
        num = _num(u.group("num")) if u else None
        if u and num:
            h.update_of = h.update_of or num
            h.candidates.append((num, u.group(0)))
    if h.candidates:
        return
    for line in doc.lines:
        for m in MENTION.finditer(line):
            num = _num(m.group("num"))
            if num and not SEE_ALSO.search(line[max(0, m.start() - 20) : m.start() + 3]):
                h.candidates.append((num, m.group(0).strip()))
                return


def parse_header(doc: Doc) -> Header:
    """The identifiers, with warnings when the document disagrees with itself."""
    h = Header()
    early = _early_lines(doc)
    _from_template(doc, h)
    _from_ua_lines(doc, h)
    _from_b_line(doc, h, early)
    _from_mentions(doc, h, early)
    if h.candidates:
        h.ua_number, h.ua_written = h.candidates[0]
        others = sorted({c[0] for c in h.candidates} - {h.ua_number, h.update_of})
        if others:
            h.warnings.append(
                f"The document also gives UA number(s) {', '.join(others)}; I used {h.ua_number}."
            )
    if h.update_of and h.ua_number and h.ua_number != h.update_of:
        h.warnings.append(f"This updates UA {h.update_of} but is numbered {h.ua_number}.")
    if h.series not in ("UA", "URGENT ACTION") and h.ua_number:
        h.warnings.append(f"This is an {h.series} series document, stored as number {h.ua_number}.")
    return h
