"""The worker while its database is down: one warning when it goes, one info when it is back,
and no traceback on every poll in between (they would bury the line that matters)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

from sqlalchemy.engine import make_url

from adapters.webhook_sender import WebhookSender
from case_store import Store
from tests.broadcasting import broadcast_settings
from tests.fakes.tcp_proxy import TcpProxy
from tests.waiting import eventually
from ua_bot.broadcast.worker import Worker


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
            await eventually(lambda: worker.idle_polls >= 3)
            await proxy.stop()
        await eventually(lambda: worker.outage.failures >= 30)  # every task fails many polls
        if proxy is not None:
            await proxy.start()
        else:
            later.parent.mkdir()
            with sqlite3.connect(migrated) as src, sqlite3.connect(later) as dst:
                src.backup(dst)
        await eventually(lambda: any("available again" in r.message for r in caplog.records))
        polls = worker.idle_polls
        await eventually(lambda: worker.idle_polls >= polls + 10)  # and these stay quiet
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
