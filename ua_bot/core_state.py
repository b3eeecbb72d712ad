"""What the core remembers between commands, in one process: which deliveries it has
handled, supporters' languages, cases' totals and the case each chat last named.

Each is a cache of something the store holds (or, for deliveries, a first line in front of
the store's own claim): losing it costs a read, never a fact.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from case_store import Store
from ua_bot.errors import DATABASE_DOWN
from ua_bot.lru import LRU

LANG_TTL = 30.0  # seconds a supporter's language is trusted from the cache (other processes)
SIZE = 50_000


class Deliveries:
    """The platform deliveries handled lately, and those being handled now."""

    def __init__(self, size: int = SIZE) -> None:
        self._seen: LRU[str, bool] = LRU(size)
        self._in_flight: dict[str, asyncio.Event] = {}

    def seen(self, delivery: str) -> None:
        self._seen.put(delivery, True)

    @contextlib.asynccontextmanager
    async def first(self, delivery: str) -> AsyncIterator[bool]:
        """Whether this is the first copy of ``delivery`` (false: a redelivery, to drop).

        A redelivery that arrives while its first copy is still being handled (a platform
        that retries before our answer reached it) waits for it, then finds it seen.
        """
        while (busy := self._in_flight.get(delivery)) is not None:
            await busy.wait()
        if delivery in self._seen:
            yield False
            return
        done = self._in_flight[delivery] = asyncio.Event()
        try:
            yield True
        finally:
            del self._in_flight[delivery]
            done.set()


class Languages:
    """Supporters' languages (supporter key -> the one chosen with /lang, ``None`` English),
    trusted for ``ttl`` seconds so that a /lang handled by another process is followed."""

    def __init__(self, store: Store, ttl: float = LANG_TTL, size: int = SIZE) -> None:
        self.store = store
        self.ttl = ttl
        self._langs: LRU[str, tuple[float, str | None]] = LRU(size)

    def cached(self, supporter_key: str) -> tuple[bool, str | None]:
        """(known, language) from memory; an entry older than ``ttl`` is unknown."""
        hit = self._langs.get(supporter_key)
        if hit is None or time.monotonic() - hit[0] > self.ttl:
            return False, None
        return True, hit[1]

    async def get(self, supporter_key: str) -> str | None:
        """The language, read on a miss together with the concurrent commands' reads."""
        known, lang = self.cached(supporter_key)
        if known:
            return lang
        try:
            lang = await self.store.supporter_lang(supporter_key)
        except DATABASE_DOWN:
            return None  # English this time; the command itself reports the outage
        self.note(supporter_key, lang)
        return lang

    def note(self, supporter_key: str, lang: str | None) -> None:
        """A language just written or read back: answer in it at once."""
        self._langs.put(supporter_key, (time.monotonic(), lang))


class Totals:
    """(supporters who acted, actions) per case, for ``ttl`` seconds."""

    def __init__(self, store: Store, ttl: float) -> None:
        self.store = store
        self.ttl = ttl
        self._totals: dict[int, tuple[float, tuple[int, int]]] = {}
        self._lock = asyncio.Lock()

    async def get(self, case_id: int) -> tuple[int, int]:
        hit = self._totals.get(case_id)
        if hit and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        async with self._lock:  # one reload, however many readers are waiting
            hit = self._totals.get(case_id)
            if hit and time.monotonic() - hit[0] < self.ttl:
                return hit[1]
            async with self.store.unit() as tx:
                totals = await tx.case_totals(case_id)
            self._totals[case_id] = (time.monotonic(), totals)
            return totals

    def note(self, case_id: int, supporters: int, actions: int) -> None:
        """Totals just read back by a write: fresher than anything cached."""
        self._totals[case_id] = (time.monotonic(), (supporters, actions))

    def forget(self, case_id: int) -> None:
        self._totals.pop(case_id, None)


class ChatCases:
    """The case each chat (by its key) last named, so that ``/took_action letter`` needs
    no UA number."""

    def __init__(self, store: Store, size: int = SIZE) -> None:
        self.store = store
        self._cases: LRU[str, int | None] = LRU(size)

    async def get(self, chat_key: str) -> int | None:
        if chat_key in self._cases:
            return self._cases[chat_key]
        case_id = await self.store.chat_case(chat_key)  # batched with concurrent reads
        self._cases.put(chat_key, case_id)
        return case_id

    async def set(self, chat_key: str, case_id: int) -> None:
        if self._cases.get(chat_key) == case_id:
            return
        await self.store.set_chat_case(chat_key, case_id)  # one commit with concurrent ones
        self._cases.put(chat_key, case_id)

    def forget(self, chat_key: str) -> None:
        self._cases.pop(chat_key, None)
