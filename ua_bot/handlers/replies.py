"""Officials' replies: a supporter passes one on (``/official_reply``), organisers read and
delete them (``/replies``). Nothing about the sender is kept with a reply."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.markup import esc
from ua_bot.messages import Reply
from ua_bot.model import Case

MAX_CHARS = 4000
SHOWN_CHARS = 300


@command(
    "official_reply",
    "Pass on an official's reply to your message (kept for the organisers, without you)",
    args="UA TARGET TEXT",
)
async def official_reply(ctx: Context) -> Reply:
    t = ctx.t
    ua, rest = ctx.split_ua()
    case = await ctx.resolve_case(ua)
    no, _, text = rest.partition(" ")
    text = text.strip()
    if not no.isdigit() or case.target(int(no)) is None or not text:
        raise UserError(t("reply.usage", ua=esc(case.ua_number)))
    if len(text) > MAX_CHARS:
        raise UserError(t("reply.too_long", limit=f"{MAX_CHARS:,}"))
    async with ctx.unit() as tx:
        await tx.keep_reply(case.stored_id, int(no), text)
    name = esc(case.targets[int(no) - 1].name)
    return Reply.text(t("reply.kept", name=name, ua=esc(case.ua_number)), private=True)


def replies_text(case: Case, rows: list[Any]) -> str:
    """Per official: how many replies, then each (id, date, the start of the text)."""
    ua = esc(case.ua_number)
    if not rows:
        return f"No official has replied to UA {ua} yet, as far as supporters told me."
    per = Counter(r.target_no for r in rows)
    lines = [f"*Replies from officials, UA {ua}*"]
    for no in sorted(per):
        target = case.target(no)
        name = target.name if target else f"target {no}"
        lines += ["", f"*{no}. {esc(name)}*: {per[no]} repl{'y' if per[no] == 1 else 'ies'}"]
        for r in rows:
            if r.target_no == no:
                text = r.text if len(r.text) <= SHOWN_CHARS else r.text[:SHOWN_CHARS] + "…"
                lines.append(f"#{r.id}, {r.created_at:%d %b %Y}: {esc(text)}")
    lines += ["", f"Delete one with /replies {ua} delete ID."]
    return "\n".join(lines)


@command(
    "replies",
    "Officials' replies that supporters passed on; delete one",
    args="UA [delete ID]",
    organiser=True,
)
async def replies(ctx: Context) -> Reply:
    case, rest = await ctx.named_case("/replies UA", "/cases lists the open cases.")
    words = rest.lower().split()
    if words and (len(words) != 2 or words[0] != "delete" or not words[1].isdigit()):
        raise UserError(f"Usage: /replies {esc(case.ua_number)} [delete ID].")
    if words:
        async with ctx.unit() as tx:
            gone = await tx.delete_reply(case.stored_id, int(words[1]))
        if not gone:
            raise UserError(f"UA {esc(case.ua_number)} has no reply #{words[1]}.")
        return Reply.text(f"Deleted reply #{words[1]} of UA {esc(case.ua_number)}.")
    async with ctx.store.unit() as tx:
        rows = await tx.replies_of(case.stored_id)
    return Reply.text(replies_text(case, rows))
