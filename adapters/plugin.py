"""What a platform offers the web app and ``ua-bot run``: a :class:`Plugin`."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field

from starlette.routing import BaseRoute

from ua_bot import metrics


class InFlight:
    """The requests a platform handles after it has acknowledged them.

    Slack is answered before its request is handled; ``idle()`` waits until every such
    request has been handled to its end (shut-down waits on it; ``/metrics`` shows the count
    as ``ua_bot_requests_handling``, so that a test can wait for it to reach zero).
    """

    def __init__(self) -> None:
        self.running = 0
        self.started = 0
        self._idle: asyncio.Event | None = None

    def _event(self) -> asyncio.Event:
        if self._idle is None:
            self._idle = asyncio.Event()
            if not self.running:
                self._idle.set()
        return self._idle

    def begin(self) -> None:
        self.running += 1
        self.started += 1
        metrics.HANDLING.inc()
        self._event().clear()

    def end(self) -> None:
        self.running -= 1
        metrics.HANDLING.dec()
        if not self.running:
            self._event().set()

    @contextlib.contextmanager
    def one(self) -> Iterator[None]:
        self.begin()
        try:
            yield
        finally:
            self.end()

    def tracked(self, fn: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        """``fn``, counted while it runs (its signature kept: Bolt injects by name)."""

        @functools.wraps(fn)
        async def run(*args, **kwargs) -> None:
            with self.one():
                await fn(*args, **kwargs)

        return run

    async def idle(self) -> None:
        await self._event().wait()


@dataclass
class Plugin:
    """A platform's part in the web app and in ``ua-bot run``."""

    name: str
    routes: Sequence[BaseRoute] = field(default_factory=list)
    start: Callable[[], Awaitable[None]] | None = None  # web app start-up
    stop: Callable[[], Awaitable[None]] | None = None  # web app shut-down
    run: Callable[[], Awaitable[None]] | None = None  # ua-bot run: runs until cancelled
    handling: InFlight = field(default_factory=InFlight)  # answered, still being handled
