"""The organiser pages' tables and queries: sign-in links, sessions, the case change log.

Links and sessions are stored only as SHA-256 hashes of their random values, and who they
belong to only as the organiser's keyed hash (the same key as the audit log).
"""

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
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.tables import metadata

web_logins = Table(
    "web_logins",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("actor", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("actor", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)

case_changes = Table(
    "case_changes",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("actor", String(64), nullable=False),
    Column("case_id", BigInteger().with_variant(Integer(), "sqlite"), nullable=True),
    Column("ua_number", String(16), nullable=False),
    Column("field", String(64), nullable=False),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)


async def logins_since(conn: AsyncConnection, actor: str, since: dt.datetime) -> int:
    q = select(func.count()).where(web_logins.c.actor == actor, web_logins.c.created_at > since)
    return (await conn.execute(q)).scalar_one()


async def add_login(
    conn: AsyncConnection, token_hash: str, actor: str, at: dt.datetime, expires: dt.datetime
) -> None:
    await conn.execute(
        insert(web_logins).values(
            token_hash=token_hash, actor=actor, created_at=at, expires_at=expires
        )
    )


async def login(conn: AsyncConnection, token_hash: str) -> Any:
    q = select(web_logins).where(web_logins.c.token_hash == token_hash)
    return (await conn.execute(q)).first()


async def use_login(conn: AsyncConnection, token_hash: str, at: dt.datetime) -> bool:
    """Mark a link used; ``False`` when it was used already or has expired (one winner)."""
    res = await conn.execute(
        update(web_logins)
        .where(
            web_logins.c.token_hash == token_hash,
            web_logins.c.used_at.is_(None),
            web_logins.c.expires_at > at,
        )
        .values(used_at=at)
    )
    return res.rowcount == 1


async def add_session(
    conn: AsyncConnection, id_hash: str, actor: str, at: dt.datetime, expires: dt.datetime
) -> None:
    await conn.execute(
        insert(web_sessions).values(id_hash=id_hash, actor=actor, created_at=at, expires_at=expires)
    )


async def live_session(conn: AsyncConnection, id_hash: str, at: dt.datetime) -> str | None:
    """The actor of a session that is neither ended nor expired."""
    q = select(web_sessions.c.actor).where(
        web_sessions.c.id_hash == id_hash,
        web_sessions.c.ended_at.is_(None),
        web_sessions.c.expires_at > at,
    )
    return (await conn.execute(q)).scalar()


async def end_session(conn: AsyncConnection, id_hash: str, at: dt.datetime) -> None:
    await conn.execute(
        update(web_sessions).where(web_sessions.c.id_hash == id_hash).values(ended_at=at)
    )












class WebLoginQueries:
    """Mixin for :class:`case_store.store.Tx`: the sign-in links the core issues."""

    conn: AsyncConnection

    async def logins_since(self, actor: str, since: dt.datetime) -> int:
        return await logins_since(self.conn, actor, since)

    async def add_login(
        self, token_hash: str, actor: str, at: dt.datetime, expires: dt.datetime
    ) -> None:
        await add_login(self.conn, token_hash, actor, at, expires)
