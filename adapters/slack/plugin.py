"""The Slack plugin: ``/slack/events`` (and the OAuth routes) in the web app; Socket Mode for
``ua-bot run`` when an app-level token is set."""

from __future__ import annotations

import logging

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from starlette.requests import Request
from starlette.routing import Route

from adapters.plugins import Plugin
from adapters.slack.app import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, SlackAdapter
from ua_bot.app import App

log = logging.getLogger("adapters.slack")


def slack_routes(adapter: SlackAdapter) -> list[Route]:
    handler = AsyncSlackRequestHandler(adapter.app)

    async def slack_endpoint(request: Request):
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
