"""Import a document's case: a first import makes a draft (published at once if asked).

A re-import of a known case changes nothing: it waits beside the case as a pending revision
(:mod:`ua_bot.cases.revisions`) that an organiser accepts field by field.
"""

from __future__ import annotations

from typing import Any

from ua_bot.cases import lifecycle
from ua_bot.cases.audit import Change, record
from ua_bot.cases.common import CaseServices, Who, unit
from ua_bot.import_store import StoredImport, store_import, store_translations
from ua_bot.importer.result import ImportResult
from ua_bot.model import CaseStatus, CaseText


async def import_case(
    core: CaseServices,
    who: Who,
    result: ImportResult,
    translations: dict[str, CaseText] | None = None,
    *,
    source: str = "",
    publish: bool = False,
    note: dict[str, Any] | None = None,
) -> StoredImport:
    """Store a read document (``result.case`` must be set) in one transaction, with its
    translations, the pages' import ``note``, its change-log entries and, if ``publish``,
    its publication."""
    async with unit(core.store, who) as tx:
        stored = await store_import(tx, result, file=source, actor=who.actor)
        if stored.revision is not None:  # a re-import waits for review: nothing changes yet
            return stored
        case_id = stored.case.id
        assert case_id is not None
        await store_translations(tx, case_id, translations or {})
        field = "update" if stored.update_of else "import"
        await record(tx, who, stored.case, [Change(field, "", source)])
        if note is not None:  # the pages show the report, with the store's warnings
            note = {**note, "warnings": [*note.get("warnings", []), *stored.warnings]}
            extra = await tx.case_extra(case_id)
            await tx.set_case_extra(case_id, {**extra, "web_import": note})
        if publish and stored.case.status != CaseStatus.PUBLISHED:
            done = await lifecycle.publish(core, who, case_id, tx=tx)
            stored.case = done.case
    core.cases.invalidate()
    return stored
