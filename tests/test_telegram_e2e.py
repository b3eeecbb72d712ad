"""Supporters on Telegram, end to end: real PTB long-polling a fake Bot API on loopback."""

from __future__ import annotations

import copy

from adapters.telegram.sender import TelegramSender
from tests.conftest import add_case, make_case
from tests.fakes.telegram_api import USERNAME, FakeBotAPI, group_chat, private_chat, user
from tests.telegram_kit import point_at, polling, stored_actions
from ua_bot.model import Target

CARD_KEYBOARD = [
    [
        {"text": "Demands", "callback_data": "/demands 253/17"},
        {"text": "Who to contact", "callback_data": "/targets 253/17"},
    ],
    [{"text": "I took action", "callback_data": "/took_action 253/17"}],
]
TYPES = ["Letter", "Email", "Call", "Fax", "Tweet"]


async def test_private_chat_start_case_targets_took_action_and_a_type(
    core, settings, store, sample
):
    me, chat = user(11), private_chat(11)
    async with polling(core, settings) as (api, _):
        (menu,) = api.sent("setMyCommands")
        names = [c["command"] for c in menu.params["commands"]]
        assert names[:4] == ["help", "cases", "case", "demands"]
        assert "publish" not in names and "start" not in names  # organisers' and hidden

        await api.push(api.message(chat, me, "/start"))
        (welcome,) = await api.wait_sent(1, chat_id=11)
        assert welcome.params["parse_mode"] == "HTML"
        assert welcome.params["text"].startswith("<b>Welcome to ua-bot.</b> An Urgent Action (UA)")
        assert welcome.labels == ["Show the case", "All cases"]

        await api.push(api.message(chat, me, "/case"))
        card = (await api.wait_sent(2, chat_id=11))[-1]
        text = card.params["text"]
        assert text.startswith("<b>UA 253/17: MOTHER AND CHILD AT RISK OF FORCIBLE RETURN</b>\n")
        assert "<b>Deadline:</b> 27 December 2017 (26 days left)" in text
        link = f"https://t.me/{USERNAME}?start=ua-253-17"
        assert text.endswith(f'Share this case: <a href="{link}">{link}</a>')
        assert card.keyboard == CARD_KEYBOARD

        await api.push(api.press(card, "Who to contact", me))
        targets = (await api.wait_sent(3, chat_id=11))[-1]
        text = targets.params["text"]
        assert text.startswith("<b>Who to contact for UA 253/17:</b>\n\n<b>1. Xi Jinping</b>")
        assert "Email: gov@govonline.cn\n" in text  # Telegram links addresses itself
        assert "Phone: +1 202-495-2266\n" in text
        assert "mailto:" not in text and "tel:" not in text
        assert targets.labels == [
            *("Letter 1", "Email 1", "Fax 1"),
            *("Letter 2", "Email 2", "Call 2", "Fax 2"),
            "I took action",
        ]

        await api.push(api.press(targets, "I took action", me))
        choice = (await api.wait_sent(4, chat_id=11))[-1]
        assert choice.params["text"] == "What did you do for UA 253/17? Choose one:"
        assert choice.labels == TYPES
        assert choice.button("Fax")["callback_data"] == "!/took_action 253/17 fax"

        await api.push(api.press(choice, "Letter", me))
        (done,) = await api.wait_sent(1, "editMessageText")
        assert done.params["message_id"] == str(choice.params["_result"]["message_id"])
        assert done.params["text"] == (
            "<b>Thank you!</b> A letter for UA 253/17 is recorded. "
            "You are the first to act on this case."
        )
        assert done.labels == ["Undo"]
        answers = await api.wait_sent(3, "answerCallbackQuery")
        assert all("text" not in a.params for a in answers)  # answered, silently
        assert len(api.sent(chat_id=11)) == 4  # the answer took the place of the choice

    key = core.hasher.supporter("telegram:11")
    assert await stored_actions(store) == [("letter", "telegram", 0, key)]


async def test_group_commands_for_this_bot_buttons_and_private_answers(
    core, settings, store, sample
):
    group = group_chat(-100200)
    ann, bob = user(21), user(22)
    async with polling(core, settings) as (api, _):
        await api.push(api.message(group, ann, f"/start@{USERNAME}"))
        await api.push(api.message(group, ann, "/case@another_bot"))  # not ours: ignored
        await api.push(api.message(group, ann, "/weather"))  # maybe another bot's: ignored
        await api.push(api.message(group, ann, f"/case@{USERNAME}"))
        welcome, card = await api.wait_sent(2, chat_id=-100200)
        assert "Welcome to ua-bot" in welcome.params["text"]
        assert card.keyboard == CARD_KEYBOARD
        assert "?start=ua-253-17" in card.params["text"]

        await api.push(api.press(card, "Who to contact", ann))
        targets = (await api.wait_sent(3, chat_id=-100200))[-1]
        assert "<b>2. Cui Tiankai</b>, Ambassador" in targets.params["text"]

        await api.push(api.press(targets, "I took action", ann))
        choice = (await api.wait_sent(4, chat_id=-100200))[-1]
        assert choice.labels == TYPES

        # The thanks is private: an alert only the presser sees, nothing in the group.
        await api.push(api.press(choice, "Letter", ann))
        await api.push(api.press(choice, "Email", bob))
        answers = await api.wait_sent(4, "answerCallbackQuery")
        ann_thanks, bob_thanks = answers[2].params, answers[3].params
        assert ann_thanks["show_alert"] == "true"
        assert ann_thanks["text"] == (
            "Thank you! A letter for UA 253/17 is recorded. You are the first to act on this case."
        )
        assert bob_thanks["text"].startswith("Thank you! An email for UA 253/17 is recorded.")
        assert "You are not alone: 1 other supporter acted" in bob_thanks["text"]

        # A private reply to a command: in the group, as a reply to that command.
        api.admins.add(bob["id"])  # in a group, only its admins subscribe it
        sub = await api.push(api.message(group, bob, f"/subscribe@{USERNAME}"))
        await api.push(api.message(group, bob, f"/nonsense@{USERNAME}"))
        sent = await api.wait_sent(6, chat_id=-100200)
        assert sent[4].params["text"].startswith("Subscribed:")
        assert sent[4].params["reply_parameters"]["message_id"] == sub["message"]["message_id"]
        assert (
            sent[5].params["text"] == "I don't know the command /nonsense. Send /help for the list."
        )
        assert api.sent("editMessageText") == []  # a group's choice stays for everyone

    assert await stored_actions(store) == [
        ("letter", "telegram", 0, core.hasher.supporter("telegram:21")),
        ("email", "telegram", 0, core.hasher.supporter("telegram:22")),
    ]


async def test_deep_link_opens_the_case(core, settings, store, sample):
    await add_case(store, make_case("254/17", title="ANOTHER CASE"))
    async with polling(core, settings) as (api, _):
        await api.push(api.message(private_chat(12), user(12), "/start ua-253-17"))
        (card,) = await api.wait_sent(1)
        assert card.params["text"].startswith("<b>UA 253/17: MOTHER AND CHILD")


async def test_same_update_id_twice_is_handled_once(core, settings, store, sample):
    me, chat = user(13), private_chat(13)
    async with polling(core, settings) as (api, _):
        update = api.message(chat, me, "/took_action 253/17 letter")
        update["update_id"] = 5000
        await api.push(update)
        await api.push(copy.deepcopy(update))
        await api.push(api.message(chat, me, "/my_data"))
        sent = await api.wait_sent(2, chat_id=13)
        assert sent[0].params["text"].startswith("<b>Thank you!</b> A letter")
        assert sent[1].params["text"].count("Action: letter for UA 253/17") == 1
        await api.push(api.message(chat, me, "/help"))
        assert len(await api.wait_sent(3, chat_id=13)) == 3  # nothing more for the copy
    assert len(await stored_actions(store)) == 1


async def test_document_and_user_strings_are_escaped_and_long_cards_split(core, settings, store):
    evil = 'WOMAN <b>"FREED"</b> & *CHEERED* [HERE](https://evil.example)'
    summary = "\n\n".join(f"Paragraph {i}: " + "detail <&> " * 60 for i in range(12))
    await add_case(store, make_case("300/18", title=evil, summary=summary))
    async with polling(core, settings) as (api, _):
        await api.push(api.message(private_chat(14), user(14), "/case 300/18"))
        await api.push(api.message(private_chat(14), user(14), "/help"))
        await api.wait_for(
            lambda: any(c.params["text"].startswith("<b>Commands") for c in api.sent(chat_id=14))
        )
        *card, help_ = api.sent(chat_id=14)
    assert len(card) >= 2
    first = card[0].params["text"]
    assert first.startswith(
        '<b>UA 300/18: WOMAN &lt;b&gt;"FREED"&lt;/b&gt; &amp; *CHEERED* [HERE](https://evil.example)</b>'
    )
    assert "<a " not in first
    for msg in card:
        text = msg.params["text"]
        assert len(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")) <= 4096
        assert text.count("<b>") == text.count("</b>")
    paragraphs = [p for m in card for p in m.params["text"].split("\n\n")]
    assert sum(p.startswith("Paragraph ") for p in paragraphs) == 12  # none cut in two
    assert [bool(m.keyboard) for m in card] == [False] * (len(card) - 1) + [True]
    assert help_.params["text"].startswith("<b>Commands</b>")


async def test_a_broadcast_button_over_64_bytes_works_and_survives_a_restart(
    core, settings, store, sample
):
    """The worker's sender renders as the adapter does: a long payload is stored, the button
    carries its key, and pressing it (in another process) runs the command."""
    minister = "Minister of Justice and Public Security of the Republic"
    target = Target(name=minister, emails=["minister@justice.example"])
    await add_case(store, make_case("254/17", targets=[target]))
    long_payload = f"/took_action 254/17 email {minister}"
    from ua_bot.messages import Button, Reply

    reply = Reply.text(
        "Who did you write to?",
        [Button("The minister", long_payload)],
        [Button("Ünïcödé", "/case " + "ü" * 30)],
        [Button("Short", "/case 254/17")],
    )
    assert len(long_payload.encode()) > 64
    async with FakeBotAPI() as api:
        sender = TelegramSender(point_at(settings, api), store)
        try:
            await sender.send("telegram:15", reply)
        finally:
            await sender.close()
        (msg,) = await api.wait_sent(1)
    data = [b["callback_data"] for row in msg.keyboard for b in row]
    assert all(len(d.encode()) <= 64 for d in data)
    assert data[0].startswith("#") and data[1].startswith("#") and data[2] == "/case 254/17"

    # Another process: a new adapter (nothing cached) on the same database.
    async with polling(core, settings) as (api, _):
        await api.push(api.press(msg, "The minister", user(15)))
        (thanks,) = await api.wait_sent(1)
        assert thanks.params["text"].startswith(
            f"<b>Thank you!</b> An email to {minister} for UA 254/17 is recorded."
        )
        forged = api.press(msg, "Short", user(15))
        forged["callback_query"]["data"] = "#AAAAAAAAAAAAAAAA"
        await api.push(forged)
        answers = await api.wait_sent(2, "answerCallbackQuery")
        assert answers[1].params["text"] == "This button has expired. Send /case to start again."
    key = core.hasher.supporter("telegram:15")
    assert await stored_actions(store) == [("email", "telegram", 1, key)]
