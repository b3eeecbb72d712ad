"""Edit a case's content (the review page's form): atomic against concurrent edits.

The form carries the version it was opened at (the case's ``updated_at``); the write
itself checks it (``UPDATE ... WHERE id = ? AND updated_at = ?``), so of two saves of one
version exactly one is stored and the other is told, in :class:`Stale`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from case_store import Tx
from ua_bot.cases.audit import Change, case_changes, record
from ua_bot.cases.common import CaseServices, Who, case_by_id, unit
from ua_bot.cases.revisions import note_hand_edits
from ua_bot.cases.translations import restamp, up_to_date
from ua_bot.errors import UserError
from ua_bot.model import Case, CaseText, Target

STALE = (
    "Someone changed this case since you opened it: your changes are not saved. Open it "
    "again to see theirs, then make yours (what you typed is below)."
)


class Stale(UserError):
    """The case changed since the form was opened."""

    def __init__(self) -> None:
        super().__init__(STALE)


class Taken(UserError):
    """The new UA number is another case's."""

    def __init__(self, ua: str) -> None:
        super().__init__(f"UA {ua} is another case already.")
        self.ua = ua


@dataclass(frozen=True)
class Saved:
    case: Case
    changes: list[Change]


def normalise(text: str) -> str:
    """Text as a form sends it, as we store it: ``\\n`` line ends, no trailing spaces."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def version(case: Case) -> str:
    """The version a form carries: when the case last changed."""
    return case.updated_at.isoformat() if case.updated_at else ""


def _parse_version(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _same(old: str, new: str) -> str:
    """``new``, unless it is ``old`` but for line ends and trailing spaces: then ``old``."""
    new = normalise(new)
    return old if normalise(old) == new else new


def _target(old: Target | None, new: Target) -> Target:
    def text(f: str) -> str:
        value: str = getattr(new, f)
        return normalise(value) if old is None else _same(getattr(old, f), value)

    return dataclasses.replace(
        new,
        name=text("name"),
        title=text("title"),
        organisation=text("organisation"),
        salutation=text("salutation"),
    )


def _text(old: CaseText | None, new: CaseText) -> CaseText:
    if old is None:
        return dataclasses.replace(new, title=normalise(new.title), summary=normalise(new.summary))
    return dataclasses.replace(
        new, title=_same(old.title, new.title), summary=_same(old.summary, new.summary)
    )


def normalised(old: Case, new: Case) -> Case:
    """``new`` with its texts normalised; a text equal to the old one but for line ends
    and trailing spaces stays exactly as stored, so a save changes only what was changed."""
    by_name = {t.name: t for t in old.targets}
    return dataclasses.replace(
        new,
        ua_number=_same(old.ua_number, new.ua_number),
        title=_same(old.title, new.title),
        country=_same(old.country, new.country),
        summary=_same(old.summary, new.summary),
        additional_information=_same(old.additional_information, new.additional_information),
        persons=[normalise(x) for x in new.persons],
        demands=[normalise(x) for x in new.demands],
        languages=[normalise(x) for x in new.languages],
        targets=[_target(by_name.get(t.name), t) for t in new.targets],
        translations={
            lang: _text(old.translations.get(lang), tr) for lang, tr in new.translations.items()
        },
    )


async def _save_translations(tx: Tx, old: Case, new: Case, current: frozenset[str]) -> None:
    """Store the translations that were added, changed, removed or ticked still correct
    (``current``); a part left as it was keeps the English it was made from, so it may stay
    out of date (:mod:`ua_bot.cases.translations`)."""
    case_id = old.stored_id
    for lang in old.translations.keys() - new.translations.keys():
        await tx.delete_case_translation(case_id, lang)
    for lang, text in new.translations.items():
        before = old.translations.get(lang)
        if lang in current:
            text = up_to_date(text, new)
        elif before is not None and vars(text) | {"sources": {}} == vars(before) | {"sources": {}}:
            continue
        else:
            text = restamp(before, text, old, new)
        await tx.set_case_translation(case_id, lang, **vars(text))


async def save_edit(
    core: CaseServices,
    who: Who,
    case_id: int,
    seen: str,
    edited: Case,
    still_correct: frozenset[str] = frozenset(),
) -> Saved:
    """Store ``edited`` as case ``case_id`` if it is still at version ``seen``; the
    translations in ``still_correct`` are declared current for the English as it now is.

    Raises :class:`Stale` when someone changed it first, :class:`Taken` when the new UA
    number is another case's. Nothing changed: nothing is written.
    """
    at = _parse_version(seen)
    async with unit(core.store, who) as tx:
        old = await case_by_id(tx, case_id)
        assert old.id is not None
        if at is None or version(old) != seen:
            raise Stale()
        new = normalised(old, edited)
        changes = case_changes(old, new)
        if not changes and not still_correct:
            return Saved(old, [])
        if new.ua_number != old.ua_number:
            if await tx.get_case(ua=new.ua_number) is not None:
                raise Taken(new.ua_number)
            new = dataclasses.replace(new, ua_written=new.ua_number)
        if not await tx.replace_case_if(old.id, new, at):
            raise Stale()
        await note_hand_edits(tx, old, new)  # a re-import keeps what was corrected by hand
        await _save_translations(tx, old, new, still_correct)
        saved = await case_by_id(tx, old.id)
        await record(tx, who, saved, changes)
        fields = ", ".join(sorted({c.field for c in changes}))
        await tx.audit(who.actor, "edit", f"UA {saved.ua_number}: {fields}")
    core.cases.invalidate()
    return Saved(saved, changes)
