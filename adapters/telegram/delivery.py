"""Telegram messages out: the core's replies sent to a chat.

Mixed into :class:`adapters.telegram.app.TelegramAdapter`.
"""

from __future__ import annotations

import json
import logging

from telegram import (
    InputFile,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter

from adapters.telegram.callbacks import CallbackCodec
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


class Delivery:
    """Send rendered replies to a chat; a chat that is gone is unsubscribed."""

    core: Core
    codec: CallbackCodec

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
