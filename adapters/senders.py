"""The worker's senders: platform name -> :class:`~ua_bot.broadcast.sender.Sender`.

Each platform whose settings are present adds its sender here; the worker sends the
outbox rows of those platforms and leaves the others pending.
"""

from __future__ import annotations

from ua_bot.broadcast.sender import Sender
from ua_bot.config import Settings


def senders_for(settings: Settings) -> dict[str, Sender]:
    """The senders the settings configure."""
    senders: dict[str, Sender] = {}
    if settings.ua_bot_webhook_url:
        from adapters.webhook import WebhookSender

        senders["webhook"] = WebhookSender(settings.ua_bot_webhook_url)
    if settings.telegram_bot_token:
        from adapters.telegram.sender import TelegramSender

        senders["telegram"] = TelegramSender(settings)
    return senders
