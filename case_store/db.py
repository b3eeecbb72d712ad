"""Engine creation: SQLite (WAL, foreign keys) by default, PostgreSQL through asyncpg."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _translate_sslmode(url: str) -> tuple[str, dict]:
    """asyncpg takes ``ssl=`` not libpq's ``sslmode=``; move it to connect_args."""
    u = make_url(url)
    q = dict(u.query)
    connect_args: dict[str, Any] = {}
    mode = q.pop("sslmode", None)
    if mode:
        mode = mode if isinstance(mode, str) else mode[-1]
        connect_args["ssl"] = {"disable": False, "allow": "prefer"}.get(mode, mode)
    return u.set(query=q).render_as_string(hide_password=False), connect_args


def create_engine_for(
    url: str, *, pool_size: int = 10, echo: bool = False, busy_timeout: float = 30.0
) -> AsyncEngine:
    """An async engine for ``url`` with the pragmas and pool settings ua-bot relies on.

    ``busy_timeout``: how long SQLite waits for another process's lock, or PostgreSQL for
    a connection, before the store reports itself unavailable.
    """
    if is_sqlite(url):
        # aiosqlite logs every statement with its parameters at DEBUG: never below INFO
        quiet = logging.getLogger("aiosqlite")
        if quiet.getEffectiveLevel() < logging.INFO:
            quiet.setLevel(logging.INFO)
        engine = create_async_engine(
            url, echo=echo, hide_parameters=True, connect_args={"timeout": busy_timeout}
        )
        _sqlite_pragmas(engine, busy_timeout)
        return engine
    url, connect_args = _translate_sslmode(url)
    return create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,  # a signature or a chat address is never in a log or an error
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=busy_timeout,
        connect_args={"timeout": min(busy_timeout, 10), **connect_args},
    )


def _sqlite_pragmas(engine: AsyncEngine, busy_timeout: float) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
        # Let SQLAlchemy, not the driver, emit BEGIN so that SAVEPOINTs work.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn) -> None:  # pragma: no cover - trivial
        conn.exec_driver_sql("BEGIN IMMEDIATE")
