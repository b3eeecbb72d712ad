"""Telegram updates in: handlers that turn each update into one ``core.handle`` call.

Mixed into :class:`adapters.telegram.app.TelegramAdapter`.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.telegram.delivery import Delivery
from adapters.telegram.identity import chat_admin, sender
from adapters.telegram.keyboards import Keyboards
from adapters.telegram.migration import moved_ids
from adapters.telegram.render import (
    plain_text,
)
from ua_bot.core import Core
from ua_bot.errors import TemporaryFailure
from ua_bot.markup import esc
from ua_bot.messages import Document, Image, Incoming, Kind, Reply, split_direct

log = logging.getLogger("adapters.telegram")
Handler = Callable[..., Coroutine[Any, Any, None]]

ALERT_LIMIT = 200  # characters in a callback-query answer
MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API's getFile limit
EXPIRED = "This button has expired. Send /case to start again."
TOO_LARGE = "That file is larger than 20 MB, more than a bot may download from Telegram."


@dataclass
class UpdateOutcome:
    """What became of one webhook update (read by the webhook route)."""

    handled: bool = False  # the core answered
    temporary: bool = False  # the core raised TemporaryFailure: Telegram should redeliver
    failed: bool = False  # something else broke before the core answered


_OUTCOME: contextvars.ContextVar[UpdateOutcome | None] = contextvars.ContextVar(
    "telegram_outcome", default=None
)


def _guarded(fn: Handler) -> Handler:
    """A handler that never lets an exception out (and never logs update contents)."""

    @functools.wraps(fn)
    async def wrapper(self: Inbound, update: Update, context: Any) -> None:
        try:
            await fn(self, update, context)
        except Exception as e:
            box = _OUTCOME.get()
            if box is not None:
                box.failed = True
            log.error("update %s failed: %s", update.update_id, type(e).__name__, exc_info=e)

    return wrapper


class Inbound(Delivery):
    """The update handlers and the delivery of the core's replies to the update's chat."""

    core: Core
    bot: Bot
    application: Application
    keyboards: Keyboards

    def _add_handlers(self) -> None:
        app = self.application
        only_new = filters.UpdateType.MESSAGE  # an edited command is not a new command
        names = [n for spec in self.core.commands for n in (spec.name, *spec.aliases)]
        app.add_handler(CommandHandler(names, self._on_command, filters=only_new))
        app.add_handler(MessageHandler(filters.COMMAND & only_new, self._on_other_command))
        app.add_handler(CallbackQueryHandler(self._on_button))
        app.add_handler(MessageHandler(filters.Document.ALL & only_new, self._on_file))
        private_text = filters.TEXT & filters.ChatType.PRIVATE & only_new
        app.add_handler(MessageHandler(private_text, self._on_text))
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self._on_migrate))

    @staticmethod
    def _who(update: Update) -> dict[str, Any]:
        chat = update.effective_chat
        return {
            "address": f"telegram:{chat.id}",
            **sender(update),
            "delivery_id": str(update.update_id),
            "private": chat.type == ChatType.PRIVATE,
            "replies_public": chat.type != ChatType.PRIVATE,  # app.py: in a group
        }

    @_guarded
    async def _on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup: its subscriptions follow it to the new chat id."""
        ids = moved_ids(update.effective_message)
        if ids:
            old, new = ids
            await self.core.chat_moved(f"telegram:{old}", f"telegram:{new}")

    @_guarded
    async def _on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_user is None:
            return
        text = update.message.text or ""
        admin = await chat_admin(self.bot, update, text, self.core.commands)
        inc = Incoming.command_line(text, chat_admin=admin, **self._who(update))
        await self._handle(update, inc)

    @_guarded
    async def _on_other_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command not in the table: answered in private, or when addressed to this bot."""
        msg = update.message
        if update.effective_user is None or not msg.text:
            return
        head = msg.text.split(maxsplit=1)[0]
        _, at, target = head.partition("@")
        if at and target.lower() != (self.bot.username or "").lower():
            return
        if not at and msg.chat.type != ChatType.PRIVATE:
            return
        await self._handle(update, Incoming.command_line(msg.text, **self._who(update)))

    @_guarded
    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        if query.message is None or not query.data:
            await self._answer(query)
            return
        payload, once = await self.keyboards.codec.decode(query.data)
        if payload is None:
            await self._answer(query, EXPIRED, alert=True)
            return
        admin = await chat_admin(self.bot, update, payload, self.core.commands)
        inc = Incoming(Kind.BUTTON, payload=payload, chat_admin=admin, **self._who(update))
        answered = False
        try:
            answered = await self._handle(update, inc, query=query, once=once)
        finally:
            if not answered:
                await self._answer(query)

    @_guarded
    async def _on_file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.message
        caption = (msg.caption or "").strip()
        command, _, rest = caption.partition(" ")
        if msg.chat.type != ChatType.PRIVATE and not command.startswith("/import"):
            return  # files shared in a group are not for the bot
        doc = msg.document
        unread = Incoming(
            Kind.FILE, text=caption, file_name=doc.file_name or "", **self._who(update)
        )
        if not self.core.may_import(unread):  # no download for a refusal
            await self._handle(update, unread)
            return
        if doc.file_size and doc.file_size > MAX_DOWNLOAD:
            await self._send(msg.chat_id, Reply.text(esc(TOO_LARGE)))
            return
        file = await doc.get_file()
        data = bytes(await file.download_as_bytearray())
        text = rest if command.startswith("/") else caption
        inc = Incoming(
            Kind.FILE,
            text=text,
            file_name=doc.file_name or "document",
            file_data=data,
            **self._who(update),
        )
        await self._handle(update, inc)

    @_guarded
    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_user is None:
            return
        await self._handle(
            update, Incoming(Kind.MESSAGE, text=update.message.text or "", **self._who(update))
        )

    async def _handle(
        self,
        update: Update,
        incoming: Incoming,
        *,
        query: CallbackQuery | None = None,
        once: bool = False,
    ) -> bool:
        """One core call, then the replies. ``True`` if the callback query was answered."""
        box = _OUTCOME.get()
        try:
            replies = await self.core.handle(incoming)
        except TemporaryFailure as e:
            if box is not None:  # webhook: answer 5xx, Telegram delivers the update again
                box.temporary = True
                return False
            replies = [Reply.text(esc(e.message))]
        if box is not None:
            box.handled = True
        return await self.deliver(update, replies, query=query, once=once)

    async def deliver(
        self,
        update: Update,
        replies: list[Reply],
        *,
        query: CallbackQuery | None = None,
        once: bool = False,
    ) -> bool:
        """Send the core's replies to the update's chat; ``True`` if ``query`` was answered."""
        chat = update.effective_chat
        private = chat.type == ChatType.PRIVATE
        direct, rest = split_direct(replies)
        if direct:  # a private command in a group: to the person's own chat, never the group
            reached = await self._send_direct(update, direct)
            replies = split_direct(rest, reached)[1]
        source = update.effective_message  # the command, or the message whose button was pressed
        answered = False
        for i, reply in enumerate(replies):
            reply_to = None
            if reply.private and not private:
                if query is not None and not answered:
                    text = plain_text(reply)
                    media = any(isinstance(p, (Image, Document)) for p in reply.parts)
                    if text and len(text) <= ALERT_LIMIT and not media:
                        answered = await self._answer(query, text, alert=True)
                        if answered:
                            continue
                reply_to = source.message_id if isinstance(source, Message) else None
            edit = None
            if i == 0 and once and private and query is not None and isinstance(source, Message):
                edit = source if source.text is not None else None
            sent = await self._send(chat.id, reply, reply_to=reply_to, edit=edit)
            if not sent:
                break
        return answered

    async def _send_direct(self, update: Update, replies: list[Reply]) -> bool:
        """Send ``replies`` to the sender's private chat with the bot; ``False`` when Telegram
        refuses (they never started the bot, or blocked it)."""
        person = update.effective_user
        if person is None or person.is_bot:
            return False
        for reply in replies:
            if not await self._send(person.id, reply):
                return False
        return True

    async def _answer(self, query: CallbackQuery, text: str = "", *, alert: bool = False) -> bool:
        try:
            await query.answer(text[:ALERT_LIMIT] or None, show_alert=alert or None)
            return True
        except TelegramError as e:  # too old, or answered before (a redelivered update)
            log.info("callback query not answered: %s", type(e).__name__)
            return False
