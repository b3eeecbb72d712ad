"""When Telegram pushes back: 429 is retried, 403 unsubscribes; files and media on the wire."""

from __future__ import annotations

from adapters.telegram.sender import TelegramSender
from tests.fakes.telegram_api import FakeBotAPI, group_chat, private_chat, user
from tests.telegram_kit import point_at, polling, subscribed_addresses
from tests.waiting import eventually
from ua_bot.messages import Document, Image, Reply, Text


async def test_a_429_is_answered_by_a_retry_after_the_time_given(core, settings, sample):
    async with polling(core, settings) as (api, _):
        api.fail_next("sendMessage", 429, retry_after=1)
        await api.push(api.message(private_chat(31), user(31), "/help"))
        (help_,) = await api.wait_sent(1)
        attempts = [c for c in api.calls if c.method == "sendMessage"]
        assert [c.status for c in attempts] == [429, 200]
        assert attempts[0].params["text"] == help_.params["text"]
        assert help_.params["text"].startswith("<b>Commands</b>")


async def test_a_user_who_blocked_the_bot_is_unsubscribed_not_retried(
    core, settings, store, sample
):
    me, chat = user(32), private_chat(32)
    async with polling(core, settings) as (api, _):
        await api.push(api.message(chat, me, "/subscribe"))
        (ok,) = await api.wait_sent(1)
        assert ok.params["text"].startswith("Subscribed:")
        assert await subscribed_addresses(store) == ["telegram:32"]

        api.blocked.add(32)
        await api.push(api.message(chat, me, "/case"))

        async def gone() -> bool:
            return await subscribed_addresses(store) == []

        await eventually(gone)
        refused = [c for c in api.calls if c.method == "sendMessage" and c.status == 403]
        assert len(refused) == 1  # no retry


async def test_a_group_that_removed_the_bot_is_unsubscribed(core, settings, store, sample):
    group = group_chat(-100300)
    async with polling(core, settings) as (api, _):
        api.admins.add(33)
        await api.push(api.message(group, user(33), "/subscribe"))
        await api.wait_sent(1)
        assert await subscribed_addresses(store) == ["telegram:-100300"]
        api.blocked.add(-100300)
        await api.push(api.message(group, user(33), "/case"))

        async def gone() -> bool:
            return await subscribed_addresses(store) == []

        await eventually(gone)


async def test_a_supporters_file_is_refused_without_being_downloaded(core, settings, sample):
    async with polling(core, settings) as (api, _):
        upd = api.document(private_chat(34), user(34), "ua.txt", b"UA 1/18 ...")
        await api.push(upd)
        (answer,) = await api.wait_sent(1)
        assert answer.params["text"] == "Sorry, /import is for organisers only."
        assert api.sent("getFile") == []  # refused before it was downloaded

        # In a group, a file without /import is not the bot's business.
        await api.push(api.document(group_chat(), user(34), "holiday.txt", b"..."))
        await api.push(api.message(group_chat(), user(34), "/help"))
        sent = await api.wait_sent(1, chat_id=group_chat()["id"])
        assert sent[0].params["text"].startswith("<b>Commands</b>")
        assert api.sent("getFile") == []


async def test_images_and_documents_go_as_photos_and_documents(core, settings, store, sample):
    png = b"\x89PNG\r\n\x1a\nfake"
    reply = Reply(
        [
            Text("*Your export*"),
            Image(png, caption="Actions <by> day", filename="chart.png"),
            Document("actions.csv", b"day,actions\n", mime="text/csv", caption="x " * 700),
        ]
    )
    async with FakeBotAPI() as api:
        sender = TelegramSender(point_at(settings, api), store)  # the adapter's renderer
        try:
            await sender.send("telegram:35", reply)
        finally:
            await sender.close()
        (photo,) = await api.wait_sent(1, "sendPhoto")
        (doc,) = await api.wait_sent(1, "sendDocument")
        texts = await api.wait_sent(2)
    assert photo.files["photo"] == png
    assert photo.params["caption"] == "Actions &lt;by&gt; day"
    assert doc.files["document"] == b"day,actions\n"
    assert "caption" not in doc.params  # 1400 characters: too long for a caption
    assert texts[0].params["text"] == "<b>Your export</b>"
    assert texts[1].params["text"] == ("x " * 700).strip()  # the caption, sent after it
