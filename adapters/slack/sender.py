"""The broadcast worker's Slack sender: a neutral Reply to a channel or DM, paced by the worker.

Addresses are the adapter's ``slack:<team>:<channel>``. The bot token is ``SLACK_BOT_TOKEN``
(one workspace) or, when the app is installed in many workspaces through OAuth, the team's
bot token from the same installation store the adapter uses. A message goes out with
``chat.postMessage`` (Block Kit from the adapter's renderer, its plain text as the
notification fallback); its id is ``<channel>:<ts>``, which is what ``chat.update`` needs to
edit it.

slack-sdk's retry handlers are off: a 429 becomes :class:`RetryAfter` so that the worker
pauses every Slack send (rather than the SDK sleeping inside one call while others go on),
and other failures reach the worker's back-off.

Errors: a channel that no longer exists, was archived or that the bot was removed from
retires the recipient. So does a workspace whose installation is gone (no installation,
``token_revoked``, ``invalid_auth``, ``account_inactive``, ``missing_scope``). With a single
``SLACK_BOT_TOKEN`` those workspace errors mean the operator's token is wrong, not that a
recipient left: they are transient (and logged), so a bad token cannot unsubscribe
everyone.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from adapters.settings import DeploymentSettings
from adapters.slack.quiet import quiet_slack_logs
from adapters.slack.render import SlackMessage, render
from adapters.slack.sdk import error_code, secret
from ua_bot.broadcast.sender import (
    Pacing,
    RecipientGone,
    RetryAfter,
    Sender,
    TransientSendError,
)
from ua_bot.markup import plain
from ua_bot.messages import Reply

log = logging.getLogger("adapters.slack.sender")

CHANNEL_GONE = frozenset({"channel_not_found", "is_archived", "not_in_channel"})
WORKSPACE_GONE = frozenset(
    {"account_inactive", "token_revoked", "invalid_auth", "missing_scope", "not_authed"}
)
# An edit of a message that is gone or too old: nothing to do.
EDIT_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
TOKEN_TTL = 300.0
TIMEOUT = 15


class NotInstalled(Exception):
    """No installation holds a bot token for the workspace."""


def split_address(address: str) -> tuple[str, str]:
    """``slack:T1:C1`` -> ``("T1", "C1")``."""
    platform, _, rest = address.partition(":")
    team, _, channel = rest.partition(":")
    if platform != "slack" or not team or not channel:
        raise RecipientGone(f"not a Slack address: {address[:60]}")
    return team, channel


def _retry_after(e: SlackApiError) -> float:
    headers = getattr(e.response, "headers", None) or {}
    for k, v in headers.items():
        if k.lower() == "retry-after":
            try:
                return float(v)
            except (TypeError, ValueError):
                break
    return 1.0


def _messages(reply: Reply) -> list[SlackMessage]:
    """The reply's messages (broadcasts are text: files are left out)."""
    messages = render(reply).messages
    return messages or [SlackMessage(plain(reply.markup)[:3000] or "ua-bot")]


class SlackSender(Sender):
    platform = "slack"
    # chat.postMessage: about one message a second per channel (short bursts allowed) and a
    # workspace-wide limit of a few hundred a minute. 5/s overall stays under it even when
    # every recipient is in one workspace; UA_BOT_WORKER_PACING may raise it.
    pacing = Pacing(per_second=5.0, per_chat_seconds=1.0)

    def __init__(self, settings: DeploymentSettings, *, engine=None) -> None:
        quiet_slack_logs()
        base = settings.slack_api_base_url or AsyncWebClient.BASE_URL
        self.base_url = base if base.endswith("/") else base + "/"
        self.token = secret(settings.slack_bot_token)
        self.installation_store = None
        self._own_engine = None
        if not self.token and settings.slack_client_id:
            from adapters.slack.token_store import (
                EncryptedInstallationStore,
                TokenCipher,
                token_key,
            )

            if engine is None:
                from case_store import create_engine_for

                engine = self._own_engine = create_engine_for(settings.database_url)
            self.installation_store = EncryptedInstallationStore(
                settings.slack_client_id, engine=engine, cipher=TokenCipher(token_key(settings))
            )
        self._tokens: dict[str, tuple[float, str]] = {}
        self._clients: dict[str, AsyncWebClient] = {}
        self._session: aiohttp.ClientSession | None = None

    def is_group(self, address: str) -> bool:
        return not address.rsplit(":", 1)[-1].startswith("D")

    def budget_key(self, address: str) -> str:
        """Slack's limits are per workspace: one budget per team."""
        return f"slack:{address.split(':', 2)[1]}" if address.count(":") >= 2 else "slack"

    # -- tokens and clients ----------------------------------------------------------

    async def bot_token(self, team: str) -> str:
        """The workspace's bot token (cached for a few minutes); :class:`NotInstalled`."""
        if self.installation_store is None:
            if not self.token:
                raise NotInstalled(team)
            return self.token
        hit = self._tokens.get(team)
        if hit and time.monotonic() - hit[0] < TOKEN_TTL:
            return hit[1]
        t = self.installation_store.bots.c
        q = (
            select(t.bot_token)
            .where(
                t.client_id == self.installation_store.client_id,
                t.team_id == team,
                t.bot_token.is_not(None),
            )
            .order_by(t.installed_at.desc())
            .limit(1)
        )
        async with self.installation_store.engine.connect() as conn:
            token = self.installation_store.cipher.open((await conn.execute(q)).scalar())
        if not token:
            self._tokens.pop(team, None)
            raise NotInstalled(team)
        self._tokens[team] = (time.monotonic(), token)
        return token

    def _client(self, token: str) -> AsyncWebClient:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
            self._clients.clear()
        client = self._clients.get(token)
        if client is None:
            client = self._clients[token] = AsyncWebClient(
                token=token,
                base_url=self.base_url,
                session=self._session,
                timeout=TIMEOUT,
                retry_handlers=[],  # the worker paces and retries
            )
        return client

    async def _api(self, team: str, method: str, **params: Any) -> Any:
        """Call a Web API method with the team's token, mapping its failures."""
        try:
            token = await self.bot_token(team)
        except NotInstalled as e:
            if self.installation_store is None:
                raise TransientSendError("no Slack bot token") from e
            raise RecipientGone(f"the app is not installed in {team}") from e
        client = self._client(token)
        try:
            return await getattr(client, method)(**params)
        except SlackApiError as e:
            if e.response.status_code == 429:
                raise RetryAfter(_retry_after(e)) from e
            code = error_code(e)
            if code == "ratelimited":
                raise RetryAfter(_retry_after(e)) from e
            if code in CHANNEL_GONE:
                raise RecipientGone(code) from e
            if code in WORKSPACE_GONE:
                if self.installation_store is not None:
                    await self._token_gone(team, token, code)
                log.error("Slack rejected SLACK_BOT_TOKEN: %s", code)
            raise TransientSendError(code or f"HTTP {e.response.status_code}") from e
        except (aiohttp.ClientError, TimeoutError) as e:
            raise TransientSendError(f"{type(e).__name__}: {e}") from e

    async def _token_gone(self, team: str, token: str, code: str) -> None:
        """Slack refused the workspace's token: gone, unless it was reinstalled meanwhile."""
        self._tokens.pop(team, None)
        try:
            fresh = await self.bot_token(team)
        except NotInstalled:
            fresh = None
        if fresh and fresh != token:
            raise TransientSendError(f"{code}: a newer installation; trying again")
        raise RecipientGone(code)

    # -- the Sender ----------------------------------------------------------------------

    async def send(self, address: str, reply: Reply) -> str:
        team, channel = split_address(address)
        first = ""
        for m in _messages(reply):
            r = await self._api(
                team,
                "chat_postMessage",
                channel=channel,
                text=m.text,
                blocks=m.blocks or None,
                unfurl_links=False,
                unfurl_media=False,
            )
            first = first or f"{r.get('channel') or channel}:{r.get('ts')}"
        return first

    async def edit(self, address: str, message_id: str, reply: Reply) -> None:
        team, channel = split_address(address)
        where, _, ts = message_id.rpartition(":")
        m = _messages(reply)[0]
        try:
            # blocks always: chat.update keeps the old blocks when none are given
            await self._api(
                team, "chat_update", channel=where or channel, ts=ts, text=m.text, blocks=m.blocks
            )
        except RecipientGone:
            return
        except TransientSendError as e:
            if str(e) in EDIT_GONE:
                return
            raise

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._clients.clear()
        if self._own_engine is not None:
            await self._own_engine.dispose()
            self._own_engine = None
