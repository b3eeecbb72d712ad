"""A case's goal in actions (shown on its card and in /stats)."""

from __future__ import annotations

from ua_bot.cases.audit import Change, record, show
from ua_bot.cases.common import CaseServices, Who, case_by_id, unit
from ua_bot.model import Case


async def set_goal(core: CaseServices, who: Who, case_id: int, goal: int | None) -> Case:
    """Set (``None``: clear) the goal; the case as it is now."""
    async with unit(core.store, who) as tx:
        old = await case_by_id(tx, case_id)
        if old.goal != goal:
            await tx.set_goal(case_id, goal)
            await record(tx, who, old, [Change("goal", show(old.goal), show(goal))])
        new = await case_by_id(tx, case_id)
    core.cases.invalidate()
    return new
