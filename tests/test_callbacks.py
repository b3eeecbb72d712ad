"""Call at office hours: a reminder queued at the official's 9:00, sent by the real worker."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from adapters.webhook_sender import WebhookSender
from case_store.outbox_tables import outbox
from tests.broadcasting import OLGA, broadcast_settings, run_until_done
from tests.chat import TestChat
from tests.conftest import SECRET
from tests.fakes.webhook_fake import FakePlatform
from ua_bot.broadcast.worker import Worker
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

# Friday 1 December 2017, 12:00 UTC: 7:00 in Washington, where Cui Tiankai's number is
NINE_IN_WASHINGTON = dt.datetime(2017, 12, 1, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
async def fake():
    async with FakePlatform() as f:
        yield f


async def rows(store) -> list:
    async with store.unit() as tx:
        q = select(outbox.c.address, outbox.c.state, outbox.c.due_at).order_by(outbox.c.id)
        return list((await tx.conn.execute(q)).all())


def utc(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t


async def test_a_reminder_at_the_officials_nine_delivered_by_the_worker(
    store, db_url, tmp_path, fake, clock, sample
):
    settings = broadcast_settings(db_url, tmp_path, fake.url, ua_bot_organisers=OLGA)
    core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
    sam = TestChat(core, user="webhook:sam")
    text = await sam.say("/call 253/17 2")
    assert "Remind me when their office opens" in [b.label for b in sam.replies[0].buttons]
    text = await sam.press("Remind me when their office opens")
    assert "I will remind you at 09:00 on Friday, their time (14:00 UTC)" in text
    assert "already have a reminder" in await sam.press("Remind me when their office opens")
    ((address, state, due),) = await rows(store)
    assert address == "webhook:sam" and state == "pending"
    assert utc(due) == NINE_IN_WASHINGTON

    sender = WebhookSender(settings.ua_bot_webhook_url)
    try:
        worker = Worker(store, settings, {"webhook": sender}, clock=clock, worker_id="w")
        # the worker claims a row once its due_at has come (on the real clock: 2017 is past)
        clock.when = NINE_IN_WASHINGTON
        await run_until_done(worker, store)
    finally:
        await sender.close()
    assert fake.received["webhook:sam"] == 1
    (sent,) = fake.sent_texts.values()
    assert "Cui Tiankai's office is open now" in sent and "+1 202-495-2266" in sent


async def test_forget_me_cancels_the_reminder(store, core, clock, sample):
    sam = TestChat(core, user="console:sam")
    await sam.say("/call 253/17 2")
    await sam.press("Remind me when their office opens")
    assert "Delete it all?" in await sam.say("/forget_me")
    assert "is deleted" in await sam.press("Delete everything")
    assert [r.state for r in await rows(store)] == ["cancelled"]
    assert [r.address for r in await rows(store)] != ["console:sam"], "the address is blanked"


async def test_unsubscribe_cancels_the_reminder(store, core, clock, sample):
    sam = TestChat(core, user="console:sam")
    await sam.say("/call 253/17 2")
    await sam.press("Remind me when their office opens")
    await sam.say("/unsubscribe")
    assert [r.state for r in await rows(store)] == ["cancelled"]


async def test_in_office_hours_no_reminder_is_offered(chat, sample, clock):
    clock.when = NINE_IN_WASHINGTON + dt.timedelta(hours=1)
    await chat.say("/call 253/17 2")
    assert "Remind me when their office opens" not in [b.label for b in chat.replies[0].buttons]


async def test_a_bad_target_is_one_clear_answer(chat, sample):
    text = await chat.say("/remind_call 253/17 1")  # Xi Jinping has no phone number
    assert text == "Which official? For example /remind_call 253/17 2 (one with a phone number)."
