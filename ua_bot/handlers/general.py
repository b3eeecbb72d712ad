"""/start and /help."""

from __future__ import annotations

from ua_bot import markup as md
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.messages import Button, Reply
from ua_bot.ua_number import try_normalise_ua, ua_from_slug

WELCOME = (
    "*Welcome to ua-bot.* Urgent Actions are appeals for people at risk of human-rights "
    "violations. Each one asks officials to act, and every letter, email, call, fax or tweet "
    "counts.\n\nSend /case to see the case, /targets to see who to contact, and /took_action "
    "when you have acted. /help lists every command."
)


@command("start", "Start here: what this bot does", args="[UA]", hidden=True)
async def start(ctx: Context) -> list[Reply]:
    from ua_bot.handlers.cases import show_case

    ua = ua_from_slug(ctx.args) or try_normalise_ua(ctx.args)
    if ua:
        return [await show_case(ctx, ua)]
    return [Reply.text(WELCOME, [Button("Show the case", "/case"), Button("All cases", "/cases")])]


@command("help", "List the commands")
async def help_(ctx: Context) -> Reply:
    lines = ["*Commands*"]
    for spec in ctx.core.commands.public(organiser=False):
        lines.append(f"{md.esc(spec.usage)}: {md.esc(spec.description)}")
    if ctx.organiser:
        lines += ["", "*For organisers*"]
        for spec in ctx.core.commands.public(organiser=True):
            if spec.organiser:
                lines.append(f"{md.esc(spec.usage)}: {md.esc(spec.description)}")
    return Reply.text("\n".join(lines))
