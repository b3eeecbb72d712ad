"""The store API: transactions (serialised on SQLite), batched action recording."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from case_store.actions import ActionQueries, ActionRequest, ActionResult, record_actions
from case_store.addresses import AddressQueries
from case_store.audit import AuditQueries
from case_store.batching import Batcher
from case_store.cases import CaseQueries
from case_store.channels import ChannelQueries
from case_store.db import create_engine_for
from case_store.deployment import DeploymentQueries
from case_store.outbox import OutboxQueries
from case_store.outbox_claims import ClaimQueries
from case_store.outbox_privacy import OutboxPrivacyQueries
from case_store.stats import StatsQueries
from case_store.supporters import SupporterQueries


class Tx(
    CaseQueries,
    SupporterQueries,
    ActionQueries,
    AuditQueries,
    StatsQueries,
    OutboxQueries,
    ClaimQueries,
    ChannelQueries,
    AddressQueries,
    OutboxPrivacyQueries,
    DeploymentQueries,
):
    """The queries, bound to one open transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn


class Store:
    """Owns the engine. ``async with store.unit() as tx`` runs one transaction.

    On SQLite, transactions in this process take turns (one writer at a time is all
    SQLite allows; taking turns here avoids lock waits), and concurrent action
    confirmations share one commit through a :class:`Batcher`.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self._lock = asyncio.Lock() if self.sqlite else None
        self._recorder: Batcher[ActionRequest, ActionResult] = Batcher(self._record_batch)

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
        return await self._recorder.submit(req)

    async def _record_batch(self, reqs: Sequence[ActionRequest]) -> list[ActionResult]:
        async with self.unit() as tx:
            return await record_actions(tx.conn, reqs)

    async def close(self) -> None:
        await self.engine.dispose()
