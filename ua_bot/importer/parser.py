"""From normalised lines to an :class:`ImportResult`: run each field's parser, then report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ua_bot.importer.checks import Doubts, checks
from ua_bot.importer.countries import country_of_address, display_name, region_for
from ua_bot.importer.deadline import Deadline, find_deadline
from ua_bot.importer.demands import Letter, find_letter, list_demands
from ua_bot.importer.header import Header, parse_header
from ua_bot.importer.languages import inline_languages, split_languages
from ua_bot.importer.outcome import find_outcome
from ua_bot.importer.result import ImportReport, ImportResult
from ua_bot.importer.sections import Doc, Section, split_sections
from ua_bot.importer.sources import lines_of, numbered
from ua_bot.importer.story import mentioned_country, parse_story
from ua_bot.importer.targets import assign_salutations, parse_targets
from ua_bot.importer.wrapped import join_wrapped_headings
from ua_bot.model import Case, CaseStatus, Target

REQUIRED = ("ua_number", "title", "demands", "targets")
EXPECTED = ("summary", "persons", "country", "deadline")
_CLOSING = re.compile(r"\bno further action is (?:requested|needed|required)\b", re.I)
_BOILERPLATE = ("report_back", "leftover", "check_section")
_DIPLOMATIC = (
    "The document asks for copies to the country's diplomatic representatives accredited to "
    "yours: add them by hand if you want to."
)


def _lines(doc: Doc, section: Section) -> list[tuple[int, str]]:
    return [(i, doc.lines[i]) for i in section.body if i not in doc.used]


def _demands(doc: Doc) -> tuple[list[str], list[str], Letter | None, list[tuple[int, str]]]:
    """Demands, instruction texts (for languages), the model letter, target lines before it."""
    demands: list[str] = []
    instructions: list[str] = []
    for section in doc.of_kind("demands"):
        doc.use(section.at)
        instructions.append(section.rest() or doc.lines[section.at or 0])
        items, used, more = list_demands(_lines(doc, section))
        doc.use(*used)
        demands += items
        instructions += more
    letter: Letter | None = None
    target_lines: list[tuple[int, str]] = []
    for section in doc.of_kind("letter", "letter_targets"):
        doc.use(section.at)
        before, found = find_letter(_lines(doc, section))
        if found is not None:
            doc.use(*found.lines)
            letter = letter or found
        if section.kind == "letter_targets":
            target_lines += before
    if not demands and letter is not None:
        demands = list(letter.asks)
    return demands, instructions, letter, target_lines


@dataclass
class _Targets:
    direct: list[Target] = field(default_factory=list)
    copies: list[Target] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    doubts: list[tuple[Target, str]] = field(default_factory=list)
    lines: dict[int, list[int]] = field(default_factory=dict)  # id(target) -> line indexes
    announced: tuple[int, str, int] | None = None  # (count, heading, its line)


_COUNT_WORDS = {"this": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_ANNOUNCED = re.compile(
    r"\b(?P<n>this|one|two|three|four|five|six)\s+(?:\w+\s+)?(?:officials?|authorities|"
    r"targets?|people|addresses)\b",
    re.IGNORECASE,
)


def _targets(
    doc: Doc, region: str | None, extra: list[tuple[int, str]], letter: Letter | None
) -> _Targets:
    out = _Targets()
    groups = [(_lines(doc, s), False, s.at) for s in doc.of_kind("targets")]
    if extra:
        groups.append((extra, False, None))
    groups += [(_lines(doc, s), True, s.at) for s in doc.of_kind("copies")]
    for lines, is_copy, at in groups:
        doc.use(at)
        found = parse_targets(lines, is_copy=is_copy, region=region)
        doc.use(*found.used)
        (out.copies if is_copy else out.direct).extend(found.targets)
        out.warnings += found.warnings
        out.doubts += found.doubts
        out.lines.update(found.lines)
        m = _ANNOUNCED.search(doc.lines[at]) if at is not None and not is_copy else None
        if m and at is not None and out.announced is None:
            out.announced = (_COUNT_WORDS[m.group("n").lower()], m.group(0), at)
    direct, warnings = out.direct, out.warnings
    if letter and letter.opening:
        assign_salutations(direct, [(-1, letter.opening, False)], out.doubts)
        for t in direct:
            if t.salutation == letter.opening:
                out.lines.setdefault(id(t), []).append(letter.lines[0])
    for section in doc.of_kind("copies"):
        if "diplomatic" in section.rest().lower():
            warnings.append(_DIPLOMATIC)
    for section in doc.of_kind("copies_note"):
        doc.use(section.at, *section.body)
        warnings.append(_DIPLOMATIC)
    out.warnings = list(dict.fromkeys(warnings))
    return out


def _languages(doc: Doc, instructions: list[str]) -> list[str]:
    found: list[str] = []
    for section in doc.of_kind("language"):
        found += split_languages(doc.value(section))
        doc.use(*section.body)
    for text in instructions:
        found += inline_languages(text)
    for section in doc.of_kind("targets", "letter_targets"):
        found += inline_languages(section.rest())
    return list(dict.fromkeys(found))


def _contact_warnings(targets: list[Target]) -> list[str]:
    out = []
    for n, t in enumerate(targets, start=1):
        who = f"Target {n} ({t.name})"
        if not t.channels():
            out.append(f"{who} has no address, e-mail, phone, fax or handle.")
        elif not (t.emails or t.phones or t.faxes or t.handles):
            out.append(f"{who} has no contact line (e-mail, phone, fax or handle): letters only.")
    return out


def _closing_and_link(doc: Doc) -> tuple[bool, str]:
    """Whether this update closes the action; the link to the previous UA."""
    closing = False
    for i, line in enumerate(doc.lines):
        if _CLOSING.search(line):
            closing = True
            if i not in doc.used and len(line) < 200:
                doc.use(i)
    previous = ""
    for section in doc.of_kind("previous_link"):
        previous = doc.value(section)
    return closing, previous


def parse_lines(lines: list[str]) -> ImportResult:
    """Parse a document's normalised lines.

    Not importable (errors): no UA number, no title, or neither demands nor targets; an
    update may have neither (the original case keeps its own), which is a warning.
    """
    lines, wrapped_headings = join_wrapped_headings(lines)
    doc = split_sections(lines)
    header = parse_header(doc)
    story = parse_story(doc, header)
    if story.update_ordinal and story.update_ordinal != "first" and not header.update_of:
        header.update_of = header.ua_number
    demands, instructions, letter, letter_targets = _demands(doc)
    region = region_for(story.country) if story.country else None
    found = _targets(doc, region, letter_targets, letter)
    direct, copies, target_warnings = found.direct, found.copies, found.warnings
    if not story.country:
        where = next((country_of_address(t.address) for t in direct if t.address), None)
        story.country = display_name(where) if where else mentioned_country(
            [story.title, story.summary]
        )
    languages = _languages(doc, instructions)
    deadline = find_deadline(doc, header.issue_date)
    closing, previous = _closing_and_link(doc)
    for section in doc.of_kind(*_BOILERPLATE):
        doc.use(section.at, *section.body)
    outcome = (
        find_outcome(story.title, [story.summary, *story.details]) if header.update_of else None
    )

    report = ImportReport()
    report.warnings += header.warnings + target_warnings + deadline.warnings
    case = Case(
        ua_number=header.ua_number or "",
        title=story.title,
        summary=story.summary,
        persons=story.persons,
        country=story.country,
        demands=demands,
        targets=direct + copies,
        deadline=deadline.date,
        additional_information=story.additional_information,
        status=CaseStatus.DRAFT,
        outcome=outcome or "",
        ua_written=header.ua_written,
        issue_date=header.issue_date,
        languages=languages,
        letter=letter.text if letter else "",
    )
    result = ImportResult(
        case=case,
        report=report,
        update_of=header.update_of,
        outcome=outcome,
        copies_to=copies,
        layout=story.layout,
        index_number=header.index_number,
        details=story.details,
        deadline_wording=deadline.wording,
        previous_ua_link=previous,
        closing=closing,
        lines=doc.lines,
    )
    _fill_report(result, doc)
    if result.case is not None:
        from_letter = bool(letter) and demands == list(letter.asks if letter else [])
        report.sources = field_sources(doc, result.case, found.lines, header, deadline)
        report.checks = checks(
            result.case,
            story,
            from_letter=from_letter,
            doubts=Doubts(
                targets=found.doubts,
                announced=found.announced,
                deadline=deadline.unusual,
                concern_below=header.concern_below,
                headings=wrapped_headings,
            ),
            sources=report.sources,
        )
    return result


def _first_run(indexes: list[int]) -> list[int]:
    """The first run of consecutive line indexes (a paragraph wrapped over lines)."""
    return [i for n, i in enumerate(indexes) if i == indexes[0] + n]


def field_sources(
    doc: Doc, case: Case, target_lines: dict[int, list[int]], header: Header, deadline: Deadline
) -> dict[str, list[int]]:
    """Field -> the document's line numbers (from 1) it was read from; one entry a person,
    demand and target ("persons.1", "demands.2", "targets.1")."""
    out: dict[str, list[int]] = {}
    written = header.ua_written
    ua = [i for i, line in enumerate(doc.lines) if written and written in line]
    out["ua_number"] = numbered(ua[:1])
    first_copy = set(range(len(doc.lines))) - doc.repeats  # not page 2's banner and title
    title = lines_of(doc, case.title, within=first_copy) if case.title else []
    out["title"] = numbered(_first_run(title))
    out["summary"] = numbered(_first_run(lines_of(doc, case.summary))) if case.summary else []
    for n, person in enumerate(case.persons, start=1):
        out[f"persons.{n}"] = numbered(lines_of(doc, person)[:3])
    for n, demand in enumerate(case.demands, start=1):
        out[f"demands.{n}"] = numbered(lines_of(doc, demand)[:2])
    for n, target in enumerate(case.targets, start=1):
        out[f"targets.{n}"] = numbered(target_lines.get(id(target), []))
    out["deadline"] = numbered(deadline.lines)
    if case.issue_date:
        out["issue_date"] = numbered(list(header.b_lines[:1])) or out["ua_number"]
    return {k: v for k, v in out.items() if v}


def _fill_report(result: ImportResult, doc: Doc) -> None:
    case, report = result.case, result.report
    assert case is not None
    values = {
        "ua_number": case.ua_number,
        "title": case.title,
        "summary": case.summary,
        "persons": case.persons,
        "country": case.country,
        "demands": case.demands,
        "targets": [t for t in case.targets if not t.is_copy],
        "copies_to": result.copies_to,
        "deadline": case.deadline,
        "additional_information": case.additional_information,
        "issue_date": case.issue_date,
        "languages": case.languages,
        "letter": case.letter,
        "update_of": result.update_of,
        "outcome": result.outcome,
        "index_number": result.index_number,
        "details": result.details,
    }
    report.found = [name for name, value in values.items() if value]
    report.missing = [name for name in (*REQUIRED, *EXPECTED) if not values[name]]
    is_update = bool(result.update_of)
    if not case.ua_number:
        report.errors.append(
            "No UA number found (such as 'UA 123/17', 'Urgent Action 253.17' or 'UA: 123/13')."
        )
    if not case.demands and not values["targets"] and not case.persons and not is_update:
        report.errors.append(
            "No demands, officials or people at risk found: this does not look like a UA."
        )
    elif not case.title and case.ua_number:  # a UA all the same: keep what was read
        report.warnings.append("No title found: add it by hand on the review page.")
    if report.errors:
        pass
    elif not case.demands and not values["targets"] and not is_update:
        report.warnings.append(
            "No demands and no officials found: the draft keeps what was read; add them by hand."
        )
    elif not case.demands:
        report.warnings.append(
            "No demands found"
            + (": the update keeps the original's." if is_update else ": add them by hand.")
        )
    elif not values["targets"]:
        report.warnings.append(
            "No targets found"
            + (": the update keeps the original's." if is_update else ": add them by hand.")
        )
    report.warnings += _contact_warnings(case.targets)
    if case.deadline is None and not report.errors:
        report.warnings.append(
            f"No deadline date ({result.deadline_wording!r})." if result.deadline_wording
            else "No deadline date found."
        )
    if result.closing:
        report.warnings.append("This is a closing update: no further action is requested.")
    report.unused_lines = [
        line
        for i, line in enumerate(doc.lines)
        if line.strip() and i not in doc.used and i not in doc.repeats
        and not any(i == at for at, _ in doc.info)
    ]
    if report.errors:
        result.case = None
