"""Who sent an update. A message sent in a chat's name (an anonymous group admin, whose
``from`` is Telegram's GroupAnonymousBot, or a post "as" a channel) carries ``sender_chat``:
the sender is that chat, never the shared placeholder user, so two groups' anonymous admins
are never one supporter."""

from __future__ import annotations

from typing import Any

from telegram import Update


def sender(update: Update) -> dict[str, Any]:
    """``user`` (and ``anonymous``) for :class:`Incoming` from an update."""
    msg = update.message  # a button press (callback query) is always a person's own
    chat = msg.sender_chat if msg is not None else None
    if chat is not None:
        return {"user": f"telegram:chat:{chat.id}", "anonymous": True}
    return {"user": f"telegram:{update.effective_user.id}"}
