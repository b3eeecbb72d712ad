"""The worker's senders: platform name -> :class:`~ua_bot.broadcast.sender.Sender`.

Each platform whose settings are present adds its sender here; the worker sends the
outbox rows of those platforms and leaves the others pending.
"""

from __future__ import annotations

from adapters.platforms import platform_senders
from adapters.settings import DeploymentSettings
from case_store import Store
from ua_bot.broadcast.sender import Sender


def senders_for(settings: DeploymentSettings, store: Store) -> dict[str, Sender]:
    """The senders the settings configure.

    ``store``: where Telegram keeps long button payloads and a Slack app installed in many
    workspaces keeps their bot tokens.
    """
    senders: dict[str, Sender] = {}
    if settings.ua_bot_webhook_url:
        from adapters.webhook_sender import WebhookSender

        senders["webhook"] = WebhookSender(settings.ua_bot_webhook_url)
    senders.update(platform_senders(settings, store))
    return senders
