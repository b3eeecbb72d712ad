"""The database going away during /took_action: the user is told to retry, nothing is lost,
and the redelivered update is stored once."""

from __future__ import annotations

import io
import os
import sqlite3

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from adapters.console import ConsoleChat
from case_store import Store
from case_store.tables import actions
from tests.conftest import SECRET, add_case, make_case
from tests.fakes.tcp_proxy import TcpProxy
from ua_bot.core import Core
from ua_bot.errors import TemporaryFailure
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.messages import Incoming


def took(delivery: str, kind: str = "letter") -> Incoming:
    return Incoming.command_line(
        f"/took_action 253/17 {kind}", address="console:f", user="console:f", delivery_id=delivery
    )


async def count_actions(store: Store) -> int:
    async with store.unit() as tx:
        return (await tx.conn.execute(select(func.count()).select_from(actions))).scalar_one()


async def test_sqlite_file_locked(db_url, settings, clock):
    if not db_url.startswith("sqlite"):
        pytest.skip("the SQLite variant")
    store = Store.from_url(db_url, busy_timeout=0.3)
    await add_case(store, make_case())
    core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    settings.ua_bot_cache_seconds = 0  # read the database on every command
    path = db_url.split("///", 1)[1]
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(TemporaryFailure):
            await core.handle(took("u1"))
        out = io.StringIO()
        await ConsoleChat(core, user="f", out=out).send("/took_action 253/17 letter")
        assert "Nothing was lost: please try again" in out.getvalue()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    replies = await core.handle(took("u1"))  # the platform delivers the update again
    assert "is recorded" in replies[0].markup
    assert await core.handle(took("u1")) == []
    assert await count_actions(store) == 1
    await store.close()


@pytest.mark.skipif(not os.environ.get("UA_BOT_TEST_POSTGRES_URL"), reason="needs PostgreSQL")
async def test_postgres_server_gone(db_url, settings, clock):
    if db_url.startswith("sqlite"):
        pytest.skip("the PostgreSQL variant")
    u = make_url(db_url)
    proxy = TcpProxy(u.host or "127.0.0.1", u.port or 5432)
    await proxy.start()
    store = Store.from_url(
        u.set(host="127.0.0.1", port=proxy.port).render_as_string(False), busy_timeout=2
    )
    await add_case(store, make_case())
    settings.ua_bot_cache_seconds = 0
    core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    assert "is recorded" in (await core.handle(took("p0")))[0].markup
    await proxy.stop()
    with pytest.raises(TemporaryFailure):
        await core.handle(took("p1", "email"))
    await proxy.start()  # the server is back; the platform delivers the update again
    assert "is recorded" in (await core.handle(took("p1", "email")))[0].markup
    assert await core.handle(took("p1", "email")) == []
    assert await count_actions(store) == 2
    await store.close()
    await proxy.stop()
