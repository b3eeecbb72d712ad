"""The worker side of the outbox: claim due rows, settle them, report progress, purge.

The organiser side (broadcasts and their recipients) is :mod:`case_store.outbox`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    case,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.outbox import IS_PENDING, RECIPIENT_SOURCES
from case_store.outbox_tables import (
    CANCELLED,
    DONE,
    FAILED,
    GONE,
    PENDING,
    SENDING,
    SENT,
    broadcasts,
    outbox,
)


@dataclass(frozen=True)
class Claimed:
    """An outbox row a worker holds for sending."""

    id: int
    broadcast_id: int
    address: str
    platform: str
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """What became of one send: ``sent``, ``gone``, ``failed`` or ``retry`` (at ``due``)."""

    row: Claimed
    kind: str
    message_id: str | None = None
    due: dt.datetime | None = None
    error: str = ""
    count_attempt: bool = True


class ClaimQueries:
    """Mixin for :class:`case_store.store.Tx`: what the outbox worker asks of the store."""

    conn: AsyncConnection

    async def claim(
        self,
        platform: str,
        worker: str,
        limit: int,
        now: dt.datetime,
        lease_until: dt.datetime,
    ) -> list[Claimed]:
        """Take up to ``limit`` due rows of a platform for ``lease_until``.

        On PostgreSQL concurrent workers skip each other's locked rows; on SQLite the
        database's single writer serialises claims. A worker that dies leaves a lease
        that expires, and its rows are claimed again.
        """
        inner = (
            select(outbox.c.id)
            .where(
                IS_PENDING,
                outbox.c.platform == platform,
                outbox.c.due_at <= now,
                or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
            )
            .order_by(outbox.c.id)
            .limit(limit)
        )
        if self.conn.dialect.name == "postgresql":
            inner = inner.with_for_update(skip_locked=True)
        stmt = (
            update(outbox)
            .where(outbox.c.id.in_(inner.scalar_subquery()))
            .values(claimed_until=lease_until, claimed_by=worker)
            .returning(
                outbox.c.id,
                outbox.c.broadcast_id,
                outbox.c.address,
                outbox.c.platform,
                outbox.c.attempts,
            )
        )
        rows = (await self.conn.execute(stmt)).all()
        return sorted((Claimed(*r) for r in rows), key=lambda c: c.id)

    async def release_claims(
        self,
        ids: Sequence[int],
        due: dt.datetime | None = None,
        worker: str | None = None,
        *,
        by: str | None = None,
    ) -> int:
        """Give rows back (``ids``, or every row ``worker`` holds), optionally due later.
        With ``by``, only those of ``ids`` that worker still holds (a lease that ran out may
        have passed a row to another worker, whose claim stays)."""
        values: dict[str, Any] = {"claimed_until": None, "claimed_by": None}
        if due is not None:
            values["due_at"] = due
        q = update(outbox).where(IS_PENDING)
        if by is not None:
            q = q.where(outbox.c.claimed_by == by)
        if worker is not None:
            q = q.where(outbox.c.claimed_by == worker)
        else:
            if not ids:
                return 0
            q = q.where(outbox.c.id.in_(list(ids)))
        return (await self.conn.execute(q.values(**values))).rowcount or 0

    async def apply_outcomes(self, outcomes: Sequence[Outcome], now: dt.datetime) -> dict[int, str]:
        """Record what became of sends; returns each touched broadcast's state.

        A message that went out is always recorded as sent, even if its broadcast was
        cancelled while it was in flight.
        """
        sent = [o for o in outcomes if o.kind == "sent"]
        counts: dict[int, Counter] = {}

        def bump(bid: int, field: str, n: int = 1) -> None:
            counts.setdefault(bid, Counter())[field] += n

        if sent:
            ids = [o.row.id for o in sent]
            # Lock the rows first (PostgreSQL): a cancel that commits while this runs must
            # not turn a message that went out into a "cancelled" one.
            locked = await self.conn.execute(
                select(outbox.c.id, outbox.c.broadcast_id, outbox.c.state)
                .where(outbox.c.id.in_(ids))
                .order_by(outbox.c.id)
                .with_for_update()
            )
            back = []
            for r in locked:
                if r.state == CANCELLED:
                    back.append(r.id)
                    bump(r.broadcast_id, "cancelled", -1)
            if back:
                await self.conn.execute(
                    update(outbox).where(outbox.c.id.in_(back)).values(state=PENDING)
                )
            mids = {o.row.id: (o.message_id or "")[:128] for o in sent}
            res = await self.conn.execute(
                update(outbox)
                .where(outbox.c.id.in_(ids), IS_PENDING)
                .values(
                    state=SENT,
                    message_id=case(mids, value=outbox.c.id),
                    sent_at=now,
                    claimed_until=None,
                    error=None,
                )
                .returning(outbox.c.broadcast_id)
            )
            for bid in res.scalars():
                bump(bid, "sent")
        for o in outcomes:
            if o.kind in ("gone", "failed"):
                state = GONE if o.kind == "gone" else FAILED
                n = (
                    await self.conn.execute(
                        update(outbox)
                        .where(outbox.c.id == o.row.id, IS_PENDING)
                        .values(
                            state=state,
                            claimed_until=None,
                            attempts=outbox.c.attempts + 1,
                            error=o.error[:200] or None,
                        )
                    )
                ).rowcount
                if n:
                    bump(o.row.broadcast_id, o.kind)
                if o.kind == "gone":
                    await self.retire_address(o.row.address)
            elif o.kind == "retry":
                await self.conn.execute(
                    update(outbox)
                    .where(outbox.c.id == o.row.id, IS_PENDING)
                    .values(
                        claimed_until=None,
                        claimed_by=None,
                        due_at=o.due or now,
                        attempts=outbox.c.attempts + (1 if o.count_attempt else 0),
                        error=o.error[:200] or None,
                    )
                )
        states: dict[int, str] = {}
        for bid in sorted(counts):
            c = counts[bid]
            row = (
                await self.conn.execute(
                    update(broadcasts)
                    .where(broadcasts.c.id == bid)
                    .values(
                        sent=broadcasts.c.sent + c["sent"],
                        failed=broadcasts.c.failed + c["failed"],
                        gone=broadcasts.c.gone + c["gone"],
                        cancelled=broadcasts.c.cancelled + c["cancelled"],
                        updated_at=now,
                    )
                    .returning(broadcasts.c.state)
                )
            ).first()
            if row:
                states[bid] = row[0]
        return states

    async def retire_address(self, address: str) -> int:
        """Forget a chat that blocked the bot or is gone, in every recipient source."""
        n = 0
        for source in RECIPIENT_SOURCES:
            stmt = source.retire(address)
            if stmt is not None:
                n += (await self.conn.execute(stmt)).rowcount or 0
        return n

    async def sending_broadcasts(self) -> list[Any]:
        q = select(broadcasts).where(broadcasts.c.state == SENDING).order_by(broadcasts.c.id)
        return list((await self.conn.execute(q)).all())

    async def reported_broadcasts(self, since: dt.datetime) -> list[Any]:
        """Finished or cancelled broadcasts with a progress message, changed since ``since``."""
        q = select(broadcasts).where(
            broadcasts.c.state != SENDING,
            broadcasts.c.organiser_address.is_not(None),
            broadcasts.c.updated_at >= since,
        )
        return list((await self.conn.execute(q.order_by(broadcasts.c.id))).all())

    async def cancelled_among(self, bids: Iterable[int]) -> set[int]:
        ids = list(bids)
        if not ids:
            return set()
        q = select(broadcasts.c.id).where(broadcasts.c.id.in_(ids), broadcasts.c.state == CANCELLED)
        return set((await self.conn.execute(q)).scalars())

    async def take_progress_turn(self, bid: int, now: dt.datetime, every: float) -> bool:
        """Whether this worker reports the broadcast's progress now (one worker at a time)."""
        cut = now - dt.timedelta(seconds=every)
        res = await self.conn.execute(
            update(broadcasts)
            .where(
                broadcasts.c.id == bid,
                or_(broadcasts.c.progress_at.is_(None), broadcasts.c.progress_at <= cut),
            )
            .values(progress_at=now)
        )
        return bool(res.rowcount)

    async def set_progress(self, bid: int, text: str, message_id: str | None) -> None:
        values: dict[str, Any] = {"progress_text": text[:500]}
        if message_id is not None:
            values["progress_message_id"] = message_id[:128]
        await self.conn.execute(update(broadcasts).where(broadcasts.c.id == bid).values(**values))

    async def finish_broadcast(self, bid: int, now: dt.datetime) -> bool:
        """Mark a broadcast done once every row is settled; ``True`` if this call did."""
        b = broadcasts.c
        res = await self.conn.execute(
            update(broadcasts)
            .where(
                b.id == bid,
                b.state == SENDING,
                b.sent + b.failed + b.gone + b.cancelled >= b.total,
            )
            .values(state=DONE, updated_at=now)
        )
        return bool(res.rowcount)

    async def pending_count(self, platforms: Iterable[str] | None = None) -> int:
        q = select(func.count()).select_from(outbox).where(IS_PENDING)
        if platforms is not None:
            q = q.where(outbox.c.platform.in_(list(platforms)))
        return (await self.conn.execute(q)).scalar_one()

    async def next_due(self, platform: str) -> dt.datetime | None:
        q = select(func.min(outbox.c.due_at)).where(IS_PENDING, outbox.c.platform == platform)
        return (await self.conn.execute(q)).scalar()

    async def purge_broadcasts(self, before: dt.datetime) -> int:
        """Delete finished broadcasts (and their outbox rows) last changed before ``before``."""
        q = delete(broadcasts).where(
            broadcasts.c.state.in_((DONE, CANCELLED)), broadcasts.c.updated_at < before
        )
        old = select(broadcasts.c.id).where(
            broadcasts.c.state.in_((DONE, CANCELLED)), broadcasts.c.updated_at < before
        )
        await self.conn.execute(delete(outbox).where(outbox.c.broadcast_id.in_(old)))
        return (await self.conn.execute(q)).rowcount or 0
