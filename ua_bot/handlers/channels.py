"""Broadcast channels: an organiser marks a group chat to receive case announcements."""

from __future__ import annotations

from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.messages import Reply


@command(
    "broadcast_here",
    "Announce new cases in this chat ('off' stops it)",
    args="[off]",
    organiser=True,
    workspace_scoped=True,
)
async def broadcast_here(ctx: Context) -> Reply:
    inc = ctx.incoming
    if ctx.args.lower() in ("off", "stop", "no"):
        async with ctx.unit() as tx:
            removed = await tx.remove_broadcast_channel(inc.address)
        if not removed:
            return Reply.text("This chat was not a broadcast channel.", private=True)
        return Reply.text("This chat no longer receives case announcements.", private=True)
    if ctx.args:
        return Reply.text("Usage: /broadcast_here, or /broadcast_here off", private=True)
    async with ctx.unit() as tx:
        added = await tx.add_broadcast_channel(inc.address, inc.platform, inc.workspace)
    if not added:
        return Reply.text(
            "This chat already receives case announcements. /broadcast_here off stops them.",
            private=True,
        )
    return Reply.text(
        "This chat will receive case announcements. /broadcast_here off stops them.",
        private=True,
    )
