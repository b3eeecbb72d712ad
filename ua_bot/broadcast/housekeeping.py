"""Housekeeping: deadline reminders, auto-close after the deadline, old outbox rows and counters."""

from __future__ import annotations

import datetime as dt
import logging

from case_store import Audience, Store
from ua_bot.cases import lifecycle
from ua_bot.config import Settings
from ua_bot.model import Case, CaseStatus

log = logging.getLogger("ua_bot.worker")


async def keep_house(store: Store, settings: Settings, today: dt.date, now: dt.datetime) -> None:
    """Deadline reminders, auto-close after the deadline, and old outbox rows."""
    s = settings
    async with store.unit() as tx:
        cases = await tx.list_cases((CaseStatus.PUBLISHED.value,))
    for case in cases:
        if case.deadline is None or case.id is None:
            continue
        if s.ua_bot_autoclose_days is not None and today > case.deadline + dt.timedelta(
            days=s.ua_bot_autoclose_days
        ):
            async with store.unit() as tx:
                await lifecycle.auto_close(tx, case.id)
            log.info("closed a case %d days after its deadline", s.ua_bot_autoclose_days)
            continue
        start = case.deadline - dt.timedelta(days=s.ua_bot_reminder_days)
        if s.ua_bot_reminder_days > 0 and start <= today <= case.deadline:
            await queue_reminder(store, case, now)
    async with store.unit() as tx:
        await tx.purge_broadcasts(now - dt.timedelta(days=s.ua_bot_worker_keep_days))
        await tx.forget_hits(now.timestamp())  # flood and daily counters of past windows


async def queue_reminder(store: Store, case: Case, now: dt.datetime) -> int | None:
    """Queue the case's deadline reminder once: for subscribers who have not acted."""
    async with store.unit() as tx:
        if any(b.kind == "reminder" for b in await tx.broadcasts_of(case.stored_id)):
            return None
        audience = Audience(case.stored_id, "reminders", case.country, acted=False)
        _, added, _ = await tx.open_broadcast(
            case.stored_id, "reminder", None, [audience], None, now
        )
    return added
