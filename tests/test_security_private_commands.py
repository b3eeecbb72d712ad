"""Private commands (issue 26, finding 1): what a command hands out to one person (the
organiser's sign-in link, their data) never reaches a group. Through the Telegram webhook
against the fake Bot API, and through Slack's signed endpoint against the fake Web API."""

from __future__ import annotations

from tests.fakes.telegram_api import group_chat, private_chat, user
from tests.test_telegram_webhook import post, webhook_app
from ua_bot.messages import Incoming

LINK = "/organiser/login/"


def _texts(api, chat_id: int) -> list[str]:
    return [
        c.params.get("text") or c.params.get("caption") or ""
        for c in api.calls
        if c.chat_id == chat_id
    ]


async def test_web_in_a_telegram_group_goes_to_the_private_chat(core, settings, store, sample):
    core.settings.__dict__["organisers"] = frozenset({"telegram:41"})
    olga, group = user(41), group_chat(-1001)
    async with webhook_app(core, settings, store) as (api, url, http):
        r = await post(http, url, {"update_id": 1, **api.message(group, olga, "/web")})
        assert r.status_code == 200
        in_group, in_private = _texts(api, -1001), _texts(api, 41)
    assert not any(LINK in t for t in in_group)
    assert any("I sent it to you in a private chat" in t for t in in_group)
    assert any(LINK in t for t in in_private)


async def test_web_in_a_group_before_the_bot_was_started_says_how(core, settings, store, sample):
    core.settings.__dict__["organisers"] = frozenset({"telegram:41"})
    olga, group = user(41), group_chat(-1001)
    async with webhook_app(core, settings, store) as (api, url, http):
        api.blocked.add(41)  # Telegram: "bot can't initiate conversation with a user"
        r = await post(http, url, {"update_id": 1, **api.message(group, olga, "/web")})
        assert r.status_code == 200
        in_group = _texts(api, -1001)
    assert not any(LINK in t for t in in_group)
    assert any("open a private chat with me and send /web there" in t for t in in_group)
    assert not any("I sent it to you" in t for t in in_group)


async def test_my_data_in_a_group_goes_to_the_private_chat(core, settings, store, sample):
    me, group = user(42), group_chat(-1001)
    async with webhook_app(core, settings, store) as (api, url, http):
        updates = [
            api.message(private_chat(42), me, "/sign Ann Lee, Leeds"),
            api.message(group, me, "/my_data"),
            api.message(group, me, "/mystats"),
        ]
        for n, update in enumerate(updates, 1):
            assert (await post(http, url, {"update_id": n, **update})).status_code == 200
        in_group, in_private = _texts(api, -1001), _texts(api, 42)
    assert not any("Ann Lee" in t for t in in_group)
    assert sum("I sent it to you in a private chat" in t for t in in_group) == 2
    assert sum("Ann Lee" in t for t in in_private) >= 2  # /sign's answer and /my_data's


async def test_the_core_marks_a_private_commands_answer_for_direct_delivery(core, sample):
    core.settings.__dict__["organisers"] = frozenset({"slack:T1:U1"})
    core.settings.ua_bot_public_url = "https://bot.example.org"
    group = Incoming.command_line("/web", address="slack:T1:C1", user="slack:T1:U1", private=False)
    replies = await core.handle(group)
    for_chat = [r for r in replies if not r.direct]
    assert any(LINK in r.markup for r in replies if r.direct)
    assert for_chat and not any(LINK in r.markup for r in for_chat)
    assert "open a private chat with me" in for_chat[0].meta["undelivered"]
    private = Incoming.command_line("/web", address="slack:T1:D1", user="slack:T1:U1")
    (reply,) = await core.handle(private)
    assert LINK in reply.markup and not reply.direct


async def test_web_in_a_slack_channel_goes_to_the_users_dm(core, settings, store, sample):
    from tests.test_slack_e2e import slack_app

    core.settings.__dict__["organisers"] = frozenset({"slack:T1:U1", "slack:T1:U2"})
    async with slack_app(core, settings, store) as (api, slack):
        core.settings.ua_bot_public_url = "https://bot.example.org"
        await slack.command("/web", user="U1", channel="C1")
        await api.wait_sent(2)
        api.dm_errors["U2"] = "missing_scope"  # installed before im:write was asked
        await slack.command("/web", user="U2", channel="C1")
        await api.wait_sent(3)
        sent = api.sent()
    in_dm = [c.text for c in sent if c.params.get("channel") == "D-U1"]
    in_channel = [c.text for c in sent if c.params.get("channel") != "D-U1"]
    assert any(LINK in t for t in in_dm)
    assert not any(LINK in t for t in in_channel)
    assert "I sent it to you in a private chat" in in_channel[0]
    assert "open a private chat with me and send /web there" in in_channel[1]
    assert all(c.method != "chat.postMessage" or c.params["channel"] == "D-U1" for c in sent)
