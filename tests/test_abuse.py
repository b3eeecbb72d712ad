"""Flood control: a flood of commands gets one notice, then silence; daily confirmation cap."""

from __future__ import annotations

from sqlalchemy import func, select

from case_store.tables import actions
from tests.chat import TestChat
from tests.conftest import SECRET, FrozenClock
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.limits import RateLimiter


def test_rate_limiter_window_notice_then_silence():
    rl = RateLimiter(limit=3, window=10)
    assert [rl.check("a", now=t) for t in (0, 1, 2)] == ["ok"] * 3
    assert rl.check("a", now=3) == "notice"
    assert rl.check("a", now=4) == "silent"
    assert rl.check("b", now=4) == "ok", "other supporters are not affected"
    assert rl.check("a", now=10.5) == "ok", "the window slides"


async def test_a_flood_gets_one_notice_then_silence(store, settings, clock: FrozenClock, sample):
    settings.ua_bot_rate_limit = 5
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
