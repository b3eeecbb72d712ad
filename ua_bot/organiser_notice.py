"""Telling organisers, once, that supporters report one of a case's contacts broken.

The message goes through the outbox (a ``contact`` broadcast to every address in
``UA_BOT_ORGANISERS``: an organiser's id is their own chat's address), so the worker sends
it with the same pacing, retries and renderers as every broadcast.
"""

from __future__ import annotations

from case_store import Store
from ua_bot.contact_health import active_warnings, warning_text
from ua_bot.i18n import ENGLISH
from ua_bot.markup import esc
from ua_bot.messages import Button, Buttons, Reply, Text
from ua_bot.model import Case


async def contact_notice(store: Store, case: Case) -> Reply | None:
    """What the worker sends organisers: the case's contacts reported broken, and what to do."""
    warnings = await active_warnings(store, case)
    if not warnings:
        return None  # corrected or confirmed before it went out
    ua = case.ua_number
    lines = [f"*Contacts reported broken in UA {esc(ua)}*"]
    rows = []
    for w in warnings:
        lines.append(warning_text(case, w, ENGLISH))
        label = f"Confirm {w.channel} {w.target_no}"
        rows.append([Button(label, f"/contact_ok {ua} {w.target_no} {w.channel}")])
    lines += [
        "",
        "Correct the contact on the case page, or confirm it is right with /contact\\_ok "
        f"{esc(ua)} TARGET CHANNEL: either ends the warning.",
    ]
    reply = Reply([Text("\n".join(lines)), Buttons.of(*rows)])
    reply.meta["case"] = ua
    return reply
