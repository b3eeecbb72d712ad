"""One sending budget per platform for every process: two workers on their own engines (as
two processes would be) against a fake platform that enforces one limit for the bot meet no
429 and together send near the limit; replies come before broadcasts; a 429 seen by one
process pauses the others."""

from __future__ import annotations

import asyncio

import pytest

from adapters.webhook_sender import WebhookSender
from case_store import Store
from case_store.budget import bucket_for, budget_for
from tests.broadcasting import OLGA, OLGA_CHAT, add_subscribers, broadcast_settings
from tests.chat import TestChat
from tests.conftest import SECRET
from tests.fakes.webhook_fake import FakePlatform
from ua_bot.broadcast.worker import Worker
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

LIMIT = 100  # messages a second the fake platform allows the bot, all processes together
N = 500


async def test_two_workers_share_one_budget_and_meet_no_429(db_url, tmp_path, store, sample, clock):
    if db_url.startswith("sqlite"):
        pytest.skip("several workers need PostgreSQL (SQLite runs one process)")
    async with FakePlatform(limit=LIMIT) as fake:
        s = broadcast_settings(
            db_url,
            tmp_path,
            fake.url,
            ua_bot_worker_pacing=f'{{"webhook": {{"per_second": {LIMIT}}}}}',
            ua_bot_worker_batch=40,
        )
        olga = TestChat(
            Core(store, s, Hasher(SECRET), command_table(), clock=clock), OLGA, OLGA_CHAT
        )
        await add_subscribers(store, N)
        assert f"{N:,} recipients added" in await olga.say("/broadcast 253/17")
        stores = [Store.from_url(db_url) for _ in range(2)]  # two engines: two "processes"
        senders = [WebhookSender(fake.url) for _ in range(2)]
        workers = [
            Worker(st, s, {"webhook": se}, clock=clock, worker_id=f"w{i}")
            for i, (st, se) in enumerate(zip(stores, senders, strict=True))
        ]
        await asyncio.gather(*(w.run_until_idle() for w in workers))
        for x in [*senders, *stores]:
            await x.close()
        rate = (fake.total - 1) / (fake.last_at - fake.first_at)
        print(f"\ntwo workers, one budget: {rate:.0f}/s of {LIMIT}, 429s {fake.rate_limited}")
        assert fake.rate_limited == 0, "one budget for both: the platform never says 429"
        assert min(w.stats["sent"] for w in workers) > 0, "both workers sent"
        # generous: a loaded machine slows the workers; bench/broadcastday_bench.py measures it
        assert rate > 0.3 * LIMIT, "together they use the budget, not a trickle"


async def test_replies_go_first_and_broadcasts_use_what_they_leave(db_url, store):
    budget = budget_for(store.engine)
    bucket = bucket_for(30)
    first = await budget.take("t", bucket, 5, reply=False)
    assert first.granted == bucket.burst and first.wait == 0.0
    reply = await budget.take("t", bucket, 1, reply=True)
    assert reply.granted == 1, "a reply always gets its token"
    assert reply.wait < 2 / bucket.rate, "and waits only for the next slot"
    after = await budget.take("t", bucket, 5, reply=False)
    assert after.granted == 0, "the broadcast waits until the replies' debt is paid"
    assert after.wait > 0


async def test_a_429_in_one_process_pauses_the_others(db_url, store):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite runs one process")
    other = Store.from_url(db_url)
    try:
        bucket = bucket_for(30)
        await budget_for(store.engine).pause("t", 2.0)
        take = await budget_for(other.engine).take("t", bucket, 5, reply=False)
        assert take.granted == 0 and 1.5 < take.paused <= 2.0
        reply = await budget_for(other.engine).take("t", bucket, 1, reply=True)
        assert reply.wait >= 1.5, "replies wait out the platform's retry_after too"
    finally:
        await other.close()


async def test_a_worker_gives_back_only_rows_it_still_holds(db_url, tmp_path, store, sample, clock):
    """A lease that ran out while a worker waited for the budget passed its rows to another
    worker: the first one's give-back must not free the second one's claim."""
    import datetime as dt

    s = broadcast_settings(db_url, tmp_path, "http://127.0.0.1:9")
    olga = TestChat(Core(store, s, Hasher(SECRET), command_table(), clock=clock), OLGA, OLGA_CHAT)
    await add_subscribers(store, 3)
    assert "3 recipients added" in await olga.say("/broadcast 253/17")
    now = dt.datetime.now(dt.UTC)
    async with store.unit() as tx:
        first = await tx.claim("webhook", "w1", 10, now, now - dt.timedelta(seconds=1))
    async with store.unit() as tx:
        second = await tx.claim("webhook", "w2", 10, now, now + dt.timedelta(seconds=60))
    assert {r.id for r in second} == {r.id for r in first}, "the lapsed lease passed them on"
    async with store.unit() as tx:
        assert await tx.release_claims([r.id for r in first], None, by="w1") == 0
        assert await tx.claim("webhook", "w3", 10, now, now + dt.timedelta(seconds=60)) == []


async def test_a_telegram_reply_waits_out_a_429_another_process_was_given(
    db_url, core, settings, store, sample
):
    """The web process's replies draw on the same budget as the workers: a ``retry_after``
    a worker (here: another engine) was told holds the reply back too."""
    import time

    from tests.fakes.telegram_api import private_chat, user
    from tests.telegram_kit import polling

    async with polling(core, settings) as (api, _):
        other = Store.from_url(db_url) if not db_url.startswith("sqlite") else store
        try:
            await budget_for(other.engine).pause("telegram", 1.5)
            t0 = time.monotonic()
            await api.push(api.message(private_chat(21), user(21), "/case 253/17"))
            await api.wait_sent(1, chat_id=21)
            assert time.monotonic() - t0 > 1.0, "the reply waited for the platform's pause"
        finally:
            if other is not store:
                await other.close()
