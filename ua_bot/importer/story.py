"""The case's story: title, summary, the paragraphs after it, the people at risk, the country,
and the additional (background) information."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ua_bot.importer.countries import countries_in, display_name, region_for
from ua_bot.importer.header import DATE_LINE, Header
from ua_bot.importer.sections import Doc, Section, paragraphs

_GENERIC_NAMES = re.compile(
    r"^(?:group|groups|various|several|n/?a|none|unknown|not known|withheld|\d+\b.*|"
    r"(?:all|both)\b.*|.*\b(?:people|persons|men|women|members|workers|students|families|"
    r"residents|community|communities|others)\b.*)$",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"\s(?:is|are|was|were|has|have|had|faces?|remains?|could|may|might|will|would|risks?|"
    r"continues?|stands?|went|goes|says?|said|must|should|needs?|been|being|received?|"
    r"appeared?|spent|fled|returned|disappeared)\b"
)
_PARENS = re.compile(r"\s*\([^()]*\)")
_KIN = re.compile(r"^(?:his|her|their)\s+\w+$", re.IGNORECASE)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|al|bin|bint|de|del|da|dos|van|von|el|la|ibn)"
_NAME_RUN = re.compile(rf"(?:[A-Z][\w'’.-]+)(?:\s+{_NAME_WORD})*")
_GENDER = re.compile(
    rf"(?P<name>[A-Z][\w'’.-]+(?:\s+{_NAME_WORD}){{0,5}})\s*\((?:m|f|male|female)\)"
)
_DOCUMENT_PREFIX = re.compile(r"^(?:document|documento)\s*[-–:]\s*", re.IGNORECASE)
_NOT_A_NAME = {
    "The", "A", "An", "Police", "Authorities", "Government", "Security", "Chinese", "Iranian",
    "Amnesty", "International", "Human", "Rights", "Defender", "Activist", "Journalist",
}  # fmt: skip


@dataclass
class Story:
    title: str = ""
    country: str = ""
    summary: str = ""
    details: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    additional_information: str = ""
    layout: str = ""


def _section_lines(doc: Doc, section: Section, *, after: int | None = None) -> list[int]:
    """Non-blank, not yet used lines of a section (after line ``after``)."""
    return [
        i
        for i in paragraphs(doc, section.body)
        if i not in doc.used and (after is None or i > after)
    ]


def split_country(title: str) -> tuple[str, str]:
    """ "China: North Koreans facing forcible return" -> ("China", "North Koreans ...")."""
    title = _DOCUMENT_PREFIX.sub("", title).strip()
    head, sep, tail = title.partition(":")
    if sep and tail.strip() and region_for(head):
        return display_name(region_for(head) or ""), tail.strip()
    return "", title


def _country_line(line: str) -> tuple[str, str] | None:
    """ "COLOMBIA Danilo Rueda (m), human rights defender" -> ("Colombia", "Danilo Rueda ...")."""
    m = re.match(r"^(?P<c>[A-Z][A-Z'’ .()-]*[A-Z)])(?:\s*[:,-]\s*|\s+)(?P<rest>.*)$", line)
    words = line.split()
    for n in range(min(5, len(words)), 0, -1):
        head = " ".join(words[:n]).strip(":,")
        if head.isupper() and region_for(head):
            return display_name(region_for(head) or ""), " ".join(words[n:]).lstrip(":,- ")
    if m and m.group("c").isupper() and region_for(m.group("c")):
        return display_name(region_for(m.group("c")) or ""), m.group("rest")
    return None


def names_in(text: str) -> list[str]:
    """People named in a names line: those marked (m)/(f), else the text before a comma."""
    marked = [m.group("name") for m in _GENDER.finditer(text)]
    if marked:
        return [re.sub(r"^(?:and|And)\s+", "", n).strip() for n in marked]
    text = re.sub(r"^new names?\s*:\s*", "", text, flags=re.IGNORECASE)
    first = _PARENS.sub("", text).split(",")[0].strip()
    return [first] if first and _NAME_RUN.fullmatch(first) else []


def subject_persons(summary: str) -> list[str]:
    """The people at risk named as the subject of the summary's first sentence.

    "Lee Su-jung (name being used in China, aged 24) and her son (aged 4) are ..." ->
    ["Lee Su-jung", "her son"]; "Human rights defender Ana Gómez was ..." -> ["Ana Gómez"].
    """
    sentence = _PARENS.sub("", summary.split(". ")[0])
    verb = _VERB.search(sentence)
    if not verb:
        return []
    subject = sentence[: verb.start()].strip(" ,")
    if len(subject) > 160:
        return []
    people: list[str] = []
    for part in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", subject):
        part = part.strip()
        if _KIN.match(part):
            people.append(part)
            continue
        runs = _NAME_RUN.findall(part)
        if not runs:
            continue
        run = runs[-1].strip()
        words = run.split()
        while words and words[0] in _NOT_A_NAME:
            words = words[1:]
        if words and not region_for(" ".join(words)) and not region_for(words[0]):
            people.append(" ".join(words))
    if people and all(_KIN.match(p) for p in people):
        return []
    return people


def _trailer_persons(doc: Doc) -> list[str]:
    for section in doc.of_kind("pronoun_trailer"):
        names = [_PARENS.sub("", n).strip() for n in re.split(r";|\s+and\s+", section.rest())]
        if any(names):
            return [n for n in names if n]
    for section in doc.of_kind("name_trailer"):
        rest = section.rest().strip()
        if rest and not _GENERIC_NAMES.match(rest):
            parts = re.split(r",\s*|\s+and\s+|;\s*", _PARENS.sub("", rest))
            return [p.strip() for p in parts if p.strip()]
    return []


def _mark_trailers(doc: Doc) -> None:
    for section in doc.of_kind("pronoun_trailer", "name_trailer", "gender_trailer"):
        doc.use(section.at)


def parse_story(doc: Doc, header: Header) -> Story:
    story = Story()
    e_title = doc.first("e_title")
    banner = doc.first("banner")
    if e_title is not None:
        story.layout = "E"
        doc.use(e_title.at)
        title = e_title.rest()
        if not title:
            lines = _section_lines(doc, e_title)
            title = doc.lines[lines[0]] if lines else ""
            doc.use(*lines[:1])
        story.country, story.title = split_country(title)
        summary = doc.first("e_summary")
        if summary is not None:
            doc.use(summary.at)
            body = _section_lines(doc, summary)
            doc.use(*body)
            story.summary = " ".join([summary.rest(), *doc.text(body)]).strip()
    elif header.b_line is not None:
        story.layout = "A" if banner is not None and banner.at < header.b_line else "B"
        story.title = header.concern
        section = next(s for s in reversed(doc.sections) if s.at is None or s.at <= header.b_line)
        _b_body(doc, section, header.b_line, story)
    elif banner is not None:
        story.layout = "C" if doc.infos("ua_line") else "D"
        doc.use(banner.at)
        lines = [i for i in _section_lines(doc, banner) if not DATE_LINE.match(doc.lines[i])]
        if lines:
            story.country, story.title = split_country(doc.lines[lines[0]])
            doc.use(lines[0])
            _body(doc, lines[1:], story)
    else:
        story.layout = "plain"
        head = doc.sections[0]
        lines = _section_lines(doc, head)
        if lines:
            story.country, story.title = split_country(doc.lines[lines[0]])
            doc.use(lines[0])
            _body(doc, lines[1:], story)
    if doc.first("letter_targets") is not None and story.layout in ("C", "D"):
        story.layout = "F"
    if (
        doc.infos("ua_line")
        and story.layout == "D"
        and any(h.group("lead").lower().startswith("first") for _, h in doc.infos("ua_line"))
    ):
        story.layout = "F"
    story.title = story.title.strip().rstrip(".")
    story.country = story.country or header.country
    if story.country and region_for(story.country):
        story.country = display_name(region_for(story.country) or "")
    story.persons = _trailer_persons(doc) or story.persons or subject_persons(story.summary)
    _mark_trailers(doc)
    story.additional_information = _background(doc)
    return story


def _body(doc: Doc, lines: list[int], story: Story) -> None:
    """Summary (the first paragraph) and details (the rest) of a head or banner section."""
    if not lines:
        return
    story.summary = doc.lines[lines[0]]
    story.details = doc.text(lines[1:])
    doc.use(*lines)


def _b_body(doc: Doc, section: Section, b_line: int, story: Story) -> None:
    """After a "UA 78/05 Fear for safety" line: country and names lines, then the story."""
    lines = _section_lines(doc, section, after=b_line)
    names_done = False
    persons: list[str] = []
    rest: list[int] = []
    for i in lines:
        line = doc.lines[i]
        if not names_done and DATE_LINE.match(line):
            doc.use(i)
            continue
        short = len(line) < 160 and (not line.endswith(".") or _GENDER.search(line))
        if not names_done and short:
            found = _country_line(line)
            if found and not story.country:
                story.country, line = found
            persons += names_in(line)
            doc.use(i)
            continue
        names_done = True
        rest.append(i)
    story.persons = persons
    _body(doc, rest, story)


def _background(doc: Doc) -> str:
    """The background / additional information sections, paragraphs split by blank lines."""
    parts: list[str] = []
    for section in doc.of_kind("background"):
        doc.use(section.at)
        body = _section_lines(doc, section)
        doc.use(*body)
        parts += doc.text(body)
    return "\n\n".join(parts)


def mentioned_country(texts: list[str]) -> str:
    """The country named first in these texts (title, summary), or ""."""
    for text in texts:
        found = countries_in(text)
        if found:
            return display_name(found[0][0])
    return ""
