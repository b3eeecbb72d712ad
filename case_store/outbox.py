"""The organiser side of the outbox: open a broadcast, enqueue its recipients, cancel.

Recipients come from a list of :data:`RECIPIENT_SOURCES`: each gives a ``SELECT`` of chat
addresses for an :class:`Audience`, run inside one ``INSERT INTO outbox ... SELECT`` so that
no recipient passes through Python and memory does not grow with their number. A new kind
of recipient (say, channels that follow every case) is one more source in that list.
The worker side (claim, settle, progress) is :mod:`case_store.outbox_claims`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    DateTime,
    Delete,
    Integer,
    Select,
    String,
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


def broadcast_key(case_id: int, kind: str, update_id: int | None) -> str:
    return f"{case_id}:{kind}:{update_id or 0}"



async def ensure_broadcast(
    conn: AsyncConnection,
    key: str,
    case_id: int,
    kind: str,
    at: dt.datetime,
    update_id: int | None = None,
) -> int:
    """The id of the broadcast ``key``, created (sending, nothing counted yet) if new."""
    await conn.execute(
        upsert_ignore(conn, broadcasts, index_elements=["key"]).values(
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
            created_at=at,
            updated_at=at,
        )
    )
    q = select(broadcasts.c.id).where(broadcasts.c.key == key)
    return int((await conn.execute(q)).scalar_one())

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
        bid = await ensure_broadcast(self.conn, key, case_id, kind, now, update_id)
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
    "OutboxQueries",
    "RecipientSource",
    "SubscriptionRecipients",
]
