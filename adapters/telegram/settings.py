"""The Telegram adapter's settings (its environment variables keep their names)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from ua_bot.config import SETTINGS_CONFIG


class TelegramSettings(BaseSettings):
    """``TELEGRAM_*``: the bot token, a local Bot API server, the webhook's secret."""

    model_config = SETTINGS_CONFIG

    telegram_bot_token: SecretStr | None = Field(None, description="bot token from BotFather")
    telegram_api_base_url: str | None = Field(
        None, description="Bot API base URL (a local Bot API server); default the public one"
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, description="secret checked on every webhook call (X-Telegram-Bot-Api-Secret-Token)"
    )
