"""Where each field came from: the lines of the (normalised) document a field was read from.

Targets and the deadline know their lines as they are parsed; the story's fields (title,
summary, persons, demands) are found again in the lines by their text, which is what the
organiser compares them with. Line numbers start at 1, as an editor shows them.
"""

from __future__ import annotations

import re

from ua_bot.importer.sections import Doc

_WORD = re.compile(r"\W+")


def _norm(text: str) -> str:
    return _WORD.sub(" ", text).strip().casefold()


def lines_of(doc: Doc, value: str, *, within: set[int] | None = None) -> list[int]:
    """Indexes of the lines that hold ``value`` or a part of it (a title over two lines)."""
    want = _norm(value)
    if len(want) < 3:
        return []
    head = want[:60]
    out = []
    for i, line in enumerate(doc.lines):
        if within is not None and i not in within:
            continue
        have = _norm(line)
        if len(have) < 3:
            continue
        if head in have or (len(have) >= 12 and have in want) or have == want:
            out.append(i)
    return out


def numbered(indexes: list[int]) -> list[int]:
    """Line numbers as people count them (from 1), sorted, once each."""
    return sorted({i + 1 for i in indexes if i >= 0})


def span(numbers: list[int]) -> str:
    """ "line 4", "lines 4-5", "lines 4-6, 9" for a report line."""
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs[:4]]
    more = ", ..." if len(runs) > 4 else ""
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(parts) + more


REVIEW_FIELDS = ("ua_number", "title", "persons", "summary", "demands", "deadline")
MAX_REVIEW_TARGETS = 8  # the page's style sheet highlights this many targets


def review_sources(sources: dict[str, list[int]]) -> dict[str, list[int]]:
    """The sources by the review form's fields: "persons" and "demands" gather their items,
    each target keeps its own ("targets-1")."""
    out: dict[str, list[int]] = {}
    for key, numbers in sources.items():
        name, _, n = key.partition(".")
        if name == "targets" and n.isdigit() and int(n) <= MAX_REVIEW_TARGETS:
            out[f"targets-{n}"] = list(numbers)
        elif name in REVIEW_FIELDS:
            out[name] = sorted({*out.get(name, []), *numbers})
    return out
