"""Telegram: python-telegram-bot v22 in front of the core (polling or webhook)."""

from adapters.telegram.app import TelegramAdapter
from adapters.telegram.plugin import telegram_plugin

__all__ = ["TelegramAdapter", "telegram_plugin"]
