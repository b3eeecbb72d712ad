"""The Slack plugin: ``/slack/events`` (and the OAuth routes) in the web app; Socket Mode for
``ua-bot run`` when an app-level token is set."""

from __future__ import annotations

import logging

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from adapters.plugins import Plugin
from adapters.slack.app import SlackAdapter
from adapters.slack.spec import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH
from ua_bot.app import App

log = logging.getLogger("adapters.slack")


def _plausible_timestamp(request: Request) -> bool:
    ts = request.headers.get("x-slack-request-timestamp", "")
    return ts.isascii() and ts.isdigit() and len(ts) <= 12


def slack_routes(adapter: SlackAdapter) -> list[Route]:
    handler = AsyncSlackRequestHandler(adapter.app)

    async def slack_endpoint(request: Request):
        if request.method == "POST" and not _plausible_timestamp(request):
            # Bolt would fail on int() of it with a 500; it is a forged or broken request.
            return PlainTextResponse("invalid request", status_code=401)
        return await handler.handle(request)

    routes = [Route(EVENTS_PATH, slack_endpoint, methods=["POST"])]
    if adapter.oauth:
        routes += [
            Route(INSTALL_PATH, slack_endpoint, methods=["GET"]),
            Route(REDIRECT_PATH, slack_endpoint, methods=["GET"]),
        ]
    return routes


def slack_plugin(app: App, *, web: bool) -> Plugin | None:
    """HTTP (``web``: needs the signing secret) or Socket Mode (needs ``SLACK_APP_TOKEN``)."""
    settings = app.settings
    adapter = SlackAdapter(app.core, settings, engine=app.store.engine)
    if not web:
        if settings.slack_app_token is None:
            return None
        return Plugin("slack", run=adapter.run_socket_mode)
    if settings.slack_signing_secret is None:
        log.warning("SLACK_SIGNING_SECRET is not set: no Slack endpoint is served")
        return None
    return Plugin(
        "slack", routes=slack_routes(adapter), start=adapter.open_session, stop=adapter.close
    )
