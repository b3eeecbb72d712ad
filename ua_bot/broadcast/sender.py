"""What the worker needs from a platform: send a Reply to an address, edit a sent message.

A platform sender renders the neutral :class:`~ua_bot.messages.Reply` and maps its
platform's answers to three errors: :class:`RetryAfter` (slow down: the platform said how
long), :class:`RecipientGone` (the chat blocked the bot or no longer exists: forget it) and
:class:`TransientSendError` (try again later). Any other exception counts as transient too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ua_bot.messages import Reply


class SendError(Exception):
    """Base class of the errors a sender raises."""


class RetryAfter(SendError):
    """The platform asks to wait ``seconds`` before sending again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = max(0.0, float(seconds))


class RecipientGone(SendError):
    """The recipient blocked the bot, removed the app or no longer exists."""


class TransientSendError(SendError):
    """A failure worth retrying later (network, server error, timeout)."""


@dataclass(frozen=True)
class Pacing:
    """How fast a platform lets a bot send.

    ``per_second``: messages a second in all; ``per_chat_seconds``: the least time between
    two messages to one chat; ``per_group_per_minute``: messages a minute to one group chat
    (``None``: groups are like other chats).
    """

    per_second: float = 30.0
    per_chat_seconds: float = 1.0
    per_group_per_minute: float | None = None

    def merged(self, override: dict[str, Any]) -> Pacing:
        known = {k: v for k, v in override.items() if k in self.__dataclass_fields__}
        return Pacing(**{**self.__dict__, **known})


class Sender:
    """A platform's sending side. Subclasses set ``platform`` and ``pacing``."""

    platform: str = ""
    pacing: Pacing = Pacing()

    async def send(self, address: str, reply: Reply) -> str:
        """Send ``reply`` to ``address``; return the platform's message id."""
        raise NotImplementedError

    async def edit(self, address: str, message_id: str, reply: Reply) -> None:
        """Replace the text of a message this sender sent."""
        raise NotImplementedError

    def is_group(self, address: str) -> bool:
        """Whether ``address`` is a group chat (paced by ``per_group_per_minute``)."""
        return False

    def budget_key(self, address: str) -> str:
        """The sending budget ``address`` draws on: the platform's (Slack: the workspace's)."""
        return self.platform

    async def close(self) -> None:
        """Release connections."""
