"""A re-imported document as a pending revision of its case, accepted field by field.

A first import makes a draft. A re-import of a case that exists changes nothing: the
document is kept beside the case (:func:`propose`), and its differences from the case are
listed field by field (:func:`pending`): the title, summary, country, people, each demand,
each field of each target (matched by name, so a target keeps its key and its translated
salutation), targets added, removed or reordered, the deadline... An organiser accepts some
or all of them (:func:`accept`) or discards the rest (:func:`discard`). A field the organiser
corrected by hand (marked on every hand edit, :func:`note_hand_edits`) is shown with both
values and kept unless the organiser names it. Each accepted field writes one change-log
row (field, before, after). The chat command, the organiser pages and ``ua-bot import``
only render these and call them.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from case_store import Store
from ua_bot.model import Case, Target

CASE_TEXT = ("title", "summary", "country", "additional_information")
CASE_LISTS = ("persons", "languages")
TARGET_FIELDS = (
    "name", "title", "organisation", "salutation", "address", "emails", "phones", "faxes",
    "handles", "notes", "is_copy",
)  # fmt: skip
ORDER = "targets order"
LABEL = {
    "title": "Title",
    "summary": "Summary",
    "country": "Country",
    "additional_information": "Additional information",
    "persons": "People at risk",
    "languages": "Languages",
    "deadline": "Deadline",
    "organisation": "organisation",
    "emails": "email",
    "phones": "phone",
    "faxes": "fax",
    "handles": "social media",
    "is_copy": "copy only",
}


class NoRevision(LookupError):
    """The case has no pending revision (or no such case)."""


@dataclass
class Change:
    """One field the document would change: ``field`` is stable (``target <key> email``),
    ``label`` is for people (``Target 1 (Xi Jinping): email``)."""

    field: str
    label: str
    before: str
    after: str
    hand: bool = False  # the organiser corrected this field by hand: kept unless taken


@dataclass
class Revision:
    """A case, the document waiting beside it, and what accepting it would change."""

    case: Case
    proposed: Case
    file: str
    changes: list[Change]

    def numbered(self) -> list[tuple[int, Change]]:
        return list(enumerate(self.changes, 1))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(str(x) for x in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _name(name: str) -> str:
    return " ".join(name.casefold().split())


def match_targets(case: Case, proposed: Case) -> Case:
    """``proposed`` with its targets given the keys of the case's targets of the same name
    (a new key for a target the case does not have)."""
    free: dict[str, list[str]] = {}
    for t in case.targets:
        free.setdefault(_name(t.name), []).append(t.key)
    targets = []
    for t in proposed.targets:
        keys = free.get(_name(t.name))
        key = keys.pop(0) if keys else (t.key or secrets.token_hex(6))
        targets.append(dataclasses.replace(t, key=key))
    return dataclasses.replace(proposed, targets=targets)


def _target_label(i: int, t: Target, f: str | None = None) -> str:
    head = f"Target {i} ({t.name})"
    return head if f is None else f"{head}: {LABEL.get(f, f)}"


def changes(
    case: Case, proposed: Case, hand: set[str] | frozenset[str] = frozenset()
) -> list[Change]:
    """Every field where ``proposed`` (targets keyed) differs from ``case``."""
    out: list[Change] = []

    def add(field: str, label: str, before: Any, after: Any) -> None:
        a, b = _show(before), _show(after)
        if a != b:
            out.append(Change(field, label, a, b, field in hand))

    for f in ("title", "summary", "country", "persons"):
        add(f, LABEL[f], getattr(case, f), getattr(proposed, f))
    for i in range(1, max(len(case.demands), len(proposed.demands)) + 1):
        before = case.demands[i - 1] if i <= len(case.demands) else ""
        after = proposed.demands[i - 1] if i <= len(proposed.demands) else ""
        add(f"demand {i}", f"Demand {i}", before, after)
    mine = {t.key: (i, t) for i, t in enumerate(case.targets, 1)}
    theirs = {t.key: (i, t) for i, t in enumerate(proposed.targets, 1)}
    for key, (i, t) in mine.items():
        if key not in theirs:
            add(f"target {key}", _target_label(i, t) + ": removed", _card(t), "")
            continue
        other = theirs[key][1]
        for f in TARGET_FIELDS:
            add(f"target {key} {f}", _target_label(i, t, f), getattr(t, f), getattr(other, f))
    for key, (i, t) in theirs.items():
        if key not in mine:
            add(f"target {key}", _target_label(i, t) + ": added", "", _card(t))
    common_before = [t.key for t in case.targets if t.key in theirs]
    common_after = [t.key for t in proposed.targets if t.key in mine]
    if common_before != common_after:
        names = {t.key: t.name for t in [*case.targets, *proposed.targets]}
        add(ORDER, "Order of the targets", [names[k] for k in common_before],
            [names[k] for k in common_after])  # fmt: skip
    add("deadline", LABEL["deadline"], case.deadline, proposed.deadline)
    for f in ("additional_information", "languages"):
        add(f, LABEL[f], getattr(case, f), getattr(proposed, f))
    return out


def _card(t: Target) -> str:
    parts = [t.name, t.title, t.organisation, *t.address, *t.emails, *t.phones, *t.faxes]
    return "\n".join(p for p in parts if p)


def apply(case: Case, proposed: Case, fields: set[str]) -> Case:
    """The case with the document's value of each of ``fields`` (names from :func:`changes`)."""
    new = copy.deepcopy(case)
    for f in (*CASE_TEXT, *CASE_LISTS, "deadline"):
        if f in fields:
            setattr(new, f, copy.deepcopy(getattr(proposed, f)))
    demands = list(new.demands)
    drop = set()
    for i in range(1, max(len(case.demands), len(proposed.demands)) + 1):
        if f"demand {i}" not in fields:
            continue
        if i > len(proposed.demands):
            drop.add(i - 1)
        elif i > len(demands):
            demands.append(proposed.demands[i - 1])
        else:
            demands[i - 1] = proposed.demands[i - 1]
    new.demands = [d for j, d in enumerate(demands) if j not in drop]
    theirs = {t.key: t for t in proposed.targets}
    targets = []
    for t in new.targets:
        if t.key not in theirs:
            if f"target {t.key}" not in fields:
                targets.append(t)
            continue
        other = theirs[t.key]
        for f in TARGET_FIELDS:
            if f"target {t.key} {f}" in fields:
                setattr(t, f, copy.deepcopy(getattr(other, f)))
        targets.append(t)
    mine = {t.key for t in case.targets}
    for place, t in enumerate(proposed.targets):  # an added target goes where it stands
        if t.key not in mine and f"target {t.key}" in fields:
            targets.insert(min(place, len(targets)), copy.deepcopy(t))
    if ORDER in fields:
        order = {t.key: i for i, t in enumerate(proposed.targets)}
        targets.sort(key=lambda t: order.get(t.key, len(order)))
    new.targets = targets
    return new


def document_json(proposed: Case) -> dict[str, Any]:
    """How a proposed case is kept: its import JSON and its targets' keys."""
    return {**proposed.to_json(), "keys": [t.key for t in proposed.targets]}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def case_from_document(doc: dict[str, Any]) -> Case:
    keys = doc.get("keys", [])
    targets = [Target(**t, key=k) for t, k in zip(doc.get("targets", []), keys, strict=False)]
    return Case(
        ua_number=doc["ua_number"],
        title=doc.get("title", ""),
        persons=list(doc.get("persons", [])),
        country=doc.get("country", ""),
        summary=doc.get("summary", ""),
        demands=list(doc.get("demands", [])),
        targets=targets,
        deadline=_date(doc.get("deadline")),
        additional_information=doc.get("additional_information", ""),
        issue_date=_date(doc.get("issue_date")),
        languages=list(doc.get("languages", [])),
        letter=doc.get("letter", ""),
    )


async def propose(tx: Any, case: Case, parsed: Case, file: str, actor: str) -> Revision:
    """Keep ``parsed`` (a re-imported document) as the pending revision of ``case``, in the
    caller's transaction, when it differs from the case; the case itself is not changed."""
    proposed = match_targets(case, parsed)
    found = changes(case, proposed, await tx.hand_edits(case.id))
    if found:
        await tx.put_revision(case.id, file, document_json(proposed), actor)
    else:  # the case says it all already: nothing to decide (an older revision is moot)
        await tx.drop_revision(case.id)
    return Revision(case, proposed, file, found)


async def _load(tx: Any, case_id: int, lock: bool = False) -> Revision:
    row = await tx.pending_revision(case_id, lock=lock)  # first: the case is read after it
    case = await tx.get_case(case_id=case_id) if row is not None else None
    if case is None:
        raise NoRevision(case_id)
    proposed = case_from_document(row.document)
    return Revision(case, proposed, row.file, changes(case, proposed, await tx.hand_edits(case_id)))


async def pending(store: Store, case_id: int) -> Revision | None:
    """The case's pending revision with its differences from the case as it is now."""
    async with store.unit() as tx:
        try:
            return await _load(tx, case_id)
        except NoRevision:
            return None


async def accept(
    store: Store, case_id: int, actor: str, fields: set[str] | None = None
) -> tuple[Revision, list[Change]]:
    """Take the document's value of ``fields`` (``None``: every field not corrected by
    hand), in one transaction with one change-log row per field; the revision is dropped
    once nothing is left to decide. The revision as it was, and the changes made."""
    async with store.unit() as tx:
        rev = await _load(tx, case_id, lock=True)
        if fields is None:
            chosen = [c for c in rev.changes if not c.hand]
        else:
            chosen = [c for c in rev.changes if c.field in fields]
        if chosen:
            names = {c.field for c in chosen}
            new = apply(rev.case, rev.proposed, names)
            await tx.save_case(new)
            await tx.mark_hand_edits(case_id, names, hand=False)
            await tx.log_field_changes(
                actor, case_id, rev.case.ua_number,
                [(f"revision: {c.label}", c.before, c.after) for c in chosen],
            )  # fmt: skip
        if len(chosen) == len(rev.changes):
            await tx.drop_revision(case_id)
    return rev, chosen


async def discard(store: Store, case_id: int, actor: str) -> Revision:
    """Drop the pending revision (what was not accepted stays as it is), logged once."""
    async with store.unit() as tx:
        rev = await _load(tx, case_id, lock=True)
        await tx.drop_revision(case_id)
        await tx.log_field_changes(
            actor, case_id, rev.case.ua_number, [("revision discarded", rev.file, "")]
        )
    return rev


async def note_hand_edits(tx: Any, before: Case, after: Case) -> None:
    """Mark every field an organiser changed by hand (``after`` keeps the targets' keys),
    so a later re-import keeps it unless the organiser takes the document's value."""
    fields = {c.field for c in changes(before, after)}
    await tx.mark_hand_edits(after.id or before.id, fields, hand=True)
