"""A supporter's own data: /subscribe, /unsubscribe, /forget_me."""

from __future__ import annotations

from case_store.supporters import KEEP
from ua_bot import markup as md
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.messages import Reply

TOPIC_WORDS = {
    "all": "all",
    "everything": "all",
    "new": "new",
    "cases": "new",
    "update": "updates",
    "updates": "updates",
    "outcomes": "updates",
    "reminder": "reminders",
    "reminders": "reminders",
}
TOPIC_NAMES = {"new": "new cases", "updates": "updates", "reminders": "deadline reminders"}
SUBSCRIBE_USAGE = (
    "Usage: /subscribe, /subscribe new|updates|reminders (one or more), /subscribe all, "
    "or /subscribe country NAME (/subscribe country any to drop it)."
)


def describe(topics: str, country: str | None) -> str:
    if topics == "all":
        what = "new cases, updates and deadline reminders"
    else:
        names = [TOPIC_NAMES[t] for t in ("new", "updates", "reminders") if t in topics]
        what = " and ".join(names) or "nothing"
    if country:
        what += f" (cases in {md.esc(country)} only)"
    return what


def parse_topics(args: str) -> str:
    words = args.lower().replace(",", " ").split()
    topics = set()
    for w in words:
        if w not in TOPIC_WORDS:
            raise UserError(f"I don't know the topic {md.esc(w[:30])!s}. {SUBSCRIBE_USAGE}")
        topics.add(TOPIC_WORDS[w])
    if "all" in topics or topics >= {"new", "updates", "reminders"}:
        return "all"
    return ",".join(t for t in ("new", "updates", "reminders") if t in topics)


@command(
    "subscribe",
    "Get new cases, updates and reminders here (or choose: new, updates, reminders, country)",
    args="[all|new|updates|reminders|country NAME]",
)
async def subscribe(ctx: Context) -> Reply:
    words = ctx.args.split(maxsplit=1)
    topics: str | None = None
    country: object = KEEP
    if words and words[0].lower() == "country":
        name = " ".join(words[1].split()) if len(words) > 1 else ""
        if not name or len(name) > 100:
            raise UserError("Which country? For example /subscribe country Peru.")
        country = None if name.lower() in ("any", "all", "none") else name
    elif words:
        topics = parse_topics(ctx.args)
    async with ctx.unit() as tx:
        new = await tx.subscribe(ctx.supporter_key, ctx.incoming.address, topics, country)
        sub = next(
            (
                x
                for x in await tx.subscriptions_of(ctx.supporter_key)
                if x.address == ctx.incoming.address
            ),
            None,
        )
    what = describe(sub.topics, sub.country) if sub else "everything"
    if not new and topics is None and country is KEEP:
        return Reply.text(
            f"You are already subscribed here to {what}. /unsubscribe to stop.", private=True
        )
    if not new:
        return Reply.text(f"Done: this chat now gets {what}.", private=True)
    return Reply.text(
        f"Subscribed: {what} will come to this chat. /unsubscribe stops them.",
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
