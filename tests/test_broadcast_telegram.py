"""A broadcast through the real Telegram sender (PTB's Bot) against the loopback fake Bot API:
every subscriber gets it once, a 429 pauses and resumes, a 403 retires the chat."""

from __future__ import annotations

from adapters.senders import senders_for
from tests.chat import TestChat
from tests.conftest import ORGANISER
from tests.fakes.telegram_api import FakeBotAPI
from tests.telegram_kit import point_at, subscribed_addresses
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
        senders = senders_for(settings)
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
