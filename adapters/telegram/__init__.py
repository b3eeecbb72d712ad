"""The Telegram adapter (python-telegram-bot): commands, buttons, files and broadcasts.

``TelegramAdapter`` and ``telegram_plugin`` load python-telegram-bot on first use, so reading
the settings (``adapters.telegram.settings``) does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.telegram.app import TelegramAdapter
    from adapters.telegram.plugin import telegram_plugin

__all__ = ["TelegramAdapter", "telegram_plugin"]


def __getattr__(name: str) -> Any:
    if name == "TelegramAdapter":
        from adapters.telegram.app import TelegramAdapter

        return TelegramAdapter
    if name == "telegram_plugin":
        from adapters.telegram.plugin import telegram_plugin

        return telegram_plugin
    raise AttributeError(name)
