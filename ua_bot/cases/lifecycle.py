"""Publish, close with an outcome, reopen: a case's status and outcome."""

from __future__ import annotations

from dataclasses import dataclass

from case_store import Tx
from ua_bot.cases.audit import Change, record
from ua_bot.cases.common import CaseServices, Who, case_by_id, ua, unit
from ua_bot.errors import UserError
from ua_bot.model import Case, CaseStatus

MAX_OUTCOME = 500


@dataclass(frozen=True)
class StatusChange:
    """The case after the change; the outcome it had before."""

    case: Case
    outcome_before: str


def _refuse(case: Case) -> UserError:
    u, n = ua(case), case.ua_number
    return UserError(
        {
            CaseStatus.DRAFT: f"{u} is a draft: /publish {n} first.",
            CaseStatus.PUBLISHED: f"{u} is already open.",
            CaseStatus.CLOSED: f"{u} is closed: /reopen {n} to open it again.",
        }[case.status]
    )


async def _apply(
    tx: Tx,
    who: Who,
    case_id: int,
    status: CaseStatus,
    outcome: str | None,
    allowed: tuple[CaseStatus, ...],
) -> StatusChange:
    old = await case_by_id(tx, case_id)
    if old.status not in allowed:
        raise _refuse(old)
    await tx.set_status(case_id, status, outcome=outcome)
    new = await case_by_id(tx, case_id)
    changes = [
        Change(f, a, b)
        for f, a, b in (
            ("status", old.status.value, new.status.value),
            ("outcome", old.outcome, new.outcome),
        )
        if a != b
    ]
    await record(tx, who, new, changes)
    return StatusChange(new, old.outcome)


async def _set(
    core: CaseServices,
    who: Who,
    case_id: int,
    status: CaseStatus,
    outcome: str | None,
    allowed: tuple[CaseStatus, ...],
    tx: Tx | None = None,
) -> StatusChange:
    if tx is not None:
        return await _apply(tx, who, case_id, status, outcome, allowed)
    async with unit(core.store, who) as own:
        done = await _apply(own, who, case_id, status, outcome, allowed)
    core.cases.invalidate()
    return done


async def publish(
    core: CaseServices, who: Who, case_id: int, *, tx: Tx | None = None
) -> StatusChange:
    """A draft (or a closed case) goes live: supporters see it and may act."""
    return await _set(
        core, who, case_id, CaseStatus.PUBLISHED, None, (CaseStatus.DRAFT, CaseStatus.CLOSED), tx
    )


async def close(core: CaseServices, who: Who, case_id: int, outcome: str = "") -> StatusChange:
    """Close a case; ``outcome`` (may be empty: the outcome it has stays) is recorded.
    Closing a closed case again changes its outcome."""
    outcome = outcome.strip()[:MAX_OUTCOME]
    return await _set(
        core,
        who,
        case_id,
        CaseStatus.CLOSED,
        outcome or None,
        (CaseStatus.PUBLISHED, CaseStatus.CLOSED),
    )


WORKER = Who("ua-bot worker")  # the change log's "who" for what the worker does itself


async def auto_close(tx: Tx, case_id: int) -> StatusChange:
    """The worker closes a published case long past its deadline (in the worker's ``tx``;
    other processes' case caches see the change within seconds)."""
    return await _apply(tx, WORKER, case_id, CaseStatus.CLOSED, None, (CaseStatus.PUBLISHED,))


async def reopen(core: CaseServices, who: Who, case_id: int) -> StatusChange:
    """Open a closed case again, or end the outcome of an open one (``released: ...``):
    either way the outcome ends, so supporters are asked to act again."""
    async with unit(core.store, who) as tx:
        case = await case_by_id(tx, case_id)
        if case.status == CaseStatus.PUBLISHED and not case.outcome:
            raise _refuse(case)
        done = await _set(
            core,
            who,
            case_id,
            CaseStatus.PUBLISHED,
            "",
            (CaseStatus.CLOSED, CaseStatus.PUBLISHED),
            tx,
        )
    core.cases.invalidate()
    return done
