"""A chat that changed its address (a Telegram group upgraded to a supergroup)."""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from case_store.channels import broadcast_channels
from case_store.outbox_tables import PENDING, outbox
from case_store.tables import subscriptions


class AddressQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def move_address(self, old: str, new: str) -> int:
        """Move subscriptions, a broadcast channel and pending messages from ``old`` to
        ``new``; rows already at ``new`` win. Returns the subscriptions moved."""
        if old == new:
            return 0
        other = aliased(subscriptions)
        taken = exists().where(
            and_(other.c.address == new, other.c.supporter_id == subscriptions.c.supporter_id)
        )
        res = await self.conn.execute(
            update(subscriptions)
            .where(subscriptions.c.address == old, ~taken)
            .values(address=new)
        )
        await self.conn.execute(delete(subscriptions).where(subscriptions.c.address == old))
        has_new = select(broadcast_channels.c.address).where(broadcast_channels.c.address == new)
        if (await self.conn.execute(has_new)).first() is None:
            await self.conn.execute(
                update(broadcast_channels)
                .where(broadcast_channels.c.address == old)
                .values(address=new)
            )
        await self.conn.execute(
            delete(broadcast_channels).where(broadcast_channels.c.address == old)
        )
        queued = aliased(outbox)
        dup = exists().where(
            and_(queued.c.address == new, queued.c.broadcast_id == outbox.c.broadcast_id)
        )
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.address == old, outbox.c.state == PENDING, ~dup)
            .values(address=new)
        )
        return res.rowcount or 0
