"""A supporter's own data: /subscribe, /unsubscribe, /forget_me."""

from __future__ import annotations

from case_store import KEEP
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.handlers.drafts import language_name
from ua_bot.i18n import ENGLISH, Translator
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply
from ua_bot.stats import target_label

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
TOPICS = ("new", "updates", "reminders")


def describe(topics: str, country: str | None, t: Translator = ENGLISH) -> str:
    if topics == "all":
        what = t("subscribe.all")
    else:
        names = [t(f"subscribe.{x}") for x in TOPICS if x in topics]
        what = names[0] if names else t("subscribe.nothing")
        for name in names[1:]:
            what = t("subscribe.and", first=what, last=name)
    if country:
        what = t("subscribe.country_only", what=what, country=esc(t.country(country)))
    return what


def parse_topics(args: str, t: Translator = ENGLISH) -> str:
    words = args.lower().replace(",", " ").split()
    topics = set()
    for w in words:
        if w not in TOPIC_WORDS:
            raise UserError(
                t("subscribe.unknown_topic", topic=esc(w[:30]), usage=t("subscribe.usage"))
            )
        topics.add(TOPIC_WORDS[w])
    if "all" in topics or topics >= {"new", "updates", "reminders"}:
        return "all"
    return ",".join(t for t in ("new", "updates", "reminders") if t in topics)


@command(
    "subscribe",
    "Get new cases, updates and reminders here (or choose: new, updates, reminders, country)",
    args="[all|new|updates|reminders|country NAME]",
    group_admin=True,
)
async def subscribe(ctx: Context) -> Reply:
    t = ctx.t
    words = ctx.args.split(maxsplit=1)
    topics: str | None = None
    country: str | type[KEEP] | None = KEEP
    if words and words[0].lower() == "country":
        name = " ".join(words[1].split()) if len(words) > 1 else ""
        if not name or len(name) > 100:
            raise UserError(t("subscribe.which_country"))
        country = None if name.lower() in ("any", "all", "none") else name
    elif words:
        topics = parse_topics(ctx.args, t)
    async with ctx.unit() as tx:
        shared = not ctx.incoming.private  # a group: not for what only those who acted get
        new = await tx.subscribe(
            ctx.supporter_key, ctx.incoming.address, topics, country, shared=shared
        )
        sub = next(
            (
                x
                for x in await tx.subscriptions_of(ctx.supporter_key)
                if x.address == ctx.incoming.address
            ),
            None,
        )
    what = describe(sub.topics, sub.country, t) if sub else t("subscribe.everything")
    if not new and topics is None and country is KEEP:
        return Reply.text(t("subscribe.already", what=what), private=True)
    if not new:
        return Reply.text(t("subscribe.changed", what=what), private=True)
    return Reply.text(t("subscribe.done", what=what), private=True)


@command("unsubscribe", "Stop messages from the bot in this chat")
async def unsubscribe(ctx: Context) -> Reply:
    async with ctx.unit() as tx:
        n = await tx.unsubscribe(ctx.supporter_key, ctx.incoming.address)
        if ctx.incoming.private:  # this chat's own call reminders (ua_bot/callbacks.py) too
            n += await tx.drop_from_outbox([ctx.incoming.address])
    if not n:
        return Reply.text(ctx.t("subscribe.not_subscribed"), private=True)
    return Reply.text(ctx.t("subscribe.unsubscribed"), private=True)


CONFIRM = ("yes", "confirm", "sí", "si")
KEEP_WORDS = ("no", "cancel", "keep")


@command(
    "forget_me", "Delete everything stored about you (asks first)", args="[yes]", personal=True
)
async def forget_me(ctx: Context) -> Reply:
    t = ctx.t
    answer = ctx.args.lower()
    if answer in KEEP_WORDS:
        return Reply.text(t("forget.kept"), private=True)
    if answer not in CONFIRM:
        async with ctx.store.unit() as tx:
            who = await tx.supporter(ctx.supporter_key)
        if who is None:
            return Reply.text(t("forget.nothing"), private=True)
        ask = Reply.text(
            t("forget.ask"),
            [Button(t("button.forget"), "/forget_me yes")],
            [Button(t("button.keep"), "/forget_me no")],
            private=True,
        )
        ask.meta["once"] = "1"
        return ask
    return await _forget(ctx)


async def _forget(ctx: Context) -> Reply:
    """Delete it all: the supporter said yes."""
    async with ctx.unit() as tx:
        found = await tx.forget_supporter(ctx.supporter_key)
        if ctx.incoming.private:
            await tx.forget_chat(ctx.chat_key)
            await tx.drop_from_outbox([ctx.incoming.address])  # its call reminders
    if ctx.incoming.private:
        ctx.core.chat_cases.forget(ctx.chat_key)
    ctx.core.langs.note(ctx.supporter_key, None)
    if not found:
        return Reply.text(ctx.t("forget.nothing"), private=True)
    return Reply.text(ctx.t("forget.done"), private=True)


@command("my_data", "Everything stored about you", personal=True, private_chat=True)
async def my_data(ctx: Context) -> Reply:
    async with ctx.store.unit() as tx:
        who = await tx.supporter(ctx.supporter_key)
        subs = await tx.subscriptions_of(ctx.supporter_key)
        acts = await tx.supporter_actions(ctx.supporter_key)
    t = ctx.t
    if who is None:
        return Reply.text(t("forget.nothing"), private=True)
    lines = [t("mydata.title"), t("mydata.key", date=esc(t.date(who.created_at)))]
    if who.lang:
        lines.append(t("mydata.language", lang=esc(language_name(t, who.lang))))
    if who.signature:
        lines.append(t("mydata.signature", signature=esc(who.signature)))
    for s in subs:
        since = esc(t.date(s.created_at))
        topics = describe(s.topics, s.country, t)
        lines.append(t("mydata.subscription", topics=topics, date=since))
    for a in acts:
        day = esc(t.date(a.day))
        what = dict(kind=t(f"kind.{a.action_type}").lower(), ua=esc(a.ua_number), day=day)
        case = await ctx.core.cases.get(a.ua_number) if a.target_no else None
        if a.target_no:
            name = target_label(case, a.target_no) if case else str(a.target_no)
            lines.append(t("mydata.action_to", target=esc(name), **what))
        else:
            lines.append(t("mydata.action", **what))
    lines.append(t("mydata.forget"))
    return Reply.text("\n".join(lines), private=True)
