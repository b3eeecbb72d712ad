"""Organisers are told through the outbox, by the real worker, when a contact is marked."""

from __future__ import annotations

import pytest

from adapters.webhook_sender import WebhookSender
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


async def test_the_case_page_shows_the_mark_and_confirming_ends_it(settings, store, core):
    from tests.organiser_kit import csrf, signed_in_on_case
    from ua_bot.model import CaseStatus

    async with signed_in_on_case(settings, store, core, CaseStatus.PUBLISHED) as (http, case):
        page = (await http.get(f"/organiser/cases/{case.id}")).text
        assert "Contacts reported broken" not in page
        for i in range(3):
            p = TestChat(core, user=f"console:s{i}")
            await p.say("/took_action 253/17 email 1")
            await p.press("Bounced")
        page = (await http.get(f"/organiser/cases/{case.id}")).text
        assert "Contacts reported broken" in page
        assert "the email address of Xi Jinping (gov@govonline.cn) bounces" in page
        form = {"csrf": csrf(page), "do": "contact_ok", "target": "1", "channel": "email"}
        r = await http.post(f"/organiser/cases/{case.id}", data=form)
        assert r.status_code == 200 and "no longer marked" in r.text
        assert "Contacts reported broken" not in r.text
    supporter = TestChat(core, user="console:reader")
    assert "bounces" not in await supporter.say("/targets 253/17")
