"""Telegram identities and groups (issue 17): a message sent in a chat's name (anonymous
group admins, "send as channel") is that chat, never one shared user; personal data is
never posted into a group. Through the webhook, against the fake Bot API."""

from __future__ import annotations

from tests.fakes.telegram_api import group_chat, private_chat, user
from tests.telegram_kit import stored_actions
from tests.test_telegram_webhook import post, webhook_app

ANONYMOUS = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}


def as_chat(api, chat: dict, sender_chat: dict, placeholder: dict, text: str) -> dict:
    return api.message(chat, placeholder, text, sender_chat=sender_chat)


async def test_anonymous_admins_of_two_groups_are_not_one_supporter(core, settings, store, sample):
    one, two = group_chat(-1001), group_chat(-1002)
    async with webhook_app(core, settings, store) as (api, url, http):
        n = 0

        async def say(chat, text, placeholder=ANONYMOUS, sender_chat=None):
            nonlocal n
            n += 1
            update = as_chat(api, chat, sender_chat or chat, placeholder, text)
            assert (await post(http, url, {"update_id": n, **update})).status_code == 200
            return api.sent(chat_id=chat["id"])[-1].params["text"]

        await say(one, "/took_action 253/17 email")
        for cmd in ("/my_data", "/undo", "/forget_me", "/sign Ann Lee, Leeds"):
            answer = await say(two, cmd)
            assert "in the name of a group or channel" in answer, cmd
        channel = {"id": -1003, "type": "channel", "title": "News"}
        answer = await say(two, "/undo", placeholder=CHANNEL_BOT, sender_chat=channel)
        assert "in the name of a group or channel" in answer
    # the action is the first group's, not Telegram's placeholder user's, and is still there
    assert await stored_actions(store) == [
        ("email", "telegram", 0, core.hasher.supporter("telegram:chat:-1001"))
    ]
    assert core.hasher.supporter("telegram:1087968824") not in str(await stored_actions(store))


async def test_no_personal_data_is_posted_into_a_group(core, settings, store, sample):
    me, group = user(41), group_chat(-1001)
    async with webhook_app(core, settings, store) as (api, url, http):
        updates = [
            api.message(private_chat(41), me, "/sign Ann Lee, Leeds"),
            api.message(group, me, "/took_action 253/17 email"),
            api.message(group, me, "/my_data"),
            api.message(group, me, "/sign"),
            api.message(group, me, "/letter 253/17 1"),
            api.message(group, me, "/email 253/17 1"),
        ]
        for n, update in enumerate(updates, 1):
            assert (await post(http, url, {"update_id": n, **update})).status_code == 200
        in_group = [
            c.params.get("text") or c.params.get("caption") or ""
            for c in api.calls
            if c.chat_id == -1001
        ]
        in_private = [c.params.get("text", "") for c in api.sent(chat_id=41)]
    assert any("Ann Lee" in t for t in in_private)  # /sign answered in private
    assert sum("I sent it to you in a private chat" in t for t in in_group) == 2  # /my_data, /sign
    assert len(in_group) >= 5 and not any("Ann Lee" in t for t in in_group)


async def test_json_nested_too_deep_is_a_400_without_a_traceback(core, settings, store, sample):
    from tests.hostile import captured_logs
    from tests.test_telegram_webhook import HEADER, HOOK_SECRET

    body = '{"update_id": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    async with webhook_app(core, settings, store) as (_, url, http):
        with captured_logs() as logs:
            r = await http.post(
                url,
                content=body,
                headers={HEADER: HOOK_SECRET, "Content-Type": "application/json"},
            )
    assert r.status_code == 400
    assert "Traceback" not in logs.getvalue() and "RecursionError" not in logs.getvalue()


async def test_only_a_groups_admin_subscribes_it_and_acted_updates_skip_groups(
    core, settings, store, sample
):
    from tests.telegram_kit import subscribed_addresses

    group, admin, member = group_chat(-1001), user(51), user(52)
    async with webhook_app(core, settings, store) as (api, url, http):
        api.admins.add(51)
        updates = [
            api.message(group, member, "/subscribe"),
            api.message(group, admin, "/took_action 253/17 email"),
            api.message(group, admin, "/subscribe"),
        ]
        for n, update in enumerate(updates, 1):
            assert (await post(http, url, {"update_id": n, **update})).status_code == 200
        texts = [c.params["text"] for c in api.sent(chat_id=-1001)]
    assert "only its admins can use /subscribe" in texts[0]
    assert texts[-1].startswith("Subscribed")
    assert await subscribed_addresses(store) == ["telegram:-1001"]

    from case_store.outbox import Audience, SubscriptionRecipients

    acted = SubscriptionRecipients().select(Audience(sample.id, "updates", acted=True))
    async with store.unit() as tx:
        # the admin acted and subscribed the group: an update "to those who acted" is not
        # for the group
        assert (await tx.conn.execute(acted)).all() == []
