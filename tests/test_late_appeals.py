"""After the deadline is the organisers' call: each setting changes the deadline's wording,
and with ``stop`` no appeal is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes.telegram_api import private_chat, user
from tests.telegram_kit import polling, stored_actions

AFTER = dt.datetime(2018, 1, 10, 12, tzinfo=dt.UTC)


async def test_encourage_is_the_default(chat, sample, clock):
    clock.when = AFTER
    assert "Messages sent after it can still help: please act anyway." in await chat.say("/case")
    text = await chat.say("/took_action letter")
    assert "is recorded" in text and "messages sent after it can still help" in text


async def test_check_asks_supporters_to_check_with_the_organisers(chat, organiser, sample, clock):
    clock.when = AFTER
    assert "Late appeals for UA 253/17: check" in await organiser.say("/late_appeals 253/17 check")
    text = await chat.say("/case")
    assert "the deadline has passed. Please check with the organisers" in text
    assert "act anyway" not in text
    text = await chat.say("/took_action letter")
    assert "is recorded" in text
    assert "please check with the organisers that messages still help" in text


async def test_stop_refuses_politely_and_records_nothing(chat, organiser, sample, clock, store):
    await organiser.say("/late_appeals 253/17 stop")
    text = await chat.say("/took_action letter")  # before the deadline: recorded as ever
    assert "is recorded" in text
    clock.when = AFTER
    text = await chat.say("/case")
    assert "The organisers ask that no more messages be sent" in text
    assert "I took action" not in [b.label for b in chat.replies[0].buttons]
    text = await chat.say("/took_action email")
    assert "the organisers ask that no more messages be sent, so none is recorded" in text
    assert len(await stored_actions(store)) == 1
    await organiser.say("/late_appeals 253/17 default")
    assert "is recorded" in await chat.say("/took_action email")


async def test_the_deployment_default_applies_to_cases_without_their_own(
    core, chat, organiser, sample, clock
):
    core.cases._late_appeals = "stop"  # as UA_BOT_LATE_APPEALS=stop would set it
    core.cases.invalidate()
    clock.when = AFTER
    assert "no more messages be sent, so none is recorded" in await chat.say("/took_action letter")
    await organiser.say("/late_appeals 253/17 encourage")
    assert "is recorded" in await chat.say("/took_action letter")


async def test_a_bad_setting_is_one_clear_answer(organiser, sample):
    text = await organiser.say("/late_appeals 253/17 maybe")
    assert text == (
        "Choose encourage, check, stop or default, for example /late_appeals 253/17 stop."
    )


async def test_only_organisers_decide(chat, sample):
    assert "for organisers only" in await chat.say("/late_appeals 253/17 stop")


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        ("encourage", "please act anyway"),
        ("check", "Please check with the organisers"),
        ("stop", "no more messages be sent"),
    ],
)
async def test_telegram_card_follows_the_setting(
    core, settings, store, sample, organiser, clock, policy, words
):
    await organiser.say(f"/late_appeals 253/17 {policy}")
    clock.when = AFTER
    async with polling(core, settings) as (api, _):
        await api.push(api.message(private_chat(51), user(51), "/case"))
        (card,) = await api.wait_sent(1, chat_id=51)
        assert words in card.params["text"]


async def test_a_broadcast_card_follows_the_deployment_setting(
    store, db_url, tmp_path, clock, sample
):
    from adapters.webhook_sender import WebhookSender
    from tests.broadcasting import (
        OLGA,
        OLGA_CHAT,
        add_subscribers,
        broadcast_settings,
        run_until_done,
    )
    from tests.chat import TestChat
    from tests.conftest import SECRET
    from tests.fakes.webhook_fake import FakePlatform
    from ua_bot.broadcast.worker import Worker
    from ua_bot.core import Core
    from ua_bot.handlers import command_table
    from ua_bot.identity import Hasher

    clock.when = AFTER
    async with FakePlatform() as fake:
        settings = broadcast_settings(db_url, tmp_path, fake.url, ua_bot_late_appeals="stop")
        core = Core(store, settings, Hasher(SECRET), command_table(), clock=clock)
        await add_subscribers(store, 1)
        await TestChat(core, user=OLGA, address=OLGA_CHAT).say("/broadcast 253/17")
        sender = WebhookSender(settings.ua_bot_webhook_url)
        try:
            worker = Worker(store, settings, {"webhook": sender}, clock=clock, worker_id="w")
            await run_until_done(worker, store)
        finally:
            await sender.close()
        cards = [t for t in fake.sent_texts.values() if "New Urgent Action" in t]
        assert cards and all("no more messages be sent" in t for t in cards)


async def _change_log(store) -> list[tuple[str, str, str]]:
    async with store.unit() as tx:
        case = await tx.get_case(ua="253/17")
        rows = await tx.case_changes_of(case.id)
    return [(r.field, r.before, r.after) for r in rows]


async def test_the_setting_is_a_change_in_the_case_change_log(organiser, sample, store):
    await organiser.say("/late_appeals 253/17 stop")
    await organiser.say("/late_appeals 253/17 stop")  # no change: no second row
    await organiser.say("/late_appeals 253/17 default")
    assert await _change_log(store) == [("late_appeals", "", "stop"), ("late_appeals", "stop", "")]
