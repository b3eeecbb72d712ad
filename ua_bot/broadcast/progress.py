"""The organiser's progress message of each broadcast, edited as rows are settled.

Mixed into :class:`ua_bot.broadcast.worker.Worker`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from case_store import CANCELLED, DONE, SENDING, Store
from case_store import now as utcnow
from ua_bot import metrics
from ua_bot.broadcast.messages import progress_text
from ua_bot.broadcast.pacing import Pacer
from ua_bot.broadcast.sender import RetryAfter
from ua_bot.config import Settings
from ua_bot.messages import Reply

log = logging.getLogger("ua_bot.worker")


class ProgressReports:
    """Edit each organiser's progress message; mark finished broadcasts done."""

    store: Store
    settings: Settings
    pacers: dict[str, Pacer]
    cancelled: set[int]
    _replies: dict[int, tuple[float, Reply | None]]

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

    async def _report(self, b: Any, now: dt.datetime) -> None:
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
            await pacer.acquire(b.organiser_address)
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
            pacer.pause(e.seconds, b.organiser_address)
            return
        except Exception as e:
            log.warning("progress message not updated: %s", type(e).__name__)
            return
        async with self.store.unit() as tx:
            await tx.set_progress(b.id, text, mid)
