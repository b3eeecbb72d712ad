"""Undo line wrapping: join words hyphenated across lines and lines wrapped inside a paragraph.

A wrapped line is one whose next word would not have fitted on it. Widths are the PDF's own
measured line widths and glyph widths (pdftext), or character counts for plain text, relative
to the full line width of the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

BULLET_START = re.compile(r"^[-•*▪●◦–]\s")
LABEL_START = re.compile(
    r"^(?:tel(?:ephone)?|phone|fax(?:es)?|e-?mail|twitter|salutation|telegrams?|telex(?:es)?|"
    r"web(?:site)?|mobile)\b[^:]{0,20}:",
    re.IGNORECASE,
)
_HONORIFIC_START = re.compile(
    r"^(?:Mr|Mrs|Ms|Dr|Sr|Sra|Srta|Lic|Licda?|Prof|Dña|Mme|M|H\.\s?E|Hon)\.?\s+[A-ZÀ-Þ]"
)
_HYPHENATED = re.compile(r"([A-Za-zÀ-ÿ]{2,})-$")
_LOWER_START = re.compile(r"^([a-zà-ÿ]{2,})([.,;:!?)]*)(?:\s+|$)")
_UPPER_START = re.compile(r"^([A-ZÀ-Þ]{2,})([.,;:!?)]*)(?:\s+|$)")


def dehyphenate(lines: list[str], *, keep: bool = False) -> list[str]:
    """Join words split by a hyphen at a line end ("deten-" / "tion").

    The hyphen is kept when the hyphenated form occurs elsewhere in the text
    ("ill-" / "treatment", "Su-" / "jung"), or always with ``keep`` (plain text, whose
    wrapping only breaks at real hyphens); dropped otherwise (a PDF's hyphenation).
    """
    text = "\n".join(lines).lower()
    out = list(lines)
    for i in range(len(out) - 1):
        m = _HYPHENATED.search(out[i])
        nxt = _LOWER_START.match(out[i + 1])
        if m and not nxt and m.group(1).isupper():  # "PROTE-" / "STS" in a capitals title
            nxt = _UPPER_START.match(out[i + 1])
        if not m or not nxt:
            continue
        head, tail = m.group(1), nxt.group(1)
        joined = f"{head}-{tail}"
        seen = joined.lower() in text.replace(f"{head.lower()}-\n{tail.lower()}", "")
        word = joined if keep or seen else head + tail
        out[i] = out[i][: m.start()] + word + nxt.group(2)
        out[i + 1] = out[i + 1][nxt.end() :]
    return out


def in_capitals(line: str) -> bool:
    """Whether a line is in capitals (a title or heading): four letters or more, all upper."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _value_like(line: str) -> bool:
    """A short value a label line can wrap onto: "41/16", "3 March 2019", a URL, "released";
    not a capitalised line, which is more likely the next paragraph ("President")."""
    return len(line) < 60 and len(line.split()) <= 4 and not line[:1].isupper()


def _may_continue(prev: str, line: str, is_break: Callable[[str], bool]) -> bool:
    """Whether ``line`` may continue the paragraph whose last line is ``prev``."""
    if BULLET_START.match(line) or LABEL_START.match(line) or is_break(line):
        return False
    if _HONORIFIC_START.match(line) and prev.split()[-1][:1].isupper() and not LABEL_START.match(
        prev
    ):
        return False  # "Minister of Agrarian Development" / "Sr. Afonso Florence"
    if prev.rstrip().endswith(";") and line[:1].isupper():  # the next item of a list
        return False
    if prev.rstrip().endswith(":"):  # an introduction, or a label whose value wrapped
        return _value_like(line)
    if in_capitals(prev):  # a title in capitals goes on in capitals; a label, with its value
        if not any(c.islower() for c in line) or re.fullmatch(r"\(\w+ update\)", line, re.I):
            return True
        return ":" in prev and not is_break(prev)  # a whole heading in capitals ends there
    if in_capitals(line):  # a heading or title after text
        return False
    return not (prev.rstrip().endswith(")") and line[:1].isupper())  # "(Dear Minister)"


def reflow(
    lines: Sequence[str],
    *,
    measure: Callable[[str], float] = len,
    widths: Sequence[float] | None = None,
    gap_before: Sequence[bool] | None = None,
    indent: Sequence[float] | None = None,
    is_break: Callable[[str], bool] = lambda _: False,
    full: float | None = None,
    slack: float = 1.0,
    fixed_width: bool = False,
) -> list[str]:
    """Join each wrapped line to the next; blank lines and paragraph gaps are kept.

    A line is wrapped when the next line's first word would not have fitted on it:
    its width plus that word's is over ``slack`` times the ``full`` width (the widest
    line). ``widths[i]`` is the width line ``i`` had on the page (before dehyphenation
    moved a word fragment); ``gap_before[i]`` marks a vertical gap (a paragraph break)
    before line ``i``; ``indent[i]`` is its left offset in the unit of ``measure``;
    ``is_break(line)`` says a line starts a paragraph (a heading). With ``fixed_width``
    (plain text wrapped at ``full`` characters), a longer line was not wrapped.
    """
    if widths is None:
        widths = [measure(line) + (indent[i] if indent else 0) for i, line in enumerate(lines)]
    if full is None:
        full = max(widths, default=0)
    out: list[str] = []
    current, prev, prev_width = "", "", 0.0
    for i, line in enumerate(lines):
        if not line.strip():
            if current:
                out.append(current)
                current = ""
            out.append("")
            continue
        joins = bool(current) and not (gap_before and gap_before[i])
        if joins:
            would_fit = prev_width + measure(" " + line.split()[0]) <= full * slack
            # the width is estimated from lines that surely wrapped: allow a little more
            longer = fixed_width and prev_width > full + 1
            joins = not would_fit and not longer and _may_continue(prev, line, is_break)
        if joins:
            current = current.rstrip() + " " + line.strip()
        else:
            if current:
                out.append(current)
            current = line
        prev, prev_width = line, widths[i]
    if current:
        out.append(current)
    return out


def wrap_width(lines: Sequence[str]) -> int | None:
    """The width plain text was hard-wrapped at (old e-mail text), or ``None`` when the text
    has one paragraph a line. Evidence: lines followed by a line that starts in lower case
    although its first word would have fitted nowhere else."""
    texts = [line.rstrip() for line in lines]
    evidence = [
        len(a)
        for a, b in pairwise(texts)
        if a and b[:1].islower() and len(a) <= 100
    ]
    if len(evidence) < 3:
        return None
    width = max(evidence)
    near = sum(1 for n in evidence if n >= width * 0.75)
    return width if near >= 3 and near >= len(evidence) * 0.6 else None
