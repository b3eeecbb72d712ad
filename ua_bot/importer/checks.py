"""What an organiser should check by hand: the fields the importer read but is not sure of.

Each check is one line of the validation report ("check: ..."): a summary that may be cut, a
demand that may hold two, people taken from the summary sentence rather than a names line,
a title joined from several lines, a target addressed by role with no one named.
"""

from __future__ import annotations

import re

from ua_bot.importer.story import Story
from ua_bot.model import Case

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")
# a second ask left inside one demand: "..., and to ensure ...", "... and for you to ..."
_TWO_ASKS = re.compile(
    r"(?:[,;]\s+and\s+(?:for\s+[^,;]{1,40}?\s+)?|\s+and\s+for\s+[^,;]{1,40}?\s+)to\s+[a-z]+"
    r"|\band\s+(?:I|we)\s+(?:\w+\s+)?(?:urge|ask|call)\b",
    re.IGNORECASE,
)
_LONG_DEMAND = 60  # words


def checks(case: Case, story: Story, *, from_letter: bool) -> list[str]:
    """The report's "check" lines for this case."""
    out: list[str] = []
    summary = case.summary.strip()
    if summary and (not _SENTENCE_END.search(summary) or summary.isupper()):
        out.append(f"Summary may be cut (it does not end a sentence): {_short(summary)!r}.")
    if story.title_lines > 1:
        out.append(f"Title joined from {story.title_lines} lines: {case.title!r}.")
    if case.persons and story.persons_from == "summary":
        names = ", ".join(p for p in case.persons if p not in story.kin)
        if names:
            out.append(f"Name(s) taken from the summary sentence: {names}.")
    if story.kin:
        out.append(
            f"Also named in the summary as kin or colleagues: {', '.join(story.kin)}; "
            "check they are at risk too."
        )
    for n, demand in enumerate(case.demands, start=1):
        if _TWO_ASKS.search(demand) or len(demand.split()) > _LONG_DEMAND:
            source = " (from the model letter)" if from_letter else ""
            out.append(f"Demand {n} may hold two demands{source}: {_short(demand)!r}.")
    for n, target in enumerate(case.targets, start=1):
        if target.name and target.name in (target.title, target.organisation):
            out.append(f"Target {n} has no person's name: addressed as {target.name!r}.")
    return out


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
