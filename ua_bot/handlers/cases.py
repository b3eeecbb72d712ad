"""Reading cases: /cases, /case, /demands, /targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ua_bot.commands import command
from ua_bot.contact_health import warning_lines
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.i18n import Translator
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply, Text
from ua_bot.model import Case
from ua_bot.present import demands_text, targets_reply


def deadline_order(today: dt.date) -> Callable[[Case], tuple[int, int]]:
    """Upcoming deadlines first (nearest first), then passed ones, then none."""

    def key(c: Case) -> tuple[int, int]:
        if c.deadline is None:
            return (2, 0)
        if c.deadline >= today:
            return (0, c.deadline.toordinal())
        return (1, -c.deadline.toordinal())

    return key


def _no_extra(ctx: Context, rest: str) -> None:
    if rest:
        raise UserError(
            ctx.t("core.usage_extra", text=esc(rest[:60]), command=ctx.incoming.command)
        )


async def show_case(ctx: Context, ua: str | None) -> Reply:
    case = await ctx.resolve_case(ua)
    if case.id is not None:
        await ctx.core.chat_cases.set(ctx.chat_key, case.id)
    supporters, actions = await ctx.core.totals.get(case.stored_id)
    card = ctx.core.cards.card(case, ctx.today(), supporters, actions, ctx.t)
    return await with_note(card, ctx, case)


async def with_note(reply: Reply, ctx: Context, case: Case) -> Reply:
    """The reply with "the case text is in English" after its text, the first time."""
    note = await ctx.english_note(case)
    if note:
        at, part = next((i, p) for i, p in enumerate(reply.parts) if isinstance(p, Text))
        reply.parts[at] = Text(part.markup + "\n_" + note + "_")
    return reply


def list_line(c: Case, t: Translator) -> str:
    """``UA 253/17: TITLE (deadline 27 December 2017; updated 1 March 2018)``."""
    notes = []
    if c.good_news:
        if t.english:
            notes.append(t("case.list_good_news", outcome=esc(c.outcome)))
        else:  # the organiser's English word stays out of the reader's sentence
            notes.append(t("case.list_good_news_only"))
    elif c.deadline:
        notes.append(t("case.list_deadline", date=esc(t.date(c.deadline))))
    up = c.latest_update
    if up is not None and up.created_at is not None:
        notes.append(t("case.list_updated", date=esc(t.date(up.created_at.date()))))
    tail = f" ({'; '.join(notes)})" if notes else ""
    return f"UA {esc(c.ua_number)}: {esc(c.title)}{tail}"


@command("cases", "Open cases, nearest deadline first")
async def cases(ctx: Context) -> Reply:
    t, today = ctx.t, ctx.today()
    open_cases = sorted(await ctx.core.open_cases(), key=deadline_order(today))
    if not open_cases:
        return Reply.text(t("case.none_open_subscribe"))
    lines = [t("case.open_title")]
    lines += [list_line(c, t) for c in open_cases]
    buttons = [
        [Button(t("button.ua", ua=c.ua_number), f"/case {c.ua_number}")] for c in open_cases[:20]
    ]
    return Reply.text("\n".join(lines), *buttons)


@command("case", "The case: summary, people at risk, days left", args="[UA]")
async def case(ctx: Context) -> Reply:
    ua, rest = ctx.split_ua()
    _no_extra(ctx, rest)
    return await show_case(ctx, ua)


@command("demands", "What we ask the officials", args="[UA]")
async def demands(ctx: Context) -> Reply:
    ua, rest = ctx.split_ua()
    _no_extra(ctx, rest)
    c = await ctx.resolve_case(ua)
    if not c.demands:
        return Reply.text(ctx.t("demands.none", ua=esc(c.ua_number)))
    buttons = [Button(ctx.t("button.targets"), f"/targets {c.ua_number}")]
    return await with_note(Reply.text(demands_text(c, ctx.t), buttons), ctx, c)


@command("targets", "Who to contact, with every channel and salutation", args="[UA]")
async def targets(ctx: Context) -> Reply:
    ua, rest = ctx.split_ua()
    _no_extra(ctx, rest)
    c = await ctx.resolve_case(ua)
    warned = await warning_lines(ctx.store, c, ctx.t)
    return await with_note(targets_reply(c, ctx.t, warned), ctx, c)
