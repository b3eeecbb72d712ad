"""The store API: transactions (serialised on SQLite), batched action recording."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from case_store.actions import ActionQueries, ActionRequest, ActionResult, record_actions
from case_store.addresses import AddressQueries
from case_store.attempts import AttemptQueries
from case_store.audit import AuditQueries
from case_store.batching import Batcher
from case_store.budget import HitQueries
from case_store.callbacks import CallbackQueries
from case_store.case_settings import CaseSettingQueries
from case_store.cases import CaseQueries
from case_store.changes import ChangeQueries
from case_store.channels import ChannelQueries
from case_store.db import create_engine_for
from case_store.deployment import DeploymentQueries
from case_store.official_replies import ReplyQueries
from case_store.organiser_tables import WebLoginQueries
from case_store.outbox import OutboxQueries
from case_store.outbox_claims import ClaimQueries
from case_store.outbox_privacy import OutboxPrivacyQueries
from case_store.revisions import RevisionQueries
from case_store.stats import StatsQueries
from case_store.supporters import SupporterQueries
from case_store.teams import TeamQueries

_RECORD, _READ, _CHAT, _TELL, _HIT = "record", "read", "chat", "tell", "hit"  # batched work


class Tx(
    CaseQueries,
    SupporterQueries,
    ActionQueries,
    AttemptQueries,
    AuditQueries,
    StatsQueries,
    OutboxQueries,
    ClaimQueries,
    ChannelQueries,
    AddressQueries,
    OutboxPrivacyQueries,
    DeploymentQueries,
    ChangeQueries,
    WebLoginQueries,
    RevisionQueries,
    HitQueries,
    TeamQueries,
    CaseSettingQueries,
    CallbackQueries,
    ReplyQueries,
):
    """The queries, bound to one open transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn


class Store:
    """Owns the engine. ``async with store.unit() as tx`` runs one transaction.

    On SQLite, transactions in this process take turns (one writer at a time is all
    SQLite allows; taking turns here avoids lock waits). Concurrent action confirmations
    share one commit through a :class:`Batcher`, and so do the small reads every command
    may make (a supporter's language, a chat's current case) and the writes of a chat's
    current case: under load, none of these costs a transaction per command.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self._lock = asyncio.Lock() if self.sqlite else None
        # One batcher for all: reads and writes that arrive while a batch commits share
        # the next transaction, whatever their kind.
        self._batcher: Batcher[tuple[str, Any], Any] = Batcher(self._run_batch)

    @classmethod
    def from_url(cls, url: str, *, busy_timeout: float = 30.0) -> Store:
        return cls(create_engine_for(url, busy_timeout=busy_timeout))

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Tx]:
        if self._lock is None:
            async with self.engine.begin() as conn:
                yield Tx(conn)
            return
        async with self._lock, self.engine.begin() as conn:
            yield Tx(conn)

    async def record(self, req: ActionRequest) -> ActionResult:
        """Record one confirmation (batched with concurrent ones)."""
        return await self._batcher.submit((_RECORD, req))

    async def supporter_lang(self, key: str) -> str | None:
        """The language a supporter chose (``None``: none), read in the next batch."""
        return await self._batcher.submit((_READ, ("lang", key)))

    async def chat_case(self, chat_key: str) -> int | None:
        """A chat's current case id, read in the next batch."""
        return await self._batcher.submit((_READ, ("chat_case", chat_key)))

    async def set_chat_case(self, chat_key: str, case_id: int | None) -> None:
        """Set a chat's current case, committed with the next batch."""
        await self._batcher.submit((_CHAT, (chat_key, case_id)))

    async def tell_once(self, key: str, case_id: int, lang: str) -> bool:
        """Whether to tell a supporter that the case's text is in English (true once per
        supporter, case and language; remembered with the next batch)."""
        return await self._batcher.submit((_TELL, (key, case_id, lang)))
    async def add_hits(self, items: list[tuple[str, float, int]]) -> dict[str, int]:
        """Add hits to shared counters ``(key, expires epoch, n)``; their counts now. One
        hit on one key shares the next batch's commit; several take a transaction."""
        if len(items) == 1 and items[0][2] == 1:
            return {items[0][0]: await self._batcher.submit((_HIT, items[0]))}
        async with self.unit() as tx:
            return await tx.add_hits(items)

    async def _run_batch(self, items: Sequence[tuple[str, Any]]) -> list[Any]:
        """One transaction: chats' current cases, then confirmations, then reads."""
        out: list[Any] = [None] * len(items)
        async with self.unit() as tx:
            for kind, run in (
                (_CHAT, tx.set_chat_cases),
                (_HIT, tx.count_hits),
                (_RECORD, lambda reqs: record_actions(tx.conn, reqs)),
                (_TELL, tx.tell_many),
                (_READ, tx.read_keyed),
            ):
                idx = [i for i, (k, _) in enumerate(items) if k == kind]
                if idx:
                    results = await run([items[i][1] for i in idx])
                    for i, res in zip(idx, results or [None] * len(idx), strict=True):
                        out[i] = res
        return out

    async def close(self) -> None:
        await self.engine.dispose()
