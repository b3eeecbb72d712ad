"""Headings wrapped over two lines (a narrow PDF column, a Word text box): "PLEASE SEND
APPEALS BEFORE 14" / "DECEMBER 2012 TO:", or the heading's first words left at the end of the
last demand ("... he needs. Please send your appeals before" / "20/07/2015 to:").

The lines are joined in place (the second becomes blank) so that line numbers stay those of
the text as read; each join is reported, as a heading found by a fallback is a guess.
"""

from __future__ import annotations

import re

from ua_bot.importer.sections import match_heading

_KINDS = ("targets", "demands", "deadline")
_SENTENCE_END = re.compile(r"[.;:!?]\s+(?=[A-Z])")
_MAX_PART = 100  # a wrapped heading's parts are short


def _heading(text: str) -> str:
    """The kind of heading ``text`` is (of those that can wrap), or ""."""
    found = match_heading(text)
    return found.kind if found is not None and not found.info and found.kind in _KINDS else ""


def join_wrapped_headings(lines: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """The lines with wrapped headings joined; (line index, heading) for each join."""
    out = list(lines)
    joined: list[tuple[int, str]] = []
    for i in range(len(out) - 1):
        first, second = out[i].strip(), out[i + 1].strip()
        if not first or not second or len(second) > _MAX_PART or _heading(second):
            continue
        if not second.rstrip().endswith(":"):
            continue  # a wrapped heading of the officials or demands ends with its colon
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(first)]
        for start in starts:
            head = first[start:]
            kind = _heading(f"{head} {second}") if len(head) <= _MAX_PART else ""
            if not kind or _heading(head) == kind:
                continue  # "... no later than <date>" alone is a deadline; with "to:", a heading
            if start:
                out[i] = first[:start].rstrip()
                out[i + 1] = f"{head} {second}"
                joined.append((i + 1, out[i + 1]))
            else:
                out[i] = f"{head} {second}"
                out[i + 1] = ""
                joined.append((i, out[i]))
            break
    return out, joined
