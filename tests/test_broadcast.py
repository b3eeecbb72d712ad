"""Broadcasts end to end: organiser commands -> outbox -> worker -> a loopback fake platform."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from adapters.webhook_sender import WebhookSender
from case_store.outbox_tables import broadcasts, outbox
from case_store.tables import subscriptions
from tests.broadcasting import (
    OLGA_CHAT,
    add_subscribers,
    address,
    broadcast_settings,
    count_rows,
    outbox_states,
    run_until_done,
)
from tests.chat import TestChat
from tests.fakes.webhook_fake import FakePlatform
from ua_bot.broadcast.worker import Worker
from ua_bot.model import CaseStatus


def delivered(fake: FakePlatform) -> int:
    """Messages the recipients got (the organiser's progress message left out)."""
    return sum(n for a, n in fake.received.items() if a != OLGA_CHAT)


async def test_a_broadcast_to_500_arrives_once_each_and_the_progress_message_is_edited(
    olga, store, sample, fake, worker
):
    recipients = await add_subscribers(store, 500)
    text = await olga.say("/broadcast 253/17")
    assert "Queued UA 253/17 (new case): 500 recipients added" in text
    await run_until_done(worker, store)

    assert set(fake.received) - {OLGA_CHAT} == set(recipients)
    assert all(fake.received[a] == 1 for a in recipients), "each recipient exactly once"
    assert await outbox_states(store) == {"sent": 500}
    assert "New Urgent Action" in fake.sent_texts["1"] or any(
        "New Urgent Action" in t for t in fake.sent_texts.values()
    )
    # The worker posted a progress message in the organiser's chat and edited it as it went.
    progress_ids = [m for m, t in fake.sent_texts.items() if "new case: sent" in t]
    assert len(progress_ids) == 1 and fake.received[OLGA_CHAT] == 1
    edits = [t for a, m, t in fake.edits if a == OLGA_CHAT and m == progress_ids[0]]
    assert edits, "the progress message is edited"
    assert edits[-1] == "*Done.* UA 253/17, new case: sent 500 of 500."
    assert "New case: done: sent 500 of 500" in await olga.say("/broadcast_status 253/17")
    # Running it again sends nothing twice.
    assert "No one new" in await olga.say("/broadcast 253/17")


async def test_a_429_pauses_the_worker_for_retry_after_then_it_resumes(
    olga, store, sample, fake, worker
):
    recipients = await add_subscribers(store, 500)
    fake.rate_limit_at = {120, 300}
    fake.retry_after = 0.5
    await olga.say("/broadcast 253/17")
    await worker.run_until_idle()
    assert fake.rate_limited - fake.in_flight == 2, "the two 429s asked for, no more"
    assert fake.violations == 0, "nothing was sent while the platform asked to wait"
    assert all(fake.received[a] == 1 for a in recipients)
    assert await outbox_states(store) == {"sent": 500}


async def test_a_403_retires_the_recipient(olga, store, sample, fake, worker):
    recipients = await add_subscribers(store, 500)
    blocked = {address(3), address(250)}
    fake.gone = set(blocked)
    await olga.say("/broadcast 253/17")
    await worker.run_until_idle()
    assert all(fake.received[a] == 1 for a in recipients if a not in blocked)
    assert not any(fake.received[a] for a in blocked)
    assert await outbox_states(store) == {"sent": 498, "gone": 2}
    assert await count_rows(store, subscriptions) == 498
    assert await count_rows(store, subscriptions, subscriptions.c.address.in_(blocked)) == 0
    assert "2 gone (unsubscribed)" in await olga.say("/broadcast_status 253/17")


async def test_transient_errors_are_retried_with_back_off(olga, store, sample, fake, worker):
    recipients = await add_subscribers(store, 50)
    fake.fail_once = {address(i) for i in range(0, 50, 5)}
    await olga.say("/broadcast 253/17")
    await worker.run_until_idle()
    assert all(fake.received[a] == 1 for a in recipients)
    async with store.unit() as tx:
        retried = (await tx.conn.execute(outbox.select().where(outbox.c.attempts == 1))).all()
    assert len(retried) == 10 and await outbox_states(store) == {"sent": 50}


async def test_a_recipient_failing_every_time_counts_as_failed(
    olga, store, sample, fake, db_url, tmp_path, clock
):
    s = broadcast_settings(db_url, tmp_path, fake.url, ua_bot_worker_max_attempts=3)
    sender = WebhookSender(fake.url)
    await add_subscribers(store, 5)
    await olga.say("/broadcast 253/17")

    fake.fail_once = set()
    worker = Worker(store, s, {"webhook": sender}, clock=clock)
    original = sender.send

    async def flaky(addr, reply):
        if addr == address(2):
            from ua_bot.broadcast import TransientSendError

            raise TransientSendError("HTTP 502")
        return await original(addr, reply)

    sender.send = flaky  # a sender whose platform keeps failing for one chat
    await worker.run_until_idle()
    await sender.close()
    assert await outbox_states(store) == {"sent": 4, "failed": 1}
    assert "1 failed" in await olga.say("/broadcast_status 253/17")


async def test_cancel_stops_a_broadcast_and_broadcast_resumes_it(
    olga, store, sample, fake, db_url, tmp_path, clock
):
    s = broadcast_settings(
        db_url,
        tmp_path,
        fake.url,
        ua_bot_worker_pacing='{"webhook": {"per_second": 200}}',
        ua_bot_worker_inflight=1,
    )
    recipients = await add_subscribers(store, 500)
    await olga.say("/broadcast 253/17")
    cancelled: list[str] = []

    def cancel_at_100(n: int) -> None:
        if n == 100 and not cancelled:
            cancelled.append("sent")
            asyncio.get_running_loop().create_task(olga.say("/broadcast_cancel 253/17"))

    fake.on_receipt = cancel_at_100
    sender = WebhookSender(fake.url)
    worker = Worker(store, s, {"webhook": sender}, clock=clock)
    await worker.run_until_idle()
    first = delivered(fake)
    assert 100 <= first < 500, f"cancel stopped the broadcast ({first} sent)"
    states = await outbox_states(store)
    assert states["sent"] == first and states["cancelled"] == 500 - first, (states, first)
    assert "cancelled" in await olga.say("/broadcast_status 253/17")
    await worker.run_until_idle()
    assert delivered(fake) == first, "nothing more goes out after a cancel"

    fake.on_receipt = None
    assert "cancelled messages resumed" in await olga.say("/broadcast 253/17")
    await worker.run_until_idle()
    await sender.close()
    assert all(fake.received[a] == 1 for a in recipients), "resumed: the rest, once each"
    assert await outbox_states(store) == {"sent": 500}


async def test_subscription_topics_and_country_choose_the_recipients(
    bcore, olga, store, sample, fake, worker
):
    chats = {}
    for name, prefs in [
        ("all", ""),
        ("new", "new"),
        ("upd", "updates"),
        ("rem", "reminders"),
        ("peru", "country Peru"),
        ("china", "country china"),
    ]:
        chats[name] = TestChat(bcore, user=f"webhook:u-{name}", address=f"webhook:c-{name}")
        assert "Subscribed" in await chats[name].say("/subscribe")
        if prefs:
            assert "this chat now gets" in await chats[name].say(f"/subscribe {prefs}")
    assert "deadline reminders only" not in await chats["rem"].say("/subscribe")
    assert "already subscribed here to deadline reminders" in await chats["rem"].say("/subscribe")
    assert "I don't know the topic" in await chats["new"].say("/subscribe banana")

    await olga.say("/broadcast 253/17 new")
    await worker.run_until_idle()
    got = {a for a in fake.received if a != OLGA_CHAT}
    assert got == {"webhook:c-all", "webhook:c-new", "webhook:c-china"}

    await chats["china"].say("/took_action letter")
    fake.received.clear()
    await olga.say("/broadcast 253/17 reminder")
    await worker.run_until_idle()
    got = {a for a in fake.received if a != OLGA_CHAT}
    assert got == {"webhook:c-all", "webhook:c-rem"}, "reminders skip those who acted"


async def test_an_update_goes_to_those_who_acted_first_then_to_all_on_request(
    bcore, olga, store, sample, fake, worker
):
    acted = TestChat(bcore, user="webhook:u-acted", address="webhook:c-acted")
    other = TestChat(bcore, user="webhook:u-other", address="webhook:c-other")
    for c in (acted, other):
        await c.say("/subscribe")
    await acted.say("/took_action letter")
    text = await olga.say("/update 253/17 released: Lee Su-jung was freed")
    assert "Update stored for UA 253/17 (outcome: released)" in text
    assert "Queued for 1 recipient" in text
    await worker.run_until_idle()
    assert set(fake.received) - {OLGA_CHAT} == {"webhook:c-acted"}
    sent = [t for t in fake.sent_texts.values() if "Update on UA 253/17" in t]
    assert sent and "*Outcome:* released" in sent[0] and "Lee Su-jung was freed" in sent[0]

    assert "1 recipient added" in await olga.press("Send to all subscribers too")
    await worker.run_until_idle()
    assert fake.received["webhook:c-other"] == 1 and fake.received["webhook:c-acted"] == 1
    assert "What happened?" in await olga.say("/update 253/17")


async def test_the_deadline_reminder_is_queued_once(bcore, store, sample, fake, worker, clock):
    await add_subscribers(store, 3)
    clock.when = dt.datetime(2017, 12, 20, 12, tzinfo=dt.UTC)  # 7 days before the deadline
    await worker.housekeeping()
    assert await count_rows(store, broadcasts) == 0, "not yet: reminders go 3 days before"
    clock.when = dt.datetime(2017, 12, 25, 12, tzinfo=dt.UTC)
    await worker.housekeeping()
    await worker.housekeeping()
    assert await count_rows(store, broadcasts) == 1
    await worker.run_until_idle()
    assert fake.total == 3
    assert all("Reminder: UA 253/17" in t for t in fake.sent_texts.values())
    assert "(2 days left)" in fake.sent_texts["1"]


async def test_cases_close_a_set_number_of_days_after_the_deadline_when_configured(
    store, sample, fake, db_url, tmp_path, clock
):
    async def status_after_housekeeping(when: dt.datetime, **kw) -> CaseStatus:
        clock.when = when
        s = broadcast_settings(db_url, tmp_path, fake.url, **kw)
        await Worker(store, s, {}, clock=clock).housekeeping()
        async with store.unit() as tx:
            return (await tx.get_case(case_id=sample.id)).status

    # The deadline is 27 December 2017.
    late = dt.datetime(2018, 3, 1, tzinfo=dt.UTC)
    assert await status_after_housekeeping(late) == CaseStatus.PUBLISHED, "off by default"
    day_29 = dt.datetime(2018, 1, 25, 12, tzinfo=dt.UTC)
    assert await status_after_housekeeping(day_29, ua_bot_autoclose_days=30) == (
        CaseStatus.PUBLISHED
    )
    day_32 = dt.datetime(2018, 1, 28, 12, tzinfo=dt.UTC)
    assert await status_after_housekeeping(day_32, ua_bot_autoclose_days=30) == CaseStatus.CLOSED


async def test_broadcast_commands_answer_bad_input_and_are_for_organisers(
    bcore, olga, store, sample
):
    supporter = TestChat(bcore, user="webhook:sam")
    assert "for organisers only" in await supporter.say("/broadcast 253/17")
    assert "Which case?" in await olga.say("/broadcast")
    assert "I did not understand" in await olga.say("/broadcast 253/17 banana")
    assert "has no update yet" in await olga.say("/broadcast 253/17 update")
    assert "has not been broadcast" in await olga.say("/broadcast_status 253/17")
    assert "Nothing is waiting" in await olga.say("/broadcast_cancel 253/17")
    assert "I don't know UA 999/99" in await olga.say("/broadcast 999/99")
    assert "No one new" in await olga.say("/broadcast 253/17"), "no subscribers yet"
    async with store.unit() as tx:
        await tx.set_status(sample.id, CaseStatus.DRAFT)
    bcore.cases.invalidate()
    assert "is not published" in await olga.say("/broadcast 253/17")


async def test_an_imported_follow_up_offers_to_send_the_update(olga, store):
    fixture = Path(__file__).parent / "fixtures" / "ua" / "c_further_2013.txt"
    await olga.send_file(fixture)  # UA 93/13 is new here: a draft
    await olga.say("/publish 93/13")
    text = await olga.send_file(fixture)  # now it is an update of the case
    assert "update of UA 93/13" in text
    assert "Send this update of UA 93/13" in text
    await add_subscribers(store, 4)
    text = await olga.press("Send it to all subscribers")
    assert "4 recipients" in text
    assert await outbox_states(store) == {"pending": 4}
