"""An organiser's word on a contact supporters report broken (``ua_bot/contact_health.py``)."""

from __future__ import annotations

from ua_bot.cases.audit import Change, record
from ua_bot.cases.common import CaseServices, Who, case_by_id, unit

REPORTED, CONFIRMED = "reported broken", "confirmed by an organiser"


async def confirm_contact(
    core: CaseServices, who: Who, case_id: int, target_no: int, channel: str
) -> bool:
    """The organiser confirms target ``target_no``'s ``channel``: its warning ends and
    reports count anew, with a change-log row. False when no warning was raised for it."""
    async with unit(core.store, who) as tx:
        case = await case_by_id(tx, case_id)
        ended = await tx.end_contact_warning(case_id, target_no, channel)
        if ended:
            field = f"target {target_no} {channel} contact"
            await record(tx, who, case, [Change(field, REPORTED, CONFIRMED)])
    return ended
