"""Broadcasts on the console: the chat runs the worker itself and prints what it sends.

With no platform configured (``make run``), an organiser's ``/broadcast`` queues rows for
``console:local``; this sender prints them in the chat, so the broadcast is seen to arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator
from typing import Protocol

from ua_bot.broadcast.sender import Pacing, Sender
from ua_bot.core import Core
from ua_bot.messages import Reply


class ConsoleScreen(Protocol):
    """What the sender needs of the console chat: its core, and a way to show a reply."""

    core: Core

    def show(self, *replies: Reply) -> None: ...

log = logging.getLogger("adapters.console")


class ConsoleSender(Sender):
    """Prints broadcasts and progress lines in the console chat."""

    platform = "console"
    pacing = Pacing(per_second=50.0, per_chat_seconds=0.0)

    def __init__(self, chat: ConsoleScreen) -> None:
        self.chat = chat
        self._ids = itertools.count(1)

    async def send(self, address: str, reply: Reply) -> str:
        self.chat.show(reply)
        return str(next(self._ids))

    async def edit(self, address: str, message_id: str, reply: Reply) -> None:
        self.chat.show(reply)


@contextlib.asynccontextmanager
async def console_worker(chat: ConsoleScreen) -> AsyncIterator[None]:
    """Run the broadcast worker for the console while the chat runs; on the way out,
    send what is still queued for it (a piped session ends before the next poll)."""
    from ua_bot.broadcast.worker import Worker

    core = chat.core
    worker = Worker(core.store, core.settings, {"console": ConsoleSender(chat)})
    stop = asyncio.Event()
    with contextlib.suppress(Exception):  # a broadcast typed first: the worker is running
        await worker.beat()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await task
        try:
            await worker.run_until_idle()
        except Exception as e:  # the chat is closing: say nothing worse than a log line
            log.warning("console broadcasts not sent: %s", type(e).__name__)
