"""/home: a supporter's overview for a platform's home screen (Slack's App Home tab).

The open cases, nearest deadline first, each with the buttons of its card, then what the
person did. Hidden from /help and the menus: platforms call it when the home screen opens.
"""

from __future__ import annotations

from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.handlers.cases import deadline_order, list_line
from ua_bot.handlers.stats import mystats
from ua_bot.messages import Button, Reply

HOME_CASES = 10  # a home tab holds 100 blocks: room for ten cases and the person's actions


@command("home", "Open cases with deadlines, and your own actions", hidden=True)
async def home(ctx: Context) -> list[Reply]:
    t, today = ctx.t, ctx.today()
    open_cases = sorted(await ctx.core.open_cases(), key=deadline_order(today))
    if not open_cases:
        out = [Reply.text(t("case.none_open_subscribe"))]
    else:
        out = [Reply.text(t("case.open_title"))]
        for c in open_cases[:HOME_CASES]:
            ua = c.ua_number
            row = [
                Button(t("button.ua", ua=ua), f"/case {ua}"),
                Button(t("button.targets"), f"/targets {ua}"),
            ]
            if not c.good_news:
                row.append(Button(t("button.took_action"), f"/took_action {ua}"))
            out.append(Reply.text(list_line(c, t), row))
    mine = await mystats(ctx)
    mine.private = False
    return [*out, mine]
