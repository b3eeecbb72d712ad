"""The change log: one entry per changed field, the same whatever the door.

Targets are compared by identity, not position: removing target 2 of 3 is one removal
(``target 2``: its details before, nothing after), not a rename of 2 and 3.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from dataclasses import dataclass
from typing import Any

from case_store import Tx, now
from ua_bot.cases.common import Who
from ua_bot.model import Case, CaseText, Target

CASE_TEXT = ("ua_number", "title", "country", "summary", "additional_information")
CASE_LINES = ("persons", "demands", "languages")
TARGET_FIELDS = (
    "name",
    "title",
    "organisation",
    "salutation",
    "address",
    "emails",
    "phones",
    "faxes",
    "handles",
    "notes",
    "is_copy",
)
FIELD_WIDTH = 64  # the change log's field column


@dataclass(frozen=True)
class Change:
    """``field`` went from ``before`` to ``after`` (both as text; empty: none)."""

    field: str
    before: str
    after: str


def show(value: object) -> str:
    """A field's value as the change log writes it."""
    if isinstance(value, list):
        return "\n".join(str(x) for x in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


def _target_changes(old: list[Target], new: list[Target]) -> list[Change]:
    """Targets matched by name (in order); a block of edited ones pairs by position."""
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(a=[t.name for t in old], b=[t.name for t in new])
    for _op, i1, i2, j1, j2 in matcher.get_opcodes():
        # equal: the same targets; replace: edited ones, paired by position; delete and
        # insert: one range is empty, so nothing pairs.
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
        for i, j in pairs:
            for f in TARGET_FIELDS:
                a, b = show(getattr(old[i], f)), show(getattr(new[j], f))
                if a != b:
                    out.append(Change(f"target {j + 1} {f}", a, b))
        for i in range(i1 + len(pairs), i2):
            out.append(Change(f"target {i + 1}", _json(old[i].to_json()), ""))
        for j in range(j1 + len(pairs), j2):
            out.append(Change(f"target {j + 1}", "", _json(new[j].to_json())))
    return out


def _translation_changes(old: dict[str, CaseText], new: dict[str, CaseText]) -> list[Change]:
    out: list[Change] = []
    for lang in sorted({*old, *new}):
        a_tr, b_tr = old.get(lang), new.get(lang)
        if a_tr is None or b_tr is None:
            before = _json(dataclasses.asdict(a_tr)) if a_tr else ""
            after = _json(dataclasses.asdict(b_tr)) if b_tr else ""
            out.append(Change(f"translation {lang}", before, after))
            continue
        for f in ("title", "summary", "demands", "salutations", "persons", "update", "outcome"):
            a, b = show(getattr(a_tr, f)), show(getattr(b_tr, f))
            if a != b:
                out.append(Change(f"translation {lang} {f}", a, b))
    return out


def case_changes(old: Case, new: Case) -> list[Change]:
    """Every field of a case's content that differs, one :class:`Change` each."""
    out = [
        Change(f, show(getattr(old, f)), show(getattr(new, f)))
        for f in (*CASE_TEXT, *CASE_LINES, "deadline")
        if show(getattr(old, f)) != show(getattr(new, f))
    ]
    out += _target_changes(old.targets, new.targets)
    out += _translation_changes(old.translations, new.translations)
    return out


async def record(tx: Tx, who: Who, case: Case, changes: list[Change]) -> None:
    """Write the change log's rows for ``changes`` to ``case``, in ``tx``."""
    at = now()
    await tx.add_case_changes(
        [
            {
                "actor": who.actor,
                "case_id": case.id,
                "ua_number": case.ua_number,
                "field": c.field[:FIELD_WIDTH],
                "before": c.before,
                "after": c.after,
                "at": at,
            }
            for c in changes
        ]
    )
