"""Waiting in tests for something the code does, never for a fixed time."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable


async def eventually(
    check: Callable[[], bool | Awaitable[bool]], timeout: float = 10.0, every: float = 0.02
) -> None:
    """Wait until ``check()`` (plain or async) is true; ``TimeoutError`` after ``timeout``."""

    async def _loop() -> None:
        while True:
            ok = check()
            if inspect.isawaitable(ok):
                ok = await ok
            if ok:
                return
            await asyncio.sleep(every)

    await asyncio.wait_for(_loop(), timeout)
