"""The Telegram plugin: long polling for ``ua-bot run``, the webhook route for the web app."""

from __future__ import annotations

import logging
from typing import cast

from adapters.plugin import Plugin
from adapters.settings import DeploymentSettings
from adapters.telegram.app import TelegramAdapter
from adapters.telegram.render import OutText, render
from adapters.telegram.webhook_route import webhook_route
from case_store import Store
from ua_bot.app import App
from ua_bot.broadcast.sender import Sender
from ua_bot.messages import Reply

log = logging.getLogger("adapters.telegram")


def sender(settings, store: Store) -> Sender | None:
    """The worker's Telegram sender (the bot token is there: the platform is wanted)."""
    from adapters.telegram.sender import TelegramSender

    return TelegramSender(settings, store)


def preview(reply: Reply) -> str:
    """A reply as the HTML messages and keyboards Telegram is sent."""
    parts = []
    for out in render(reply):
        text = out.html if isinstance(out, OutText) else f"[{out.filename}] {out.caption}"
        keys = "  ".join(f"[{b.label}]" for row in out.keyboard for b in row)
        parts.append(text + (f"\n{keys}" if keys else ""))
    return "\n\n".join(parts)


def plugin(app: App, *, web: bool) -> Plugin | None:
    return telegram_plugin(app, web=web)


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
