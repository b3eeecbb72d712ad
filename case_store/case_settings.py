"""A case's settings kept in its ``extra`` column: today its late-appeals policy.

This writes a case: only ``ua_bot/cases/settings.py`` calls it, in its transaction with
its change-log row.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.tables import cases


class CaseSettingQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def set_late_appeals(self, case_id: int, policy: str | None) -> None:
        """Set (or, with ``None``, clear to the deployment's default) the case's policy."""
        extra = (
            await self.conn.execute(select(cases.c.extra).where(cases.c.id == case_id))
        ).scalar()
        extra = dict(extra or {})
        if policy is None:
            extra.pop("late_appeals", None)
        else:
            extra["late_appeals"] = policy
        await self.conn.execute(
            update(cases).where(cases.c.id == case_id).values(extra=extra, updated_at=now())
        )
