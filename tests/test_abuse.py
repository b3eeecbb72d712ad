"""Flood control: a flood of commands gets one notice, then silence; daily confirmation cap."""

from __future__ import annotations

from sqlalchemy import func, select

from case_store import Store
from case_store.tables import actions
from tests.chat import TestChat
from tests.conftest import SECRET, FrozenClock
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher


async def test_a_flood_gets_one_notice_then_silence(store, settings, clock: FrozenClock, sample):
    settings.ua_bot_rate_limit = 5
    settings.ua_bot_rate_window = 3600  # one window for the whole test
    core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    chat = TestChat(core, user="console:flooder")
    answers = [await chat.say("/case") for _ in range(12)]
    assert all("MOTHER AND CHILD" in a for a in answers[:5])
    assert "very fast" in answers[5]
    assert answers[6:] == [""] * 6
    other = TestChat(core, user="console:calm")
    assert "MOTHER AND CHILD" in await other.say("/case")


async def test_daily_confirmations_per_case_are_capped(store, settings, clock, sample):
    settings.ua_bot_daily_confirmations = 3
    core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    chat = TestChat(core, user="console:keen")
    for kind in ("letter", "email", "call"):
        assert "is recorded" in await chat.say(f"/took_action {kind}")
    assert "Come back tomorrow" in await chat.say("/took_action fax")
    async with store.unit() as tx:
        n = (await tx.conn.execute(select(func.count()).select_from(actions))).scalar_one()
    assert n == 3


async def test_two_web_processes_count_one_flood_limit(db_url, store, settings, clock, sample):
    """Two cores on their own engines (as two web processes would be) share one count."""
    settings.ua_bot_rate_limit = 6
    settings.ua_bot_rate_window = 3600
    other_store = Store.from_url(db_url)
    try:
        one = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
        two = Core(other_store, settings, Hasher(SECRET), command_table(), clock=clock)
        a, b = TestChat(one, "console:f"), TestChat(two, "console:f")
        answers = []
        for _ in range(4):  # each process writes its counts within limits.FLUSH seconds
            answers.append(await a.say("/case"))
            await one.flood.flush()
            answers.append(await b.say("/case"))
            await two.flood.flush()
        served = sum("MOTHER AND CHILD" in x for x in answers)
        # One limit for both (each sees the other's hits from its own next write: one
        # extra command at most), not one each (8 of 8 served).
        assert 6 <= served <= 7
        assert any("very fast" in x for x in answers)
    finally:
        await other_store.close()


async def test_a_restart_keeps_the_daily_count(db_url, store, settings, clock, sample):
    settings.ua_bot_daily_confirmations = 2
    core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    chat = TestChat(core, user="console:keen")
    for kind in ("letter", "email"):
        assert "is recorded" in await chat.say(f"/took_action {kind}")
    await core.daily.close()  # written within limits.FLUSH seconds, and on shutdown
    restarted = Store.from_url(db_url)  # a new process: nothing in memory
    try:
        core = Core(restarted, settings, Hasher(SECRET), command_table(), clock=clock)
        chat = TestChat(core, user="console:keen")
        assert "Come back tomorrow" in await chat.say("/took_action call")
    finally:
        await restarted.close()
