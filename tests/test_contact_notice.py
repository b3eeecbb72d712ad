"""Organisers are told through the outbox, by the real worker, when a contact is marked."""

from __future__ import annotations

import pytest

from adapters.webhook import WebhookSender
from tests.broadcasting import OLGA, broadcast_settings, run_until_done
from tests.chat import TestChat
from tests.conftest import SECRET
from tests.fakes.webhook_fake import FakePlatform
from ua_bot.broadcast.worker import Worker
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher


@pytest.fixture
async def fake():
    async with FakePlatform() as f:
        yield f


async def test_the_worker_tells_each_organiser_once(store, db_url, tmp_path, fake, clock, sample):
    settings = broadcast_settings(db_url, tmp_path, fake.url, ua_bot_organisers=OLGA)
    core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    for i in range(5):
        p = TestChat(core, user=f"webhook:s{i}")
        await p.say("/took_action 253/17 fax 2")
        await p.press("Fax failed")
    sender = WebhookSender(settings.ua_bot_webhook_url)
    try:
        worker = Worker(store, settings, {"webhook": sender}, clock=clock, worker_id="w")
        await run_until_done(worker, store)
    finally:
        await sender.close()
    assert fake.received[OLGA] == 1, "told once"
    (text,) = fake.sent_texts.values()
    assert "Contacts reported broken in UA 253/17" in text
    assert "fax number of Cui Tiankai (+12024952138) fails" in text
