"""The worker's lanes: one per platform, claiming due rows and sending them at its pace.

Mixed into :class:`ua_bot.broadcast.worker.Worker`, which holds the state used here.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import time
from collections import Counter, deque
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from case_store import CANCELLED, Batcher, Claimed, Outcome, Store, now
from ua_bot import metrics
from ua_bot.broadcast.messages import broadcast_reply
from ua_bot.broadcast.outage import Outage
from ua_bot.broadcast.pacing import Pacer
from ua_bot.broadcast.sender import RecipientGone, RetryAfter
from ua_bot.callbacks import call_reminder
from ua_bot.config import Settings
from ua_bot.messages import Reply
from ua_bot.model import CaseStatus
from ua_bot.organiser_notice import contact_notice

log = logging.getLogger("ua_bot.worker")
SEND_TIMEOUT = 30.0
REPLY_TTL = 60.0


class Lanes:
    """Claim, send and record: what each platform's lane does."""

    store: Store
    settings: Settings
    id: str
    pacers: dict[str, Pacer]
    outage: Outage
    cancelled: set[int]
    stats: Counter[str]
    idle_polls: int  # polls that claimed nothing with nothing in flight
    _marker: Batcher[Outcome, str | None]
    _replies: dict[int, tuple[float, Reply | None]]
    today: Callable[[], dt.date]

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
        tasks: set[asyncio.Task[None]] = set()
        try:
            while not stop.is_set():
                pause = pacer.paused_for()
                if pause:
                    await wait_or_stop(pause, stop)
                    continue
                at = now()
                lease = dt.timedelta(seconds=s.ua_bot_worker_lease_seconds)
                try:
                    async with self.store.unit() as tx:
                        rows = await tx.claim(
                            platform, self.id, self._claim_size(pacer), at, at + lease
                        )
                    self.outage.ok()
                except Exception as e:
                    if not self.outage.failed("claiming outbox rows", e):
                        log.exception("claiming outbox rows failed")
                    await wait_or_stop(s.ua_bot_worker_poll_seconds, stop)
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
                        await wait_or_stop(s.ua_bot_worker_poll_seconds, stop)
                    continue
                if not tasks:
                    self.idle_polls += 1
                if not until_idle:
                    await wait_or_stop(s.ua_bot_worker_poll_seconds, stop)
                    continue
                if tasks:
                    await asyncio.wait(set(tasks))
                    continue
                async with self.store.unit() as tx:
                    left = await tx.pending_count([platform])
                    due = await tx.next_due(platform)
                if not left:
                    return
                wait = (_aware(due) - now()).total_seconds() if due else 0.0
                await asyncio.sleep(min(max(wait, 0.01), s.ua_bot_worker_poll_seconds))
        finally:
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _send_rows(
        self,
        pacer: Pacer,
        rows: Sequence[Claimed],
        inflight: asyncio.Semaphore,
        tasks: set[asyncio.Task[None]],
        stop: asyncio.Event,
    ) -> None:
        queue = deque(rows)
        lease_end = time.monotonic() + self.settings.ua_bot_worker_lease_seconds * 0.8
        try:
            while queue and not stop.is_set():
                pause = pacer.paused_for()
                if pause or time.monotonic() > lease_end:
                    due = now() + dt.timedelta(seconds=pause)
                    await self._release(list(queue), due if pause else None)
                    queue.clear()
                    return
                row = queue.popleft()
                if row.broadcast_id in self.cancelled:
                    continue  # its rows were marked cancelled by the organiser's command
                wait = pacer.wait_for(row.address)
                if wait:
                    due = now() + dt.timedelta(seconds=wait)
                    self._spawn(
                        tasks, self._record(Outcome(row, "retry", due=due, count_attempt=False))
                    )
                    continue
                reply = await self._reply(row.broadcast_id)
                if reply is None:
                    self._spawn(tasks, self._record(Outcome(row, "failed", error="case")))
                    continue
                await inflight.acquire()
                try:
                    await pacer.acquire(row.address)  # the shared budget: a store read
                except BaseException:
                    inflight.release()
                    queue.appendleft(row)
                    raise
                # Waiting for the shared budget may outlast the lease: then another worker
                # may have the row; it goes back with the rest, unsent.
                late = time.monotonic() > lease_end
                if late or pacer.paused_for() or row.broadcast_id in self.cancelled:
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
    def _spawn(tasks: set[asyncio.Task[None]], coro: Coroutine[Any, Any, None]) -> None:
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
                pacer.pause(e.seconds, row.address)
                self.stats["rate_limited"] += 1
                due = now() + dt.timedelta(seconds=e.seconds)
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
                    due = now() + dt.timedelta(seconds=delay)
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
            states = await tx.apply_outcomes(outcomes, now())
        return [states.get(o.row.broadcast_id) for o in outcomes]

    async def _release(self, rows: list[Claimed], due: dt.datetime | None) -> None:
        if not rows:
            return
        try:
            async with self.store.unit() as tx:
                await tx.release_claims([r.id for r in rows], due, by=self.id)
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
            totals = await tx.case_totals(case.stored_id) if case else (0, 0)
        reply: Reply | None = None
        if case is not None:  # the deployment's late-appeals policy, as the case cache fills in
            case.late_appeals = case.late_appeals or self.settings.ua_bot_late_appeals
        if b is not None and b.state == CANCELLED:
            self.cancelled.add(bid)
        if case is not None and b.kind == "contact":  # to organisers (ua_bot/organiser_notice)
            reply = await contact_notice(self.store, case)
        elif case is not None and b.kind == "call":  # an office-hours reminder
            reply = call_reminder(case, b.key) if case.status == CaseStatus.PUBLISHED else None
        elif case is not None and (b.kind == "update" or case.status == CaseStatus.PUBLISHED):
            reply = broadcast_reply(b.kind, case, upd, self.today(), totals)
        self._replies[bid] = (time.monotonic(), reply)
        return reply


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


async def wait_or_stop(seconds: float, stop: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), max(seconds, 0.0))
