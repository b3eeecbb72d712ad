"""Inline keyboards as JSON, cached: a case card's keyboard is the same for everyone.

Every button's payload goes through the :class:`CallbackCodec`, so a payload over
Telegram's 64 bytes is stored and the button carries its key: in replies and broadcasts alike.
"""

from __future__ import annotations

import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.callbacks import CallbackCodec
from case_store import Store
from ua_bot.messages import Button

CACHE_SIZE = 4096


class Keyboards:
    """Inline keyboards serialised once, with their long payloads stored first."""

    def __init__(self, store: Store) -> None:
        self.codec = CallbackCodec(store)
        self._markups: dict[tuple, str] = {}

    def markup(self, rows: list[list[Button]], pending: dict[str, str], once: bool) -> str | None:
        """The inline keyboard as JSON, cached once every payload in it is stored.

        Serialised here once rather than by PTB for every message: a case card's keyboard
        is the same for everyone who asks.
        """
        if not rows:
            return None
        key = (tuple(tuple(r) for r in rows), once)
        hit = self._markups.get(key)
        if hit is not None:
            return hit
        new: dict[str, str] = {}
        enc = self.codec.encode
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(b.label, url=b.url)
                    if b.url
                    else InlineKeyboardButton(b.label, callback_data=enc(b.payload, new, once=once))
                    for b in row
                ]
                for row in rows
            ]
        )
        data = json.dumps(markup.to_dict(), separators=(",", ":"), ensure_ascii=False)
        if new:
            pending.update(new)  # cached next time, once these are stored
        else:
            if len(self._markups) >= CACHE_SIZE:
                self._markups.clear()
            self._markups[key] = data
        return data
