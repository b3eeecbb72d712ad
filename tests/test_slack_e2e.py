"""Slack over real HTTP: signed requests to /slack/events in the web app (uvicorn on
loopback), replies through real slack-sdk code to a fake Web API."""

from __future__ import annotations

import contextlib
import time

import httpx

from adapters.asgi import create_app
from case_store import Store
from tests.fakes.slack_api import TOKEN, FakeSlackAPI
from tests.server import serving
from tests.slack_kit import SlackClient, point_at
from tests.telegram_kit import stored_actions
from ua_bot.app import App
from ua_bot.core import Core

ORG = "slack:T1:U_ORG"


@contextlib.asynccontextmanager
async def slack_app(core: Core, settings, store: Store, **more):
    async with FakeSlackAPI() as api:
        point_at(settings, api, **more)
        app = App(settings, store, core)
        web = create_app(ua_app=app)
        async with serving(web) as url, httpx.AsyncClient() as http:
            yield api, SlackClient(http, url, api, web)


async def test_a_member_takes_action_and_an_organiser_sees_it(core, settings, store, sample):
    settings.ua_bot_organisers = ORG
    settings.__dict__.pop("organisers", None)
    async with slack_app(core, settings, store) as (api, slack):
        r = await slack.command("/case", user="U1", channel="C1")
        assert r.status_code == 200
        (card,) = await api.wait_sent(1)
        assert card.method == "chat.postMessage" and card.params["channel"] == "C1"
        assert card.token == TOKEN
        assert card.text.startswith("*UA 253/17: MOTHER AND CHILD")
        assert "I took action" in card.labels

        assert (await slack.press(card.button("I took action"), user="U1")).status_code == 200
        choice = (await api.wait_sent(2))[-1]
        assert "Email" in choice.labels
        assert choice.button("Email")["value"].startswith("/took_action 253/17")

        assert (await slack.press(choice.button("Email"), user="U1")).status_code == 200
        thanks = (await api.wait_sent(3))[-1]
        assert "Thank you!" in thanks.text
        assert thanks.method == "chat.postEphemeral" and thanks.params["user"] == "U1"

        await slack.command("/stats 253/17", user="U_ORG", channel="D_ORG")
        stats = (await api.wait_sent(4))[-1]
        assert stats.params["channel"] == "D_ORG"
        assert "UA 253/17" in stats.text and "1" in stats.text
    key = core.hasher.supporter("slack:T1:U1")
    (action,) = await stored_actions(store)
    assert action[0] == "email" and action[1] == "slack" and action[3] == key


async def test_members_may_not_run_organiser_commands(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/stats 253/17", user="U2")
        (no,) = await api.wait_sent(1)
        assert "organisers only" in no.text


async def test_forged_or_stale_requests_get_401_and_change_nothing(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        forged = await slack.command("/took_action 253/17 email", secret="not-the-secret")
        assert forged.status_code == 401
        stale = await slack.command("/took_action 253/17 email", timestamp=int(time.time()) - 400)
        assert stale.status_code == 401
        unsigned = await slack.http.post(slack.url, content=b"command=/case&team_id=T1")
        assert unsigned.status_code == 401
        await slack.settled()
        assert slack.handling().started == 0, "nothing was handled"
        assert api.sent() == []
    assert await stored_actions(store) == []


async def test_a_retried_delivery_is_handled_once(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/case")
        (card,) = await api.wait_sent(1)
        await slack.press(card.button("I took action"))
        choice = (await api.wait_sent(2))[-1]
        payload = slack.action_payload(choice.button("Email"))
        first = await slack.send_action(payload)
        again = await slack.send_action(payload, **{"X-Slack-Retry-Num": "1"})
        assert (first.status_code, again.status_code) == (200, 200)
        await api.wait_sent(3)
        event = slack.event_body(
            {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hi"}
        )
        await slack.event(event)
        await slack.event(event, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"})
        await api.wait_sent(4)
        await slack.settled()
        assert len(api.sent()) == 4
    assert len(await stored_actions(store)) == 1


async def test_rate_limited_calls_are_retried_after_the_wait(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        api.fail("chat.postMessage", retry_after=1)
        await slack.command("/case")
        (card,) = await api.wait_sent(1)
        assert card.text.startswith("*UA 253/17")
        assert [c.status for c in api.calls if c.method == "chat.postMessage"] == [429, 200]


async def test_private_replies_are_ephemeral_and_fall_back_to_the_response_url(
    core, settings, store, sample
):
    async with slack_app(core, settings, store) as (api, slack):
        api.not_in_channel.add("C9")
        await slack.command("/case", channel="C9")
        (card,) = await api.wait_sent(1)
        assert card.method == "response_url" and card.params["response_type"] == "in_channel"
        await slack.command("/undo", channel="C9")
        (undo,) = (await api.wait_sent(2))[1:]
        assert undo.method == "response_url" and undo.params["response_type"] == "ephemeral"
        assert "no recorded action" in undo.text
        await slack.command("/nonsense", channel="C1")
        (answer,) = (await api.wait_sent(3))[2:]
        assert "don't know the command /nonsense" in answer.text


async def test_the_ua_command_runs_any_command(core, settings, store, sample):
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/ua cases")
        (cases,) = await api.wait_sent(1)
        assert cases.text.startswith("*Open cases*")
        await slack.command("/ua")
        (help_,) = (await api.wait_sent(2))[1:]
        assert "/case" in help_.text


async def test_an_export_is_uploaded_as_a_file(core, settings, store, sample):
    settings.ua_bot_organisers = ORG
    settings.__dict__.pop("organisers", None)
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/export 253/17", user="U_ORG", channel="C1")
        await api.wait_sent(1, "files.completeUploadExternal")
        (ticket,) = api.sent("files.getUploadURLExternal")
        assert ticket.params["filename"].endswith(".csv")
        (upload,) = api.sent("upload")
        assert api.uploads[upload.params["file_id"]].startswith(b"ua_number,")
        assert upload.params["size"] == int(ticket.params["length"]) > 0
        (done,) = api.sent("files.completeUploadExternal")
        assert done.params["channel_id"] == "C1"


async def test_broadcast_here_from_slack_stores_the_channel(core, settings, store, sample):
    settings.ua_bot_organisers = ORG
    settings.__dict__.pop("organisers", None)
    async with slack_app(core, settings, store) as (api, slack):
        await slack.command("/ua broadcast-here", user="U_ORG", channel="C_NEWS")
        (ok,) = await api.wait_sent(1)
        assert ok.method == "chat.postEphemeral" and "will receive" in ok.text
    async with store.unit() as tx:
        assert await tx.broadcast_channels("slack") == ["slack:T1:C_NEWS"]


async def test_workspace_admins_are_organisers_when_enabled(core, settings, store, sample):
    settings.ua_bot_workspace_admins_are_organisers = True
    async with slack_app(core, settings, store) as (api, slack):
        api.admins.add("U_ADMIN")
        await slack.command("/stats 253/17", user="U_ADMIN")
        (stats,) = await api.wait_sent(1)
        assert "organisers only" not in stats.text and "UA 253/17" in stats.text
        await slack.command("/stats 253/17", user="U2")
        no = (await api.wait_sent(2))[-1]
        assert "organisers only" in no.text
        await slack.command("/drafts", user="U_ADMIN")
        await api.wait_sent(3)
        looked_up = [c.params["user"] for c in api.calls if c.method == "users.info"]
        assert looked_up == ["U_ADMIN", "U2"]  # the admin's answer was cached
