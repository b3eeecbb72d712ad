"""Telegram messages out: one renderer for interactive replies and broadcasts alike.

:class:`TelegramRenderer` turns a neutral :class:`~ua_bot.messages.Reply` into Bot API calls
(HTML text split at Telegram's limits, photos, documents, inline keyboards whose long
payloads are stored). The adapter's :class:`Delivery` (replies to an update) and the
worker's :class:`~adapters.telegram.sender.TelegramSender` (broadcasts) both send through
it, and differ only in what they do when Telegram refuses.
"""

from __future__ import annotations

import json
import logging

from telegram import Bot, InputFile, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter

from adapters.telegram.keyboards import Keyboards
from adapters.telegram.render import (
    Out,
    OutDocument,
    OutPhoto,
    OutText,
    render,
    share_line,
)
from ua_bot.core import Core
from ua_bot.messages import Reply
from ua_bot.ua_number import ua_slug

log = logging.getLogger("adapters.telegram")

NO_PREVIEW = json.dumps(LinkPreviewOptions(is_disabled=True).to_dict())


def _json_fields(markup: str | None, *, no_preview: bool = False) -> dict[str, str]:
    """JSON-encoded fields passed through as they are (PTB sends JSON fields as strings)."""
    fields = {"link_preview_options": NO_PREVIEW} if no_preview else {}
    if markup is not None:
        fields["reply_markup"] = markup
    return fields


class TelegramRenderer:
    """Replies as Telegram messages, sent with ``bot``; keyboards through ``keyboards``."""

    def __init__(self, bot: Bot, keyboards: Keyboards) -> None:
        self.bot = bot
        self.keyboards = keyboards

    def share(self, reply: Reply) -> str:
        """The deep link to a case, for replies about one (``meta["case"]``)."""
        ua = reply.meta.get("case")
        if ua and self.bot.username:
            return share_line(self.bot.username, ua_slug(ua))
        return ""

    async def prepare(self, reply: Reply) -> list[tuple[Out, str | None]]:
        """The reply's messages, each with its keyboard JSON; long payloads stored first."""
        outs = render(reply, self.share(reply))
        once = bool(reply.meta.get("once"))
        pending: dict[str, str] = {}
        markups = [self.keyboards.markup(o.keyboard, pending, once) for o in outs]
        await self.keyboards.codec.save(pending)
        return list(zip(outs, markups, strict=True))

    async def send(
        self,
        chat_id: int,
        out: Out,
        markup: str | None,
        *,
        reply_to: ReplyParameters | None = None,
    ) -> Message:
        """Send one rendered message; Telegram's refusals are raised as PTB errors."""
        bot = self.bot
        if isinstance(out, (OutPhoto, OutDocument)):
            send = bot.send_photo if isinstance(out, OutPhoto) else bot.send_document
            data = out.png if isinstance(out, OutPhoto) else out.data
            return await send(
                chat_id,
                InputFile(data, filename=out.filename),
                caption=out.caption or None,
                parse_mode=ParseMode.HTML,
                reply_parameters=reply_to,
                api_kwargs=_json_fields(markup),
            )
        return await bot.send_message(
            chat_id,
            out.html,
            parse_mode=ParseMode.HTML,
            reply_parameters=reply_to,
            api_kwargs=_json_fields(markup, no_preview=True),
        )

    async def edit(self, chat_id: int, message_id: int, out: OutText, markup: str | None) -> None:
        """Replace the text (and keyboard) of a message the bot sent."""
        await self.bot.edit_message_text(
            out.html,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            api_kwargs=_json_fields(markup, no_preview=True),
        )


class Delivery:
    """Replies to an update's chat; a chat that is gone is the core's to forget."""

    core: Core
    renderer: TelegramRenderer

    async def _send(
        self,
        chat_id: int,
        reply: Reply,
        *,
        reply_to: int | None = None,
        edit: Message | None = None,
    ) -> bool:
        """Send a reply to a chat; ``False`` if the chat is gone (403)."""
        rp = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        for out, markup in await self.renderer.prepare(reply):
            try:
                if edit is not None and isinstance(out, OutText):
                    target, edit = edit, None
                    try:
                        await self.renderer.edit(chat_id, target.message_id, out, markup)
                        continue
                    except BadRequest:
                        pass  # too old to edit, or unchanged: send it as a new message
                await self.renderer.send(chat_id, out, markup, reply_to=rp)
                rp = None
            except Forbidden:
                n = await self.core.chat_gone(f"telegram:{chat_id}")
                log.info("a chat is unreachable (403); %d subscription(s) removed", n)
                return False
            except RetryAfter:
                log.warning("still rate limited after retries; reply dropped")
                return False
            except BadRequest as e:
                log.warning("Telegram refused a message: %s", e.message)
        return True
