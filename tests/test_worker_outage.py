"""The worker while its database is down: one warning when it goes, one info when it is back,
and no traceback on every poll in between (they would bury the line that matters)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time

from sqlalchemy.engine import make_url

from adapters.webhook import WebhookSender
from case_store import Store
from tests.broadcasting import broadcast_settings
from tests.fakes.tcp_proxy import TcpProxy
from ua_bot.broadcast.worker import Worker


async def _until(cond, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            return False
        await asyncio.sleep(0.02)
    return True


async def test_worker_logs_a_database_outage_once(db_url, tmp_path, clock, caplog):
    caplog.set_level(logging.INFO, logger="ua_bot.worker")
    proxy = None
    if db_url.startswith("sqlite"):
        # Down from the start: the database's directory is not there yet.
        migrated = make_url(db_url).database
        later = tmp_path / "later" / "ua_bot.db"
        store = Store.from_url(f"sqlite+aiosqlite:///{later}", busy_timeout=1)
    else:
        u = make_url(db_url)
        proxy = TcpProxy(u.host or "127.0.0.1", u.port or 5432)
        await proxy.start()
        url = u.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        store = Store.from_url(url, busy_timeout=1)
    s = broadcast_settings(
        db_url,
        tmp_path,
        "http://127.0.0.1:9/unused",
        ua_bot_worker_poll_seconds=0.02,
        ua_bot_worker_progress_seconds=0.02,
        ua_bot_worker_housekeeping_seconds=0.02,
    )
    sender = WebhookSender("http://127.0.0.1:9/unused")
    worker = Worker(store, s, {"webhook": sender}, clock=clock, worker_id="w-outage")
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        if proxy is not None:  # up, then the server goes away mid-run
            assert await _until(lambda: worker._started)
            await asyncio.sleep(0.1)
            await proxy.stop()
        await asyncio.sleep(0.6)  # every task polls some 30 times meanwhile
        if proxy is not None:
            await proxy.start()
        else:
            later.parent.mkdir()
            with sqlite3.connect(migrated) as src, sqlite3.connect(later) as dst:
                src.backup(dst)
        await _until(lambda: any("available again" in r.message for r in caplog.records), 5)
        await asyncio.sleep(0.2)  # polls after it is back stay quiet
        assert not running.done(), "the worker keeps running through the outage"
    finally:
        stop.set()
        await running
        await sender.close()
        await store.close()
        if proxy is not None:
            await proxy.stop()

    records = [r for r in caplog.records if r.name == "ua_bot.worker"]
    # Both at WARNING, the deployed level: an operator who saw it go sees it come back.
    down = [r for r in records if r.levelno == logging.WARNING and "unavailable" in r.message]
    up = [r for r in records if r.levelno == logging.WARNING and "available again" in r.message]
    assert len(down) == 1, [r.message for r in records]
    assert "database unavailable" in down[0].message
    assert len(up) == 1, [r.message for r in records]
    assert not [r for r in records if r.exc_info or r.levelno >= logging.ERROR]
