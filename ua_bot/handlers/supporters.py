"""A supporter's own data: /subscribe, /unsubscribe, /forget_me."""

from __future__ import annotations

from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.messages import Reply


@command("subscribe", "Get new cases, updates and reminders here")
async def subscribe(ctx: Context) -> Reply:
    async with ctx.unit() as tx:
        new = await tx.subscribe(ctx.supporter_key, ctx.incoming.address)
    if not new:
        return Reply.text("You are already subscribed here. /unsubscribe to stop.", private=True)
    return Reply.text(
        "Subscribed: new cases, updates and deadline reminders will come to this chat. "
        "/unsubscribe stops them.",
        private=True,
    )


@command("unsubscribe", "Stop messages from the bot in this chat")
async def unsubscribe(ctx: Context) -> Reply:
    async with ctx.unit() as tx:
        n = await tx.unsubscribe(ctx.supporter_key, ctx.incoming.address)
    if not n:
        return Reply.text("You were not subscribed here.", private=True)
    return Reply.text("Unsubscribed. /subscribe brings you back.", private=True)


@command("forget_me", "Delete everything stored about you")
async def forget_me(ctx: Context) -> Reply:
    async with ctx.unit() as tx:
        found = await tx.forget_supporter(ctx.supporter_key)
        if ctx.incoming.private:
            await tx.forget_chat(ctx.chat_key)
    if ctx.incoming.private:
        ctx.core.forget_chat_cache(ctx.chat_key)
    if not found:
        return Reply.text("There is nothing stored about you.", private=True)
    return Reply.text(
        "Done: everything stored about you is deleted. The actions you took still count in "
        "the totals, with nothing that links them to you.",
        private=True,
    )
