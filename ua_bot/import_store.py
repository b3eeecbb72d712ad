"""Storing an imported document: a new draft, a re-import, or an update of a known case."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from case_store import Tx
from ua_bot.case_texts import update_words
from ua_bot.cases.revisions import Revision, propose
from ua_bot.cases.translations import sources_of
from ua_bot.importer.result import ImportResult
from ua_bot.model import Case, CaseText


@dataclass
class StoredImport:
    """What the store did with an import."""

    case: Case
    created: bool
    update_of: str | None = None
    warnings: list[str] = field(default_factory=list)
    revision: Revision | None = None  # a re-import: the case is unchanged, this waits


async def store_import(
    tx: Tx, result: ImportResult, file: str = "", actor: str = ""
) -> StoredImport:
    """Save an import in ``tx`` (the use case :func:`ua_bot.cases.imports.import_case`
    owns the transaction and the change log).

    A new UA number makes a draft; a known one changes nothing: the document waits beside
    the case as a pending revision (``ua_bot.cases.revisions``) for an organiser to review.
    """
    parsed = result.case
    assert parsed is not None
    warnings: list[str] = []
    if result.update_of:
        original = await tx.get_case(ua=result.update_of)
        if original is not None and original.id is not None:
            await tx.add_update(
                original.id,
                text=parsed.summary,
                outcome=result.outcome or "",
                deadline=parsed.deadline,
                details=result.to_json(),
            )
            merged = original
            merged.summary = parsed.summary or original.summary
            merged.demands = parsed.demands or original.demands
            merged.targets = parsed.targets or original.targets
            merged.deadline = parsed.deadline or original.deadline
            merged.additional_information = (
                parsed.additional_information or original.additional_information
            )
            saved = await tx.save_case(merged)
            if result.outcome:
                assert saved.id is not None
                await tx.set_status(saved.id, saved.status, outcome=result.outcome)
                saved = await tx.get_case(case_id=saved.id) or saved
            return StoredImport(saved, created=False, update_of=result.update_of)
        warnings.append(
            f"This is an update of UA {result.update_of}, which I do not know: "
            "it is stored as a new draft."
        )
    existing = await tx.get_case(ua=parsed.ua_number)
    if existing is not None:
        revision = await propose(tx, existing, parsed, file or parsed.ua_number, actor)
        return StoredImport(existing, created=False, warnings=warnings, revision=revision)
    saved = await tx.save_case(parsed)
    return StoredImport(saved, created=True, warnings=warnings)


async def store_translations(tx: Tx, case_id: int, translated: dict[str, CaseText]) -> None:
    """Keep the translations of a case's texts read beside its document (``UA.es.txt``)."""
    if not translated:
        return
    case = await tx.get_case(case_id=case_id)
    if case is None:
        return
    for lang, text in translated.items():
        text = tie_news(text, case)  # the news translated tied to the words it translates
        await tx.set_case_translation(case_id, lang, **{**vars(text), "sources": sources_of(case)})


def tie_news(text: CaseText, case: Case) -> CaseText:
    """The translation with the case's current update and outcome as what its own update and
    outcome translate (a later update is then not shown with an old translation)."""
    update = update_words(case.latest_update) if case.latest_update else ""
    return dataclasses.replace(
        text,
        update_source=update if text.update else "",
        outcome_source=case.outcome if text.outcome else "",
    )
