"""Helpers for broadcast tests: settings for the webhook platform, subscribers in bulk."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sqlalchemy import func, insert, select

from adapters.settings import DeploymentSettings
from case_store import Store
from case_store.cases import now
from case_store.outbox_tables import outbox
from case_store.tables import subscriptions, supporters
from tests.conftest import ORGANISER, SECRET

OLGA = "webhook:olga"  # an organiser on the webhook platform
OLGA_CHAT = "webhook:olga-chat"


def broadcast_settings(db_url: str, tmp_path: Path, url: str, **kw) -> DeploymentSettings:
    values = dict(
        database_url=db_url,
        ua_bot_secret=SECRET.decode(),
        ua_bot_organisers=f"{ORGANISER},{OLGA}",
        ua_bot_secret_file=tmp_path / "secret",
        ua_bot_rate_limit=1000,
        ua_bot_webhook_url=url,
        ua_bot_worker_pacing=json.dumps({"webhook": {"per_second": 400, "per_chat_seconds": 0.2}}),
        ua_bot_worker_backoff_seconds=0.05,
        ua_bot_worker_poll_seconds=0.05,
        ua_bot_worker_progress_seconds=0.1,
        _env_file=None,
    )
    values.update(kw)
    return DeploymentSettings(**values)


def address(i: int) -> str:
    return f"webhook:r{i}"


async def add_subscribers(
    store: Store,
    n: int,
    *,
    start: int = 0,
    topics: str = "all",
    country: str | None = None,
    platform: str = "webhook",
) -> list[str]:
    """``n`` supporters subscribed from chats ``webhook:r<i>`` (one multi-row insert each);
    on another platform, from numbered chats ``<platform>:<start + i + 1>``."""
    ts = now()
    keys = [f"bulk-{platform}-{start + i:07d}" for i in range(n)]
    if platform == "webhook":
        addresses = [address(start + i) for i in range(n)]
    else:
        addresses = [f"{platform}:{start + i + 1}" for i in range(n)]
    async with store.unit() as tx:
        await tx.conn.execute(insert(supporters), [{"key": k, "created_at": ts} for k in keys])
        ids = dict((await tx.conn.execute(select(supporters.c.key, supporters.c.id))).all())
        await tx.conn.execute(
            insert(subscriptions),
            [
                {
                    "supporter_id": ids[k],
                    "address": addresses[i],
                    "platform": platform,
                    "topics": topics,
                    "country": country,
                    "created_at": ts,
                }
                for i, k in enumerate(keys)
            ],
        )
    return addresses


async def outbox_states(store: Store) -> dict[str, int]:
    async with store.unit() as tx:
        q = select(outbox.c.state, func.count()).group_by(outbox.c.state)
        return dict((await tx.conn.execute(q)).all())


async def count_rows(store: Store, table, *where) -> int:
    async with store.unit() as tx:
        q = select(func.count()).select_from(table)
        if where:
            q = q.where(*where)
        return (await tx.conn.execute(q)).scalar_one()


async def run_until_done(worker, store) -> None:
    """Run the worker (progress loop and all) until nothing is left to send."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    for _ in range(3000):
        await asyncio.sleep(0.02)
        async with store.unit() as tx:
            if not await tx.pending_count() and not await tx.sending_broadcasts():
                break
    stop.set()
    await task
