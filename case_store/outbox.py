"""Broadcast and outbox queries: enqueue recipients in one statement, claim, mark, cancel.

Recipients come from a list of :data:`RECIPIENT_SOURCES`: each gives a ``SELECT`` of chat
addresses for an :class:`Audience`, run inside one ``INSERT INTO outbox ... SELECT`` so that
no recipient passes through Python and memory does not grow with their number. A new kind
of recipient (say, channels that follow every case) is one more source in that list.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    DateTime,
    Delete,
    Integer,
    Select,
    String,
    case,
    delete,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.channels import broadcast_channels
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
from case_store.supporters import upsert_ignore
from case_store.tables import Id, case_supporters, subscriptions

# A literal, not a bound parameter, so that both databases see the partial index applies.
IS_PENDING = outbox.c.state == literal_column("'pending'")
TOPICS = ("new", "updates", "reminders")


@dataclass(frozen=True)
class Audience:
    """Who a broadcast is for.

    ``topic``: the subscribers' topic it belongs to (new, updates, reminders).
    ``country``: the case's country; subscribers who chose another country are left out
    (empty: no country filter). ``acted``: ``True`` only supporters who recorded an action
    on the case, ``False`` only those who did not, ``None`` either.
    """

    case_id: int
    topic: str
    country: str = ""
    acted: bool | None = None


class RecipientSource(Protocol):
    """A kind of recipient: a query of chat addresses, and how to retire a dead one."""

    def select(self, audience: Audience, *head: Any) -> Select | None:
        """``SELECT *head, address, platform`` for the audience (``None``: not for it)."""

    def retire(self, address: str) -> Delete | None:
        """The statement that forgets ``address`` (it blocked the bot or is gone)."""


class SubscriptionRecipients:
    """Supporters' subscriptions (``/subscribe``), filtered by their topics and country."""

    def select(self, audience: Audience, *head: Any) -> Select | None:
        s = subscriptions
        q = select(*head, s.c.address, s.c.platform).where(
            or_(s.c.topics == "all", s.c.topics.contains(audience.topic))
        )
        if audience.country:
            q = q.where(
                or_(s.c.country.is_(None), func.lower(s.c.country) == audience.country.lower())
            )
        if audience.acted is not None:
            acted = exists().where(
                case_supporters.c.case_id == audience.case_id,
                case_supporters.c.supporter_id == s.c.supporter_id,
            )
            q = q.where(acted if audience.acted else ~acted)
            if audience.acted:  # a group is an audience, not the supporter who acted
                q = q.where(s.c.shared == false())
        return q.order_by(s.c.id)

    def retire(self, address: str) -> Delete | None:
        return delete(subscriptions).where(subscriptions.c.address == address)


class BroadcastChannelRecipients:
    """Chats an organiser marked with ``/broadcast_here`` (group chats, Slack channels).

    A channel is an audience, not a supporter: it gets every topic in every country, but
    not what is meant only for supporters who acted (``acted=True``, e.g. an update's first
    round). "Those who did not act" (``acted=False``, the reminders, an update's ``--all``
    round) includes channels, so an organiser's "to all" reaches them.
    """

    def select(self, audience: Audience, *head: Any) -> Select | None:
        if audience.acted:
            return None
        c = broadcast_channels.c
        return select(*head, c.address, c.platform).order_by(c.created_at, c.address)

    def retire(self, address: str) -> Delete | None:
        return delete(broadcast_channels).where(broadcast_channels.c.address == address)


# An address in several sources gets one outbox row: the insert ignores (broadcast, address)
# pairs already queued.
RECIPIENT_SOURCES: list[RecipientSource] = [SubscriptionRecipients(), BroadcastChannelRecipients()]


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


def broadcast_key(case_id: int, kind: str, update_id: int | None) -> str:
    return f"{case_id}:{kind}:{update_id or 0}"


class OutboxQueries:
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    # -- organiser side -----------------------------------------------------------

    async def open_broadcast(
        self,
        case_id: int,
        kind: str,
        update_id: int | None,
        audiences: Sequence[Audience],
        organiser_address: str | None,
        now: dt.datetime,
    ) -> tuple[int, int, int]:
        """Queue a broadcast: ``(broadcast id, recipients added, cancelled ones resumed)``.

        Running the same broadcast again resumes what was cancelled and adds only
        recipients it has not reached yet (one outbox row per broadcast and address).
        """
        key = broadcast_key(case_id, kind, update_id)
        await self.conn.execute(
            upsert_ignore(self.conn, broadcasts, index_elements=["key"]).values(
                key=key,
                case_id=case_id,
                kind=kind,
                update_id=update_id,
                state=SENDING,
                total=0,
                sent=0,
                failed=0,
                gone=0,
                cancelled=0,
                created_at=now,
                updated_at=now,
            )
        )
        bid = (
            await self.conn.execute(select(broadcasts.c.id).where(broadcasts.c.key == key))
        ).scalar_one()
        resumed = (
            await self.conn.execute(
                update(outbox)
                .where(outbox.c.broadcast_id == bid, outbox.c.state == CANCELLED)
                .values(state=PENDING, claimed_until=None, due_at=now)
            )
        ).rowcount or 0
        added = await self.enqueue(bid, audiences, now)
        if added or resumed:
            await self.conn.execute(
                update(broadcasts)
                .where(broadcasts.c.id == bid)
                .values(
                    state=SENDING,
                    total=broadcasts.c.total + added,
                    cancelled=broadcasts.c.cancelled - resumed,
                    organiser_address=organiser_address,
                    progress_message_id=None,
                    progress_text=None,
                    progress_at=None,
                    updated_at=now,
                )
            )
        return bid, added, resumed

    async def enqueue(self, bid: int, audiences: Iterable[Audience], now: dt.datetime) -> int:
        """One ``INSERT ... SELECT`` per audience and source; returns the rows added."""
        head = (
            literal(bid, Id).label("broadcast_id"),
            literal(PENDING, String).label("state"),
            literal(0, Integer).label("attempts"),
            literal(now, DateTime(timezone=True)).label("due_at"),
        )
        cols = ["broadcast_id", "state", "attempts", "due_at", "address", "platform"]
        added = 0
        for audience in audiences:
            for source in RECIPIENT_SOURCES:
                q = source.select(audience, *head)
                if q is None:
                    continue
                stmt = upsert_ignore(
                    self.conn, outbox, index_elements=["broadcast_id", "address"]
                ).from_select(cols, q)
                added += (await self.conn.execute(stmt)).rowcount or 0
        return added

    async def cancel_broadcasts(self, case_id: int, now: dt.datetime) -> int:
        """Stop every broadcast of a case that is sending; returns the messages not sent."""
        bids = (
            await self.conn.execute(
                select(broadcasts.c.id).where(
                    broadcasts.c.case_id == case_id, broadcasts.c.state == SENDING
                )
            )
        ).scalars()
        stopped = 0
        for bid in list(bids):
            n = (
                await self.conn.execute(
                    update(outbox)
                    .where(outbox.c.broadcast_id == bid, outbox.c.state == PENDING)
                    .values(state=CANCELLED, claimed_until=None)
                )
            ).rowcount or 0
            await self.conn.execute(
                update(broadcasts)
                .where(broadcasts.c.id == bid)
                .values(state=CANCELLED, cancelled=broadcasts.c.cancelled + n, updated_at=now)
            )
            stopped += n
        return stopped

    async def broadcasts_of(self, case_id: int) -> list[Any]:
        q = select(broadcasts).where(broadcasts.c.case_id == case_id).order_by(broadcasts.c.id)
        return list((await self.conn.execute(q)).all())

    async def broadcast(self, bid: int) -> Any:
        return (await self.conn.execute(select(broadcasts).where(broadcasts.c.id == bid))).first()

    async def latest_update_id(self, case_id: int) -> int | None:
        from case_store.tables import case_updates

        q = select(func.max(case_updates.c.id)).where(case_updates.c.case_id == case_id)
        return (await self.conn.execute(q)).scalar()

    async def case_update(self, update_id: int) -> Any:
        from case_store.tables import case_updates

        q = select(case_updates).where(case_updates.c.id == update_id)
        return (await self.conn.execute(q)).first()

    # -- worker side ----------------------------------------------------------------

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
        self, ids: Sequence[int], due: dt.datetime | None = None, worker: str | None = None
    ) -> int:
        """Give rows back (``ids``, or every row ``worker`` holds), optionally due later."""
        values: dict[str, Any] = {"claimed_until": None, "claimed_by": None}
        if due is not None:
            values["due_at"] = due
        q = update(outbox).where(IS_PENDING)
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


def outbox_counts_by_state(bid: int) -> Select:
    """``(state, count)`` rows of one broadcast (for tests and reports)."""
    return (
        select(outbox.c.state, func.count())
        .where(outbox.c.broadcast_id == bid)
        .group_by(outbox.c.state)
    )


__all__ = [
    "CANCELLED",
    "DONE",
    "FAILED",
    "GONE",
    "PENDING",
    "RECIPIENT_SOURCES",
    "SENDING",
    "SENT",
    "TOPICS",
    "Audience",
    "BroadcastChannelRecipients",
    "Claimed",
    "OutboxQueries",
    "Outcome",
    "RecipientSource",
    "SubscriptionRecipients",
]
