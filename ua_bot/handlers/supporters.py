"""A supporter's own data: /subscribe, /unsubscribe, /forget_me."""

from __future__ import annotations

from ua_bot import markup as md
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


@command("my_data", "Everything stored about you")
async def my_data(ctx: Context) -> Reply:
    async with ctx.store.unit() as tx:
        who = await tx.supporter(ctx.supporter_key)
        subs = await tx.subscriptions_of(ctx.supporter_key)
        acts = await tx.supporter_actions(ctx.supporter_key)
    if who is None:
        return Reply.text("There is nothing stored about you.", private=True)
    lines = [
        "*What is stored about you*",
        f"A key made from your account id (not the id itself), since {who.created_at:%d %B %Y}.",
    ]
    if who.lang:
        lines.append(f"Language: {md.esc(who.lang)}")
    if who.signature:
        lines.append(f"Signature: {md.esc(who.signature)}")
    for s in subs:
        lines.append(f"Subscription: this chat ({md.esc(s.topics)}) since {s.created_at:%d %B %Y}")
    for a in acts:
        target = f", target {a.target_no}" if a.target_no else ""
        lines.append(f"Action: {a.action_type} for UA {md.esc(a.ua_number)}{target} on {a.day}")
    lines.append("/forget_me deletes all of it.")
    return Reply.text("\n".join(lines), private=True)
