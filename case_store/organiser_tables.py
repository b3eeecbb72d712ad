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

from case_store.tables import cases, metadata

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


async def add_changes(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(case_changes), rows)


async def recent_changes(conn: AsyncConnection, limit: int = 100) -> list[Any]:
    q = select(case_changes).order_by(case_changes.c.id.desc()).limit(limit)
    return list((await conn.execute(q)).all())


async def case_extra(conn: AsyncConnection, case_id: int) -> dict[str, Any]:
    q = select(cases.c.extra).where(cases.c.id == case_id)
    return dict((await conn.execute(q)).scalar() or {})


async def set_case_extra(conn: AsyncConnection, case_id: int, extra: dict[str, Any]) -> None:
    await conn.execute(update(cases).where(cases.c.id == case_id).values(extra=extra))


async def rename_case(conn: AsyncConnection, case_id: int, ua_number: str) -> None:
    """Give a case a new UA number (the caller checked that it is free)."""
    await conn.execute(
        update(cases).where(cases.c.id == case_id).values(ua_number=ua_number, ua_written=ua_number)
    )
