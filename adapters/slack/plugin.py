"""The Slack plugin: ``/slack/events`` (and the OAuth routes) in the web app; Socket Mode for
``ua-bot run`` when an app-level token is set."""

from __future__ import annotations

import logging
from typing import cast
from urllib.parse import parse_qsl

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from adapters.plugin import Plugin
from adapters.settings import DeploymentSettings
from adapters.slack.app import SlackAdapter
from adapters.slack.render import render
from adapters.slack.spec import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH
from case_store import Store
from ua_bot.app import App
from ua_bot.broadcast.sender import Sender
from ua_bot.messages import Reply

log = logging.getLogger("adapters.slack")


def _signed(verifier: SignatureVerifier, body: bytes, request: Request) -> bool:
    """Slack's v0 signature over the raw body, checked before Bolt parses anything.

    Bolt parses the body first and raises on some junk (a non-numeric timestamp, a form
    field that is not JSON, bytes that are not UTF-8): a 500 for what is a forged request.
    """
    ts = request.headers.get("x-slack-request-timestamp", "")
    sig = request.headers.get("x-slack-signature", "")
    if not (ts.isascii() and ts.isdigit() and len(ts) <= 12 and sig.isascii()):
        return False
    try:
        return verifier.is_valid(body=body, timestamp=ts, signature=sig)
    except (ValueError, TypeError):
        return False


def _slash_command(request: Request, text: str) -> dict[str, str] | None:
    """A slash command's form fields, when the signed body is one (else ``None``: Bolt
    handles button presses, events, SSL checks and the OAuth pages)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded" or "command=" not in text:
        return None
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if (
        not fields.get("command", "").startswith("/")
        or "payload" in fields
        or "ssl_check" in fields
    ):
        return None
    return fields


def slack_routes(adapter: SlackAdapter) -> list[Route]:
    handler = AsyncSlackRequestHandler(adapter.app)
    secret = adapter.settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value() if secret else "")

    async def slack_endpoint(request: Request):
        if request.method == "POST":
            body = await request.body()  # Starlette keeps it: Bolt reads the same bytes
            if not _signed(verifier, body, request):
                return PlainTextResponse("invalid request", status_code=401)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return PlainTextResponse("malformed request", status_code=400)
            command = _slash_command(request, text) if not adapter.oauth else None
            if command is not None:
                adapter.take_slash_command(command)
                return Response(status_code=200)  # the acknowledgement, as Bolt's ack()
        try:
            return await handler.handle(request)
        except (ValueError, TypeError, AttributeError, KeyError):
            # Only a signed body of a shape Slack never sends gets here.
            log.warning("slack request could not be parsed")
            return PlainTextResponse("malformed request", status_code=400)

    routes = [Route(EVENTS_PATH, slack_endpoint, methods=["POST"])]
    if adapter.oauth:
        routes += [
            Route(INSTALL_PATH, slack_endpoint, methods=["GET"]),
            Route(REDIRECT_PATH, slack_endpoint, methods=["GET"]),
        ]
    return routes


def sender(settings, store: Store) -> Sender | None:
    """The worker's Slack sender: a bot token, or OAuth installations in the store."""
    if not (settings.slack_bot_token or settings.slack_client_id):
        return None
    from adapters.slack.sender import SlackSender

    return SlackSender(settings, engine=store.engine)


def preview(reply: Reply) -> str:
    """A reply as the mrkdwn sections and buttons Slack is sent."""
    parts = []
    for message in render(reply).messages:
        for block in message.blocks:
            if block["type"] == "section":
                parts.append(block["text"]["text"])
            elif block["type"] == "actions":
                parts.append("  ".join(f"[{e['text']['text']}]" for e in block["elements"]))
    return "\n".join(parts)


def plugin(app: App, *, web: bool) -> Plugin | None:
    s = cast("DeploymentSettings", app.settings)  # the composition root's
    if not (s.slack_bot_token or s.slack_client_id or s.slack_app_token):
        return None
    return slack_plugin(app, web=web)


def slack_plugin(app: App, *, web: bool) -> Plugin | None:
    """HTTP (``web``: needs the signing secret) or Socket Mode (needs ``SLACK_APP_TOKEN``)."""
    settings = cast("DeploymentSettings", app.settings)  # the composition root's
    adapter = SlackAdapter(app.core, settings, engine=app.store.engine)
    if not web:
        if settings.slack_app_token is None:
            return None
        return Plugin("slack", run=adapter.run_socket_mode)
    if settings.slack_signing_secret is None:
        log.warning("SLACK_SIGNING_SECRET is not set: no Slack endpoint is served")
        return None
    return Plugin(
        "slack",
        routes=slack_routes(adapter),
        start=adapter.open_session,
        stop=adapter.close,
        handling=adapter.handling,
    )
