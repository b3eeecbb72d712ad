"""A forgotten or unsubscribed chat leaves the outbox: its pending messages are cancelled
and its address is blanked in every row kept (sent rows stay ``UA_BOT_WORKER_KEEP_DAYS``),
once no one is subscribed from it any longer."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, cast, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.outbox_tables import CANCELLED, PENDING, broadcasts, outbox
from case_store.tables import subscriptions

FORGOTTEN = "forgotten:"  # + the row's id: the (broadcast, address) pair stays unique


class OutboxPrivacyQueries:
    conn: AsyncConnection

    async def drop_from_outbox(self, addresses: Iterable[str]) -> int:
        """Cancel pending rows and blank the address of every row of ``addresses`` that no
        subscription uses any more; returns the messages cancelled."""
        wanted = set(addresses)
        if not wanted:
            return 0
        still = select(subscriptions.c.address).where(subscriptions.c.address.in_(wanted))
        gone = wanted - set((await self.conn.execute(still)).scalars())
        if not gone:
            return 0
        mine = outbox.c.address.in_(gone)
        per_broadcast = (
            await self.conn.execute(
                select(outbox.c.broadcast_id, func.count())
                .where(mine, outbox.c.state == PENDING)
                .group_by(outbox.c.broadcast_id)
            )
        ).all()
        for bid, n in per_broadcast:
            await self.conn.execute(
                update(broadcasts)
                .where(broadcasts.c.id == bid)
                .values(cancelled=broadcasts.c.cancelled + n, updated_at=now())
            )
        await self.conn.execute(
            update(outbox)
            .where(mine, outbox.c.state == PENDING)
            .values(state=CANCELLED, claimed_until=None)
        )
        blank = literal(FORGOTTEN, String) + cast(outbox.c.id, String)
        await self.conn.execute(update(outbox).where(mine).values(address=blank))
        return sum(n for _, n in per_broadcast)
