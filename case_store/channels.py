"""Broadcast channels: chats an organiser chose to receive case announcements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, DateTime, Index, String, Table, delete, select

from case_store.supporters import upsert_ignore
from case_store.tables import metadata

broadcast_channels = Table(
    "broadcast_channels",
    metadata,
    Column("address", String(200), primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("workspace", String(64), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_broadcast_channels_workspace", "platform", "workspace"),
)


class ChannelQueries:
    """Mixed into the store's transaction (``self.conn``)."""

    conn: Any

    async def add_broadcast_channel(self, address: str, platform: str, workspace: str = "") -> bool:
        """Add a chat; ``False`` when it was already one."""
        stmt = upsert_ignore(self.conn, broadcast_channels).values(
            address=address,
            platform=platform,
            workspace=workspace,
            created_at=dt.datetime.now(dt.UTC),
        )
        return bool((await self.conn.execute(stmt)).rowcount)

    async def remove_broadcast_channel(self, address: str) -> bool:
        r = await self.conn.execute(
            delete(broadcast_channels).where(broadcast_channels.c.address == address)
        )
        return bool(r.rowcount)

    async def broadcast_channels(self, platform: str | None = None) -> list[str]:
        q = select(broadcast_channels.c.address).order_by(broadcast_channels.c.created_at)
        if platform:
            q = q.where(broadcast_channels.c.platform == platform)
        return list((await self.conn.scalars(q)).all())

    async def remove_workspace_channels(self, platform: str, workspace: str) -> int:
        r = await self.conn.execute(
            delete(broadcast_channels).where(
                broadcast_channels.c.platform == platform,
                broadcast_channels.c.workspace == workspace,
            )
        )
        return r.rowcount or 0
