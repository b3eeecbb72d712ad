"""Multi-workspace installs: OAuth against the fake, one bot token per workspace, uninstall."""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qs, urlparse

import httpx
from pydantic import SecretStr
from sqlalchemy import text

from adapters.asgi import create_app
from tests.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, FakeSlackAPI
from tests.server import serving
from tests.slack_kit import SlackClient, point_at
from tests.waiting import eventually
from ua_bot.app import App


@contextlib.asynccontextmanager
async def oauth_app(core, settings, store):
    async with FakeSlackAPI() as api:
        point_at(settings, api, token=None)
        settings.slack_client_id = CLIENT_ID
        settings.slack_client_secret = SecretStr(CLIENT_SECRET)
        app = App(settings, store, core)
        async with serving(create_app(ua_app=app)) as url, httpx.AsyncClient() as http:
            yield api, SlackClient(http, url, api), url


async def install(http: httpx.AsyncClient, base: str, api: FakeSlackAPI, team: str):
    start = await http.get(f"{base}/slack/install")
    assert start.status_code == 302
    where = start.headers["location"]
    assert where.startswith(f"{api.host}/oauth/v2/authorize?")
    query = parse_qs(urlparse(where).query)
    assert query["client_id"] == [CLIENT_ID] and "commands" in query["scope"][0]
    (state,) = query["state"]
    # the state cookie is Secure (https only): a browser would send it back over https
    cookie = start.headers["set-cookie"].split(";")[0]
    return await http.get(
        f"{base}/slack/oauth_redirect",
        params={"code": f"code-{team}", "state": state},
        headers={"Cookie": cookie},
    )


async def teams_installed(store) -> list[str]:
    async with store.engine.connect() as conn:
        rows = await conn.execute(text("SELECT DISTINCT team_id FROM slack_bots ORDER BY team_id"))
        return [r[0] for r in rows]


async def until_installed(store, teams: list[str]) -> None:
    async def installed() -> bool:
        return await teams_installed(store) == teams

    await eventually(installed)


async def test_two_workspaces_install_and_each_is_answered_with_its_own_token(
    core, settings, store, sample
):
    async with oauth_app(core, settings, store) as (api, slack, base):
        for team in ("T1", "T2"):
            done = await install(slack.http, base, api, team)
            assert done.status_code == 200, done.text
        assert [c.params["code"] for c in api.sent("oauth.v2.access")] == ["code-T1", "code-T2"]
        assert await teams_installed(store) == ["T1", "T2"]

        await slack.command("/case", team="T1", channel="C1")
        (one,) = await api.wait_sent(1)
        await slack.command("/case", team="T2", channel="C2")
        two = (await api.wait_sent(2))[-1]
        assert (one.params["channel"], one.token) == ("C1", "xoxb-T1-installed")
        assert (two.params["channel"], two.token) == ("C2", "xoxb-T2-installed")
        assert two.text.startswith("*UA 253/17")


async def test_a_redirect_with_a_made_up_state_installs_nothing(core, settings, store):
    async with oauth_app(core, settings, store) as (api, slack, base):
        await slack.http.get(f"{base}/slack/install")
        r = await slack.http.get(
            f"{base}/slack/oauth_redirect", params={"code": "code-T1", "state": "made-up"}
        )
        assert r.status_code >= 400
        assert api.sent("oauth.v2.access") == []
    assert await teams_installed(store) == []


async def test_uninstalling_forgets_the_workspace_and_its_broadcast_channels(
    core, settings, store, sample
):
    async with store.unit() as tx:
        await tx.add_broadcast_channel("slack:T1:C1", "slack", "T1")
        await tx.add_broadcast_channel("slack:T2:C2", "slack", "T2")
    async with oauth_app(core, settings, store) as (api, slack, base):
        for team in ("T1", "T2"):
            await install(slack.http, base, api, team)
        r = await slack.event(slack.event_body({"type": "app_uninstalled"}, team="T2"))
        assert r.status_code == 200
        await until_installed(store, ["T1"])  # the event is handled after Slack's ack
        await slack.command("/case", team="T1")
        await api.wait_sent(1)
        r = await slack.command("/case", team="T2")
        assert r.status_code == 200  # answered by Bolt: this workspace has no installation
        await api.wait_sent(2)
        await slack.command("/cases", team="T1")
        await api.wait_sent(3)
        sent = api.sent()
        assert {c.token for c in sent if c.method != "response_url"} == {"xoxb-T1-installed"}
        (notice,) = [c for c in sent if c.method == "response_url"]  # Bolt: not installed
        assert "installation" in notice.params["text"]
    assert await teams_installed(store) == ["T1"]
    async with store.unit() as tx:
        assert await tx.broadcast_channels() == ["slack:T1:C1"]


async def test_revoked_bot_tokens_forget_the_workspace(core, settings, store):
    async with oauth_app(core, settings, store) as (api, slack, base):
        await install(slack.http, base, api, "T1")
        event = {"type": "tokens_revoked", "tokens": {"bot": ["UBOTT1"]}}
        assert (await slack.event(slack.event_body(event, team="T1"))).status_code == 200
        await until_installed(store, [])
