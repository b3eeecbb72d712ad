"""The case change log (one row per changed field) and the worker's heartbeat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.deployment import deployment
from case_store.organiser_tables import case_changes
from case_store.supporters import upsert_ignore
from case_store.tables import cases

WORKER_BEAT = "worker_heartbeat"


class ChangeQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def add_case_changes(self, rows: list[dict[str, Any]]) -> None:
        """Rows of ``actor, case_id, ua_number, field, before, after, at``."""
        if rows:
            await self.conn.execute(insert(case_changes), rows)

    async def case_changes_of(self, case_id: int) -> list[Any]:
        """A case's change log, oldest first."""
        q = select(case_changes).where(case_changes.c.case_id == case_id)
        return list((await self.conn.execute(q.order_by(case_changes.c.id))).all())

    async def recent_case_changes(self, limit: int = 100) -> list[Any]:
        q = select(case_changes).order_by(case_changes.c.id.desc()).limit(limit)
        return list((await self.conn.execute(q)).all())

    async def worker_beat(self, at: dt.datetime) -> None:
        """A worker is alive at ``at`` (one row, the latest beat of any worker; workers
        beating at once may each write it)."""
        value = at.isoformat()
        res = await self.conn.execute(
            update(deployment).where(deployment.c.name == WORKER_BEAT).values(value=value)
        )
        if not res.rowcount:
            await self.conn.execute(
                upsert_ignore(self.conn, deployment, index_elements=["name"]).values(
                    name=WORKER_BEAT, value=value
                )
            )

    async def last_worker_beat(self) -> dt.datetime | None:
        q = select(deployment.c.value).where(deployment.c.name == WORKER_BEAT)
        value = (await self.conn.execute(q)).scalar()
        if not value:
            return None
        at = dt.datetime.fromisoformat(value)
        return at if at.tzinfo else at.replace(tzinfo=dt.UTC)

    async def case_extra(self, case_id: int) -> dict[str, Any]:
        """A case's free-form extras (the pages' import report)."""
        q = select(cases.c.extra).where(cases.c.id == case_id)
        return dict((await self.conn.execute(q)).scalar() or {})

    async def set_case_extra(self, case_id: int, extra: dict[str, Any]) -> None:
        await self.conn.execute(update(cases).where(cases.c.id == case_id).values(extra=extra))
