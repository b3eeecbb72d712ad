"""``/late_appeals``: the organisers' call on appeals after a case's deadline."""

from __future__ import annotations

from ua_bot.cases.settings import set_late_appeals
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.late_appeals import POLICIES, late_policy
from ua_bot.markup import esc
from ua_bot.messages import Reply

MEANING = {
    "encourage": "replies after the deadline say late appeals can still help",
    "check": "replies after the deadline ask supporters to check with you first",
    "stop": "replies after the deadline ask for no more appeals, and none is recorded",
}


@command(
    "late_appeals",
    "After a case's deadline: encourage, check or stop late appeals",
    args="UA [encourage|check|stop|default]",
    organiser=True,
)
async def late_appeals(ctx: Context) -> Reply:
    case, rest = await ctx.named_case(
        "/late_appeals UA encourage|check|stop|default, for example /late_appeals 253/17 stop",
        "/stats lists the open cases.",
    )
    ua = esc(case.ua_number)
    word = rest.strip().lower()
    default = ctx.core.settings.ua_bot_late_appeals
    if not word:
        now = late_policy(case)
        return Reply.text(f"Late appeals for UA {ua}: {now} ({MEANING[now]}).")
    if word not in (*POLICIES, "default"):
        raise UserError(
            f"Choose encourage, check, stop or default, for example /late_appeals {ua} stop."
        )
    await set_late_appeals(ctx.core, ctx.who, case.stored_id, None if word == "default" else word)
    policy = default if word == "default" else word
    return Reply.text(f"Late appeals for UA {ua}: {policy} ({MEANING[policy]}).")
