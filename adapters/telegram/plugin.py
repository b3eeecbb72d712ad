"""The Telegram plugin: long polling for ``ua-bot run``, the webhook route for the web app."""

from __future__ import annotations

import logging
from typing import cast

from adapters.plugin import Plugin
from adapters.settings import DeploymentSettings
from adapters.telegram.app import TelegramAdapter
from adapters.telegram.webhook import webhook_route
from ua_bot.app import App

log = logging.getLogger("adapters.telegram")


def telegram_plugin(app: App, *, web: bool) -> Plugin | None:
    """Polling (``web=False``), or the webhook (needs ``TELEGRAM_WEBHOOK_SECRET``)."""
    settings = cast("DeploymentSettings", app.settings)  # the composition root's
    if not web:
        adapter = TelegramAdapter(app.core, settings)
        return Plugin("telegram", run=adapter.run_polling)
    secret = settings.telegram_webhook_secret
    if secret is None:
        log.warning("TELEGRAM_WEBHOOK_SECRET is not set: no Telegram webhook is served")
        return None
    adapter = TelegramAdapter(app.core, settings, webhook=True)
    return Plugin(
        "telegram",
        routes=[webhook_route(adapter, secret.get_secret_value())],
        start=adapter.start_webhook,
        stop=adapter.stop_webhook,
    )
