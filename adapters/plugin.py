"""What a platform offers the web app and ``ua-bot run``: a :class:`Plugin`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from starlette.routing import BaseRoute


@dataclass
class Plugin:
    """A platform's part in the web app and in ``ua-bot run``."""

    name: str
    routes: Sequence[BaseRoute] = field(default_factory=list)
    start: Callable[[], Awaitable[None]] | None = None  # web app start-up
    stop: Callable[[], Awaitable[None]] | None = None  # web app shut-down
    run: Callable[[], Awaitable[None]] | None = None  # ua-bot run: runs until cancelled
