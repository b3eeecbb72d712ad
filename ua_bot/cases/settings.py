"""A case's settings the organisers choose: today its late-appeals policy."""

from __future__ import annotations

from ua_bot.cases.audit import Change, record
from ua_bot.cases.common import CaseServices, Who, case_by_id, unit
from ua_bot.model import Case


async def set_late_appeals(core: CaseServices, who: Who, case_id: int, policy: str | None) -> Case:
    """Set (``None``: back to the deployment's UA_BOT_LATE_APPEALS) what replies say after
    the case's deadline; one change-log row when it changes. The case as it is now."""
    async with unit(core.store, who) as tx:
        old = await case_by_id(tx, case_id)
        if old.late_appeals != (policy or ""):
            await tx.set_late_appeals(case_id, policy)
            await record(tx, who, old, [Change("late_appeals", old.late_appeals, policy or "")])
        new = await case_by_id(tx, case_id)
    core.cases.invalidate()
    return new
