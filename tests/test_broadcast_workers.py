"""Two worker processes on PostgreSQL share one broadcast: each claims rows the other does
not (FOR UPDATE SKIP LOCKED), and no recipient gets the message twice."""

from __future__ import annotations

import asyncio

import pytest

from adapters.webhook_sender import WebhookSender
from case_store import Store
from tests.broadcasting import OLGA, OLGA_CHAT, add_subscribers, broadcast_settings, outbox_states
from tests.chat import TestChat
from tests.conftest import SECRET
from tests.fakes.webhook_fake import FakePlatform
from ua_bot.broadcast.worker import Worker
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

N = 1000


async def test_two_workers_share_one_broadcast_and_send_no_one_twice(
    db_url, tmp_path, store, sample, clock
):
    if db_url.startswith("sqlite"):
        pytest.skip("several workers need PostgreSQL (SQLite runs one worker at a time)")
    async with FakePlatform() as fake:
        s = broadcast_settings(
            db_url,
            tmp_path,
            fake.url,
            ua_bot_worker_pacing='{"webhook": {"per_second": 1000}}',
            ua_bot_worker_batch=50,  # small claims, so that the two interleave
        )
        olga = TestChat(
            Core(store, s, Hasher(SECRET), command_table(), clock=clock),
            user=OLGA,
            address=OLGA_CHAT,
        )
        recipients = await add_subscribers(store, N)
        assert f"{N:,} recipients added" in await olga.say("/broadcast 253/17")

        stores = [Store.from_url(db_url) for _ in range(2)]  # two connection pools
        senders = [WebhookSender(fake.url) for _ in range(2)]
        workers = [
            Worker(st, s, {"webhook": se}, clock=clock, worker_id=f"w{i}")
            for i, (st, se) in enumerate(zip(stores, senders, strict=True))
        ]
        await asyncio.gather(*(w.run_until_idle() for w in workers))
        for x in [*senders, *stores]:
            await x.close()

        shares = [w.stats["sent"] for w in workers]
        dupes = sum(n - 1 for a, n in fake.received.items() if a != OLGA_CHAT and n > 1)
        print(f"\ntwo workers: {N} recipients, sent {shares}, duplicates {dupes}")
        assert all(fake.received[a] == 1 for a in recipients), "no recipient twice"
        assert sum(shares) == N and min(shares) > 0, "both workers took a share"
    assert await outbox_states(store) == {"sent": N}
