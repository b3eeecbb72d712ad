"""What supporters see follows the case: updates and outcomes on the card, closed cases."""

from __future__ import annotations

import datetime as dt

from tests.chat import TestChat
from tests.conftest import ORGANISER, add_case, make_case
from ua_bot.model import CaseStatus


async def test_an_update_shows_on_the_card_and_in_the_list(chat, organiser, sample, clock):
    clock.when = dt.datetime(2017, 12, 10, 9, tzinfo=dt.UTC)
    await organiser.say("/update 253/17 The court will hear the case on 20 December.")
    text = await chat.say("/case 253/17")
    assert "The court will hear the case on 20 December." in text
    assert "Deadline: 27 December 2017" in text, "an update that is not an outcome still asks"
    assert "I took action" in [b.label for b in chat.replies[0].buttons]
    listing = await chat.say("/cases")
    assert "UA 253/17: MOTHER AND CHILD AT RISK OF FORCIBLE RETURN (deadline 27 December 2017;" in (
        listing
    )
    assert "updated " in listing


async def test_a_released_case_says_so_first_and_asks_for_nothing(chat, organiser, sample):
    await chat.say("/took_action letter")
    await organiser.say(
        "/update 253/17 released: Lee Su-jung and her son were released on 1 March."
    )
    text = await chat.say("/case 253/17")
    lines = text.splitlines()
    assert lines[1].startswith("Good news: released."), lines
    assert "Lee Su-jung and her son were released on 1 March." in text
    assert "Deadline" not in text and "be the first" not in text
    assert "1 supporter acted, with 1 action" in text
    assert [b.label for b in chat.replies[0].buttons] == ["Demands", "Who to contact"]
    assert "good news: released" in await chat.say("/cases")
    text = await chat.say("/took_action letter")
    assert "No more action is needed" in text and "Thank you!" not in text
    assert "1 action on 1 case" in await chat.say("/mystats"), "the refused one is not counted"


async def test_a_bad_news_outcome_still_asks_for_action(chat, organiser, sample):
    await organiser.say("/update 253/17 sentenced: Lee Su-jung was sentenced to two years.")
    text = await chat.say("/case 253/17")
    assert "Good news" not in text and "Deadline: 27 December 2017" in text
    assert "I took action" in [b.label for b in chat.replies[0].buttons]


async def test_a_closed_case_shows_its_outcome_and_final_count(chat, organiser, store):
    await add_case(store, make_case("254/17", title="CLOSED CASE"))
    await chat.say("/took_action 254/17 letter")
    await organiser.say("/close 254/17 released")
    text = await chat.say("/case 254/17")
    assert "This case is closed: released" in text
    assert "1 supporter acted, with 1 action. Thank you." in text
    assert "be the first" not in text and "Deadline" not in text


async def test_a_closed_case_nobody_acted_on_never_says_be_the_first(chat, organiser, store):
    await add_case(store, make_case("254/17", title="CLOSED CASE"), CaseStatus.PUBLISHED)
    await organiser.say("/close 254/17 charges dropped")
    text = await chat.say("/case 254/17")
    assert "This case is closed: charges dropped" in text
    assert "No action was recorded for this case." in text and "be the first" not in text


async def test_an_action_a_target_cannot_receive_is_refused_with_its_channels(
    chat, organiser, sample
):
    assert "has no phone number" in await chat.say("/call 1")
    text = await chat.say("/took_action call 1")
    assert text == (
        "Xi Jinping has no phone number in this case, so I cannot record that. For Xi Jinping "
        "you can record a letter, an email, a fax or a tweet, for example "
        "/took_action 253/17 letter 1."
    )
    assert "Thank you!" in await chat.say("/took_action call 2"), "Cui Tiankai has a phone"
    assert "Thank you!" in await chat.say("/took_action tweet 1"), "a tweet carries the hashtag"
    assert "Thank you!" in await chat.say("/took_action email"), "no target: as before"
    stats = await chat.say("/mystats")
    assert "3 actions on 1 case" in stats and "Call to Xi Jinping" not in stats


async def test_updates_and_refusals_reach_telegram_and_slack(core, settings, store, sample):
    from tests.fakes.telegram_api import private_chat, user
    from tests.telegram_kit import polling
    from tests.test_slack_e2e import slack_app

    org = TestChat(core, user=ORGANISER)
    await org.say("/update 253/17 released: Lee Su-jung and her son were released on 1 March.")
    async with polling(core, settings) as (api, _):
        await api.push(api.message(private_chat(21), user(21), "/case"))
        (card,) = await api.wait_sent(1, chat_id=21)
        text = card.params["text"]
        assert "<b>Good news: released.</b>" in text and "released on 1 March" in text
        assert "I took action" not in card.labels and "Deadline" not in text
    async with slack_app(core, settings, store) as (sapi, slack):
        await slack.command("/case 253/17", user="U9", channel="D9")
        (msg,) = await sapi.wait_sent(1, "chat.postMessage")
        assert "Good news: released." in msg.text and "I took action" not in msg.labels
