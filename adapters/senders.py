"""The worker's senders: platform name -> :class:`~ua_bot.broadcast.sender.Sender`.

Each platform whose settings are present adds its sender here; the worker sends the
outbox rows of those platforms and leaves the others pending.
"""

from __future__ import annotations

from ua_bot.broadcast.sender import Sender
from ua_bot.config import Settings


def senders_for(settings: Settings, *, engine=None) -> dict[str, Sender]:
    """The senders the settings configure.

    ``engine``: the store's, where a Slack app installed in many workspaces keeps their bot
    tokens (without it the Slack sender opens its own on ``DATABASE_URL``).
    """
    senders: dict[str, Sender] = {}
    if settings.ua_bot_webhook_url:
        from adapters.webhook import WebhookSender

        senders["webhook"] = WebhookSender(settings.ua_bot_webhook_url)
    if settings.telegram_bot_token:
        from adapters.telegram.sender import TelegramSender

        senders["telegram"] = TelegramSender(settings, engine=engine)
    if settings.slack_bot_token or settings.slack_client_id:
        from adapters.slack.sender import SlackSender

        senders["slack"] = SlackSender(settings, engine=engine)
    return senders
