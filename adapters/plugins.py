"""How platform adapters plug into the shared web app and the all-in-one runner.

Each platform module offers a :class:`~adapters.plugin.Plugin` when its settings are
present: HTTP routes for the web app (webhooks), and a long-running task for ``ua-bot run``
(polling, Socket Mode, the outbox worker). ``plugins_for`` is the one place that knows the
platforms.
"""

from __future__ import annotations

from typing import cast

from adapters.plugin import Plugin
from adapters.settings import DeploymentSettings
from ua_bot.app import App


def plugins_for(app: App, *, web: bool) -> list[Plugin]:
    """The plugins the settings ask for (``web``: webhook mode rather than polling)."""
    plugins: list[Plugin] = []
    s = cast("DeploymentSettings", app.settings)  # the composition root's
    if s.telegram_bot_token:
        from adapters.telegram import telegram_plugin

        if plugin := telegram_plugin(app, web=web):
            plugins.append(plugin)
    if s.slack_bot_token or s.slack_client_id or s.slack_app_token:
        from adapters.slack import slack_plugin

        if plugin := slack_plugin(app, web=web):
            plugins.append(plugin)
    return plugins


def add_cli_commands(sub) -> None:
    """Platform subcommands of ``ua-bot`` (``slack-manifest``), added to its sub-parsers."""
    from adapters.slack.manifest import add_cli

    add_cli(sub)
    from adapters.organiser.cli import add_cli as add_web_login

    add_web_login(sub)
