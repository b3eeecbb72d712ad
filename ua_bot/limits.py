"""Flood control: a per-supporter command rate limit and a cap on confirmations per case a day.

:class:`SharedLimiter` counts in the store (``limit_hits``), so every web process sees one
count per supporter and a restart keeps it.
"""

from __future__ import annotations

import time
from typing import Protocol


class HitStore(Protocol):
    async def hit(self, key: str, expires: float) -> int: ...


class SharedLimiter:
    """At most ``limit`` events per key in each fixed window of ``window`` seconds (``None``:
    the key names its own period, e.g. a day), counted in the store for every process.

    ``check`` returns ``"ok"``, ``"notice"`` for the first refusal in a flood (the user is
    told once), or ``"silent"`` for the refusals after it. Keys must not hold platform ids:
    pass hashed supporter keys.
    """

    def __init__(self, store: HitStore, name: str, limit: int, window: float | None) -> None:
        self.store = store
        self.name = name
        self.limit = limit
        self.window = window

    async def check(self, key: str) -> str:
        if self.limit <= 0:
            return "ok"
        now = time.time()
        if self.window:
            n = int(now // self.window)
            slot, expires = f"{self.name}:{key}:{n}", (n + 1) * self.window
        else:
            slot, expires = f"{self.name}:{key}", now + 2 * 86_400
        hits = await self.store.hit(slot, expires)
        if hits <= self.limit:
            return "ok"
        return "notice" if hits == self.limit + 1 else "silent"
