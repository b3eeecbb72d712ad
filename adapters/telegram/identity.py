"""Who sent an update. A message sent in a chat's name (an anonymous group admin, whose
``from`` is Telegram's GroupAnonymousBot, or a post "as" a channel) carries ``sender_chat``:
the sender is that chat, never the shared placeholder user, so two groups' anonymous admins
are never one supporter."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

log = logging.getLogger("adapters.telegram")
ADMINS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def sender(update: Update) -> dict[str, Any]:
    """``user`` (and ``anonymous``) for :class:`Incoming` from an update."""
    msg = update.message  # a button press (callback query) is always a person's own
    chat = msg.sender_chat if msg is not None else None
    if chat is not None:
        return {"user": f"telegram:chat:{chat.id}", "anonymous": True}
    return {"user": f"telegram:{update.effective_user.id}"}


async def chat_admin(bot, update: Update, line: str, commands) -> bool | None:
    """For a command that changes what a group receives (``group_admin`` in the table):
    whether the sender administers the group (``getChatMember``); else ``None``."""
    chat = update.effective_chat
    words = line.strip().lstrip("/").split(maxsplit=1)
    spec = commands.get(words[0].split("@", 1)[0]) if words else None
    if chat.type == ChatType.PRIVATE or spec is None or not spec.group_admin:
        return None
    msg = update.message
    if msg is not None and msg.sender_chat is not None:
        return msg.sender_chat.id == chat.id  # an anonymous admin of this very group
    try:
        member = await bot.get_chat_member(chat.id, update.effective_user.id)
    except TelegramError as e:
        log.warning("getChatMember failed: %s", type(e).__name__)
        return False
    return member.status in ADMINS
