"""Flood control: a per-supporter command rate limit and a cap on confirmations per case a day.

:class:`SharedLimiter` counts in the store (``limit_hits``), so every web process sees one
count per supporter and a restart keeps it. A supporter's first command in a window (in this
process) is counted in the store at once, which brings back every process's count; later
ones are judged from what this process knows (the store's count at its last write plus its
own hits since) and written a moment later (``FLUSH`` seconds), many commands' in one
statement, so they cost no store round trip. Another process's hits count here from this
process's next write for that supporter: N processes may let a flood through with up to
N - 1 extra commands, not N times the limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Protocol

log = logging.getLogger("ua_bot.limits")
FLUSH = 0.25  # seconds hits wait to be written together; another process sees them after


class HitStore(Protocol):
    async def add_hits(self, items: list[tuple[str, float, int]]) -> dict[str, int]: ...


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
        self._known: dict[str, tuple[int, float]] = {}  # slot -> (store's count, expires)
        self._pending: dict[str, int] = {}  # slot -> hits not yet written
        self._writing: dict[str, int] = {}  # slot -> hits being written now
        self._flushing: asyncio.Task[None] | None = None

    def _slot(self, key: str) -> tuple[str, float]:
        now = time.time()
        if self.window:
            n = int(now // self.window)
            return f"{self.name}:{key}:{n}", (n + 1) * self.window
        return f"{self.name}:{key}", now + 2 * 86_400

    async def check(self, key: str) -> str:
        if self.limit <= 0:
            return "ok"
        slot, expires = self._slot(key)
        if slot not in self._known:  # first seen here: count it in the store now
            hits = await self._first(slot, expires)
        else:
            self._pending[slot] = self._pending.get(slot, 0) + 1
            hits = self._known[slot][0] + self._writing.get(slot, 0) + self._pending[slot]
            if self._flushing is None or self._flushing.done():
                self._flushing = asyncio.create_task(self._flush_later())
        if hits <= self.limit:
            return "ok"
        return "notice" if hits == self.limit + 1 else "silent"

    async def _first(self, slot: str, expires: float) -> int:
        """Count a key's first hit in this process at once: what every process (and this
        one before a restart) counted comes back with it."""
        try:
            total = (await self.store.add_hits([(slot, expires, 1)]))[slot]
        except Exception as e:  # the store is down: count here until it answers
            log.warning("flood counts not read: %s", type(e).__name__)
            self._known[slot] = (0, expires)
            self._pending[slot] = self._pending.get(slot, 0) + 1
            return self._pending[slot]
        known = self._known.get(slot, (0, expires))[0]
        self._known[slot] = (max(known, total), expires)
        return total

    async def _flush_later(self) -> None:
        await asyncio.sleep(FLUSH)
        try:
            await self.flush()
        except Exception as e:  # the store is down: the hits stay pending for the next flush
            log.warning("flood counts not written: %s", type(e).__name__)

    async def flush(self) -> None:
        """Write the pending hits; learn every process's count for those keys."""
        if self._writing:
            return  # a flush is under way; the pending hits go with the next one
        pending, self._pending = self._pending, {}
        if not pending:
            return
        items = [(slot, self._known[slot][1], n) for slot, n in pending.items()]
        self._writing = pending
        try:
            totals = await self.store.add_hits(items)
        except BaseException:
            for slot, n in pending.items():  # put back, to be written next time
                self._pending[slot] = self._pending.get(slot, 0) + n
            raise
        finally:
            self._writing = {}
        now = time.time()
        for slot, (_, expires) in list(self._known.items()):
            if expires < now and slot not in self._pending:
                del self._known[slot]
        for slot, total in totals.items():
            # hits counted here since this flush began stay pending on top of the total
            self._known[slot] = (total, self._known.get(slot, (0, now + 60))[1])

    async def close(self) -> None:
        """Write what is pending (on shutdown)."""
        if self._flushing is not None:
            self._flushing.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._flushing
        await self.flush()
