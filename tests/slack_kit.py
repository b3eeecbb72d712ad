"""Signed Slack requests for the tests: slash commands, button presses, events."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from adapters.settings import DeploymentSettings
from adapters.slack.app import InFlight
from tests.fakes.slack_api import TOKEN, FakeSlackAPI

SIGNING_SECRET = "signing-secret-0123456789"


def point_at(
    settings: DeploymentSettings, api: FakeSlackAPI, *, token: str | None = TOKEN, **more
) -> DeploymentSettings:
    settings.slack_signing_secret = SecretStr(SIGNING_SECRET)
    settings.slack_bot_token = SecretStr(token) if token else None
    settings.slack_api_base_url = api.url
    for k, v in more.items():
        setattr(settings, k, SecretStr(v) if k.endswith("secret") else v)
    return settings


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None, **extra: str
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    sig = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig, **extra}


def command_body(
    line: str,
    *,
    team: str = "T1",
    user: str = "U1",
    channel: str = "C1",
    trigger: str = "trigger-1",
    response_url: str = "",
) -> str:
    """The form body of a slash command (``/took_action 253/17 email``) as Slack posts it."""
    name, _, text = line.partition(" ")
    form = {
        "token": "legacy",
        "team_id": team,
        "channel_id": channel,
        "user_id": user,
        "command": name,
        "text": text,
        "trigger_id": trigger,
        "response_url": response_url,
        "api_app_id": "A1",
    }
    return urlencode(form)


def action_payload(
    button: dict,
    *,
    team: str = "T1",
    user: str = "U1",
    channel: str = "C1",
    trigger: str = "trigger-1",
    response_url: str = "",
    action_ts: str = "1.0",
) -> dict:
    """A button press (``block_actions``) on ``button`` (its ``action_id`` and ``value``)."""
    return {
        "type": "block_actions",
        "team": {"id": team, "domain": "t"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A1",
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel},
        "trigger_id": trigger,
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b",
                "value": button["value"],
                "action_ts": action_ts,
            }
        ],
    }


def action_body(payload: dict) -> str:
    return urlencode({"payload": json.dumps(payload)})


class SlackClient:
    """Posts what Slack would post to ``/slack/events``, signed."""

    def __init__(self, http: httpx.AsyncClient, base: str, api: FakeSlackAPI, web=None) -> None:
        self.http, self.url, self.api = http, f"{base}/slack/events", api
        self.web = web
        self._n = 0

    def handling(self) -> InFlight:
        """The Slack adapter's count of the requests it is handling after their ack."""
        (plugin,) = [p for p in self.web.state.plugins if p.name == "slack"]
        return plugin.handling

    async def settled(self, timeout: float = 10.0) -> None:
        """Wait until every acknowledged request has been handled to its end."""
        await asyncio.wait_for(self.handling().idle(), timeout)

    def _next(self) -> int:
        self._n += 1
        return self._n

    async def post(self, body: str, content_type: str, **kw) -> httpx.Response:
        headers = {"Content-Type": content_type, **signed_headers(body, **kw)}
        return await self.http.post(self.url, content=body.encode(), headers=headers)

    async def command(
        self, line: str, *, team: str = "T1", user: str = "U1", channel: str = "C1", **kw
    ) -> httpx.Response:
        body = command_body(
            line,
            team=team,
            user=user,
            channel=channel,
            trigger=f"trigger-{self._next()}",
            response_url=self.api.response_url(),
        )
        return await self.post(body, "application/x-www-form-urlencoded", **kw)

    def action_payload(
        self, button: dict, *, team: str = "T1", user: str = "U1", channel: str = "C1"
    ) -> dict:
        return action_payload(
            button,
            team=team,
            user=user,
            channel=channel,
            trigger=f"trigger-{self._next()}",
            response_url=self.api.response_url(),
        )

    async def press(self, button: dict, **kw) -> httpx.Response:
        return await self.send_action(self.action_payload(button, **kw))

    async def send_action(self, payload: dict, **kw) -> httpx.Response:
        return await self.post(action_body(payload), "application/x-www-form-urlencoded", **kw)

    def event_body(self, event: dict, *, team: str = "T1", event_id: str | None = None) -> dict:
        return {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{self._next()}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        }

    async def event(self, body: dict, **kw) -> httpx.Response:
        return await self.post(json.dumps(body), "application/json", **kw)
