"""The broadcast worker's Telegram sender: a neutral Reply to a chat, paced by the worker.

It sends through the same :class:`~adapters.telegram.delivery.TelegramRenderer` as the
interactive replies, so a broadcast's buttons (long payloads included) work the same.
"""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TimedOut
from telegram.error import RetryAfter as TgRetryAfter

from adapters.telegram.app import api_urls
from adapters.telegram.delivery import TelegramRenderer
from adapters.telegram.keyboards import Keyboards
from adapters.telegram.migration import move_chat
from adapters.telegram.rate_limit import PACING
from adapters.telegram.render import OutText
from adapters.telegram.settings import TelegramSettings
from case_store import Store
from ua_bot.broadcast.sender import (
    RecipientGone,
    RetryAfter,
    Sender,
    TransientSendError,
)
from ua_bot.messages import Reply

GONE = ("chat not found", "bot was kicked", "user is deactivated", "have no rights")


class TelegramSender(Sender):
    platform = "telegram"
    pacing = PACING

    def __init__(self, settings: TelegramSettings, store: Store) -> None:
        assert settings.telegram_bot_token is not None
        self.store = store
        token = settings.telegram_bot_token.get_secret_value()
        if settings.telegram_api_base_url:
            base, files = api_urls(settings.telegram_api_base_url)
            self.bot = Bot(token, base_url=base, base_file_url=files)
        else:
            self.bot = Bot(token)
        self.renderer = TelegramRenderer(self.bot, Keyboards(store))
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
            async with self.store.unit() as tx:
                await move_chat(tx, chat, e.new_chat_id)
            return await self._send(e.new_chat_id, reply)

    async def _send(self, chat: int, reply: Reply) -> str:
        await self._bot()
        first = ""
        for out, markup in await self.renderer.prepare(reply):
            msg = await self._call(self.renderer.send(chat, out, markup))
            first = first or str(msg.message_id)
        return first

    async def edit(self, address: str, message_id: str, reply: Reply) -> None:
        chat = int(address.split(":", 1)[1])
        await self._bot()
        texts = [(o, m) for o, m in await self.renderer.prepare(reply) if isinstance(o, OutText)]
        if texts:
            try:
                await self._call(self.renderer.edit(chat, int(message_id), *texts[0]))
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
