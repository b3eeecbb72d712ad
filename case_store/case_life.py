"""A case's life after import: its latest update and its texts in other languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.clock import now
from case_store.tables import case_translations, case_updates, cases
from ua_bot.model import Case, CaseText, CaseUpdate


def _text_from_row(r: Any) -> CaseText:
    return CaseText(
        title=r.title,
        summary=r.summary,
        demands=list(r.demands or []),
        salutations=list(r.salutations or []),
        persons=list(r.persons or []),
    )


class CaseLifeQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def latest_update(self, case_id: int) -> CaseUpdate | None:
        """The case's newest update, or ``None``."""
        q = (
            select(case_updates.c.text, case_updates.c.outcome, case_updates.c.created_at)
            .where(case_updates.c.case_id == case_id)
            .order_by(case_updates.c.id.desc())
            .limit(1)
        )
        row = (await self.conn.execute(q)).first()
        return CaseUpdate(row.text, row.outcome, row.created_at) if row else None

    async def attach_life(self, cases_: list[Case]) -> None:
        """Give each case its latest update and its translations."""
        ids = [c.id for c in cases_ if c.id is not None]
        if not ids:
            return
        newest = (
            select(func.max(case_updates.c.id))
            .where(case_updates.c.case_id.in_(ids))
            .group_by(case_updates.c.case_id)
        )
        q = select(case_updates).where(case_updates.c.id.in_(newest))
        updates = {
            r.case_id: CaseUpdate(r.text, r.outcome, r.created_at)
            for r in (await self.conn.execute(q)).all()
        }
        texts: dict[int, dict[str, CaseText]] = {}
        q = select(case_translations).where(case_translations.c.case_id.in_(ids))
        for r in (await self.conn.execute(q)).all():
            texts.setdefault(r.case_id, {})[r.lang] = _text_from_row(r)
        for c in cases_:
            c.latest_update = updates.get(c.id)
            c.translations = texts.get(c.id, {})

    async def case_translations(self, case_id: int) -> dict[str, CaseText]:
        """Every translation of the case's texts, by language code."""
        q = select(case_translations).where(case_translations.c.case_id == case_id)
        return {r.lang: _text_from_row(r) for r in (await self.conn.execute(q)).all()}

    async def set_case_translation(
        self,
        case_id: int,
        lang: str,
        *,
        title: str = "",
        summary: str = "",
        demands: list[str] | None = None,
        salutations: list[str] | None = None,
        persons: list[str] | None = None,
    ) -> None:
        """Add or replace the case's texts in ``lang`` (a blank field keeps the original)."""
        lang = lang.strip().lower()
        ts = now()
        await self.conn.execute(
            delete(case_translations).where(
                case_translations.c.case_id == case_id, case_translations.c.lang == lang
            )
        )
        await self.conn.execute(
            insert(case_translations).values(
                case_id=case_id,
                lang=lang,
                title=title,
                summary=summary,
                demands=list(demands or []),
                salutations=list(salutations or []),
                persons=list(persons or []),
                updated_at=ts,
            )
        )
        await self._touch_case(case_id, ts)

    async def delete_case_translation(self, case_id: int, lang: str) -> bool:
        res = await self.conn.execute(
            delete(case_translations).where(
                case_translations.c.case_id == case_id,
                case_translations.c.lang == lang.strip().lower(),
            )
        )
        if res.rowcount:
            await self._touch_case(case_id, now())
        return bool(res.rowcount)

    async def _touch_case(self, case_id: int, ts: dt.datetime) -> None:
        """Mark the case changed, so every process's case cache reloads it."""
        await self.conn.execute(update(cases).where(cases.c.id == case_id).values(updated_at=ts))
