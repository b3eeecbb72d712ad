"""Slack: the App Home tab lists open cases and the person's actions; Slackbot is ignored."""

from __future__ import annotations

import json

from tests.test_slack_e2e import slack_app


def _view(call) -> dict:
    v = call.params["view"]
    return json.loads(v) if isinstance(v, str) else v


async def test_the_app_home_lists_open_cases_and_the_persons_actions(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/took_action letter 1", user="U1", channel="D1")
        await api.wait_sent(1)
        event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
        assert (await slack.event(slack.event_body(event))).status_code == 200
        (call,) = await api.wait_sent(1, "views.publish")
        assert call.params["user_id"] == "U1"
        view = _view(call)
        assert view["type"] == "home" and len(view["blocks"]) <= 100
        texts = "\n".join(b["text"]["text"] for b in view["blocks"] if b.get("type") == "section")
        assert (
            "UA 253/17: MOTHER AND CHILD AT RISK OF FORCIBLE RETURN (deadline 27 December 2017)"
            in texts
        )
        assert "Letter to Xi Jinping" in texts or "letter to Xi Jinping" in texts
        buttons = [e for b in view["blocks"] if b.get("type") == "actions" for e in b["elements"]]
        assert [b["text"]["text"] for b in buttons][:3] == [
            "UA 253/17",
            "Who to contact",
            "I took action",
        ]
        # A button on the Home tab carries no channel: the answer comes in the person's DM.
        payload = slack.action_payload(buttons[1], user="U1", channel="")
        del payload["channel"]
        payload["container"] = {"type": "view", "view_id": "V1"}
        assert (await slack.send_action(payload)).status_code == 200
        reply = (await api.wait_sent(2, "chat.postMessage"))[-1]
        assert reply.params["channel"] == "D-U1" and "Who to contact" in reply.text


async def test_slackbot_notices_in_the_dm_get_no_answer(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        notice = {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": "USLACKBOT",
            "text": "You have been removed from #supporters by Olga",
            "ts": "1.0",
        }
        assert (await slack.event(slack.event_body(notice))).status_code == 200
        person = {**notice, "user": "U1", "text": "hello there", "ts": "2.0"}
        assert (await slack.event(slack.event_body(person))).status_code == 200
        (only,) = await api.wait_sent(1, "chat.postMessage")
        assert "I answer commands" in only.text, "the person is answered, Slackbot is not"
        assert len(api.sent("chat.postMessage")) == 1
