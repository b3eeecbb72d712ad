"""What an organiser should check by hand: the fields the importer read but is not sure of.

Each check is one line of the validation report ("check: ..."): a summary that may be cut, a
demand that may hold two, people taken from the summary sentence rather than a names line,
a title joined from several lines, a target addressed by role with no one named.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ua_bot.importer.countries import region_for
from ua_bot.importer.sources import span
from ua_bot.importer.story import Story
from ua_bot.model import Case, Target

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")
# a second ask left inside one demand: "..., and to ensure ...", "... and for you to ..."
_TWO_ASKS = re.compile(
    r"(?:[,;]\s+and\s+(?:for\s+[^,;]{1,40}?\s+)?|\s+and\s+for\s+[^,;]{1,40}?\s+)to\s+[a-z]+"
    r"|\band\s+(?:I|we)\s+(?:\w+\s+)?(?:urge|ask|call)\b",
    re.IGNORECASE,
)
_LONG_DEMAND = 60  # words


@dataclass
class Doubts:
    """What the parsers had to guess, beyond what the case's fields show."""

    targets: list[tuple[Target, str]] = field(default_factory=list)
    announced: tuple[int, str, int] | None = None  # (count, "these three officials", line)
    deadline: str = ""  # the unusual phrase the deadline came from
    concern_below: bool = False  # the title was a paragraph of its own under the UA line
    headings: list[tuple[int, str]] = field(default_factory=list)  # joined over two lines


_PARTICLE_END = re.compile(r"\s(?:al|el|bin|ibn|abu|de|del|da|van|von|of|and|the|la)$", re.I)
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")


def _odd_name(name: str) -> str:
    """Why a person's name looks cut or joined, or ""."""
    words = name.split()
    if len(words) == 1:
        return "one word only"
    if len(words) > 7:
        return f"{len(words)} words"
    if _PARTICLE_END.search(name) or name[-1:] in ",;:":
        return "it ends mid-name"
    if _ACRONYM.search(name) and not name.isupper():
        return "it holds an abbreviation"
    if "(" in name or ")" in name or "/" in name:
        return "it holds brackets or a slash"
    return ""


def _target_checks(case: Case, doubts: Doubts, where: Callable[[str], str]) -> list[str]:
    out: list[str] = []
    direct = [t for t in case.targets if not t.is_copy]
    for n, target in enumerate(case.targets, start=1):
        who = f"Target {n} ({target.name})"
        at = where(f"targets.{n}")
        if target.name and target.name in (target.title, target.organisation):
            out.append(f"Target {n} has no person's name: addressed as {target.name!r}{at}.")
        elif _odd_name(target.name):
            out.append(f"{who}: the name may be cut or joined ({_odd_name(target.name)}){at}.")
        for t, doubt in doubts.targets:
            if t is target:
                out.append(f"{who}: {doubt}{at}.")
        if not target.is_copy and not target.salutation:
            out.append(f"{who} has no salutation: none was found beside it{at}.")
        if target.title and _PARTICLE_END.search(target.title):
            out.append(f"{who}: the role {target.title!r} ends mid-phrase{at}.")
    if doubts.announced and doubts.announced[0] != len(direct):
        _, phrase, line = doubts.announced
        out.append(
            f"The document announces {phrase!r} (line {line + 1}) but {len(direct)} "
            f"official(s) were read: one may be missing, split or joined."
        )
    return out


def checks(
    case: Case,
    story: Story,
    *,
    from_letter: bool,
    doubts: Doubts | None = None,
    sources: dict[str, list[int]] | None = None,
) -> list[str]:
    """The report's "check" lines for this case, each naming the lines it was read from."""
    doubts = doubts or Doubts()
    sources = sources or {}

    def where(key: str) -> str:
        found = span(sources.get(key, []))
        return f" ({found})" if found else ""

    out: list[str] = []
    summary = case.summary.strip()
    if summary and (not _SENTENCE_END.search(summary) or summary.isupper()):
        out.append(
            f"Summary may be cut (it does not end a sentence): {_short(summary)!r}"
            f"{where('summary')}."
        )
    if story.summary_lines > 1:
        out.append(
            f"Summary joined from {story.summary_lines} hard-wrapped lines: {_short(summary)!r}"
            f"{where('summary')}."
        )
    if story.title_lines > 1:
        out.append(f"Title joined from {story.title_lines} lines: {case.title!r}{where('title')}.")
    if story.masthead:
        out.append(
            f"Title taken after {story.masthead} line(s) of the document's own heading: "
            f"{case.title!r}{where('title')}."
        )
    if doubts.concern_below:
        out.append(
            f"Title taken from the paragraph under the UA number: {case.title!r}{where('title')}."
        )
    if case.persons and story.persons_from == "summary":
        names = ", ".join(p for p in case.persons if p not in story.kin)
        if names:
            out.append(f"Name(s) taken from the summary sentence: {names}{where('summary')}.")
    for n, person in enumerate(case.persons, start=1):
        why = _odd_name(person) if not _KIN_WORDS.match(person) else ""
        if why:
            out.append(f"Name {person!r} may be cut or joined ({why}){where(f'persons.{n}')}.")
    if story.kin:
        out.append(
            f"Also named in the summary as kin or colleagues: {', '.join(story.kin)}; "
            "check they are at risk too."
        )
    for n, demand in enumerate(case.demands, start=1):
        if _TWO_ASKS.search(demand) or len(demand.split()) > _LONG_DEMAND:
            source = " (from the model letter)" if from_letter else ""
            out.append(
                f"Demand {n} may hold two demands{source}: {_short(demand)!r}"
                f"{where(f'demands.{n}')}."
            )
        if _GLUED_HEADING.search(demand):
            out.append(
                f"Demand {n} may end with a heading glued to it: {_short(demand[-70:])!r}"
                f"{where(f'demands.{n}')}."
            )
    if case.country and not region_for(case.country):
        out.append(f"Country {case.country!r} is read as written: no country name I know.")
    for at, heading in doubts.headings:
        out.append(f"Heading joined from 2 lines: {_short(heading)!r} (lines {at + 1}-{at + 2}).")
    out += _target_checks(case, doubts, where)
    if doubts.deadline and case.deadline:
        out.append(
            f"Deadline {case.deadline.isoformat()} taken from a phrase that is no deadline "
            f"heading: {_short(doubts.deadline)!r}{where('deadline')}."
        )
    return out


_GLUED_HEADING = re.compile(r"(?:\b[A-Z]{2,}[,:]?\s+){3,}[A-Z0-9]+\W*$")
_KIN_WORDS = re.compile(r"^(?:his|her|their)\s", re.IGNORECASE)


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
