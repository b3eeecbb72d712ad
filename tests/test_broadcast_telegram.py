"""A broadcast through the real Telegram sender (PTB's Bot) against the loopback fake Bot API:
every subscriber gets it once, a 429 pauses and resumes, a 403 retires the chat; 500 chats
once each with the organiser's progress message edited; cancel and resume."""

from __future__ import annotations

import asyncio
from collections import Counter

from adapters.senders import senders_for
from tests.broadcasting import add_subscribers, outbox_states, run_until_done
from tests.chat import TestChat
from tests.conftest import ORGANISER
from tests.fakes.telegram_api import FakeBotAPI
from tests.telegram_kit import point_at, subscribed_addresses
from tests.waiting import eventually
from ua_bot.broadcast.worker import Worker

N = 60


async def test_broadcast_to_telegram_subscribers(core, settings, store, sample):
    async with FakeBotAPI() as api:
        point_at(settings, api)
        for i in range(N):
            uid = 880_000 + i
            chat = TestChat(core, user=f"telegram:{uid}", address=f"telegram:{uid}")
            assert "Subscribed" in await chat.say("/subscribe")
        org = TestChat(core, user=ORGANISER)
        text = await org.say("/broadcast 253/17 new")
        assert "60" in text, text
        senders = senders_for(settings, store)
        assert set(senders) == {"telegram"}
        api.fail_next("sendMessage", 429, retry_after=1)
        api.fail_next("sendMessage", 403)
        worker = Worker(store, settings, senders)
        await worker.run_until_idle()
        await worker.run_until_idle()  # the 429'd row is due again after retry_after
        for s in senders.values():
            await s.close()
        sent = api.sent("sendMessage")
        per_chat: dict[int, int] = {}
        for c in sent:
            per_chat[c.chat_id] = per_chat.get(c.chat_id, 0) + 1
        print(
            f"\ntelegram broadcast: {N} recipients, {len(sent)} delivered, "
            f"{sum(1 for n in per_chat.values() if n > 1)} duplicates"
        )
        assert all(n == 1 for n in per_chat.values())
        assert len(per_chat) == N - 1, "all but the chat that blocked the bot"
        assert all("MOTHER AND CHILD" in c.params["text"] for c in sent)
        subs = await subscribed_addresses(store)
        assert len(subs) == N - 1
        gone = {f"telegram:{880_000 + i}" for i in range(N)} - set(subs)
        assert len(gone) == 1 and int(next(iter(gone)).split(":")[1]) not in per_chat
        status = await org.say("/broadcast_status 253/17")
        assert "59" in status and "60" in status, status


ORG_CHAT = 700  # the organiser's private chat: the progress message lives there
FAST = '{"telegram": {"per_second": 300, "per_chat_seconds": 0.2}}'


def telegram_org(core, settings) -> TestChat:
    settings.ua_bot_organisers = f"{ORGANISER},telegram:{ORG_CHAT}"
    settings.ua_bot_worker_pacing = FAST
    settings.ua_bot_worker_progress_seconds = 0.1
    return TestChat(core, user=f"telegram:{ORG_CHAT}", address=f"telegram:{ORG_CHAT}")


def per_chat(api: FakeBotAPI) -> Counter[int]:
    return Counter(c.chat_id for c in api.sent("sendMessage") if c.chat_id != ORG_CHAT)


async def test_500_telegram_chats_get_it_once_and_the_progress_message_is_edited(
    core, settings, store, sample
):
    async with FakeBotAPI() as api:
        point_at(settings, api)
        org = telegram_org(core, settings)
        chats = await add_subscribers(store, 500, platform="telegram")
        assert "500 recipients added" in await org.say("/broadcast 253/17")
        senders = senders_for(settings, store)
        await run_until_done(Worker(store, settings, senders), store)
        for s in senders.values():
            await s.close()
        got = per_chat(api)
        print(f"\ntelegram broadcast: 500 recipients, {got.total()} delivered")
        assert set(got) == {int(a.split(":")[1]) for a in chats}
        assert set(got.values()) == {1}, "each chat exactly once"
        (progress,) = api.sent("sendMessage", chat_id=ORG_CHAT)
        edits = api.sent("editMessageText", chat_id=ORG_CHAT)
        assert edits and all(
            e.params["message_id"] == str(progress.params["_result"]["message_id"]) for e in edits
        )
        assert edits[-1].params["text"] == "<b>Done.</b> UA 253/17, new case: sent 500 of 500."
    assert await outbox_states(store) == {"sent": 500}


async def test_cancel_stops_a_telegram_broadcast_and_broadcast_resumes_it(
    core, settings, store, sample
):
    async with FakeBotAPI() as api:
        point_at(settings, api)
        org = telegram_org(core, settings)
        settings.ua_bot_worker_pacing = '{"telegram": {"per_second": 60}}'
        await add_subscribers(store, 500, platform="telegram")
        await org.say("/broadcast 253/17")
        senders = senders_for(settings, store)
        worker = Worker(store, settings, senders)
        stop = asyncio.Event()
        running = asyncio.create_task(worker.run(stop))
        await api.wait_for(lambda: per_chat(api).total() >= 100, timeout=30)
        assert "cancelled" in (await org.say("/broadcast_cancel 253/17")).lower()
        # Idle: a poll claimed nothing with no send in flight; a second one proves it stays so.
        polls = worker.idle_polls
        await eventually(lambda: worker.idle_polls > polls, timeout=30)
        first = per_chat(api).total()
        polls = worker.idle_polls
        await eventually(lambda: worker.idle_polls >= polls + 3, timeout=30)
        assert per_chat(api).total() == first, "nothing more goes out after a cancel"
        assert 100 <= first < 500
        states = await outbox_states(store)
        assert states == {"sent": first, "cancelled": 500 - first}
        edits = api.sent("editMessageText", chat_id=ORG_CHAT)
        assert "Cancelled" in edits[-1].params["text"]

        assert "cancelled messages resumed" in await org.say("/broadcast 253/17")
        await api.wait_for(lambda: per_chat(api).total() >= 500, timeout=60)
        stop.set()
        await running
        for s in senders.values():
            await s.close()
        assert set(per_chat(api).values()) == {1}, "resumed: the rest, once each"
    assert await outbox_states(store) == {"sent": 500}
