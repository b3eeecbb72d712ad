"""The platforms, the one place that lists them: each a :class:`Platform`.

The web app and ``ua-bot run`` take each configured platform's :class:`~adapters.plugin.Plugin`
(HTTP routes for the web app, a long-running task for ``ua-bot run``), the worker its sender,
``DeploymentSettings`` its settings class, the organiser preview its rendering.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from adapters.slack.settings import SlackSettings
from adapters.telegram.settings import TelegramSettings

if TYPE_CHECKING:  # reading the settings loads no web framework and no SDK
    from adapters.plugin import Plugin
    from case_store import Store
    from ua_bot.app import App
    from ua_bot.broadcast.sender import Sender

@dataclass(frozen=True)
class Platform:
    """A platform as the composition root knows it: its name, its own settings class (its
    environment variables) and its package, whose ``plugin`` module offers
    ``plugin(app, web=...)`` (a :class:`Plugin`, or ``None``), ``sender(settings, store)``
    (the worker's sender, or ``None``) and ``preview(reply)`` (a reply as it sends it)."""

    name: str
    label: str  # "Telegram (HTML sent)": the organiser preview's heading
    settings: type
    package: str
    wanted: Callable[[Any], bool]  # whether the settings ask for the platform at all

    def module(self) -> Any:
        """The platform's ``plugin`` module (its SDK is loaded only now)."""
        return importlib.import_module(f"{self.package}.plugin")


PLATFORMS = [
    Platform(
        "telegram",
        "Telegram (HTML sent)",
        TelegramSettings,
        "adapters.telegram",
        wanted=lambda s: bool(s.telegram_bot_token),
    ),
    Platform(
        "slack",
        "Slack (mrkdwn sent)",
        SlackSettings,
        "adapters.slack",
        wanted=lambda s: bool(
            s.slack_bot_token or s.slack_client_id or s.slack_app_token or s.slack_signing_secret
        ),
    ),
]


def plugins_for(app: App, *, web: bool) -> list[Plugin]:
    """The plugins the settings ask for (``web``: webhook mode rather than polling)."""
    wanted = (p for p in PLATFORMS if p.wanted(app.settings))
    return [plugin for p in wanted if (plugin := p.module().plugin(app, web=web))]


def platform_senders(settings: Any, store: Store) -> dict[str, Sender]:
    """The worker's sender of each platform the settings configure for sending."""
    wanted = (p for p in PLATFORMS if p.wanted(settings))
    return {p.name: s for p in wanted if (s := p.module().sender(settings, store))}
