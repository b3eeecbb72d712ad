"""Queueing a supporter's office-hours call reminder in the outbox (see ua_bot/callbacks.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.outbox import ensure_broadcast
from case_store.outbox_tables import PENDING, SENDING, broadcasts, outbox
from case_store.supporters import upsert_ignore


class CallbackQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def queue_call_reminder(
        self, key: str, case_id: int, address: str, due: dt.datetime
    ) -> bool:
        """One reminder to ``address`` at ``due``; ``False`` if it was already queued."""
        ts = now()
        bid = await ensure_broadcast(self.conn, key, case_id, "call", ts)
        added = (
            await self.conn.execute(
                upsert_ignore(self.conn, outbox, index_elements=["broadcast_id", "address"]).values(
                    broadcast_id=bid,
                    address=address,
                    platform=address.split(":", 1)[0],
                    state=PENDING,
                    attempts=0,
                    due_at=due,
                )
            )
        ).rowcount or 0
        if added:
            await self.conn.execute(
                update(broadcasts)
                .where(broadcasts.c.id == bid)
                .values(total=broadcasts.c.total + 1, state=SENDING, updated_at=ts)
            )
        return bool(added)
