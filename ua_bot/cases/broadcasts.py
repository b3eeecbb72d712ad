"""Queue a broadcast, post an update: the outbox rows are written here, the worker sends.

Whatever the door, the answer says when no worker has been seen lately (the worker writes
a heartbeat), since nothing queued would then move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from case_store import Audience, Tx, now
from ua_bot.cases.audit import Change, record
from ua_bot.cases.common import CaseServices, Who, case_by_id, ua, unit
from ua_bot.errors import UserError
from ua_bot.model import Case, CaseStatus

MAX_UPDATE = 2500
NO_WORKER = "queued: no worker is running, start `ua-bot worker` to send it"


def worker_silence(settings_progress_seconds: float) -> dt.timedelta:
    """How long without a heartbeat before the worker counts as not running."""
    return dt.timedelta(seconds=max(60.0, 10 * settings_progress_seconds))


@dataclass(frozen=True)
class Queued:
    """What a broadcast queued: its row (counts of this broadcast only), the recipients
    added, the cancelled ones resumed, and whether a worker was seen lately."""

    broadcast: Any
    added: int
    resumed: int
    worker_running: bool
    update_id: int | None = None


def audiences(case: Case, kind: str, everyone: bool) -> list[Audience]:
    """Who gets a broadcast of ``kind``, in the order they get it."""
    assert case.id is not None
    if kind == "reminder":
        return [Audience(case.id, "reminders", case.country, acted=False)]
    if kind == "update":
        first = [Audience(case.id, "updates", acted=True)]
        if everyone:
            first.append(Audience(case.id, "updates", case.country, acted=False))
        return first
    return [Audience(case.id, "new", case.country)]


async def worker_running(core: CaseServices, tx: Tx) -> bool:
    beat = await tx.last_worker_beat()
    silence = worker_silence(core.settings.ua_bot_worker_progress_seconds)
    return beat is not None and core.now() - beat < silence


async def _open(
    core: CaseServices, who: Who, tx: Tx, case: Case, kind: str, update_id: int | None,
    everyone: bool,
) -> Queued:  # fmt: skip
    assert case.id is not None
    bid, added, resumed = await tx.open_broadcast(
        case.id, kind, update_id, audiences(case, kind, everyone), who.address, now()
    )
    if added or resumed:
        what = f"{kind}{' to everyone' if everyone else ''}: {added} added, {resumed} resumed"
        await record(tx, who, case, [Change("broadcast", "", what)])
    return Queued(
        await tx.broadcast(bid), added, resumed, await worker_running(core, tx), update_id
    )


async def queue_broadcast(
    core: CaseServices, who: Who, case_id: int, kind: str, everyone: bool = False
) -> Queued:
    """Queue a broadcast of ``kind`` (new, update: the latest, reminder)."""
    async with unit(core.store, who) as tx:
        case = await case_by_id(tx, case_id)
        update_id = None
        if kind == "update":
            assert case.id is not None
            update_id = await tx.latest_update_id(case.id)
            if update_id is None:
                raise UserError(
                    f"{ua(case)} has no update yet. Write one with /update {case.ua_number} TEXT."
                )
        elif case.status != CaseStatus.PUBLISHED:
            raise UserError(f"{ua(case)} is not published: /publish {case.ua_number} first.")
        return await _open(core, who, tx, case, kind, update_id, everyone)


async def cancel_broadcasts(core: CaseServices, who: Who, case_id: int) -> int:
    """Stop what is waiting of a case's broadcasts; how many messages were stopped."""
    async with unit(core.store, who) as tx:
        case = await case_by_id(tx, case_id)
        stopped = await tx.cancel_broadcasts(case_id, now())
        if stopped:
            await record(tx, who, case, [Change("broadcast", "", f"cancelled: {stopped}")])
    return stopped


async def post_update(
    core: CaseServices, who: Who, case_id: int, text: str, outcome: str = "",
    everyone: bool = False,
) -> Queued:  # fmt: skip
    """Store an update (its delivery claimed first, in the same transaction) and queue it
    for the supporters who acted (``everyone``: every subscriber too)."""
    text = text.strip()
    if len(text) > MAX_UPDATE:
        raise UserError(f"That update is too long: keep it under {MAX_UPDATE:,} characters.")
    async with unit(core.store, who) as tx:
        case = await case_by_id(tx, case_id)
        assert case.id is not None
        update_id = await tx.add_update(case.id, text=text, outcome=outcome)
        changes = [Change("update", "", text)]
        if outcome and outcome != case.outcome:
            changes.append(Change("outcome", case.outcome, outcome))
        await record(tx, who, case, changes)
        queued = await _open(core, who, tx, case, "update", update_id, everyone)
    core.cases.invalidate()  # the case card shows the update at once
    return queued
