"""Forgotten and unsubscribed chats leave the outbox (issue 17, finding 3): their queued
messages are cancelled, never sent, and no kept row holds their address."""

from __future__ import annotations

import contextlib

from adapters.webhook_sender import WebhookSender
from tests.broadcasting import OLGA, OLGA_CHAT, broadcast_settings, run_until_done
from tests.chat import TestChat
from tests.conftest import SECRET
from tests.fakes.webhook_fake import FakePlatform
from tests.hostile import as_text, dump_tables
from ua_bot.broadcast.worker import Worker
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

SAM, ANN, BOB = "webhook:sam-chat", "webhook:ann-chat", "webhook:bob-chat"


@contextlib.asynccontextmanager
async def broadcasting(db_url, tmp_path, store, clock):
    """(the fake platform, a core on it, Olga the organiser, a function running the worker)."""
    async with FakePlatform() as fake:
        s = broadcast_settings(db_url, tmp_path, fake.url)
        core = Core(store, s, Hasher(SECRET), command_table(), clock=clock)
        olga = TestChat(core, user=OLGA, address=OLGA_CHAT)
        sender = WebhookSender(fake.url)

        async def drain() -> None:
            await run_until_done(Worker(store, s, {"webhook": sender}, clock=clock), store)

        try:
            yield fake, core, olga, drain
        finally:
            await sender.close()


async def test_forget_me_and_unsubscribe_cancel_queued_messages_and_blank_sent_ones(
    db_url, tmp_path, store, sample, clock
):
    async with broadcasting(db_url, tmp_path, store, clock) as (fake, core, olga, drain):
        sam, ann, bob = (
            TestChat(core, user=a.replace("-chat", ""), address=a) for a in (SAM, ANN, BOB)
        )
        for who in (sam, ann, bob):
            await who.say("/subscribe")
        assert "3 recipients added" in await olga.say("/broadcast 253/17")
        await drain()
        assert "Queued for 3 recipients" in await olga.say("/update 253/17 --all she was freed")
        await sam.say("/unsubscribe")
        await ann.say("/forget_me yes")
        await drain()
        assert {a: fake.received[a] for a in (SAM, ANN, BOB)} == {SAM: 1, ANN: 1, BOB: 2}
        status = await olga.say("/broadcast_status 253/17")
        assert "sent 1 of 3, 2 cancelled" in status
    tables = as_text(await dump_tables(store))
    assert SAM not in tables and ANN not in tables
    assert BOB in tables  # still subscribed: kept


async def test_a_group_another_member_keeps_subscribed_keeps_its_messages(
    db_url, tmp_path, store, sample, clock
):
    async with broadcasting(db_url, tmp_path, store, clock) as (fake, core, olga, drain):
        one, two = (TestChat(core, user=f"webhook:{u}", address="webhook:group") for u in "ab")
        await one.say("/subscribe")
        await two.say("/subscribe")
        assert "1 recipient added" in await olga.say("/broadcast 253/17")
        await one.say("/forget_me yes")
        await drain()
        assert fake.received["webhook:group"] == 1
