"""``/remind_call``: a reminder, through the outbox, when an official's office opens."""

from __future__ import annotations

from ua_bot.callbacks import next_opening, reminder_key
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.drafting import phones
from ua_bot.errors import UserError
from ua_bot.markup import esc
from ua_bot.messages import Reply
from ua_bot.model import CaseStatus

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@command(
    "remind_call",
    "Remind me to call when the official's office opens",
    args="UA TARGET",
    personal=True,
    hidden=True,  # the button under an off-hours /call says it
)
async def remind_call(ctx: Context) -> Reply:
    t = ctx.t
    ua, rest = ctx.split_ua()
    case = await ctx.resolve_case(ua)
    words = rest.split()
    target = case.target(int(words[0])) if len(words) == 1 and words[0].isdigit() else None
    if target is None or not target.phones:
        raise UserError(t("callback.usage", ua=esc(case.ua_number)))
    if ctx.incoming.replies_public:  # a reminder is for one supporter's own chat
        return Reply.text(t("callback.private"), private=True)
    if case.status != CaseStatus.PUBLISHED:
        return Reply.text(t("took.closed", ua=esc(case.ua_number), outcome=""), private=True)
    no = int(words[0])
    due = next_opening(target.phones[0], ctx.core.now())
    if due is None:
        raise UserError(t("callback.no_zone", name=esc(target.name)))
    async with ctx.unit() as tx:
        await tx.supporter_id(ctx.supporter_key, create=True)  # so /forget_me finds them
        added = await tx.queue_call_reminder(
            reminder_key(case.stored_id, no, due), case.stored_id, ctx.incoming.address, due
        )
    local = due.astimezone(phones.zone_for(target.phones[0]))
    day = t(f"weekday.{WEEKDAYS[local.weekday()]}")
    key = "callback.queued" if added else "callback.already"
    return Reply.text(
        t(key, name=esc(target.name), time=f"{local:%H:%M}", day=day, utc=f"{due:%H:%M}"),
        private=True,
    )
