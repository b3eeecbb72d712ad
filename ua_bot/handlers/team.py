"""``/team``: what the members of a Slack workspace or a Telegram group did, as a group.

Actions taken from a group (its commands and buttons) are recorded with the group in the
action's ``workspace`` column (:func:`team_of`), never who took them; the counts follow the
small-number rule of ``/stats`` (``<5``).
"""

from __future__ import annotations

from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.messages import Incoming, Reply
from ua_bot.stats import small


def team_of(incoming: Incoming) -> str:
    """The group an action is taken from: a Slack team id, ``tg:<chat id>`` for a Telegram
    group or channel, else ``""``."""
    if incoming.workspace:
        return incoming.workspace
    if incoming.platform == "telegram" and incoming.replies_public:
        return "tg:" + incoming.address.split(":", 1)[1]
    return ""


def _form(n: int, k: int) -> int:
    """The count that picks the plural form: ``<5 actions`` whatever hides behind it."""
    return k if 0 < n < k else n


@command("team", "What this group or workspace did together (no names)")
async def team(ctx: Context) -> Reply:
    t = ctx.t
    ws = team_of(ctx.incoming)
    if not ws:
        return Reply.text(t("team.nowhere"))
    k = ctx.core.settings.ua_bot_small_count
    today = ctx.today()
    async with ctx.store.unit() as tx:
        month, month_cases = await tx.team_totals(ctx.incoming.platform, ws, today.replace(day=1))
        ever, ever_cases = await tx.team_totals(ctx.incoming.platform, ws)
    where = t("team.workspace") if ctx.incoming.workspace else t("team.group")
    if not ever:
        return Reply.text(t("team.none", where=where))
    lines = [
        t(
            "team.month",
            where=where,
            actions=t.n("team.actions", _form(month, k), shown=small(month, k)),
            cases=t.n("team.cases", month_cases),
        ),
        t(
            "team.ever",
            actions=t.n("team.actions", _form(ever, k), shown=small(ever, k)),
            cases=t.n("team.cases", ever_cases),
        ),
        "_" + t("team.small", last=k - 1, k=k) + "_",
    ]
    return Reply.text("\n".join(lines))
