"""Telegram group migrations: a group upgraded to a supergroup gets a new chat id.

Telegram says so twice: a service message in the old group (``migrate_to_chat_id``) and one
in the new supergroup (``migrate_from_chat_id``); a send to the old id fails with
``ChatMigrated``. Each moves the chat's subscriptions, broadcast channel and queued
messages to the new address.
"""

from __future__ import annotations

import logging

from telegram import Message

from case_store.store import Tx

log = logging.getLogger("adapters.telegram")


def moved_ids(message: Message | None) -> tuple[int, int] | None:
    """``(old, new)`` chat ids from a migration service message, else ``None``."""
    if message is None:
        return None
    if message.migrate_to_chat_id:
        return message.chat.id, message.migrate_to_chat_id
    if message.migrate_from_chat_id:
        return message.migrate_from_chat_id, message.chat.id
    return None


async def move_chat(tx: Tx, old: int, new: int) -> int:
    """Move what is stored under ``telegram:<old>`` to ``telegram:<new>``."""
    n = await tx.move_address(f"telegram:{old}", f"telegram:{new}")
    log.info("a group became a supergroup: %d subscription(s) moved", n)
    return n
