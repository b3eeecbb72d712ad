"""The outbox worker: claims due rows, sends them at each platform's pace, records the outcome.

This module runs the parts: the lanes (:mod:`ua_bot.broadcast.lanes`), the organisers'
progress messages (:mod:`~ua_bot.broadcast.progress`), housekeeping and reminders
(:mod:`~ua_bot.broadcast.housekeeping`), and the outage notices (:mod:`~ua_bot.broadcast.outage`).

One *lane* per platform claims a small batch of due rows (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several workers share the work; a lease everywhere, so a killed worker's rows
come back), sends each through the platform's :class:`Sender` under its :class:`Pacer`, and
records each outcome in a group commit before the next message takes its place: at most
``UA_BOT_WORKER_INFLIGHT`` messages are ever sent but not yet recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
from collections import Counter
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from case_store import Batcher, Clock, Outcome, Store, budget_for, now
from ua_bot.broadcast.housekeeping import keep_house
from ua_bot.broadcast.lanes import Lanes, wait_or_stop
from ua_bot.broadcast.outage import Outage
from ua_bot.broadcast.pacing import Pacer, pacing_for
from ua_bot.broadcast.progress import ProgressReports
from ua_bot.broadcast.sender import Sender
from ua_bot.config import Settings
from ua_bot.messages import Reply

log = logging.getLogger("ua_bot.worker")
LINGER = 0.01  # seconds an outcome waits for others to share its commit
BEAT = 10.0  # seconds between the worker's heartbeats


def default_worker_id() -> str:
    tail = os.environ.get("DYNO") or str(os.getpid())
    return f"{socket.gethostname()}:{tail}"[:64]


class Worker(Lanes, ProgressReports):
    """Drains the outbox through ``senders`` (platform name -> :class:`Sender`)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        senders: dict[str, Sender],
        *,
        clock: Clock | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.senders = dict(senders)
        self.id = (worker_id or settings.ua_bot_worker_id or default_worker_id())[:64]
        self.pacers = {
            name: Pacer(
                s,
                pacing_for(s, settings.ua_bot_worker_pacing),
                settings.ua_bot_worker_pace_margin,
                budget=budget_for(store.engine),
            )
            for name, s in self.senders.items()
        }
        self.tz = ZoneInfo(settings.ua_bot_timezone)
        self._clock = clock or now  # the day (reminders, deadlines); the outbox's times are real
        # With several messages in flight, their outcomes wait a moment to share a commit.
        linger = LINGER if any(self._inflight(p) > 1 for p in self.pacers.values()) else 0.0
        self._marker: Batcher[Outcome, str | None] = Batcher(self._apply, 500, linger)
        self._replies: dict[int, tuple[float, Reply | None]] = {}
        self.cancelled: set[int] = set()
        self.stats: Counter[str] = Counter()
        self.idle_polls = 0  # a lane found nothing to do: what tests wait for
        self.outage = Outage()
        self._started = False
        self._beat_at: dt.datetime | None = None

    # -- running ----------------------------------------------------------------------

    def today(self) -> dt.date:
        return self._clock().astimezone(self.tz).date()

    async def start(self) -> None:
        """Take back rows this worker (by its name) held before a restart."""
        if self._started:
            return
        self._started = True
        async with self.store.unit() as tx:
            n = await tx.release_claims([], worker=self.id)
            await tx.worker_beat(self._clock())
        self._beat_at = self._clock()
        if n:
            log.info("took back %d outbox rows held before a restart", n)

    async def run(self, stop: asyncio.Event) -> None:
        """Send, report progress and keep house until ``stop`` is set."""
        while not stop.is_set():
            try:
                await self.start()
                break
            except Exception as e:
                if not self.outage.failed("starting", e):
                    raise
                await wait_or_stop(self.settings.ua_bot_worker_poll_seconds, stop)
        tasks = [asyncio.create_task(self._lane(p, stop, until_idle=False)) for p in self.pacers]
        tasks.append(asyncio.create_task(self._every(self.update_progress, stop, "progress")))
        tasks.append(asyncio.create_task(self._every(self.beat, stop, "progress")))
        tasks.append(asyncio.create_task(self._every(self.housekeeping, stop, "housekeeping")))
        try:
            await stop.wait()
        finally:
            await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self.update_progress()

    async def run_until_idle(self) -> None:
        """Send until no row of a known platform is pending, then report progress."""
        await self.start()
        stop = asyncio.Event()
        await asyncio.gather(*(self._lane(p, stop, until_idle=True) for p in self.pacers))
        await self.update_progress()

    async def beat(self) -> bool:
        """Tell the organisers' doors a worker runs (they warn when none has lately);
        at most every ``BEAT`` seconds. False: too soon, the store was not asked."""
        at = self._clock()
        if self._beat_at is not None and (at - self._beat_at).total_seconds() < BEAT:
            return False
        async with self.store.unit() as tx:
            await tx.worker_beat(at)
        self._beat_at = at
        return True

    async def _every(
        self, fn: Callable[[], Awaitable[object]], stop: asyncio.Event, what: str
    ) -> None:
        every = (
            self.settings.ua_bot_worker_progress_seconds
            if what == "progress"
            else self.settings.ua_bot_worker_housekeeping_seconds
        )
        while not stop.is_set():
            try:
                if await fn() is not False:  # False: it did not ask the store
                    self.outage.ok()
            except Exception as e:
                if not self.outage.failed(what, e):
                    log.exception("worker %s failed", what)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)

    # -- housekeeping -----------------------------------------------------------------

    async def housekeeping(self) -> None:
        """Deadline reminders, auto-close after the deadline, and old outbox rows."""
        await keep_house(self.store, self.settings, self.today(), now())
