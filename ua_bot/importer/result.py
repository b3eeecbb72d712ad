"""What an import returns: the draft case, the update it belongs to, and a validation report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ua_bot.model import Case, Target


@dataclass
class ImportReport:
    """What the importer found, missed, left over, and why a document may not be importable."""

    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unused_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # fields read but not sure: check by hand
    # field ("title", "persons.1", "targets.2" ...) -> the document's line numbers, from 1
    sources: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the document can be imported (no errors)."""
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "found": list(self.found),
            "missing": list(self.missing),
            "unused_lines": list(self.unused_lines),
            "warnings": list(self.warnings),
            "errors": list(self.errors),
            "checks": list(self.checks),
            "sources": {k: list(v) for k, v in self.sources.items()},
        }

    def render(self, max_unused: int = 8) -> str:
        """A short plain-text report, one item per line."""
        lines = ["Validation report: " + ("importable" if self.ok else "NOT importable")]
        lines += [f"  error: {e}" for e in self.errors]
        if self.found:
            lines.append("  found: " + ", ".join(self.found))
        if self.missing:
            lines.append("  missing: " + ", ".join(self.missing))
        lines += [f"  warning: {w}" for w in self.warnings]
        lines += [f"  check: {c}" for c in self.checks]
        if self.unused_lines:
            lines.append(f"  unused lines: {len(self.unused_lines)}")
            for text in self.unused_lines[:max_unused]:
                lines.append("    | " + (text if len(text) <= 90 else text[:87] + "..."))
            if len(self.unused_lines) > max_unused:
                lines.append(f"    | ... and {len(self.unused_lines) - max_unused} more")
        return "\n".join(lines)


def _target_json(t: Target) -> dict[str, Any]:
    return {
        "name": t.name,
        "title": t.title,
        "organisation": t.organisation,
        "address": list(t.address),
        "emails": list(t.emails),
        "phones": list(t.phones),
        "faxes": list(t.faxes),
        "salutation": t.salutation,
        "notes": list(t.notes),
        "handles": list(t.handles),
    }


@dataclass
class ImportResult:
    """The parsed case (``None`` when the report has errors) and what goes with it.

    ``copies_to`` holds the targets marked ``is_copy``; they are also in ``case.targets``.
    The importer-only fields after ``copies_to`` are not part of :meth:`to_json`.
    """

    case: Case | None
    report: ImportReport
    update_of: str | None = None
    outcome: str | None = None
    copies_to: list[Target] = field(default_factory=list)
    layout: str = ""
    index_number: str = ""
    details: list[str] = field(default_factory=list)
    deadline_wording: str = ""
    previous_ua_link: str = ""
    closing: bool = False
    lines: list[str] = field(default_factory=list)  # the document as read (report.sources)

    def to_json(self) -> dict[str, Any]:
        """The import JSON: the case fields, the update fields, copies and the report."""
        c = self.case
        direct = [t for t in c.targets if not t.is_copy] if c else []
        return {
            "ua_number": c.ua_number if c else None,
            "title": c.title if c else None,
            "persons": list(c.persons) if c else [],
            "country": c.country if c else "",
            "summary": c.summary if c else "",
            "demands": list(c.demands) if c else [],
            "targets": [_target_json(t) for t in direct],
            "deadline": c.deadline.isoformat() if c and c.deadline else None,
            "additional_information": c.additional_information if c else "",
            "update_of": self.update_of,
            "outcome": self.outcome,
            "issue_date": c.issue_date.isoformat() if c and c.issue_date else None,
            "languages": list(c.languages) if c else [],
            "copies_to": [_target_json(t) for t in self.copies_to],
            "report": self.report.to_json(),
        }
