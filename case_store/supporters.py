"""Supporter, subscription, chat-state and delivery queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.cases import now
from case_store.outbox_privacy import OutboxPrivacyQueries
from case_store.tables import (
    actions,
    case_supporters,
    chat_state,
    deliveries,
    english_notes,
    subscriptions,
    supporters,
)


def dialect_insert(conn: AsyncConnection, table):
    """An ``INSERT`` that can take ``ON CONFLICT`` clauses, for the connection's dialect."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def upsert_ignore(conn: AsyncConnection, table, **index):
    """An ``INSERT ... ON CONFLICT DO NOTHING`` for the connection's dialect."""
    return dialect_insert(conn, table).on_conflict_do_nothing(**index)


_KEYS: Any = bindparam("keys", expanding=True)
# What :meth:`SupporterQueries.read_keyed` can read: kind -> a query of (key, value) rows.
KEYED_READS = {
    "lang": select(supporters.c.key, supporters.c.lang).where(supporters.c.key.in_(_KEYS)),
    "chat_case": select(chat_state.c.chat_key, chat_state.c.case_id).where(
        chat_state.c.chat_key.in_(_KEYS)
    ),
}


class KEEP:
    """Marker: leave a subscription field as it is."""


class SupporterQueries(OutboxPrivacyQueries):
    """Mixin for :class:`case_store.store.Tx`."""

    conn: AsyncConnection

    async def supporter_id(self, key: str, *, create: bool = False) -> int | None:
        q = select(supporters.c.id).where(supporters.c.key == key)
        sid = (await self.conn.execute(q)).scalar()
        if sid is None and create:
            await self.conn.execute(
                upsert_ignore(self.conn, supporters, index_elements=["key"]).values(
                    key=key, created_at=now()
                )
            )
            sid = (await self.conn.execute(q)).scalar()
        return sid

    async def supporter(self, key: str) -> Any:
        return (await self.conn.execute(select(supporters).where(supporters.c.key == key))).first()

    async def set_supporter_fields(self, key: str, **values: Any) -> None:
        sid = await self.supporter_id(key, create=True)
        await self.conn.execute(update(supporters).where(supporters.c.id == sid).values(**values))

    async def subscribe(
        self,
        key: str,
        address: str,
        topics: str | None = None,
        country: str | type[KEEP] | None = KEEP,
        *,
        shared: bool = False,
    ) -> bool:
        """Subscribe a chat; ``False`` if it was subscribed already.

        ``topics`` (``all`` or a comma-separated list) and ``country`` change only when
        given: ``None`` topics keep the current ones (``all`` for a new subscription),
        ``country=None`` clears the country filter.
        """
        sid = await self.supporter_id(key, create=True)
        existing = (
            await self.conn.execute(
                select(subscriptions.c.id).where(
                    subscriptions.c.supporter_id == sid, subscriptions.c.address == address
                )
            )
        ).scalar()
        values: dict[str, Any] = {}
        if topics is not None:
            values["topics"] = topics
        if country is not KEEP:
            values["country"] = country
        if existing is not None:
            if values:
                await self.conn.execute(
                    update(subscriptions).where(subscriptions.c.id == existing).values(**values)
                )
            return False
        await self.conn.execute(
            insert(subscriptions).values(
                supporter_id=sid,
                address=address,
                platform=address.split(":", 1)[0],
                topics=values.get("topics", "all"),
                country=values.get("country"),
                created_at=now(),
                shared=shared,
            )
        )
        return True

    async def unsubscribe(self, key: str, address: str | None = None) -> int:
        sid = await self.supporter_id(key)
        if sid is None:
            return 0
        q = delete(subscriptions).where(subscriptions.c.supporter_id == sid)
        if address is not None:
            q = q.where(subscriptions.c.address == address)
        left = await self._addresses_of(sid)
        n = (await self.conn.execute(q)).rowcount or 0
        await self.drop_from_outbox(left)
        return n

    async def _addresses_of(self, sid: int) -> list[str]:
        q = select(subscriptions.c.address).where(subscriptions.c.supporter_id == sid)
        return list((await self.conn.execute(q)).scalars())

    async def unsubscribe_address(self, address: str) -> int:
        """Drop every subscription of a chat address (the user blocked the bot)."""
        q = delete(subscriptions).where(subscriptions.c.address == address)
        return (await self.conn.execute(q)).rowcount or 0

    async def subscriptions_of(self, key: str) -> list[Any]:
        sid = await self.supporter_id(key)
        if sid is None:
            return []
        q = select(subscriptions).where(subscriptions.c.supporter_id == sid)
        return list((await self.conn.execute(q)).all())

    async def tell_once(self, key: str, case_id: int, lang: str) -> bool:
        """Whether the supporter is yet to be told that this case's text is in English for
        ``lang``; true once (then remembered), and always for one not stored at all."""
        sid = await self.supporter_id(key)
        if sid is None:
            return True
        row = dict(supporter_id=sid, case_id=case_id, lang=lang[:8])
        res = await self.conn.execute(upsert_ignore(self.conn, english_notes).values(**row))
        return res.rowcount == 1

    async def tell_many(self, asks: Sequence[tuple[str, int, str]]) -> list[bool]:
        """:meth:`tell_once` for each (key, case id, language), in this transaction."""
        return [await self.tell_once(*ask) for ask in asks]

    async def forget_supporter(self, key: str) -> bool:
        """Delete all that is stored about a supporter; their action counts stay anonymous."""
        sid = await self.supporter_id(key)
        if sid is None:
            return False
        left = await self._addresses_of(sid)
        await self.conn.execute(delete(subscriptions).where(subscriptions.c.supporter_id == sid))
        await self.drop_from_outbox(left)
        await self.conn.execute(
            delete(case_supporters).where(case_supporters.c.supporter_id == sid)
        )
        await self._unlink_to_the_day(sid)
        await self.conn.execute(delete(english_notes).where(english_notes.c.supporter_id == sid))
        await self.conn.execute(delete(supporters).where(supporters.c.id == sid))
        return True

    async def _unlink_to_the_day(self, sid: int) -> None:
        """Cut a supporter's actions loose, keeping only their day: a recording time to the
        microsecond would match an anonymous action to the delivery that recorded it."""
        rows = (
            await self.conn.execute(
                select(actions.c.id, actions.c.day).where(actions.c.supporter_id == sid)
            )
        ).all()
        for aid, day in rows:
            midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
            await self.conn.execute(
                update(actions)
                .where(actions.c.id == aid)
                .values(supporter_id=None, created_at=midnight)
            )

    async def chat_case(self, chat_key: str) -> int | None:
        q = select(chat_state.c.case_id).where(chat_state.c.chat_key == chat_key)
        return (await self.conn.execute(q)).scalar()

    async def read_keyed(self, items: Sequence[tuple[str, str]]) -> list[Any]:
        """Many small reads in one statement per kind: ``("lang", supporter key)`` gives the
        supporter's language, ``("chat_case", chat key)`` the chat's current case id (``None``
        when there is none)."""
        found: dict[tuple[str, str], Any] = {}
        for kind, query in KEYED_READS.items():
            keys = sorted({key for k, key in items if k == kind})
            if keys:
                rows = await self.conn.execute(query, {"keys": keys})
                found.update({(kind, key): value for key, value in rows.all()})
        return [found.get(item) for item in items]

    async def set_chat_case(self, chat_key: str, case_id: int | None) -> None:
        await self.set_chat_cases([(chat_key, case_id)])

    async def set_chat_cases(self, pairs: Sequence[tuple[str, int | None]]) -> None:
        """Set the current case of many chats in one statement (the last pair of a chat wins)."""
        if not pairs:
            return
        ts = now()
        rows = [{"chat_key": k, "case_id": c, "updated_at": ts} for k, c in dict(pairs).items()]
        stmt = dialect_insert(self.conn, chat_state)
        stmt = stmt.on_conflict_do_update(
            index_elements=["chat_key"],
            set_={"case_id": stmt.excluded.case_id, "updated_at": stmt.excluded.updated_at},
        )
        await self.conn.execute(stmt, rows)

    async def forget_chat(self, chat_key: str) -> None:
        await self.conn.execute(delete(chat_state).where(chat_state.c.chat_key == chat_key))

    async def claim_delivery(self, key: str) -> bool:
        """Record a platform delivery id; ``False`` if it was seen before."""
        res = await self.conn.execute(
            upsert_ignore(self.conn, deliveries, index_elements=["key"]).values(
                key=key, created_at=now()
            )
        )
        return bool(res.rowcount)
