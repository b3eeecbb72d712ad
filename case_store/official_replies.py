"""Officials' replies that supporters pass on: the text, the case and the official; never who
sent it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, Table, Text, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import DateTime

from case_store.cases import now
from case_store.tables import Id, metadata

official_replies = Table(
    "official_replies",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("target_no", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_official_replies_case", "case_id", "target_no"),
)


class ReplyQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def keep_reply(self, case_id: int, target_no: int, text: str) -> int:
        res = await self.conn.execute(
            insert(official_replies).values(
                case_id=case_id, target_no=target_no, text=text, created_at=now()
            )
        )
        return int(res.inserted_primary_key[0])  # type: ignore[index]

    async def replies_of(self, case_id: int) -> list[Any]:
        q = (
            select(official_replies)
            .where(official_replies.c.case_id == case_id)
            .order_by(official_replies.c.target_no, official_replies.c.id)
        )
        return list((await self.conn.execute(q)).all())

    async def delete_reply(self, case_id: int, reply_id: int) -> bool:
        res = await self.conn.execute(
            delete(official_replies).where(
                official_replies.c.id == reply_id, official_replies.c.case_id == case_id
            )
        )
        return bool(res.rowcount)
