"""Fixtures of the broadcast tests (a plugin of tests/conftest.py): a loopback webhook
platform (``fake``), settings and a core for it (``bsettings``, ``bcore``), the organiser
Olga's chat (``olga``) and a worker sending through it (``worker``)."""

from __future__ import annotations

import pytest

from adapters.webhook_sender import WebhookSender
from tests.broadcasting import OLGA, OLGA_CHAT, broadcast_settings
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


@pytest.fixture
def bsettings(db_url, tmp_path, fake):
    return broadcast_settings(db_url, tmp_path, fake.url)


@pytest.fixture
def bcore(store, bsettings, clock) -> Core:
    return Core(store, bsettings, Hasher(SECRET), command_table(), clock=clock)


@pytest.fixture
def olga(bcore) -> TestChat:
    return TestChat(bcore, user=OLGA, address=OLGA_CHAT)


@pytest.fixture
async def worker(store, bsettings, clock):
    sender = WebhookSender(bsettings.ua_bot_webhook_url)
    yield Worker(store, bsettings, {"webhook": sender}, clock=clock, worker_id="test-worker")
    await sender.close()
