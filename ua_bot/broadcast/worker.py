"""The outbox worker: claims due rows, sends them at each platform's pace, records the outcome.

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
import math
import os
import socket
import time
from collections import Counter, deque
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from case_store import Store
from case_store.batching import Batcher
from case_store.outbox import Audience, Claimed, Outcome
from case_store.outbox_tables import CANCELLED, DONE, SENDING
from ua_bot import metrics
from ua_bot.broadcast.messages import broadcast_reply, progress_text
from ua_bot.broadcast.pacing import Pacer, pacing_for
from ua_bot.broadcast.sender import RecipientGone, RetryAfter, Sender
from ua_bot.config import Settings
from ua_bot.messages import Reply
from ua_bot.model import CaseStatus

log = logging.getLogger("ua_bot.worker")
SEND_TIMEOUT = 30.0
REPLY_TTL = 60.0
LINGER = 0.01  # seconds an outcome waits for others to share its commit


# What a database that is down, restarting or unreachable raises (as the core sees it too).
DATABASE_DOWN = (DBAPIError, OSError, PoolTimeout)


class Outage:
    """One warning when the database stops answering, one more when it answers again.

    While it is down every task of the worker fails on each poll; a traceback each time
    would bury the one line that matters. Other errors are still logged with theirs.
    """

    def __init__(self) -> None:
        self.since: float | None = None
        self.failures = 0

    def failed(self, what: str, error: BaseException) -> bool:
        """Whether ``error`` means the database is unavailable (said once per outage)."""
        if not isinstance(error, DATABASE_DOWN):
            return False
        self.failures += 1
        if self.since is None:
            self.since = time.monotonic()
            log.warning(
                "database unavailable (%s while %s); the worker retries until it answers",
                type(error).__name__,
                what,
                extra={"event": "database_down"},
            )
        return True

    def ok(self) -> None:
        if self.since is not None:
            log.warning(
                "database available again after %.0f s (%d failed attempts)",
                time.monotonic() - self.since,
                self.failures,
                extra={"event": "database_up"},
            )
            self.since, self.failures = None, 0


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_worker_id() -> str:
    tail = os.environ.get("DYNO") or str(os.getpid())
    return f"{socket.gethostname()}:{tail}"[:64]


class Worker:
    """Drains the outbox through ``senders`` (platform name -> :class:`Sender`)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        senders: dict[str, Sender],
        *,
        clock=None,
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
            )
            for name, s in self.senders.items()
        }
        self.tz = ZoneInfo(settings.ua_bot_timezone)
        self._clock = clock or utcnow
        # With several messages in flight, their outcomes wait a moment to share a commit.
        linger = LINGER if any(self._inflight(p) > 1 for p in self.pacers.values()) else 0.0
        self._marker: Batcher[Outcome, str | None] = Batcher(self._apply, 500, linger)
        self._replies: dict[int, tuple[float, Reply | None]] = {}
        self.cancelled: set[int] = set()
        self.stats: Counter[str] = Counter()
        self.outage = Outage()
        self._started = False

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
                await _sleep(self.settings.ua_bot_worker_poll_seconds, stop)
        tasks = [asyncio.create_task(self._lane(p, stop, until_idle=False)) for p in self.pacers]
        tasks.append(asyncio.create_task(self._every(self.update_progress, stop, "progress")))
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

    async def _every(self, fn, stop: asyncio.Event, what: str) -> None:
        every = (
            self.settings.ua_bot_worker_progress_seconds
            if what == "progress"
            else self.settings.ua_bot_worker_housekeeping_seconds
        )
        while not stop.is_set():
            try:
                await fn()
                self.outage.ok()
            except Exception as e:
                if not self.outage.failed(what, e):
                    log.exception("worker %s failed", what)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)

    # -- one platform ---------------------------------------------------------------

    def _claim_size(self, pacer: Pacer) -> int:
        per_two_seconds = int(pacer.pacing.per_second * 2) + 1
        return max(1, min(self.settings.ua_bot_worker_batch, per_two_seconds))

    def _inflight(self, pacer: Pacer) -> int:
        """Messages sent but not yet recorded at once: what a kill may send twice."""
        if self.settings.ua_bot_worker_inflight:
            return self.settings.ua_bot_worker_inflight
        return max(1, math.ceil(pacer.pacing.per_second / 30.0))

    async def _lane(self, platform: str, stop: asyncio.Event, *, until_idle: bool) -> None:
        pacer = self.pacers[platform]
        s = self.settings
        inflight = asyncio.Semaphore(self._inflight(pacer))
        tasks: set[asyncio.Task] = set()
        try:
            while not stop.is_set():
                pause = pacer.paused_for()
                if pause:
                    await _sleep(pause, stop)
                    continue
                now = utcnow()
                lease = dt.timedelta(seconds=s.ua_bot_worker_lease_seconds)
                try:
                    async with self.store.unit() as tx:
                        rows = await tx.claim(
                            platform, self.id, self._claim_size(pacer), now, now + lease
                        )
                    self.outage.ok()
                except Exception as e:
                    if not self.outage.failed("claiming outbox rows", e):
                        log.exception("claiming outbox rows failed")
                    await _sleep(s.ua_bot_worker_poll_seconds, stop)
                    continue
                if rows:
                    # Only pending rows are claimed: their broadcasts are not (or no longer)
                    # cancelled, e.g. an organiser resumed one this worker saw cancelled.
                    self.cancelled -= {r.broadcast_id for r in rows}
                    try:
                        await self._send_rows(pacer, rows, inflight, tasks, stop)
                    except Exception as e:  # reading a broadcast's case: its rows come back
                        if not self.outage.failed("reading a broadcast", e):
                            log.exception("sending claimed rows failed")
                        await _sleep(s.ua_bot_worker_poll_seconds, stop)
                    continue
                if not until_idle:
                    await _sleep(s.ua_bot_worker_poll_seconds, stop)
                    continue
                if tasks:
                    await asyncio.wait(set(tasks))
                    continue
                async with self.store.unit() as tx:
                    left = await tx.pending_count([platform])
                    due = await tx.next_due(platform)
                if not left:
                    return
                wait = (_aware(due) - utcnow()).total_seconds() if due else 0.0
                await asyncio.sleep(min(max(wait, 0.01), s.ua_bot_worker_poll_seconds))
        finally:
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _send_rows(
        self,
        pacer: Pacer,
        rows: Sequence[Claimed],
        inflight: asyncio.Semaphore,
        tasks: set[asyncio.Task],
        stop: asyncio.Event,
    ) -> None:
        queue = deque(rows)
        lease_end = time.monotonic() + self.settings.ua_bot_worker_lease_seconds * 0.8
        try:
            while queue and not stop.is_set():
                pause = pacer.paused_for()
                if pause or time.monotonic() > lease_end:
                    due = utcnow() + dt.timedelta(seconds=pause)
                    await self._release(list(queue), due if pause else None)
                    queue.clear()
                    return
                row = queue.popleft()
                if row.broadcast_id in self.cancelled:
                    continue  # its rows were marked cancelled by the organiser's command
                wait = pacer.wait_for(row.address)
                if wait:
                    due = utcnow() + dt.timedelta(seconds=wait)
                    self._spawn(
                        tasks, self._record(Outcome(row, "retry", due=due, count_attempt=False))
                    )
                    continue
                reply = await self._reply(row.broadcast_id)
                if reply is None:
                    self._spawn(tasks, self._record(Outcome(row, "failed", error="case")))
                    continue
                await inflight.acquire()
                await pacer.acquire()
                if pacer.paused_for() or row.broadcast_id in self.cancelled:
                    pacer.release(sent=False)
                    inflight.release()
                    queue.appendleft(row)
                    continue
                pacer.note(row.address)
                self._spawn(tasks, self._send_one(pacer, row, reply, inflight))
        finally:
            if queue:
                await self._release(list(queue), None)

    @staticmethod
    def _spawn(tasks: set[asyncio.Task], coro) -> None:
        task = asyncio.create_task(coro)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def _send_one(
        self, pacer: Pacer, row: Claimed, reply: Reply, inflight: asyncio.Semaphore
    ) -> None:
        s = self.settings
        try:
            try:
                try:
                    send = pacer.sender.send(row.address, reply)
                    mid = await asyncio.wait_for(send, SEND_TIMEOUT)
                finally:
                    pacer.release()
                outcome = Outcome(row, "sent", message_id=str(mid))
                metrics.MESSAGES_SENT.labels(row.platform).inc()
            except RetryAfter as e:
                pacer.pause(e.seconds)
                self.stats["rate_limited"] += 1
                due = utcnow() + dt.timedelta(seconds=e.seconds)
                outcome = Outcome(row, "retry", due=due, error="rate limited", count_attempt=False)
            except RecipientGone as e:
                outcome = Outcome(row, "gone", error=str(e) or "gone")
            except Exception as e:  # transient: network, server error, timeout, a bug
                metrics.SEND_ERRORS.labels(row.platform).inc()
                error = f"{type(e).__name__}: {e}"[:200]
                attempts = row.attempts + 1
                if attempts >= s.ua_bot_worker_max_attempts:
                    outcome = Outcome(row, "failed", error=error)
                else:
                    delay = min(s.ua_bot_worker_backoff_seconds * 2 ** (attempts - 1), 600.0)
                    due = utcnow() + dt.timedelta(seconds=delay)
                    outcome = Outcome(row, "retry", due=due, error=error)
            await self._record(outcome)
        finally:
            inflight.release()

    async def _record(self, outcome: Outcome) -> None:
        try:
            state = await self._marker.submit(outcome)
        except Exception as e:
            if not self.outage.failed("recording a send", e):
                log.exception("recording a send failed; the row returns when its lease ends")
            return
        self.stats[outcome.kind] += 1
        if state == CANCELLED:
            self.cancelled.add(outcome.row.broadcast_id)

    async def _apply(self, outcomes: Sequence[Outcome]) -> list[str | None]:
        async with self.store.unit() as tx:
            states = await tx.apply_outcomes(outcomes, utcnow())
        return [states.get(o.row.broadcast_id) for o in outcomes]

    async def _release(self, rows: list[Claimed], due: dt.datetime | None) -> None:
        if not rows:
            return
        try:
            async with self.store.unit() as tx:
                await tx.release_claims([r.id for r in rows], due)
        except Exception as e:
            if not self.outage.failed("releasing outbox rows", e):
                log.exception("releasing outbox rows failed; they return when their lease ends")

    async def _reply(self, bid: int) -> Reply | None:
        """The message of a broadcast, built from its case (cached for a minute)."""
        hit = self._replies.get(bid)
        if hit and time.monotonic() - hit[0] < REPLY_TTL:
            return hit[1]
        async with self.store.unit() as tx:
            b = await tx.broadcast(bid)
            case = await tx.get_case(case_id=b.case_id) if b else None
            upd = await tx.case_update(b.update_id) if b and b.update_id else None
            totals = await tx.case_totals(case.id) if case else (0, 0)
        reply: Reply | None = None
        if b is not None and b.state == CANCELLED:
            self.cancelled.add(bid)
        if case is not None and (b.kind == "update" or case.status == CaseStatus.PUBLISHED):
            reply = broadcast_reply(b.kind, case, upd, self.today(), totals)
        self._replies[bid] = (time.monotonic(), reply)
        return reply

    # -- progress, reminders, housekeeping ------------------------------------------

    async def update_progress(self) -> None:
        """Edit each organiser's progress message; mark finished broadcasts done."""
        now = utcnow()
        async with self.store.unit() as tx:
            rows = await tx.sending_broadcasts()
            recent = await tx.reported_broadcasts(now - dt.timedelta(hours=1))
            cancelled = await tx.cancelled_among(self._replies)
        self.cancelled |= cancelled
        depth = 0
        for b in [*rows, *recent]:
            settled = b.sent + b.failed + b.gone + b.cancelled
            if b.state == SENDING:
                depth += max(0, b.total - settled)
                if settled >= b.total:
                    async with self.store.unit() as tx:
                        await tx.finish_broadcast(b.id, now)
                        b = await tx.broadcast(b.id)
            await self._report(b, now)
        metrics.OUTBOX_DEPTH.set(depth)

    async def _report(self, b, now: dt.datetime) -> None:
        if not b.organiser_address:
            return
        pacer = self.pacers.get(b.organiser_address.split(":", 1)[0])
        if pacer is None:
            return
        async with self.store.unit() as tx:
            case = await tx.get_case(case_id=b.case_id)
        text = progress_text(b, case.ua_number if case else "?")
        final = b.state in (DONE, CANCELLED)
        if text == b.progress_text or pacer.paused_for():
            return
        wait = pacer.wait_for(b.organiser_address)
        if wait and not final:
            return
        await asyncio.sleep(wait)  # the last word is worth waiting for the chat's gap
        every = 0.0 if final else self.settings.ua_bot_worker_progress_seconds
        async with self.store.unit() as tx:
            if not await tx.take_progress_turn(b.id, now, every * 0.9):
                return
        reply = Reply.text(text)
        try:
            await pacer.acquire()
            pacer.note(b.organiser_address)
            try:
                if b.progress_message_id:
                    await pacer.sender.edit(b.organiser_address, b.progress_message_id, reply)
                    mid = None
                else:
                    mid = str(await pacer.sender.send(b.organiser_address, reply))
            finally:
                pacer.release()
        except RetryAfter as e:
            pacer.pause(e.seconds)
            return
        except Exception as e:
            log.warning("progress message not updated: %s", type(e).__name__)
            return
        async with self.store.unit() as tx:
            await tx.set_progress(b.id, text, mid)

    async def housekeeping(self) -> None:
        """Deadline reminders, auto-close after the deadline, and old outbox rows."""
        s = self.settings
        today, now = self.today(), utcnow()
        async with self.store.unit() as tx:
            cases = await tx.list_cases((CaseStatus.PUBLISHED.value,))
        for case in cases:
            if case.deadline is None or case.id is None:
                continue
            if s.ua_bot_autoclose_days is not None and today > case.deadline + dt.timedelta(
                days=s.ua_bot_autoclose_days
            ):
                async with self.store.unit() as tx:
                    await tx.set_status(case.id, CaseStatus.CLOSED)
                log.info("closed a case %d days after its deadline", s.ua_bot_autoclose_days)
                continue
            start = case.deadline - dt.timedelta(days=s.ua_bot_reminder_days)
            if s.ua_bot_reminder_days > 0 and start <= today <= case.deadline:
                await queue_reminder(self.store, case, now)
        async with self.store.unit() as tx:
            await tx.purge_broadcasts(now - dt.timedelta(days=s.ua_bot_worker_keep_days))


async def queue_reminder(store: Store, case, now: dt.datetime) -> int | None:
    """Queue the case's deadline reminder once: for subscribers who have not acted."""
    async with store.unit() as tx:
        if any(b.kind == "reminder" for b in await tx.broadcasts_of(case.id)):
            return None
        audience = Audience(case.id, "reminders", case.country, acted=False)
        _, added, _ = await tx.open_broadcast(case.id, "reminder", None, [audience], None, now)
    return added


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


async def _sleep(seconds: float, stop: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), max(seconds, 0.0))
