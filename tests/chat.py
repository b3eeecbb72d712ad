"""A recording chat for tests (in the spirit of Errbot's TestBot): say a line, read the reply."""

from __future__ import annotations

import itertools
from pathlib import Path

from ua_bot.core import Core
from ua_bot.markup import plain
from ua_bot.messages import Button, Incoming, Kind, Reply

_ids = itertools.count(1)


class TestChat:
    __test__ = False

    def __init__(self, core: Core, user: str, address: str | None = None) -> None:
        self.core = core
        self.user = user
        self.address = address or user
        self.replies: list[Reply] = []
        self.history: list[Reply] = []  # every reply so far: old buttons stay pressable

    async def say(self, line: str, *, delivery_id: str | None = None) -> str:
        """Send a command line; return all reply text as plain text."""
        inc = Incoming.command_line(
            line, address=self.address, user=self.user, delivery_id=delivery_id
        )
        return await self._send(inc)

    async def press(self, label: str, *, delivery_id: str | None = None) -> str:
        """Press the button with this label in the last replies."""
        button = self.button(label)
        inc = Incoming(
            Kind.BUTTON, self.address, self.user, payload=button.payload, delivery_id=delivery_id
        )
        return await self._send(inc)

    async def send_file(self, path: Path) -> str:
        """Upload a document, as a chat platform passes on a file."""
        inc = Incoming(
            Kind.FILE, self.address, self.user, file_name=path.name, file_data=path.read_bytes()
        )
        return await self._send(inc)

    def button(self, label: str) -> Button:
        for r in reversed(self.history):
            for b in r.buttons:
                if b.label == label:
                    return b
        seen = [b.label for r in self.history for b in r.buttons]
        raise AssertionError(f"no button {label!r} in {seen}")

    async def _send(self, inc: Incoming) -> str:
        self.replies = await self.core.handle(inc)
        self.history += self.replies
        return "\n".join(plain(r.markup) for r in self.replies)
