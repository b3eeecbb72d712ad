"""The case's story: title, summary, the paragraphs after it, the people at risk, the country,
and the additional (background) information."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ua_bot.importer.countries import countries_in, display_name, region_for
from ua_bot.importer.header import DATE_LINE, MENTION, Header
from ua_bot.importer.reflow import in_capitals
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
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"  # a name's first letter
# a transliterated Arabic name's words: "'Abd", "al-Rahman", "Sa'id", "al-'Izz"
_ARTICLE = r"(?:al|el|ad|ar|as|ash|at|az|an|ibn|abu|bin|ben)-['’]?[\w'’-]+"
_NAME_WORD = (
    rf"(?:['’]?[{_UPPER}][\w'’.-]*|{_ARTICLE}|al|bin|bint|de|del|da|dos|van|von|el|la|ibn)"
)
_NAME_RUN = re.compile(rf"(?:['’]?[{_UPPER}][\w'’.-]+)(?:\s+{_NAME_WORD})*")
_GENDER = re.compile(
    rf"(?P<name>['’]?[{_UPPER}][\w'’.-]+(?:\s+{_NAME_WORD}){{0,6}})\s*\((?:m|f|male|female)\)"
)
_DOCUMENT_PREFIX = re.compile(r"^(?:document|documento)\s*[-–:]\s*", re.IGNORECASE)
_COUNT = re.compile(
    r"^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|dozens?|several|many|some|"
    r"all|both|at least)\b",
    re.IGNORECASE,
)
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
    update_ordinal: str = ""
    persons_from: str = ""  # "trailer", "names line" or "summary": how sure the names are
    kin: list[str] = field(default_factory=list)  # named in the summary as kin or colleagues
    title_lines: int = 1
    masthead: int = 0  # lines of a group's own heading skipped before the title
    summary_lines: int = 1  # hard-wrapped lines joined into the summary


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


_UPDATE_SUFFIX = re.compile(r"\s*\((?P<ord>\w+)\s+update\)\s*$", re.IGNORECASE)
_NUMBER_SUFFIX = re.compile(r"\s*\((?:UA|urgent action)\s*\d{1,4}\s*[/.]\s*\d{2,4}\)\s*$", re.I)


def split_update_suffix(title: str) -> tuple[str, str]:
    """ "ACTIVIST SENTENCED (Second update)" -> ("ACTIVIST SENTENCED", "second"); a trailing
    "(UA 88/16)", as AIUSA web titles have, goes too."""
    title = _NUMBER_SUFFIX.sub("", title)
    m = _UPDATE_SUFFIX.search(title)
    if not m:
        return title, ""
    return title[: m.start()].strip(), m.group("ord").lower()


_CONNECTOR = {"AND", "THE", "OF", "&"}


def _country_line(line: str) -> tuple[str, str] | None:
    """ "COLOMBIA Danilo Rueda (m), human rights defender" -> ("Colombia", "Danilo Rueda ...").

    A country of several words joined by "AND" goes on in capitals past the name known
    ("ISRAEL AND THE OCCUPIED TERRITORIES", "SERBIA AND MONTENEGRO (KOSOVO)"): the whole run
    in capitals is the country, as the document writes it (a region in brackets dropped)."""
    words = line.split()
    for n in range(min(5, len(words)), 0, -1):  # the longest country name in capitals
        head = " ".join(words[:n]).strip(":,")
        region = region_for(head) if head.isupper() else None
        if region:
            longer = _capitals_run(words, n)
            if longer > n:
                return _as_written(words[:longer]), " ".join(words[longer:]).lstrip(":,- ")
            return display_name(region), " ".join(words[n:]).lstrip(":,- ")
    return None


def _capitals_run(words: list[str], known: int) -> int:
    """How far a country in capitals goes past its known first words: on through "AND",
    "THE", "OF" and capitals up to the first word in mixed case (a name)."""
    if known >= len(words) or words[known] not in _CONNECTOR:
        return known
    n = known
    while n < len(words) and words[n].isupper() and len(words) - n > 1:
        n += 1
    if n >= len(words) or not words[n][:1].isupper() or words[n].isupper():
        return known  # the name after it must be in mixed case
    if words[n - 1] in _CONNECTOR:
        return known
    return n


def _as_written(words: list[str]) -> str:
    """ "SERBIA AND MONTENEGRO (KOSOVO)" -> "Serbia and Montenegro"."""
    text = _PARENS.sub("", " ".join(words)).strip(" :,")
    return " ".join(
        w.lower() if w in _CONNECTOR else w.capitalize() for w in text.split()
    )


def names_in(text: str) -> list[str]:
    """People named in a names line: those marked (m)/(f), else the text before a comma."""
    marked = [m.group("name") for m in _GENDER.finditer(text)]
    if marked:
        return [re.sub(r"^(?:and|And)\s+", "", n).strip() for n in marked]
    text = re.sub(r"^new names?\s*:\s*", "", text, flags=re.IGNORECASE)
    first = _PARENS.sub("", text).split(",")[0].strip()
    return [first] if first and _NAME_RUN.fullmatch(first) else []


def names_block(lines: list[str]) -> list[str]:
    """People in the names lines under a UA line. A list marked (m)/(f) is read as one text,
    as it wraps anywhere ("Ram Prasad" / "Shrestha (m)"); an unmarked one line by line."""
    joined = " ".join(line.strip() for line in lines)
    if _GENDER.search(joined):
        return [without_role(n) for n in names_in(joined)]
    return [without_role(n) for line in lines for n in names_in(line)]


def without_role(name: str) -> str:
    """A name without the title or role word before it: "Father X", "Student X", "Dr X"."""
    words = name.split()
    while len(words) > 2 and words[0].lower().rstrip(".") in _ROLE_WORDS:
        words = words[1:]
    return " ".join(words)


_ROLE_WORDS = {
    "father", "sister", "brother", "reverend", "rev", "fr", "dr", "mr", "mrs", "ms", "miss",
    "student", "students", "blogger", "lawyer", "doctor", "doctors", "teacher", "journalist",
    "activist", "defender", "leader", "poet", "writer", "artist", "farmer", "priest", "imam",
    "pastor", "nurse", "worker", "unionist", "professor", "prof", "engineer", "musician",
    "rapper", "photographer", "filmmaker", "photojournalist", "cartoonist",
}  # fmt: skip
_KIN_NAMED = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir)\s+(?:\w+\s+)?(?:colleague|colleagues|wife|husband|brother|"
    r"sister|son|daughter|mother|father|cousin|partner|nephew|niece|fiancée?|co-?worker|"
    r"co-defendant|editor|friend|comrade|co-founder)"
    r",?\s+(?:the\s+[a-z]+\s+)?(?P<name>[" + _UPPER + r"][\w'’-]+(?:\s+" + _NAME_WORD + r"){1,4})"
)


def kin_persons(summary: str) -> list[str]:
    """People the summary names as someone's kin or colleague: "His colleague Ana Ruiz was
    ...", "His wife, Li Mei, has ..." (they are often at risk too)."""
    out = []
    for m in _KIN_NAMED.finditer(summary):
        words = m.group("name").split()
        while words and words[-1][:1].islower():
            words.pop()
        if len(words) >= 2 and not region_for(" ".join(words)):
            out.append(" ".join(words))
    return out


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
        part = re.sub(r"^(?:among\s+(?:them|whom)|including)\s+", "", part.strip())
        if _KIN.match(part):
            people.append(part)
            continue
        if part[:1].islower():  # an apposition: "student leaders at the University of X"
            continue
        part = re.sub(r"^[\w-]+-year-old\s+", "", part)
        runs = _NAME_RUN.findall(part)
        if not runs:
            continue
        run = runs[-1].strip()
        words = run.split()
        while words and words[0] in _NOT_A_NAME:
            words = words[1:]
        if words and _COUNT.match(words[0]):  # "Twenty-six people", "Three students"
            continue
        if words and not region_for(" ".join(words)) and not region_for(words[0]):
            people.append(without_role(" ".join(words)))
    if people and all(_KIN.match(p) for p in people):
        return []
    return people


def _trailer_persons(doc: Doc) -> list[str]:
    for section in doc.of_kind("pronoun_trailer"):
        value = doc.value(section)
        names = [n.strip() for n in re.split(r"[;,]|\s+and\s+", _PARENS.sub("", value))]
        if any(names):
            return [n for n in names if n]
    for section in doc.of_kind("name_trailer"):
        rest = doc.value(section).strip()
        if rest and not _GENERIC_NAMES.match(rest):
            parts = re.split(r",\s*|\s+and\s+|;\s*", _PARENS.sub("", rest))
            return [p.strip() for p in parts if p.strip()]
    return []


def _story_persons(story: Story) -> list[str]:
    """The names block (or the summary's subject) and the kin or colleagues it names."""
    story.persons_from = "names line" if story.persons else "summary"
    found = story.persons or subject_persons(story.summary)
    story.kin = [p for p in kin_persons(story.summary) if p not in found]
    return list(dict.fromkeys([*found, *story.kin]))


def _mark_trailers(doc: Doc) -> None:
    for section in doc.of_kind("pronoun_trailer", "name_trailer", "gender_trailer"):
        doc.use(section.at)


def _labelled(doc: Doc, story: Story, e_title: Section) -> None:
    """E: ``URGENT ACTION TITLE:`` and ``URGENT ACTION SUMMARY:`` fields."""
    story.layout = "E"
    story.title = _DOCUMENT_PREFIX.sub("", doc.value(e_title)).strip()
    story.country = split_country(story.title)[0]
    summary = doc.first("e_summary")
    if summary is not None:
        doc.use(summary.at)
        body = _section_lines(doc, summary)
        doc.use(*body)
        story.summary = " ".join([summary.rest(), *doc.text(body)]).strip()


def _text_layout(doc: Doc, story: Story, header: Header, banner: Section | None) -> None:
    """A and B: the concern after the UA number is the title; names, then the story."""
    b_line = header.b_line
    assert b_line is not None
    story.layout = "A" if banner is not None and (banner.at or 0) < b_line else "B"
    if story.layout == "A" and banner is not None:  # the AIUSA office's own address lines
        doc.use(banner.at, *[i for i in banner.body if i < b_line])
    story.title = header.concern
    section = next(s for s in reversed(doc.sections) if s.at is None or s.at <= b_line)
    _b_body(doc, section, b_line, story)


_COUNTRY_DASH = re.compile(r"^(?P<country>[^–:-]{3,40}?)\s*[–-]\s+\S")


def _masthead(doc: Doc, story: Story, lines: list[int]) -> list[int]:
    """A local group's re-issue opens with its own lines: "Amnesty International - Gruppo
    31 Bologna", "Urgent Action UA 114/15", "Egypt – Yusuf Kamal ..."; the title follows."""
    skipped = 0
    while len(lines) - skipped > 2:
        line = doc.lines[lines[skipped]]
        dash = _COUNTRY_DASH.match(line)
        if len(line) > 100:
            break
        if dash and region_for(dash.group("country")):
            story.country = story.country or display_name(region_for(dash.group("country")) or "")
        elif not (re.search(r"\bamnesty\b", line, re.I) or MENTION.search(line)):
            break
        skipped += 1
    story.masthead = skipped
    return lines[skipped:]


def _first_lines(doc: Doc, story: Story, section: Section, *, masthead: bool = False) -> None:
    """C, D, F (after the banner) and plain documents: title, summary, details."""
    lines = [i for i in _section_lines(doc, section) if not DATE_LINE.match(doc.lines[i])]
    lines = _after_forwarding(doc, section, lines)
    if masthead:
        lines = _masthead(doc, story, lines)
    if lines:
        n = _title_length(doc, lines)
        story.country, story.title = split_country(" ".join(doc.lines[i] for i in lines[:n]))
        doc.use(*lines[:n])
        story.title_lines = n
        _body(doc, lines[n:], story)


def _after_forwarding(doc: Doc, section: Section, lines: list[int]) -> list[int]:
    """The lines after a forwarded UA's own header (a header line, or the banner again) that
    comes before the story: an AIUSA e-mail's lines above it are not the title."""
    first_long = next((i for i in lines if len(doc.lines[i]) > 120), None)
    start = -1 if section.at is None else section.at
    last = section.body[-1] if section.body else start
    end = min(first_long, last) if first_long is not None else last
    marks = [i for i in doc.repeats | {at for at, _ in doc.info} if start < i < end]
    return [i for i in lines if i > max(marks)] if marks else lines


def _title_length(doc: Doc, lines: list[int]) -> int:
    """How many lines the title takes: a title in capitals goes on while the lines after it
    are in capitals too (a long title wraps in Word and in PDF text)."""
    n = 1
    while (
        n < min(len(lines), 4)
        and in_capitals(doc.lines[lines[0]])
        and in_capitals(doc.lines[lines[n]])
        and lines[n] == lines[n - 1] + 1
    ):
        n += 1
    return n


def _banner_layout(doc: Doc) -> str:
    """C has the ``UA: n/yy Index: ...`` header line, F the model letter after the targets
    or a ``First UA:`` footer, D (AIUSA) neither."""
    leads = [h.group("lead").lower() for _, h in doc.infos("ua_line")]
    if doc.first("letter_targets") is not None or any(lead.startswith("first") for lead in leads):
        return "F"
    return "C" if leads else "D"


def _story_banner(doc: Doc) -> Section | None:
    """The banner the story follows: the second of two banners with nothing but forwarding
    lines between them (an AIUSA e-mail wrapping an IS UA), else the first."""
    banners = list(doc.of_kind("banner"))
    if len(banners) >= 2 and doc.sections.index(banners[1]) == doc.sections.index(banners[0]) + 1:
        return banners[1]
    return banners[0] if banners else None


def parse_story(doc: Doc, header: Header) -> Story:
    """Title, country, summary, details, persons and background, by layout family."""
    story = Story()
    e_title, banner = doc.first("e_title"), _story_banner(doc)
    if e_title is not None:
        _labelled(doc, story, e_title)
    elif header.b_line is not None and (header.concern or banner is None):
        _text_layout(doc, story, header, banner)
    elif banner is not None:
        story.layout = _banner_layout(doc)
        doc.use(banner.at)
        _first_lines(doc, story, banner)
    else:
        story.layout = "plain"
        _first_lines(doc, story, doc.sections[0], masthead=True)
    story.title, story.update_ordinal = split_update_suffix(story.title.strip().rstrip("."))
    region = region_for(story.country or header.country)
    story.country = display_name(region) if region else story.country or header.country
    trailer = _trailer_persons(doc)
    story.persons = trailer or _story_persons(story)
    if trailer:
        story.persons_from = "trailer"
    _mark_trailers(doc)
    story.additional_information = _background(doc)
    return story


def _body(doc: Doc, lines: list[int], story: Story) -> None:
    """Summary (the first paragraph) and details (the rest) of a head or banner section."""
    if not lines:
        return
    n = _wrapped_lines(doc, lines)
    story.summary = " ".join(doc.lines[i].strip() for i in lines[:n])
    story.summary_lines = n
    story.details = doc.text(lines[n:])
    doc.use(*lines)


_ENDS_SENTENCE = re.compile(r"[.!?…][\"')]*$")


def _wrapped_lines(doc: Doc, lines: list[int]) -> int:
    """How many lines the first paragraph takes when hard wrapping was not undone (too few
    lines to tell the width): lines of a wrapped width (55-100 characters) that end no
    sentence go on into the next line, with no blank line between."""
    n = 1
    while n < min(len(lines), 8):
        prev = doc.lines[lines[n - 1]].rstrip()
        if _ENDS_SENTENCE.search(prev) or lines[n] != lines[n - 1] + 1:
            break
        if not 55 <= len(prev) <= 100 or in_capitals(doc.lines[lines[n]]):
            break
        n += 1
    return n


def _b_body(doc: Doc, section: Section, b_line: int, story: Story) -> None:
    """After a "UA 78/05 Fear for safety" line: country and names lines, then the story."""
    lines = _section_lines(doc, section, after=b_line)
    names_done = False
    block: list[str] = []
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
            block.append(line)
            doc.use(i)
            continue
        names_done = True
        rest.append(i)
    story.persons = names_block(block)
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
