"""The Telegram adapter: a python-telegram-bot ``Application`` in front of the core.

Every update becomes one ``core.handle`` call; every reply becomes Telegram messages.
Identity: ``Incoming.user`` is ``telegram:<user id>``, the address ``telegram:<chat id>``,
``delivery_id`` the ``update_id``. Names and usernames are never read, logged or stored.

A reply the core marks private, in a group: to a button press, it is the answer to the
callback query (an alert only the presser sees) when it is short plain text; otherwise,
and for commands, it is sent in the group as a reply to the user's message. It is not
sent by direct message: replies such as "/subscribe: updates will come to this chat"
speak of the chat the command came from.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from adapters.telegram.callbacks import CallbackCodec
from adapters.telegram.identity import chat_admin, sender
from adapters.telegram.processor import ChatOrderedProcessor
from adapters.telegram.render import (
    Out,
    OutDocument,
    OutPhoto,
    OutText,
    plain_text,
    render,
    share_line,
)
from ua_bot import markup as md
from ua_bot.config import Settings
from ua_bot.core import Core
from ua_bot.errors import TemporaryFailure
from ua_bot.messages import Button, Document, Image, Incoming, Kind, Reply
from ua_bot.ua_number import ua_slug

log = logging.getLogger("adapters.telegram")

ALLOWED_UPDATES = ["message", "callback_query"]
ALERT_LIMIT = 200  # characters in a callback-query answer
MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API's getFile limit
NO_PREVIEW = json.dumps(LinkPreviewOptions(is_disabled=True).to_dict())
EXPIRED = "This button has expired. Send /case to start again."
TOO_LARGE = "That file is larger than 20 MB, more than a bot may download from Telegram."


@dataclass
class Outcome:
    """What became of one webhook update (read by the webhook route)."""

    handled: bool = False  # the core answered
    temporary: bool = False  # the core raised TemporaryFailure: Telegram should redeliver
    failed: bool = False  # something else broke before the core answered


_OUTCOME: contextvars.ContextVar[Outcome | None] = contextvars.ContextVar(
    "telegram_outcome", default=None
)


def api_urls(base: str) -> tuple[str, str]:
    """``base_url`` and ``base_file_url`` for a Bot API server at ``base``."""
    base = base.rstrip("/")
    base = base.removesuffix("/bot")
    return f"{base}/bot", f"{base}/file/bot"


def _json_fields(markup: str | None, *, no_preview: bool = False) -> dict[str, str]:
    """JSON-encoded fields passed through as they are (PTB sends JSON fields as strings)."""
    fields = {"link_preview_options": NO_PREVIEW} if no_preview else {}
    if markup is not None:
        fields["reply_markup"] = markup
    return fields


def quiet_logs() -> None:
    """httpx logs request URLs at INFO, and they hold the bot token; PTB at DEBUG logs
    whole updates, names included. Neither goes below these levels."""
    for name, floor in (("httpx", logging.WARNING), ("httpcore", logging.WARNING)):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < floor:
            logger.setLevel(floor)
    ptb = logging.getLogger("telegram")
    if ptb.getEffectiveLevel() < logging.INFO:
        ptb.setLevel(logging.INFO)


def _guarded(fn: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """A handler that never lets an exception out (and never logs update contents)."""

    @functools.wraps(fn)
    async def wrapper(self: TelegramAdapter, update: Update, context: Any) -> None:
        try:
            await fn(self, update, context)
        except Exception as e:
            box = _OUTCOME.get()
            if box is not None:
                box.failed = True
            log.error("update %s failed: %s", update.update_id, type(e).__name__, exc_info=e)

    return wrapper


class TelegramAdapter:
    """Builds the ``Application`` and turns updates into core calls and replies into messages."""

    def __init__(
        self,
        core: Core,
        settings: Settings,
        *,
        webhook: bool = False,
        request: BaseRequest | None = None,
        rate_limiter: BaseRateLimiter | None = None,
        concurrency: int = 64,
    ) -> None:
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        quiet_logs()
        self.core = core
        self.settings = settings
        self.webhook = webhook
        self.codec = CallbackCodec(core.store)
        self._markups: dict[tuple, str] = {}
        builder = ApplicationBuilder().token(settings.telegram_bot_token.get_secret_value())
        if settings.telegram_api_base_url:
            base_url, file_url = api_urls(settings.telegram_api_base_url)
            builder.base_url(base_url).base_file_url(file_url)
        builder.rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
        if request is not None:
            builder.request(request).get_updates_request(request)
        if webhook:
            builder.updater(None)
        builder.concurrent_updates(ChatOrderedProcessor(concurrency))
        self.application: Application = builder.build()
        self._add_handlers()

    @property
    def bot(self):
        return self.application.bot

    # -- handlers ---------------------------------------------------------------

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

    @staticmethod
    def _who(update: Update) -> dict[str, Any]:
        chat = update.effective_chat
        return {
            "address": f"telegram:{chat.id}",
            **sender(update),
            "delivery_id": str(update.update_id),
            "private": chat.type == ChatType.PRIVATE,
            "replies_public": chat.type != ChatType.PRIVATE,  # see the module's docstring
        }

    @_guarded
    async def _on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_user is None:
            return
        text = update.message.text
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
        if query.message is None or not query.data:
            await self._answer(query)
            return
        payload, once = await self.codec.decode(query.data)
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
            await self._send(msg.chat_id, [OutText(TOO_LARGE)])
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
            update, Incoming(Kind.MESSAGE, text=update.message.text, **self._who(update))
        )

    # -- the core call and the replies -----------------------------------------

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
            replies = [Reply.text(md.esc(e.message))]
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
            outs = render(reply, self._share(reply))
            edit = None
            if i == 0 and once and private and query is not None and isinstance(source, Message):
                edit = source if source.text is not None else None
            sent = await self._send(
                chat.id, outs, reply_to=reply_to, edit=edit, once=bool(reply.meta.get("once"))
            )
            if not sent:
                break
        return answered

    def _markup(self, rows: list[list[Button]], pending: dict[str, str], once: bool) -> str | None:
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
            if len(self._markups) >= 4096:
                self._markups.clear()
            self._markups[key] = data
        return data

    async def send_to(self, chat_id: int, replies: list[Reply]) -> bool:
        """Send replies to a chat outside any update (e.g. a broadcast); ``False`` on 403."""
        for reply in replies:
            once = bool(reply.meta.get("once"))
            if not await self._send(chat_id, render(reply, self._share(reply)), once=once):
                return False
        return True

    def _share(self, reply: Reply) -> str:
        """The deep link to a case, for replies about one (``meta["case"]``)."""
        ua = reply.meta.get("case")
        if ua and self.bot.username:
            return share_line(self.bot.username, ua_slug(ua))
        return ""

    async def _send(
        self,
        chat_id: int,
        outs: list[Out],
        *,
        reply_to: int | None = None,
        edit: Message | None = None,
        once: bool = False,
    ) -> bool:
        """Send the messages to a chat; ``False`` if the chat is gone (403)."""
        pending: dict[str, str] = {}
        markups = [self._markup(o.keyboard, pending, once) for o in outs]
        await self.codec.save(pending)
        bot = self.bot
        rp = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        for out, markup in zip(outs, markups, strict=True):
            try:
                if edit is not None and isinstance(out, OutText):
                    target, edit = edit, None
                    try:
                        await bot.edit_message_text(
                            out.html,
                            chat_id=chat_id,
                            message_id=target.message_id,
                            parse_mode=ParseMode.HTML,
                            api_kwargs=_json_fields(markup, no_preview=True),
                        )
                        continue
                    except BadRequest:
                        pass  # too old to edit, or unchanged: send it as a new message
                if isinstance(out, OutText):
                    await bot.send_message(
                        chat_id,
                        out.html,
                        parse_mode=ParseMode.HTML,
                        reply_parameters=rp,
                        api_kwargs=_json_fields(markup, no_preview=True),
                    )
                elif isinstance(out, OutPhoto):
                    await bot.send_photo(
                        chat_id,
                        InputFile(out.png, filename=out.filename),
                        caption=out.caption or None,
                        parse_mode=ParseMode.HTML,
                        reply_parameters=rp,
                        api_kwargs=_json_fields(markup),
                    )
                elif isinstance(out, OutDocument):
                    await bot.send_document(
                        chat_id,
                        InputFile(out.data, filename=out.filename),
                        caption=out.caption or None,
                        parse_mode=ParseMode.HTML,
                        reply_parameters=rp,
                        api_kwargs=_json_fields(markup),
                    )
                rp = None
            except Forbidden:
                await self.chat_gone(f"telegram:{chat_id}")
                return False
            except RetryAfter:
                log.warning("still rate limited after retries; reply dropped")
                return False
            except BadRequest as e:
                log.warning("Telegram refused a message: %s", e.message)
        return True

    async def chat_gone(self, address: str) -> None:
        """The user blocked the bot, or it left the group: unsubscribe, never retry."""
        async with self.core.store.unit() as tx:
            n = await tx.unsubscribe_address(address)
        log.info("a chat is unreachable (403); %d subscription(s) removed", n)

    async def _answer(self, query: CallbackQuery, text: str = "", *, alert: bool = False) -> bool:
        try:
            await query.answer(text[:ALERT_LIMIT] or None, show_alert=alert or None)
            return True
        except TelegramError as e:  # too old, or answered before (a redelivered update)
            log.info("callback query not answered: %s", type(e).__name__)
            return False

    # -- life cycle ----------------------------------------------------------------

    async def set_commands(self) -> None:
        """The command menu from the core's command table; organisers see theirs too."""
        everyone = [BotCommand(s.name, s.description[:256]) for s in self.core.commands.public()]
        await self.bot.set_my_commands(everyone)
        staff = [
            BotCommand(s.name, s.description[:256])
            for s in self.core.commands.public(organiser=True)
        ]
        for who in self.settings.organisers:
            platform, _, uid = who.partition(":")
            if platform != "telegram" or not uid.lstrip("-").isdigit():
                continue
            try:
                await self.bot.set_my_commands(staff, scope=BotCommandScopeChat(int(uid)))
            except InvalidToken:
                raise
            except TelegramError as e:  # the organiser has not started the bot yet
                log.info("organiser command menu not set: %s", type(e).__name__)

    async def run_polling(self) -> None:
        """Long polling until cancelled (``ua-bot run``)."""
        app = self.application
        async with app:
            await self.set_commands()
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            await app.start()
            log.warning("Telegram: polling as @%s", app.bot.username)
            try:
                await asyncio.Event().wait()
            finally:
                await app.updater.stop()
                await app.stop()

    async def start_webhook(self) -> None:
        """Web app start-up: initialise; register the webhook when PUBLIC_BASE_URL is set."""
        app = self.application
        await app.initialize()
        await self.set_commands()
        base = self.settings.public_base_url
        secret = self.settings.telegram_webhook_secret
        if base and secret:
            await app.bot.set_webhook(
                f"{base.rstrip('/')}/telegram/webhook",
                secret_token=secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
        await app.start()

    async def stop_webhook(self) -> None:
        await self.application.stop()
        await self.application.shutdown()

    async def process_webhook_update(self, data: dict) -> Outcome:
        """Handle one update posted to the webhook; the outcome decides the HTTP status."""
        update = Update.de_json(data, self.bot)
        box = Outcome()
        token = _OUTCOME.set(box)
        try:
            await self.application.process_update(update)
        finally:
            _OUTCOME.reset(token)
        return box
