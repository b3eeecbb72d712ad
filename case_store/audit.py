"""The organisers' audit log (who as a keyed hash, what, when) and data retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    String,
    Table,
    and_,
    delete,
    exists,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.tables import actions, case_supporters, metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("actor", String(64), nullable=False),
    Column("command", String(32), nullable=False),
    Column("args", String(200), nullable=False, default=""),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
)


class AuditQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def audit(self, actor: str, command: str, args: str) -> None:
        await self.conn.execute(
            insert(audit_log).values(actor=actor, command=command, args=args[:200], at=now())
        )

    async def audit_entries(self, limit: int = 20) -> list[Any]:
        q = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        return list((await self.conn.execute(q)).all())

    async def unlink_old_actions(self, days: int) -> int:
        """Cut the link between supporters and actions older than ``days``; counts stay."""
        cutoff = now() - dt.timedelta(days=days)
        res = await self.conn.execute(
            update(actions)
            .where(actions.c.created_at < cutoff, actions.c.supporter_id.is_not(None))
            .values(supporter_id=None)
        )
        linked = exists().where(
            and_(
                actions.c.case_id == case_supporters.c.case_id,
                actions.c.supporter_id == case_supporters.c.supporter_id,
            )
        )
        await self.conn.execute(delete(case_supporters).where(~linked))
        return res.rowcount or 0
