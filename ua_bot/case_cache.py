"""An in-process cache of the cases: they are read far more often than they change."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from case_store import Store
from ua_bot.model import Case, CaseStatus


class CaseCache:
    """All cases by UA number, refreshed after local writes or when ``ttl`` has passed.

    A refresh asks the database for a cheap fingerprint first and reloads only if it
    changed, so other processes' edits show within ``ttl`` seconds.
    """

    def __init__(self, store: Store, ttl: float = 5.0) -> None:
        self._store = store
        self._ttl = ttl
        self._cases: dict[str, Case] = {}
        self._by_id: dict[int, Case] = {}
        self._version: tuple[Any, ...] | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        self._checked = 0.0
        self._version = None

    async def _fresh(self) -> None:
        if time.monotonic() - self._checked < self._ttl:
            return
        async with self._lock:
            if time.monotonic() - self._checked < self._ttl:
                return
            async with self._store.unit() as tx:
                version = await tx.cases_version()
                if version != self._version:
                    cases = await tx.list_cases()
                    self._cases = {c.ua_number: c for c in cases}
                    self._by_id = {c.id: c for c in cases if c.id is not None}
                    self._version = version
            self._checked = time.monotonic()

    async def get(self, ua: str) -> Case | None:
        await self._fresh()
        return self._cases.get(ua)

    async def by_id(self, case_id: int) -> Case | None:
        await self._fresh()
        return self._by_id.get(case_id)

    async def all(self, *statuses: CaseStatus) -> list[Case]:
        await self._fresh()
        return [c for c in self._cases.values() if not statuses or c.status in statuses]
