"""The Slack adapter: a Bolt ``AsyncApp`` whose listeners each make one core call.

Slash commands (one per public command, and ``/ua <command> [args]``), button presses
(``block_actions``: the button's value is the core's payload) and direct messages become
:class:`Incoming`; the replies go out with the workspace's bot token (``chat.postMessage``,
``chat.postEphemeral`` for private replies, ``files_upload_v2`` for charts, exports and PDF
letters), or through the command's ``response_url`` where the bot is not in the channel. A
private file asked for outside a DM goes to the user's DM with the bot (``conversations.open``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import replace
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.plugin import InFlight
from adapters.slack.home import from_system, home_view
from adapters.slack.install_gate import CALLBACKS, AllowListOAuthFlow, allowed_teams
from adapters.slack.quiet import quiet_slack_logs
from adapters.slack.render import ACTION_PREFIX, BLOCK_LIMIT, Rendered, SlackMessage, render
from adapters.slack.sdk import error_code, error_text, secret
from adapters.slack.spec import INSTALL_PATH, REDIRECT_PATH, SCOPES
from adapters.slack.token_store import EncryptedInstallationStore, TokenCipher, token_key
from ua_bot.core import Core
from ua_bot.errors import TemporaryFailure
from ua_bot.markup import esc
from ua_bot.messages import Incoming, Kind, Reply, split_direct

log = logging.getLogger("adapters.slack")

DEFAULT_BASE_URL = AsyncWebClient.BASE_URL
ADMIN_CACHE_SECONDS = 300.0
_FALLBACK_ERRORS = {"not_in_channel", "channel_not_found", "is_archived"}
FILE_IN_DM = "The file is in your direct messages with me, where only you can see it."
FILE_NOT_SENT = "I could not send you the file privately here: ask me for it in a direct message."


def authorization_url(base_url: str) -> str:
    """Slack's OAuth page next to the Web API (``https://slack.com/oauth/v2/authorize``)."""
    root = base_url.rstrip("/").removesuffix("/api")
    return f"{root}/oauth/v2/authorize"


def _add_note(rendered: Rendered, note: str) -> None:
    """A context line under the last message (a message of its own when there is none)."""
    block = {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}
    last = rendered.messages[-1] if rendered.messages else None
    if last is None or len(last.blocks) >= BLOCK_LIMIT:
        rendered.messages.append(SlackMessage(note, [block]))
    else:
        last.blocks.append(block)


class SlackAdapter:
    """Owns the Bolt app; ``engine`` (the store's) holds OAuth installations and states."""

    def __init__(self, core: Core, settings, *, engine=None) -> None:
        quiet_slack_logs()
        self.core = core
        self.settings = settings
        self.base_url = settings.slack_api_base_url or DEFAULT_BASE_URL
        if not self.base_url.endswith("/"):
            self.base_url += "/"
        token = secret(settings.slack_bot_token)
        client = AsyncWebClient(base_url=self.base_url, token=token)
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        self.installation_store: EncryptedInstallationStore | None = None
        oauth_settings = None
        if not token and settings.slack_client_id and engine is not None:
            self.installation_store = EncryptedInstallationStore(
                settings.slack_client_id, engine=engine, cipher=TokenCipher(token_key(settings))
            )
            oauth_settings = AsyncOAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=secret(settings.slack_client_secret),
                scopes=SCOPES,
                installation_store=self.installation_store,
                state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
                install_page_rendering_enabled=False,
                authorization_url=authorization_url(self.base_url),
                callback_options=CALLBACKS,
            )
        teams = allowed_teams(getattr(settings, "ua_bot_slack_teams", ""))
        self.app = AsyncApp(
            client=client,
            signing_secret=secret(settings.slack_signing_secret) or "",
            request_verification_enabled=True,
            oauth_flow=(
                AllowListOAuthFlow(client=client, settings=oauth_settings, teams=teams)
                if oauth_settings
                else None
            ),
            installation_store=self.installation_store,
        )
        self._admins: dict[tuple[str, str], tuple[float, bool]] = {}
        self._tasks: set[asyncio.Task] = set()
        self.handling = InFlight()
        self._add_listeners()

    async def open_session(self) -> None:
        """One HTTP session for every Web API call of this process (the web app's start-up).

        Without it slack-sdk opens a session, and a connection, per call: a reply then costs
        a TCP handshake, and a busy web process spends a good part of its CPU on them.
        """
        if self.app.client.session is None or self.app.client.session.closed:
            self.app.client.session = aiohttp.ClientSession()

    async def close(self) -> None:
        session, self.app.client.session = self.app.client.session, None
        if session is not None and not session.closed:
            await session.close()

    @property
    def oauth(self) -> bool:
        return self.installation_store is not None

    def _add_listeners(self) -> None:
        app = self.app
        # One listener for every slash command (the core answers an unknown one): a listener
        # per command matched each request against all of them for the same outcome.
        tracked = self.handling.tracked
        app.command(re.compile(r"^/"))(tracked(self._on_command))
        app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(tracked(self._on_action))
        app.event("message")(tracked(self._on_message))
        app.event("app_home_opened")(tracked(self._on_home))
        app.event("app_uninstalled")(tracked(self._on_uninstalled))
        app.event("tokens_revoked")(tracked(self._on_tokens_revoked))
        app.error(self._on_error)

    # -- listeners -------------------------------------------------------------

    async def _on_command(self, ack, command: dict, client, respond) -> None:
        await ack()
        await self.slash_command(command, client, respond)

    async def slash_command(self, command: dict, client, respond) -> None:
        """A slash command, acknowledged already; ``/ua <command> [args]`` is every command
        under one slash command."""
        if command.get("command") == "/ua":
            text = (command.get("text") or "").strip() or "help"
            name, _, rest = text.partition(" ")
            name = name.lstrip("/").replace("-", "_")
            line = f"/{name} {rest}"
        else:
            line = f"{command.get('command', '')} {command.get('text') or ''}"
        await self._run(line, command, client, respond)

    def take_slash_command(self, command: dict) -> None:
        """Answer an acknowledged slash command in the background, without Bolt (single
        workspace: the bot token's client). Bolt's dispatch (its middleware, a Web API client
        built for each request, its argument injection) cost about a third of a request's
        CPU, for a command that the one listener above would get anyway."""
        respond = AsyncRespond(response_url=command.get("response_url") or None)
        self.handling.begin()
        task = asyncio.create_task(self._background(command, respond))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _: self.handling.end())

    async def _background(self, command: dict, respond) -> None:
        try:
            await self.slash_command(command, self.app.client, respond)
        except Exception as e:  # as Bolt's error handler: one line, the user can ask again
            await self._on_error(e, command)

    async def _run(self, line: str, command: dict, client, respond) -> None:
        team, channel = command.get("team_id", ""), command.get("channel_id", "")
        who = await self._who(client, team, command.get("user_id", ""), channel)
        inc = Incoming.command_line(line, delivery_id=command.get("trigger_id"), **who)
        await self._handle(inc, client, respond, channel, command.get("user_id", ""))

    async def _on_action(self, ack, body: dict, action: dict, client, respond) -> None:
        await ack()
        team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id", ""
        )
        if not channel:  # a button on the App Home tab: answer in the person's DM
            channel = await self._open_dm(client, user) or ""
        who = await self._who(client, team, user, channel)
        delivery = body.get("trigger_id") or f"{action.get('action_ts')}:{action.get('action_id')}"
        inc = Incoming(Kind.BUTTON, payload=action.get("value") or "", delivery_id=delivery, **who)
        await self._handle(inc, client, respond, channel, user)

    async def _on_message(self, body: dict, event: dict, client) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        if from_system(event):
            return
        team = body.get("team_id") or event.get("team", "")
        user, channel = event.get("user", ""), event.get("channel", "")
        who = await self._who(client, team, user, channel)
        inc = Incoming(
            Kind.MESSAGE, text=event.get("text") or "", delivery_id=body.get("event_id"), **who
        )
        await self._handle(inc, client, None, channel, user)

    async def _on_home(self, body: dict, event: dict, client) -> None:
        """The App Home tab opened: publish the person's open cases and actions."""
        if event.get("tab", "home") != "home" or from_system(event):
            return
        team, user = body.get("team_id", ""), event.get("user", "")
        who = await self._who(client, team, user, event.get("channel", ""))
        inc = Incoming.command_line("/home", delivery_id=body.get("event_id"), **who)
        try:
            replies = await self.core.handle(inc)
            if replies:
                await client.views_publish(user_id=user, view=home_view(replies))
        except TemporaryFailure:
            return  # the next opening of the tab tries again
        except SlackApiError as e:
            log.warning("views.publish failed: %s", error_text(e))

    async def _on_uninstalled(self, body: dict) -> None:
        await self.forget_workspace(body.get("enterprise_id"), body.get("team_id", ""))

    async def _on_tokens_revoked(self, body: dict, event: dict) -> None:
        if (event.get("tokens") or {}).get("bot"):
            await self.forget_workspace(body.get("enterprise_id"), body.get("team_id", ""))

    async def forget_workspace(self, enterprise_id: str | None, team_id: str) -> None:
        """The app left a workspace: drop its installation and its broadcast channels."""
        if self.installation_store is not None:
            await self.installation_store.async_delete_all(
                enterprise_id=enterprise_id, team_id=team_id
            )
        await self.core.workspace_uninstalled("slack", team_id)

    async def _on_error(self, error: Exception, body: dict) -> None:
        log.warning("slack listener failed: %s", type(error).__name__, exc_info=error)

    # -- the core call and the replies ------------------------------------------

    async def _who(self, client, team: str, user: str, channel: str) -> dict[str, Any]:
        return {
            "address": f"slack:{team}:{channel}",
            "user": f"slack:{team}:{user}",
            "workspace": team,
            "private": channel.startswith("D"),
            "is_workspace_admin": await self._is_admin(client, team, user),
        }

    async def _is_admin(self, client, team: str, user: str) -> bool:
        """Whether the user administers the workspace (``users.info``), cached a few minutes."""
        if not getattr(self.settings, "ua_bot_workspace_admins_are_organisers", False):
            return False
        key = (team, user)
        hit = self._admins.get(key)
        if hit and time.monotonic() - hit[0] < ADMIN_CACHE_SECONDS:
            return hit[1]
        try:
            info = (await client.users_info(user=user)).get("user") or {}
        except SlackApiError as e:
            log.warning("users.info failed: %s", error_text(e))
            return False
        admin = bool(info.get("is_admin") or info.get("is_owner"))
        self._admins[key] = (time.monotonic(), admin)
        return admin

    async def _handle(self, inc: Incoming, client, respond, channel: str, user: str) -> None:
        try:
            replies = await self.core.handle(inc)
        except TemporaryFailure as e:
            replies = [Reply.text(esc(e.message), private=True)]
        await self.deliver(client, respond, channel, user, replies)

    async def deliver(self, client, respond, channel: str, user: str, replies: list[Reply]) -> None:
        """Send replies: private ones only to ``user``; files uploaded to the channel, or, for
        a private reply outside a DM, to the user's direct message with the bot."""
        dm = channel.startswith("D")
        direct, replies = split_direct(replies)
        if direct:  # a private command in a channel: to the user's DM, never the channel
            dm_channel = await self._open_dm(client, user)
            if dm_channel:
                await self.deliver(
                    client, None, dm_channel, user, [replace(r, direct=False) for r in direct]
                )
            replies = split_direct(replies, bool(dm_channel))[1]
        for reply in replies:
            rendered = render(reply)
            ephemeral = reply.private and not dm
            try:
                where: str | None = channel
                if ephemeral and rendered.files:
                    # Everyone in a channel sees a file shared there (a signed letter): it goes
                    # to the asker's DM, which also works where the bot is not a member.
                    where = await self._open_dm(client, user)
                    _add_note(rendered, FILE_IN_DM if where else FILE_NOT_SENT)
                for m in rendered.messages:
                    await self._post(client, respond, channel, user, m, ephemeral)
                for f in rendered.files if where else []:
                    await client.files_upload_v2(
                        channel=where,
                        file=f.data,
                        filename=f.filename,
                        title=f.filename,
                        initial_comment=f.caption or None,
                    )
            except SlackApiError as e:
                log.warning("slack reply failed: %s", error_text(e))
            except Exception as e:  # network trouble: the user can ask again
                log.warning("slack reply failed: %s", type(e).__name__)

    async def _open_dm(self, client, user: str) -> str | None:
        """The id of the bot's direct message with ``user`` (``conversations.open``)."""
        try:
            opened = await client.conversations_open(users=user)
        except SlackApiError as e:  # e.g. missing_scope: installed before im:write was asked
            log.warning("conversations.open failed: %s", error_text(e))
            return None
        return (opened.get("channel") or {}).get("id") or None

    async def _post(self, client, respond, channel, user, m, ephemeral: bool) -> None:
        # ``api_call`` with the JSON as is: ``chat_postMessage(**kwargs)`` looks for Block
        # objects to convert (typing-generic isinstance checks, 6% of a request's CPU), and
        # our blocks are plain dicts already.
        payload = {"channel": channel, "text": m.text, "blocks": m.blocks}
        try:
            if ephemeral:
                await client.api_call("chat.postEphemeral", json=payload | {"user": user})
            else:
                await client.api_call("chat.postMessage", json=payload)
        except SlackApiError as e:
            if respond is None or error_code(e) not in _FALLBACK_ERRORS:
                raise
            await respond(
                text=m.text,
                blocks=m.blocks,
                response_type="ephemeral" if ephemeral else "in_channel",
                replace_original=False,
            )

    async def run_socket_mode(self) -> None:
        """``ua-bot run`` without a public URL: Socket Mode over the app-level token."""
        handler = self.socket_mode_handler()
        await handler.start_async()

    def socket_mode_handler(self):
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        return AsyncSocketModeHandler(self.app, secret(self.settings.slack_app_token))
