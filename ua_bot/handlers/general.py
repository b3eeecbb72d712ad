"""/start and /help."""

from __future__ import annotations

from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply
from ua_bot.ua_number import try_normalise_ua, ua_from_slug


@command("start", "Start here: what this bot does", args="[UA]", hidden=True)
async def start(ctx: Context) -> list[Reply]:
    from ua_bot.handlers.cases import show_case

    ua = ua_from_slug(ctx.args) or try_normalise_ua(ctx.args)
    if ua:
        return [await show_case(ctx, ua)]
    t = ctx.t
    buttons = [Button(t("start.show_case"), "/case"), Button(t("start.all_cases"), "/cases")]
    return [Reply.text(t("start.welcome"), buttons)]


@command("help", "List the commands")
async def help_(ctx: Context) -> Reply:
    t = ctx.t
    lines = [t("help.title"), t("help.start")]
    for spec in ctx.core.commands.public(organiser=False):
        about = t.get(f"command.{spec.name}", spec.description)
        lines.append(f"{esc(spec.usage)}: {esc(about)}")
    mine = [
        s
        for s in ctx.core.commands.public(organiser=True)
        if s.organiser and ctx.core.may_run(s, ctx.incoming)
    ]
    if mine:
        lines += ["", t("help.organisers")]
        lines += [f"{esc(s.usage)}: {esc(s.description)}" for s in mine]
    return Reply.text("\n".join(lines))
