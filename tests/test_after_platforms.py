"""After the action on the platforms: an attempt's outcome on Telegram and Slack, and /team
in a Telegram group and a Slack workspace (real PTB and slack-sdk against loopback fakes)."""

from __future__ import annotations

from sqlalchemy import select

from case_store.tables import actions
from tests.fakes.telegram_api import USERNAME, group_chat, private_chat, user
from tests.telegram_kit import polling
from tests.test_slack_e2e import slack_app


async def workspaces(store) -> list[str]:
    async with store.unit() as tx:
        return list((await tx.conn.execute(select(actions.c.workspace))).scalars())


async def test_telegram_voicemail_is_not_a_call_and_other_channels_are_offered(
    core, settings, store, sample
):
    me, chat = user(31), private_chat(31)
    async with polling(core, settings) as (api, _):
        await api.push(api.message(chat, me, "/took_action 253/17 call 2"))
        (done,) = await api.wait_sent(1, chat_id=31)
        assert "How did it go?" in done.params["text"]
        assert done.labels == [
            "Got through",
            "Voicemail",
            "No answer",
            "Number does not work",
            "Undo",
        ]
        await api.push(api.press(done, "Voicemail", me))
        noted = (await api.wait_sent(2, chat_id=31))[-1]
        assert noted.params["text"] == (
            "Noted: voicemail, so it does not count as done. Try another way:"
        )
        assert noted.labels == ["Letter", "Email", "Fax"]
        assert noted.button("Email")["callback_data"] == "/email 253/17 2"
        await api.push(api.message(chat, me, "/case"))
        card = (await api.wait_sent(3, chat_id=31))[-1]
        assert "No one has recorded an action yet" in card.params["text"]
    assert await workspaces(store) == [""], "a private chat is no group"


async def test_telegram_team_counts_the_groups_actions_with_the_small_number_rule(
    core, settings, store, sample
):
    group = group_chat(-100300)
    members = [user(40 + i) for i in range(5)]
    async with polling(core, settings) as (api, _):
        await api.push(api.message(group, members[0], f"/took_action@{USERNAME} 253/17 letter"))
        await api.push(api.message(group, members[1], f"/took_action@{USERNAME} 253/17 email"))
        await api.push(api.message(private_chat(49), user(49), "/took_action 253/17 fax"))
        await api.wait_sent(3)
        await api.push(api.message(group, members[0], f"/team@{USERNAME}"))
        team = (await api.wait_sent(4))[-1]
        assert team.params["chat_id"] == "-100300"
        assert team.params["text"].startswith("This group: &lt;5 actions on 1 case this month.")
        for m in members[2:]:
            await api.push(api.message(group, m, f"/took_action@{USERNAME} 253/17 letter"))
        await api.wait_sent(7)
        await api.push(api.message(group, members[0], f"/team@{USERNAME}"))
        team = (await api.wait_sent(8))[-1]
        assert team.params["text"].startswith("This group: 5 actions on 1 case this month.")
        await api.push(api.message(private_chat(49), user(49), "/team"))
        alone = (await api.wait_sent(9))[-1]
        assert "send it in a Slack workspace or a Telegram group" in alone.params["text"]
    stored = await workspaces(store)
    assert stored.count("tg:-100300") == 5 and stored.count("") == 1


async def test_slack_outcome_and_team_in_a_workspace(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/took_action 253/17 email 1", user="U1", channel="C1")
        thanks = (await api.wait_sent(1))[-1]
        assert thanks.labels == ["Sent", "Bounced", "Undo"]
        await slack.press(thanks.button("Bounced"), user="U1")
        noted = (await api.wait_sent(2))[-1]
        assert "Noted: bounced, so it does not count as done" in noted.text
        assert noted.labels == ["Letter", "Fax"]
        await slack.command("/took_action 253/17 letter", user="U2", channel="C1")
        await api.wait_sent(3)
        await slack.command("/team", user="U3", channel="C1")
        team = (await api.wait_sent(4))[-1]
        assert team.text.startswith("This workspace: &lt;5 actions on 1 case this month.")
        await slack.command("/team", team="T2", user="U9", channel="C9")
        other = (await api.wait_sent(5))[-1]
        assert "This workspace has no recorded action yet" in other.text
