"""Split a document's lines into sections at the headings every UA layout uses.

Headings are matched case-insensitively, with an optional ``1)``/``2)`` numbering and a
trailing colon (docs/ua-format.md §4). Some matches are *info lines* (a header or footer line
such as ``UA: 123/13 Index: ... Date: ...``): they are recorded but do not end the section
they sit in, so a footer in the middle of a page does not cut the text around it. The
banner and title repeated at the top of page 2 are info lines too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_N = r"^(?:\d\s*\)\s*)?"
UA_NUMBER = r"(?P<num>\d{1,4}\s*[/.]\s*\d{2}(?:\d{2})?)"
_INDEX = r"(?P<index>[A-Z]{3}\s*\d{2}\s*/\s*\d{3,4}\s*/\s*\d{4})"
ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "final",
]  # fmt: skip
ORDINAL_WORD = r"(?:" + "|".join(ORDINALS) + r")"


# (kind, pattern, info): info lines do not open a section.
HEADINGS: list[tuple[str, re.Pattern[str], bool]] = []


def _h(kind: str, pattern: str, info: bool = False) -> None:
    HEADINGS.append((kind, re.compile(pattern, re.IGNORECASE), info))


# UA: 123/13 Index: AMR 41/029/2013 Mexico Date: 3 May 2013 (and its footer forms)
_h(
    "ua_line",
    rf"^(?P<lead>(?:further information on|follow[- ]up on|{ORDINAL_WORD} update (?:on|of|to)"
    rf"|{ORDINAL_WORD})\s+)?UA\s*:?\s*{UA_NUMBER}\s+(?:AI[- ])?Index\s*(?:number)?\s*:?\s*{_INDEX}"
    r"\s*(?P<country>.*?)\s*(?:(?P<issue>issue\s+)?date\s*:?\s*(?P<date>.*))?$",
    info=True,
)
# UA-Nr: UA-235/2017. AI-Index: ASA 17/7178/2017 Datum: 27.09.2017 (Amnesty Germany)
_h(
    "ua_line",
    rf"^(?P<lead>)UA-Nr\.?\s*:\s*UA\s*-?\s*{UA_NUMBER}\.?\s*AI-Index\s*:\s*{_INDEX}\s*"
    r"(?P<country>)(?:(?P<issue>)datum\s*:\s*(?P<date>.*))?$",
    info=True,
)
_h("index", rf"^(?:public\s+)?(?:ai[- ])?index(?:\s+number)?\s*:\s*{_INDEX}(?P<rest>.*)$", True)
_h("issue_date", r"^(?:issue|publication)\s+date\s*:\s*(?P<rest>.+)$", info=True)
_h("issue_date", r"^(?:datum|date)\s*:\s*(?P<rest>.+)$", info=True)
_h("e_title", r"^urgent action title\s*:?\s*(?P<rest>.*)$")
_h("e_type", r"^urgent action type and number\s*:?\s*(?P<rest>.*)$")
_h("e_summary", r"^urgent action summary\s*:?\s*(?P<rest>.*)$")
_h("letter", r"^urgent action letter\s*:?\s*(?P<rest>.*)$")
_h("banner", r"^urgent action(?:\s+appeal)?(?:\s*[-–]\s*from amnesty international.*)?$")
_h("letter_targets", r"^take action\s*:\s*write an appeal\b.*$")
_h("demands", _N + r"(?:further\s+)?recommended\s+actions?\s*:?\s*(?P<rest>.*)$")
_h("demands", _N + r"suggested\s+actions?\s*:\s*(?P<rest>.*)$")
_h("demands", _N + r"(?P<rest>please\s+write\s+immediately\b.*)$")
_h("demands", _N + r"take\s+action\s*:?$")
# a local group's own heading: "WHAT TO DO", "What you can do:", "How to help"
_h("demands", _N + r"(?:what\s+(?:to|you\s+can)\s+do|how\s+(?:to|you\s+can)\s+help)\s*:?$")
_SOON_AND = r"(?:(?:as\s+soon\s+as\s+possible|immediately|urgently),?\s+(?:and\s+)?)?"
# "PLEASE SEND APPEALS BEFORE 27 MAY 2013 TO:", "Please send your appeals before 20/07/2015
# to:", "... AS SOON AS POSSIBLE, AND NO LATER THAN 20 MAY 2013 TO:", "NO LATER THAN <date> TO:"
_h(
    "targets",
    _N + r"(?:(?:please\s+)?send\s+(?:your\s+)?(?:appeals|letters)\s+)?" + _SOON_AND
    + r"(?:before|by|no\s+later\s+than)\s+(?P<date>\d.{2,30}?|[a-z]{3,9}\.?\s+\d.{1,20}?),?"
    r"(?:\s+to(?:\s+the\s+following(?:\s+officials?)?)?)?\s*:\s*(?P<rest>.*)$",
)
_h("targets", _N + r"(?:please\s+send\s+)?appeals\s+to\s*:\s*(?P<rest>.*)$")
_h("targets", _N + r"(?:please\s+)?send\s+appeals\s+immediately\s+to\s*:\s*(?P<rest>.*)$")
_h("targets", _N + r"appeals\s+to\s*$")
_h(
    "targets",
    _N + r"contact\s+(?:these|this|the\s+following)\b[^:]{0,30}?\bofficials?\b"
    r"(?:\s+by\s+(?P<date>[^:]+?)|(?P<rest>\s+[^:]{1,40}?))?\s*:?\s*$",
)
_h("targets", r"^targets?'?s?\s+contact\s+details\b.*$")
_h("targets", r"^letters?\s+to\s*:\s*(?P<rest>.*)$")
_h("copies", r"^(?:and\s+)?copies\s+to\s*:?\s*(?P<rest>.*)$")
_h(
    "copies_note",
    r"^(?:(?:also\s+)?send\s+copies\s+to|and\s+(?:copies\s+)?to)\s+(?:the\s+)?diplomatic"
    r"\s+representatives?\b.*$",
)
_h(
    "background",
    r"^(?:background(?:\s+information)?|additional\s+information"
    r"|amnesty international'?s\s+concerns)\s*(?:\([^)]*\))?\s*:?\s*$",
)
_h("report_back", _N + r"let\s+us\s+know\s+(?:if\s+)?you\s+took\s+action\b.*$")
_h("report_back", _N + r"please\s+let\s+us\s+know\s+if\s+you\s+took\s+action\b.*$")
_h("leftover", r"^\[sections?\s+to\s+add\s+when\s+relevant\]$")
_h("leftover", _N + r"for\s+the\s+full\s+urgent\s+action\b.*$")
_h("language", r"^preferred\s+languages?\s+to\s+address\s+target\s*:?\s*(?P<rest>.*)$")
_h("deadline", r"^appeal\s+deadline(?:\s+notice)?\s*:\s*(?P<rest>.*)$")
_h(
    "deadline",
    r"^please\s+take\s+action\s+as\s+soon\s+as\s+possible(?:\s+until)?\s*:?\s*(?P<rest>.*)$",
)
_h("deadline", r"^(?P<rest>please\s+send\s+appeals\s+immediately\b.*)$")
# "PLEASE SEND APPEALS AS SOON AS POSSIBLE, AND NO LATER THAN 20 JUNE 2001." (not a heading
# of the officials: those end with "to:")
_h(
    "deadline",
    r"^(?P<rest>(?:please\s+)?send\s+(?:your\s+)?appeals\s+" + _SOON_AND
    + r"no\s+later\s+than\b.*)$",
)
_h("check_section", r"^please\s+check\s+with\s+your\s+section\b.*$")
_h("previous_link", r"^link\s+to\s+previous\s+ua\s*:?\s*(?P<rest>.*)$")
_h("pronoun_trailer", r"^name\s+and\s+pronouns?\s*:\s*(?P<rest>.*)$")
_h("name_trailer", r"^names?\s*:\s*(?P<rest>.*)$")
_h("gender_trailer", r"^gender\s*(?:m/f)?\s*:\s*(?P<rest>.*)$")

_SHORT = 300  # a heading line is short; body paragraphs that start like one are not headings


@dataclass
class Heading:
    kind: str
    match: re.Match[str]
    info: bool

    def group(self, name: str) -> str:
        try:
            return (self.match.group(name) or "").strip()
        except IndexError:
            return ""


# Labels whose value follows on the same line, however long (the template's summary)
_LABELLED = {"e_title", "e_summary", "pronoun_trailer", "name_trailer"}


def match_heading(line: str) -> Heading | None:
    """The heading this line is, or ``None``."""
    if not line:
        return None
    long = len(line) > _SHORT
    for kind, pattern, info in HEADINGS:
        if long and kind not in _LABELLED:
            continue
        m = pattern.match(line)
        if m:
            return Heading(kind, m, info)
    return None


def is_info_line(line: str) -> bool:
    """A header or footer line with identifiers (``UA: 123/13 Index: ... Issue Date: ...``)."""
    heading = match_heading(line)
    return heading is not None and heading.info


_UA_LINE_START = re.compile(
    r"^(?:(?:further\s+information|follow[- ]up)\s+on\s+)?(?:UA|EXTRA)\s*:?\s*\d{1,4}\s*/\s*"
    r"\d{2}\s+(?:\(|[-–]\s*)?[A-Za-z]{3}",
    re.IGNORECASE,
)


def starts_paragraph(line: str) -> bool:
    """True when a line must not be joined to the previous one: a heading, or the UA line of
    the text layouts ("UA 78/05 Fear for safety", "Further information on UA 301/06 ...")."""
    return match_heading(line) is not None or bool(_UA_LINE_START.match(line))


@dataclass
class Section:
    """A heading and the line numbers under it (blank lines included, info lines excluded)."""

    kind: str
    heading: Heading | None
    at: int | None
    body: list[int] = field(default_factory=list)

    def rest(self) -> str:
        return self.heading.group("rest") if self.heading else ""


@dataclass
class Doc:
    """A document's lines, its sections, its info lines, and which lines went into a field."""

    lines: list[str]
    sections: list[Section] = field(default_factory=list)
    info: list[tuple[int, Heading]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    repeats: set[int] = field(default_factory=set)

    def use(self, *indexes: int | None) -> None:
        self.used.update(i for i in indexes if i is not None)

    def text(self, indexes: list[int]) -> list[str]:
        return [self.lines[i] for i in indexes]

    def of_kind(self, *kinds: str) -> list[Section]:
        return [s for s in self.sections if s.kind in kinds]

    def first(self, kind: str) -> Section | None:
        found = self.of_kind(kind)
        return found[0] if found else None

    def value(self, section: Section) -> str:
        """A field heading's value: the rest of its line, else its first line (now used)."""
        self.use(section.at)
        if section.rest():
            return section.rest()
        first = next((i for i in section.body if self.lines[i] and i not in self.used), None)
        if first is None:
            return ""
        self.use(first)
        return self.lines[first]

    def infos(self, kind: str) -> list[tuple[int, Heading]]:
        return [(i, h) for i, h in self.info if h.kind == kind]


def _norm(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().casefold()


def split_sections(lines: list[str]) -> Doc:
    """Cut the lines into sections; the lines before the first heading form the ``head``."""
    doc = Doc(lines)
    current = Section("head", None, None)
    doc.sections.append(current)
    banner_title: str | None = None
    skip_title_at: int | None = None
    for i, line in enumerate(lines):
        if i == skip_title_at:
            doc.repeats.add(i)
            continue
        heading = match_heading(line)
        if heading is None:
            current.body.append(i)
            continue
        if heading.kind == "banner" and banner_title is not None:
            # The banner again (page 2): skip it and the repeated title after it.
            doc.repeats.add(i)
            nxt = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
            if nxt is not None and _norm(lines[nxt]) == banner_title:
                skip_title_at = nxt
            continue
        if heading.kind == "banner":
            nxt = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
            banner_title = _norm(lines[nxt]) if nxt is not None else ""
        if heading.info:
            doc.info.append((i, heading))
            continue
        current = Section(heading.kind, heading, i)
        doc.sections.append(current)
    return doc


def paragraphs(doc: Doc, indexes: list[int]) -> list[int]:
    """The non-blank line numbers among ``indexes`` (a line is a paragraph after reading)."""
    return [i for i in indexes if doc.lines[i].strip()]
