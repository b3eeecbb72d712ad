"""Contact lines of a target: ``Fax:``, ``Phone:``, ``Email:``, ``Twitter:`` and their variants.

Several labels can share a line ("Phone: 1 202 495 2266 I Fax: 1 202 495 2138", the ``I``
being a mis-rendered ``|``), a label can hold several values ("a@x.org OR b@y.org").

Phone and fax numbers are stored in E.164 ("+12024952266") when phonenumbers finds a valid
number, read with the target's country (from its address) or the case's country, or as an
international number written without its "+"; otherwise the number is kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers

_LABELS: list[tuple[str, str]] = [
    ("phonefax", r"(?:tel(?:ephone)?|phone)\s*(?:/|and|&)\s*fax|fax\s*(?:/|and|&)\s*(?:tel|phone)"),
    ("fax", r"fax(?:es)?|facsimile|telefax"),
    ("phone", r"tel(?:ephone|éfono|efono)?|phones?|ph|mobile|cell|whatsapp|call"),
    ("email", r"e-?mails?|correo(?:\s+electr[oó]nico)?|courriel"),
    ("twitter", r"twitter|tweets?(?:\s+(?:for|to)\s+[^:]{1,40})?|x(?:\s*\(twitter\))?"),
    ("web", r"web(?:site)?|web\s*form|contact\s+form|online\s+form|facebook|instagram|url"),
    ("telegram", r"telegrams?|telex(?:es)?"),
]
LABEL = re.compile(
    r"(?:^|(?<=[\s|/;,]))(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _LABELS) + r")"
    r"\s*(?:\([^)]{0,40}\))?\s*:",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# "gov@x.cn?bcc=spy@y.org" is one address with a mailto: query, not two addresses
_EMAIL_QUERY = re.compile(r"(@[\w-]+(?:\.[\w-]+)+)\?\S*")


def emails_in(text: str) -> list[str]:
    return EMAIL.findall(_EMAIL_QUERY.sub(r"\1", text))
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@.])\.?@(\w{1,15})\b(?!\.\w)")
LONG_HANDLE = re.compile(r"(?<![\w@.])\.?@(\w{1,30})\b(?!\.\w)")  # after a Twitter label
HASHTAG = re.compile(r"(?<!\w)#\w+")
PHONE = re.compile(r"(?:\+\s?|00)?\(?\d[\d ().\-/]{5,}\d")
_SEPARATOR_END = re.compile(r"\s+(?:I|\||/|;|,|or|OR|and)\s*$|[|;,]\s*$")
_SPLIT_VALUES = re.compile(r"\s+(?:or|OR|Or)\s+|\s*;\s*|\s*,\s*(?=\+|\(?\d)|\s+/\s+|\s*\|\s*")


@dataclass
class Contacts:
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: Contacts) -> None:
        for name in ("emails", "phones", "faxes", "handles", "notes"):
            mine = getattr(self, name)
            mine += [v for v in getattr(other, name) if v not in mine]


def is_contact_line(line: str) -> bool:
    """True for a line that starts with a contact label, or holds only an e-mail or handle."""
    m = LABEL.match(line)
    if m:
        return True
    bare = line.strip()
    return bool(EMAIL.fullmatch(bare) or re.fullmatch(r"\.?@\w{1,15}", bare))


def normalise_phone(raw: str, region: str | None) -> str:
    """E.164 if valid for ``region`` or as an international number; else as written."""
    text = raw.strip()
    compact = re.sub(r"[^\d+]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    attempts: list[tuple[str, str | None]] = []
    if compact.startswith("+"):
        attempts.append((compact, None))
    else:
        if region:
            attempts.append((text, region))
        attempts.append(("+" + compact, None))
    for number, where in attempts:
        try:
            parsed = phonenumbers.parse(number, where)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return re.sub(r"\s+", " ", text)


def _phones(value: str, region: str | None) -> tuple[list[str], list[str]]:
    """Numbers in a phone/fax value, and any words around them (kept as a note)."""
    numbers, leftover = [], value
    for part in _SPLIT_VALUES.split(value):
        for m in PHONE.finditer(part):
            digits = re.sub(r"\D", "", m.group())
            if len(digits) >= 6:
                numbers.append(normalise_phone(m.group(), region))
                leftover = leftover.replace(m.group(), " ", 1)
    words = re.sub(r"[()]|(?<!\w)(?:or|OR|and|[|;/])(?!\w)", " ", leftover)
    words = re.sub(r"\s+", " ", words).strip(" .,;-")
    notes = [words] if re.search(r"[A-Za-z]{3}", words) else []
    return numbers, notes


def parse_contact_line(line: str, region: str | None) -> Contacts:
    """Every channel on one contact line."""
    out = Contacts()
    spots = list(LABEL.finditer(line))
    if not spots:
        out.emails += emails_in(line)
        out.handles += ["@" + h for h in HANDLE.findall(line)]
        return out
    for n, m in enumerate(spots):
        end = spots[n + 1].start() if n + 1 < len(spots) else len(line)
        value = _SEPARATOR_END.sub("", line[m.end() : end].strip()).strip()
        kind = m.lastgroup or ""
        label = m.group(0).rstrip(":").strip()
        if kind == "email":
            found = emails_in(value)
            out.emails += found
            if not found:
                for url in URL.findall(value):
                    out.notes.append(f"Web form: {url.rstrip('.,;)')}")
        elif kind in ("phone", "fax", "phonefax"):
            numbers, notes = _phones(value, region)
            if kind in ("phone", "phonefax"):
                out.phones += numbers
            if kind in ("fax", "phonefax"):
                out.faxes += numbers
            out.notes += [f"{label}: {note}" for note in notes]
        elif kind == "twitter":
            handles = ["@" + h for h in LONG_HANDLE.findall(value)]
            handles += ["@" + h for h in re.findall(r"(?:twitter|x)\.com/(\w{1,30})", value)]
            out.handles += handles
            if not handles and value:
                out.notes.append(f"{label}: {value}")
            tags = HASHTAG.findall(value)
            if tags:
                out.notes.append("Hashtags: " + " ".join(tags))
        elif kind == "web" or kind == "telegram":
            out.notes.append(f"{label}: {value}")
    return out
