"""Sending budgets and hit counters shared by every process through the store.

A **sending budget** is a token bucket per platform (and per Slack workspace), one row in
``send_budget`` on PostgreSQL, taken by every web process (interactive replies) and every
worker (broadcasts) with one statement per batch. Replies come first: a reply takes its
token even when that leaves the bucket in debt, and waits until the debt is paid (its slot
in the future is booked); a broadcast takes only tokens that are there now, so it uses what
replies leave and never books ahead of them. A platform's 429 pauses the row for the
``retry_after`` asked, and every process sees the pause at its next take. On SQLite one
process does everything, so :class:`LocalBudget` keeps the same bucket in memory.

In any one second the platform sees at most ``burst + rate`` messages; the rate and burst
come from the platform's limit (:func:`bucket_for`).

**Hit counters** (``limit_hits``) count events per key in fixed windows, for the flood
limit and the daily cap: one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` per event,
shared by every process and kept across restarts. Keys hold hashed supporter keys only.
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass

from sqlalchemy import Column, Float, Index, Integer, String, Table, delete, text
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.supporters import dialect_insert
from case_store.tables import metadata

send_budget = Table(
    "send_budget",
    metadata,
    Column("key", String(80), primary_key=True),  # "telegram", "slack:T123"
    Column("tokens", Float, nullable=False),
    Column("at", Float, nullable=False),  # epoch seconds of the last take (database clock)
    Column("paused_until", Float, nullable=False),  # epoch seconds
)

limit_hits = Table(
    "limit_hits",
    metadata,
    Column("key", String(120), primary_key=True),  # "<limit>:<hashed key>:<window number>"
    Column("hits", Integer, nullable=False),
    Column("expires", Float, nullable=False),  # epoch seconds, for clean-up
    Index("ix_limit_hits_expires", "expires"),
)

BURST_SHARE = 0.05  # of the pace: messages the bucket may hold, sent at once


@dataclass(frozen=True)
class Bucket:
    """``rate`` tokens a second, at most ``burst`` held."""

    rate: float
    burst: float


def bucket_for(per_second: float, margin: float = 0.97) -> Bucket:
    """The bucket for a platform limit of ``per_second``: ``burst + rate`` (what one second
    may see) is ``per_second * margin``."""
    total = max(1.0, per_second * margin)
    # Two at least where the limit allows: a worker then takes two tokens a statement.
    burst = max(2.0 if total >= 10 else 1.0, float(round(total * BURST_SHARE)))
    return Bucket(rate=max(total - burst, 0.5), burst=burst)


@dataclass(frozen=True)
class Take:
    """What a take gave: ``granted`` tokens, to be used after ``wait`` seconds."""

    granted: int
    wait: float
    paused: float = 0.0  # seconds the platform asked every process to wait


class LocalBudget:
    """The budget in this process's memory: the fallback where one process does everything."""

    shared = False

    def __init__(self) -> None:
        self._rows: dict[str, list[float]] = {}  # key -> [tokens, at, paused_until]

    def _row(self, key: str, bucket: Bucket, now: float) -> list[float]:
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = [bucket.burst, now, 0.0]
        row[0] = min(bucket.burst, row[0] + (now - row[1]) * bucket.rate)
        row[1] = now
        return row

    async def take(self, key: str, bucket: Bucket, n: int, *, reply: bool) -> Take:
        now = time.monotonic()
        row = self._row(key, bucket, now)
        return _grant(row, bucket, n, reply, now)

    async def pause(self, key: str, seconds: float) -> None:
        now = time.monotonic()
        row = self._rows.setdefault(key, [0.0, now, 0.0])
        row[2] = max(row[2], now + seconds)


def _grant(row: list[float], bucket: Bucket, n: int, reply: bool, now: float) -> Take:
    paused = max(0.0, row[2] - now)
    if reply:
        row[0] -= n
        return Take(n, max(paused, -row[0] / bucket.rate), paused)
    granted = 0 if paused else max(0, min(n, math.floor(row[0])))
    row[0] -= granted
    wait = paused if paused else (0.0 if granted else (1.0 - row[0]) / bucket.rate)
    return Take(granted, wait, paused)


_TAKE = text(
    """
    WITH c AS (
        SELECT b.key, t.now, b.paused_until,
               LEAST(CAST(:burst AS float8), b.tokens + (t.now - b.at) * :rate) AS filled
        FROM send_budget b,
             (SELECT extract(epoch FROM clock_timestamp())::float8 AS now) t
        WHERE b.key = :key
        FOR UPDATE OF b
    ), g AS (
        SELECT c.*,
               CASE WHEN :reply THEN CAST(:n AS integer)
                    WHEN c.paused_until > c.now THEN 0
                    ELSE GREATEST(0, LEAST(CAST(:n AS integer), floor(c.filled)::integer))
               END AS granted
        FROM c
    )
    UPDATE send_budget b SET tokens = g.filled - g.granted, at = g.now
    FROM g WHERE b.key = g.key
    RETURNING g.granted, b.tokens, b.paused_until, g.now
    """
)
_PAUSE = text(
    "UPDATE send_budget SET paused_until = GREATEST(paused_until,"
    " extract(epoch FROM clock_timestamp())::float8 + :s) WHERE key = :key"
)


class StoreBudget:
    """The budget in PostgreSQL: one row per key, shared by every process."""

    shared = True

    def __init__(self, engine) -> None:
        self.engine = engine
        self._known: set[str] = set()

    async def _ensure(self, conn, key: str, bucket: Bucket) -> None:
        if key in self._known:
            return
        ins = dialect_insert(conn, send_budget).values(
            key=key, tokens=bucket.burst, at=time.time(), paused_until=0.0
        )
        await conn.execute(ins.on_conflict_do_nothing(index_elements=["key"]))
        self._known.add(key)

    async def take(self, key: str, bucket: Bucket, n: int, *, reply: bool) -> Take:
        async with self.engine.begin() as conn:
            await self._ensure(conn, key, bucket)
            params = {"key": key, "n": n, "reply": reply, "rate": bucket.rate}
            row = (await conn.execute(_TAKE, {**params, "burst": bucket.burst})).one()
        granted, tokens, paused_until, now = int(row[0]), row[1], row[2], row[3]
        paused = max(0.0, paused_until - now)
        if reply:
            return Take(granted, max(paused, -tokens / bucket.rate), paused)
        wait = paused if paused else (0.0 if granted else (1.0 - tokens) / bucket.rate)
        return Take(granted, wait, paused)

    async def pause(self, key: str, seconds: float) -> None:
        async with self.engine.begin() as conn:
            await self._ensure(conn, key, Bucket(1.0, 1.0))
            await conn.execute(_PAUSE, {"key": key, "s": float(seconds)})


Budget = LocalBudget | StoreBudget
_BUDGETS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def budget_for(engine) -> Budget:
    """The budget of everything sending through ``engine``'s database: one per engine
    object, shared in the database on PostgreSQL, in this process on SQLite."""
    hit = _BUDGETS.get(engine)
    if hit is None:
        hit = _BUDGETS[engine] = (
            LocalBudget() if engine.dialect.name == "sqlite" else StoreBudget(engine)
        )
    return hit


class HitQueries:
    """Fixed-window hit counters (mixed into :class:`~case_store.store.Tx`)."""

    conn: AsyncConnection

    async def add_hits(self, items: list[tuple[str, float, int]]) -> dict[str, int]:
        """Add ``n`` hits to each ``(key, expires, n)``; every key's count now. One
        statement, its keys in order (two processes' writes never wait in a ring)."""
        if not items:
            return {}
        rows = [{"key": k, "hits": n, "expires": e} for k, e, n in sorted(items)]
        ins = dialect_insert(self.conn, limit_hits).values(rows)
        ins = ins.on_conflict_do_update(
            index_elements=["key"], set_={"hits": limit_hits.c.hits + ins.excluded.hits}
        ).returning(limit_hits.c.key, limit_hits.c.hits)
        return dict((await self.conn.execute(ins)).all())

    async def count_hits(self, items: list[tuple[str, float, int]]) -> list[int]:
        """:meth:`add_hits` for a batch: each item's key's count after the batch."""
        merged: dict[str, tuple[float, int]] = {}
        for key, expires, n in items:
            merged[key] = (expires, merged.get(key, (expires, 0))[1] + n)
        totals = await self.add_hits([(k, e, n) for k, (e, n) in merged.items()])
        return [totals[key] for key, _, _ in items]

    async def forget_hits(self, now_epoch: float) -> int:
        """Drop counters whose window has passed."""
        res = await self.conn.execute(delete(limit_hits).where(limit_hits.c.expires < now_epoch))
        return res.rowcount or 0
