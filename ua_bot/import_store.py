"""Storing an imported document: a new draft, a re-import, or an update of a known case."""

from __future__ import annotations

from dataclasses import dataclass, field

from case_store import Store
from ua_bot.model import Case, CaseText


@dataclass
class StoredImport:
    """What the store did with an import."""

    case: Case
    created: bool
    update_of: str | None = None
    warnings: list[str] = field(default_factory=list)


async def store_import(store: Store, result) -> StoredImport:
    """Save an :class:`ua_bot.importer.ImportResult` in one transaction."""
    parsed: Case = result.case
    warnings: list[str] = []
    async with store.unit() as tx:
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
                    await tx.set_status(saved.id, saved.status, outcome=result.outcome)
                    saved = await tx.get_case(case_id=saved.id)
                return StoredImport(saved, created=False, update_of=result.update_of)
            warnings.append(
                f"This is an update of UA {result.update_of}, which I do not know: "
                "it is stored as a new draft."
            )
        created = await tx.get_case(ua=parsed.ua_number) is None
        saved = await tx.save_case(parsed)
    return StoredImport(saved, created=created, warnings=warnings)


async def store_translations(store: Store, case_id: int, translated: dict[str, CaseText]) -> None:
    """Keep the translations of a case's texts read beside its document (``UA.es.txt``)."""
    if not translated:
        return
    async with store.unit() as tx:
        for lang, text in translated.items():
            await tx.set_case_translation(case_id, lang, **vars(text))
