"""The broadcast worker's Telegram sender: a neutral Reply to a chat, paced by the worker."""

from __future__ import annotations

import json

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TimedOut
from telegram.error import RetryAfter as TgRetryAfter

from adapters.telegram.app import api_urls
from adapters.telegram.migration import move_chat
from adapters.telegram.render import OutText, render
from case_store.store import Tx
from ua_bot.broadcast.sender import (
    Pacing,
    RecipientGone,
    RetryAfter,
    Sender,
    TransientSendError,
)
from ua_bot.config import Settings
from ua_bot.messages import Button, Reply

GONE = ("chat not found", "bot was kicked", "user is deactivated", "have no rights")


def _keyboard(rows: list[list[Button]]) -> str | None:
    """Inline keyboard JSON; a payload over Telegram's 64 bytes is left out."""
    out = [
        [
            InlineKeyboardButton(b.label, url=b.url)
            if b.url
            else InlineKeyboardButton(b.label, callback_data=b.payload)
            for b in row
            if b.url or 0 < len(b.payload.encode()) <= 64
        ]
        for row in rows
    ]
    out = [r for r in out if r]
    return json.dumps(InlineKeyboardMarkup(out).to_dict()) if out else None


class TelegramSender(Sender):
    platform = "telegram"
    pacing = Pacing(per_second=30.0, per_chat_seconds=1.0, per_group_per_minute=20.0)

    def __init__(self, settings: Settings, *, engine=None) -> None:
        assert settings.telegram_bot_token is not None
        self._settings, self._engine, self._own_engine = settings, engine, None
        kw = {}
        if settings.telegram_api_base_url:
            kw["base_url"], kw["base_file_url"] = api_urls(settings.telegram_api_base_url)
        self.bot = Bot(settings.telegram_bot_token.get_secret_value(), **kw)
        self._started = False

    def is_group(self, address: str) -> bool:
        return address.split(":", 1)[1].startswith("-")

    async def _bot(self) -> Bot:
        if not self._started:
            await self.bot.initialize()
            self._started = True
        return self.bot

    async def send(self, address: str, reply: Reply) -> str:
        chat = int(address.split(":", 1)[1])
        try:
            return await self._send(chat, reply)
        except ChatMigrated as e:  # the group became a supergroup: follow it, once
            async with self._store_engine().begin() as conn:
                await move_chat(Tx(conn), chat, e.new_chat_id)
            return await self._send(e.new_chat_id, reply)

    def _store_engine(self):
        if self._engine is None:
            from case_store import create_engine_for

            self._engine = self._own_engine = create_engine_for(self._settings.database_url)
        return self._engine

    async def _send(self, chat: int, reply: Reply) -> str:
        bot = await self._bot()
        first = ""
        for out in render(reply):
            if not isinstance(out, OutText):
                continue  # broadcasts are text
            markup = _keyboard(out.keyboard)
            extra = {"reply_markup": markup} if markup else {}
            msg = await self._call(
                bot.send_message(
                    chat,
                    out.html,
                    parse_mode=ParseMode.HTML,
                    disable_web_page_preview=True,
                    api_kwargs=extra,
                )
            )
            first = first or str(msg.message_id)
        return first

    async def edit(self, address: str, message_id: str, reply: Reply) -> None:
        chat = int(address.split(":", 1)[1])
        bot = await self._bot()
        outs = [o for o in render(reply) if isinstance(o, OutText)]
        if outs:
            try:
                await self._call(
                    bot.edit_message_text(
                        outs[0].html,
                        chat_id=chat,
                        message_id=int(message_id),
                        parse_mode=ParseMode.HTML,
                    )
                )
            except TransientSendError:
                raise
            except RecipientGone:
                return

    @staticmethod
    async def _call(coro):
        try:
            return await coro
        except Forbidden as e:
            raise RecipientGone(str(e)) from e
        except TgRetryAfter as e:
            ra = e.retry_after
            raise RetryAfter(ra.total_seconds() if hasattr(ra, "total_seconds") else ra) from e
        except BadRequest as e:
            if any(g in e.message.lower() for g in GONE):
                raise RecipientGone(e.message) from e
            if "not modified" in e.message.lower():
                return None
            raise TransientSendError(e.message) from e
        except (TimedOut, NetworkError) as e:
            raise TransientSendError(str(e)) from e

    async def close(self) -> None:
        if self._started:
            await self.bot.shutdown()
        if self._own_engine is not None:
            await self._own_engine.dispose()
            self._own_engine = self._engine = None
