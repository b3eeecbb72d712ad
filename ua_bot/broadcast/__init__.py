"""Broadcasts: the neutral :class:`Sender` interface, pacing, and the outbox worker."""

from ua_bot.broadcast.sender import (
    Pacing,
    RecipientGone,
    RetryAfter,
    Sender,
    SendError,
    TransientSendError,
)

__all__ = [
    "Pacing",
    "RecipientGone",
    "RetryAfter",
    "SendError",
    "Sender",
    "TransientSendError",
]
