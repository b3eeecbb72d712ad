"""The console chat: type commands, read replies; buttons become numbered choices."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import TextIO

from adapters.console_sender import console_worker
from ua_bot.core import Core
from ua_bot.errors import TemporaryFailure
from ua_bot.markup import plain
from ua_bot.messages import Button, Buttons, Document, Image, Incoming, Kind, Reply, Text

ADDRESS = "console:local"


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner may read (a letter carries the supporter's name)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file of the same name keeps its mode otherwise
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def render(reply: Reply, out_dir: Path, start: int = 1) -> tuple[str, list[Button]]:
    """A reply as console text; buttons are numbered from ``start``."""
    lines: list[str] = []
    buttons: list[Button] = []
    for part in reply.parts:
        if isinstance(part, Text):
            lines.append(plain(part.markup))
        elif isinstance(part, Buttons):
            row_texts = []
            for row in part.rows:
                cells = []
                for b in row:
                    n = start + len(buttons)
                    buttons.append(b)
                    cells.append(f"[{n}] {b.label}" + (f" <{b.url}>" if b.url else ""))
                row_texts.append("  ".join(cells))
            lines.extend(row_texts)
        elif isinstance(part, (Image, Document)):
            name = part.filename
            out_dir.mkdir(parents=True, exist_ok=True)
            path = out_dir / Path(name).name
            write_private(path, part.png if isinstance(part, Image) else part.data)
            lines.append(f"({part.caption + ': ' if part.caption else ''}saved to {path})")
    return "\n".join(lines), buttons


def choose_number(buttons: int) -> str:
    """What to say when a typed number matches no button."""
    if buttons == 1:
        return "There is one button above: type 1 to press it, or a command."
    return f"Type a number from 1 to {buttons} to press a button above, or a command."


class ConsoleChat:
    """A line-by-line chat with the core, for a terminal or a pipe."""

    def __init__(
        self,
        core: Core,
        user: str = "local",
        out: TextIO | None = None,
        out_dir: Path = Path("exports"),
    ) -> None:
        self.core = core
        self.user = f"console:{user}"
        self.out = out or sys.stdout
        self.out_dir = out_dir
        self.buttons: list[Button] = []

    def incoming_for(self, line: str) -> Incoming | None:
        line = line.strip()
        if not line:
            return None
        if line.isdigit() and self.buttons:
            n = int(line)
            if not 1 <= n <= len(self.buttons):
                self.say(choose_number(len(self.buttons)))
                return None
            b = self.buttons[n - 1]
            if b.url:
                self.say(f"Open {b.url}")
                return None
            return Incoming(Kind.BUTTON, ADDRESS, self.user, payload=b.payload)
        if line.startswith("/"):
            return Incoming.command_line(line, address=ADDRESS, user=self.user)
        return Incoming(Kind.MESSAGE, ADDRESS, self.user, text=line)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def send(self, line: str) -> list[Reply]:
        """Handle one typed line and print the replies."""
        inc = self.incoming_for(line)
        if inc is None:
            return []
        try:
            replies = await self.core.handle(inc)
        except TemporaryFailure as e:
            self.say(e.message)
            return []
        self.show(*replies)
        return replies

    def show(self, *replies: Reply) -> None:
        """Print replies; their buttons become the numbers to type."""
        shown: list[Button] = []
        for r in replies:
            text, buttons = render(r, self.out_dir, start=len(shown) + 1)
            shown += buttons
            self.say(text + "\n")
        if shown:
            self.buttons = shown

    async def run(self, stream: TextIO | None = None) -> None:
        stream = stream or sys.stdin
        interactive = stream.isatty()
        if interactive:
            self.say("ua-bot console. Type /help, /case, or a button's number. Ctrl-D quits.")
        loop = asyncio.get_running_loop()
        async with console_worker(self):  # broadcasts to this console arrive here
            while True:
                if interactive:
                    print("> ", end="", file=self.out, flush=True)
                line = await loop.run_in_executor(None, stream.readline)
                if not line:
                    break
                await self.send(line)
