"""Broadcasts through the real Slack sender (slack-sdk's AsyncWebClient) against the loopback
fake Web API: 500 channels and DMs once each, a 429 pauses and resumes, channel_not_found
retires the recipient, cancel stops it, the organiser's progress message is edited with
chat.update; bot tokens per workspace when installed through OAuth; and end to end, an
organiser's /broadcast_here and /broadcast in Slack put a new case in the channel."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json

import httpx
import pytest
from pydantic import SecretStr
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import insert

from adapters.asgi import create_app
from adapters.senders import senders_for
from adapters.slack.sender import SlackSender
from case_store.cases import now
from case_store.channels import broadcast_channels
from case_store.tables import subscriptions, supporters
from tests.broadcasting import broadcast_settings, count_rows, outbox_states, run_until_done
from tests.chat import TestChat
from tests.conftest import ORGANISER, SECRET
from tests.fakes.slack_api import CLIENT_ID, TOKEN, FakeSlackAPI
from tests.server import serving
from tests.slack_kit import SlackClient, point_at
from ua_bot.app import App
from ua_bot.broadcast.worker import Worker
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher

ORG = "slack:T1:U_ORG"
ORG_CHANNEL = "C_ORG"  # where the organiser runs /broadcast: the progress message goes here


@pytest.fixture
async def api():
    async with FakeSlackAPI() as a:
        yield a


def slack_settings(db_url, tmp_path, api: FakeSlackAPI, **kw):
    values = dict(
        ua_bot_organisers=f"{ORGANISER},{ORG}",
        ua_bot_webhook_url=None,
        ua_bot_worker_pacing=json.dumps({"slack": {"per_second": 400, "per_chat_seconds": 0.2}}),
    )
    values.update(kw)
    return point_at(broadcast_settings(db_url, tmp_path, "", **values), api)


@pytest.fixture
def ssettings(db_url, tmp_path, api):
    return slack_settings(db_url, tmp_path, api)


@pytest.fixture
def scores(store, ssettings, clock) -> Core:
    return Core(store, ssettings, Hasher(SECRET), command_table(), clock=clock)


@pytest.fixture
def olga(scores) -> TestChat:
    return TestChat(scores, user=ORG, address=f"slack:T1:{ORG_CHANNEL}")


@contextlib.asynccontextmanager
async def slack_worker(store, settings, clock=None):
    senders = senders_for(settings, store)
    assert set(senders) == {"slack"} and isinstance(senders["slack"], SlackSender)
    try:
        yield Worker(store, settings, senders, clock=clock, worker_id="slack-worker")
    finally:
        for s in senders.values():
            await s.close()


async def add_recipients(store, channels: int, dms: int, team: str = "T1") -> list[str]:
    """``channels`` broadcast channels (C...) and ``dms`` subscribed supporters' DMs (D...)."""
    ts = now()
    rooms = [f"slack:{team}:C{i:04d}" for i in range(channels)]
    dm = [f"slack:{team}:D{i:04d}" for i in range(dms)]
    async with store.unit() as tx:
        for a in rooms:
            await tx.add_broadcast_channel(a, "slack", team)
        if dm:
            await tx.conn.execute(
                insert(supporters), [{"key": f"k-{a}", "created_at": ts} for a in dm]
            )
            ids = {r.key: r.id for r in (await tx.conn.execute(supporters.select())).all()}
            await tx.conn.execute(
                insert(subscriptions),
                [
                    {
                        "supporter_id": ids[f"k-{a}"],
                        "address": a,
                        "platform": "slack",
                        "topics": "all",
                        "created_at": ts,
                    }
                    for a in dm
                ],
            )
    return rooms + dm


def channel(address: str) -> str:
    return address.rsplit(":", 1)[1]


def delivered(api: FakeSlackAPI) -> int:
    return sum(n for c, n in api.posted.items() if c != ORG_CHANNEL)


async def test_500_channels_and_dms_get_it_once_and_the_progress_message_is_edited(
    olga, store, sample, api, ssettings
):
    recipients = await add_recipients(store, 250, 250)
    text = await olga.say("/broadcast 253/17")
    assert "500 recipients added" in text, text
    async with slack_worker(store, ssettings) as worker:
        await run_until_done(worker, store)

    assert set(api.posted) == {channel(a) for a in recipients} | {ORG_CHANNEL}
    assert all(api.posted[channel(a)] == 1 for a in recipients), "each recipient exactly once"
    assert await outbox_states(store) == {"sent": 500}
    posts = [c for c in api.sent("chat.postMessage") if c.params["channel"] != ORG_CHANNEL]
    assert all(c.token == TOKEN for c in posts)
    assert all("MOTHER AND CHILD" in c.text and c.params["text"] for c in posts)
    assert all("I took action" in c.labels for c in posts), "Block Kit buttons"

    (progress,) = [c for c in api.sent("chat.postMessage") if c.params["channel"] == ORG_CHANNEL]
    assert "new case: sent" in progress.text
    edits = api.sent("chat.update")
    assert edits, "the progress message is edited"
    async with store.unit() as tx:
        (b,) = await tx.broadcasts_of(sample.id)
    where, ts = b.progress_message_id.split(":")
    assert where == ORG_CHANNEL and ts.endswith(".0001")
    assert {(c.params["channel"], c.params["ts"]) for c in edits} == {(ORG_CHANNEL, ts)}
    assert edits[-1].text == "*Done.* UA 253/17, new case: sent 500 of 500."
    assert "New case: done: sent 500 of 500" in await olga.say("/broadcast_status 253/17")


async def test_a_429_pauses_every_send_for_retry_after_then_it_resumes(
    olga, store, sample, api, ssettings
):
    recipients = await add_recipients(store, 100, 400)
    api.rate_limit_at = {120, 300}
    api.retry_after = 1
    await olga.say("/broadcast 253/17")
    async with slack_worker(store, ssettings) as worker:
        await worker.run_until_idle()
        assert worker.stats["rate_limited"] >= 2
    assert api.rate_limited == 2
    assert api.violations == 0, "no call while Slack asked to wait"
    statuses = [c.status for c in api.calls if c.method == "chat.postMessage"]
    assert statuses.count(429) == 2 + api.in_flight
    assert all(api.posted[channel(a)] == 1 for a in recipients)
    assert await outbox_states(store) == {"sent": 500}


async def test_channel_not_found_retires_the_recipient(olga, store, sample, api, ssettings):
    recipients = await add_recipients(store, 250, 250)
    gone = {"slack:T1:C0007", "slack:T1:D0100"}
    api.channel_not_found = {channel(a) for a in gone}
    await olga.say("/broadcast 253/17")
    async with slack_worker(store, ssettings) as worker:
        await worker.run_until_idle()
    assert all(api.posted[channel(a)] == 1 for a in recipients if a not in gone)
    assert not any(api.posted[channel(a)] for a in gone)
    assert await outbox_states(store) == {"sent": 498, "gone": 2}
    assert await count_rows(store, broadcast_channels) == 249
    assert await count_rows(store, broadcast_channels, broadcast_channels.c.address.in_(gone)) == 0
    assert await count_rows(store, subscriptions) == 249
    assert await count_rows(store, subscriptions, subscriptions.c.address.in_(gone)) == 0
    assert "2 gone (unsubscribed)" in await olga.say("/broadcast_status 253/17")


async def test_cancel_stops_a_broadcast_and_the_progress_message_says_so(
    olga, store, sample, api, db_url, tmp_path
):
    s = slack_settings(
        db_url,
        tmp_path,
        api,
        ua_bot_worker_pacing='{"slack": {"per_second": 200, "per_chat_seconds": 0.2}}',
        ua_bot_worker_inflight=1,
    )
    recipients = await add_recipients(store, 300, 200)
    await olga.say("/broadcast 253/17")
    cancelled: list[str] = []

    def cancel_at_100(n: int) -> None:
        if delivered(api) == 100 and not cancelled:  # n counts the progress message too
            cancelled.append("sent")
            asyncio.get_running_loop().create_task(olga.say("/broadcast_cancel 253/17"))

    api.on_post = cancel_at_100
    async with slack_worker(store, s) as worker:
        await run_until_done(worker, store)
        first = delivered(api)
        assert 100 <= first < 500, f"cancel stopped the broadcast ({first} sent)"
        states = await outbox_states(store)
        assert states["sent"] == first and states["cancelled"] == 500 - first, (states, first)
        await worker.run_until_idle()
        assert delivered(api) == first, "nothing more goes out after a cancel"
    last = api.sent("chat.update")[-1]
    assert last.params["channel"] == ORG_CHANNEL and "*Cancelled*" in last.text
    assert f"sent {first} of 500" in last.text

    api.on_post = None
    assert "cancelled messages resumed" in await olga.say("/broadcast 253/17")
    async with slack_worker(store, s) as worker:
        await worker.run_until_idle()
    assert all(api.posted[channel(a)] == 1 for a in recipients), "resumed: the rest, once each"
    assert await outbox_states(store) == {"sent": 500}


async def install(store, team: str, token: str | None = None) -> None:
    installations = AsyncSQLAlchemyInstallationStore(CLIENT_ID, engine=store.engine)
    await installations.async_save(
        Installation(
            app_id="A1",
            team_id=team,
            bot_token=token or f"xoxb-{team}-installed",
            bot_id=f"B{team}",
            bot_user_id=f"UBOT{team}",
            bot_scopes="commands,chat:write",
            user_id="UINSTALLER",
            installed_at=dt.datetime.now(dt.UTC).timestamp(),
        )
    )


async def test_each_workspace_gets_it_with_its_own_token_and_an_uninstalled_one_is_retired(
    olga, store, sample, api, db_url, tmp_path
):
    s = slack_settings(db_url, tmp_path, api)
    s.slack_bot_token = None
    s.slack_client_id = CLIENT_ID
    s.slack_client_secret = SecretStr("client-secret")
    for team in ("T1", "T2"):
        await install(store, team)
    recipients = await add_recipients(store, 3, 2, team="T1")
    async with store.unit() as tx:
        await tx.add_broadcast_channel("slack:T2:C_T2", "slack", "T2")
        await tx.add_broadcast_channel("slack:T2:C_REVOKED", "slack", "T2")
        await tx.add_broadcast_channel("slack:T3:C_T3", "slack", "T3")  # app not installed
    api.channel_errors = {"C_REVOKED": "token_revoked"}  # as if T2 removed the app meanwhile
    await olga.say("/broadcast 253/17")
    async with slack_worker(store, s) as worker:
        await worker.run_until_idle()
    tokens = {c.params["channel"]: c.token for c in api.sent("chat.postMessage")}
    assert {tokens[channel(a)] for a in recipients} == {"xoxb-T1-installed"}
    assert tokens["C_T2"] == "xoxb-T2-installed"
    assert "C_T3" not in tokens
    assert await outbox_states(store) == {"sent": 6, "gone": 2}
    async with store.unit() as tx:
        left = set(await tx.broadcast_channels())
    assert "slack:T2:C_T2" in left and not left & {"slack:T3:C_T3", "slack:T2:C_REVOKED"}


async def test_an_organiser_in_slack_marks_a_channel_and_the_new_case_is_posted_there(
    core, settings, store, sample
):
    settings.ua_bot_organisers = ORG
    settings.__dict__.pop("organisers", None)
    async with FakeSlackAPI() as api:
        point_at(settings, api)
        app = App(settings, store, core)
        async with serving(create_app(ua_app=app)) as url, httpx.AsyncClient() as http:
            slack = SlackClient(http, url, api)
            assert (
                await slack.command("/broadcast_here", user="U_ORG", channel="C_NEWS")
            ).is_success
            (ok,) = await api.wait_sent(1)
            assert (
                ok.method == "chat.postEphemeral" and "will receive case announcements" in ok.text
            )
            await slack.command("/broadcast 253/17", user="U_ORG", channel=ORG_CHANNEL)
            queued = (await api.wait_sent(2))[-1]
            assert "1 recipient added" in queued.text, queued.text
        async with slack_worker(store, settings) as worker:
            await worker.run_until_idle()
        news = [c for c in api.sent("chat.postMessage") if c.params["channel"] == "C_NEWS"]
        assert len(news) == 1 and news[0].token == TOKEN
        assert news[0].text.startswith("*New Urgent Action") or "UA 253/17" in news[0].text
        assert "MOTHER AND CHILD" in news[0].text and "I took action" in news[0].labels
        progress = [
            c
            for c in api.sent("chat.postMessage", "chat.update")
            if c.params["channel"] == ORG_CHANNEL
        ]
        assert progress and "sent 1 of 1" in progress[-1].text


async def test_a_rejected_single_workspace_token_retires_no_one(
    olga, store, sample, api, db_url, tmp_path
):
    """With SLACK_BOT_TOKEN, invalid_auth is the operator's problem: retried, then failed,
    and the recipient stays; an archived channel is gone."""
    s = slack_settings(
        db_url, tmp_path, api, ua_bot_worker_max_attempts=2, ua_bot_worker_backoff_seconds=0.05
    )
    await add_recipients(store, 3, 0)
    api.channel_errors = {"C0000": "invalid_auth", "C0001": "is_archived"}
    await olga.say("/broadcast 253/17")
    async with slack_worker(store, s) as worker:
        await worker.run_until_idle()
    assert await outbox_states(store) == {"sent": 1, "failed": 1, "gone": 1}
    async with store.unit() as tx:
        assert set(await tx.broadcast_channels()) == {"slack:T1:C0000", "slack:T1:C0002"}
    tries = [c for c in api.calls if c.params.get("channel") == "C0000"]
    assert len(tries) == 2


async def test_a_reinstalled_workspace_is_sent_with_its_new_token_not_retired(
    olga, store, sample, api, db_url, tmp_path
):
    s = slack_settings(db_url, tmp_path, api)
    s.slack_bot_token, s.slack_client_id = None, CLIENT_ID
    await install(store, "T1")
    await add_recipients(store, 2, 0)
    await olga.say("/broadcast 253/17")
    async with slack_worker(store, s) as worker:
        await worker.run_until_idle()  # the sender now holds T1's first token
        await asyncio.sleep(0.01)
        await install(store, "T1", token="xoxb-T1-again")
        api.revoked.add("xoxb-T1-installed")
        await olga.say("/broadcast 253/17 reminder")
        await worker.run_until_idle()
    assert await outbox_states(store) == {"sent": 4}
    async with store.unit() as tx:
        assert len(await tx.broadcast_channels()) == 2, "no one retired"
    reminders = [c for c in api.sent("chat.postMessage") if "Reminder" in c.text]
    assert {c.token for c in reminders} == {"xoxb-T1-again"}
    refused = [c for c in api.calls if c.token == "xoxb-T1-installed" and c.status != 200]
    assert refused, "the sender tried its cached token first, then looked again"
