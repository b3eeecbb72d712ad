"""Reports: /stats, /export and /goal for organisers; /mystats for a supporter.

Breakdowns (by type, target, platform, day, workspace) show counts below the small-number
threshold as ``<5``; whole-case totals are exact. See :mod:`ua_bot.stats` for definitions.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from typing import Any

from ua_bot.cases.goals import set_goal
from ua_bot.charts import actions_chart
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.export import export_csv
from ua_bot.markup import esc
from ua_bot.messages import Button, Buttons, Document, Image, Reply, Text
from ua_bot.model import ACTION_TYPES, Case, CaseStatus
from ua_bot.present import plural
from ua_bot.stats import (
    CaseStats,
    WorkspaceStats,
    case_stats,
    duration,
    small,
    target_label,
)
from ua_bot.ua_number import ua_slug

DAYS_SHOWN = 14  # the text lists the latest days; the chart and the export have all
MAX_GOAL = 10_000_000
TITLE_CHARS = 60


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def _days_left(case: Case, ctx: Context) -> str:
    if case.status == CaseStatus.CLOSED:
        return "closed" + (f" ({_short(case.outcome)})" if case.outcome else "")
    if case.status == CaseStatus.DRAFT:
        return "draft"
    left = case.days_left(ctx.today())
    if left is None:
        return "no deadline"
    if left < 0:
        return "deadline passed"
    if left == 0:
        return "deadline today"
    return plural(left, "day") + " left"


def _workspace(ctx: Context) -> tuple[str, str]:
    """(platform, workspace) when the command comes from a workspace, else empty strings."""
    ws = ctx.incoming.workspace
    return (ctx.incoming.platform, ws) if ws else ("", "")


@command(
    "stats",
    "Open cases at a glance, or one case in detail with a chart",
    args="[UA]",
    organiser=True,
    workspace_scoped=True,
)
async def stats(ctx: Context) -> list[Reply]:
    ua, rest = ctx.split_ua()
    if ua is None and rest:
        raise UserError(
            f"I did not understand {esc(rest[:60])!s}. Usage: /stats [UA], "
            "for example /stats 253/17."
        )
    if ua is None:
        return [await _overview(ctx)]
    case = await ctx.core.cases.get(ua)
    if case is None or (case.status == CaseStatus.DRAFT and not ctx.organiser):
        raise UserError(f"I don't know UA {esc(ua)}. /stats lists the open cases.")
    platform, workspace = _workspace(ctx)
    st = await case_stats(ctx.store, case, platform=platform, workspace=workspace)
    if not ctx.organiser:  # a workspace admin: this workspace's figures only
        return [Reply.text(_workspace_text(ctx, st, ctx.core.settings.ua_bot_small_count))]
    k = ctx.core.settings.ua_bot_small_count
    replies = [
        Reply(
            [
                Text(_case_text(ctx, st, k)),
                Buttons.of([Button("Export CSV", f"/export {case.ua_number}")]),
            ]
        )
    ]
    if st.actions:
        png = await asyncio.to_thread(
            actions_chart,
            st.by_day_type,
            title=f"UA {case.ua_number}: actions per day by type",
            deadline=case.deadline,
            threshold=k,
        )
        caption = f"UA {case.ua_number}: actions per day by type"
        replies.append(Reply([Image(png, caption, f"{ua_slug(case.ua_number)}-actions.png")]))
    return replies


async def _overview(ctx: Context) -> Reply:
    cases = await ctx.core.cases.all(CaseStatus.PUBLISHED)
    if not cases:
        return Reply.text("There is no open case. /drafts lists the cases to publish.")
    ids = [c.id for c in cases if c.id is not None]
    platform, workspace = _workspace(ctx)
    k = ctx.core.settings.ua_bot_small_count
    async with ctx.store.unit() as tx:
        totals = await tx.totals_of(ids)
        ws = await tx.workspace_totals(ids, platform, workspace) if workspace else {}
    lines = ["*Open cases*"]
    for c in cases:
        s, a = totals.get(c.stored_id, (0, 0))
        line = f"UA {esc(c.ua_number)}: {esc(_short(c.title))}: {_days_left(c, ctx)}, "
        if not ctx.organiser:  # a workspace admin sees only their workspace's share
            line += f"actions from this workspace: {small(ws.get(c.stored_id, 0), k)}"
        else:
            line += f"{plural(a, 'action')} by {plural(s, 'supporter')}"
            if workspace:
                line += f" (this workspace: {small(ws.get(c.stored_id, 0), k)})"
        lines.append(line)
    buttons = [[Button(f"Stats {c.ua_number}", f"/stats {c.ua_number}")] for c in cases[:20]]
    return Reply.text("\n".join(lines), *buttons)


def _workspace_text(ctx: Context, st: CaseStats, k: int) -> str:
    """A case's figures as a workspace admin sees them: from their workspace only."""
    case, ws = st.case, st.workspace or WorkspaceStats()
    lines = [
        f"*Stats for UA {esc(case.ua_number)} in this workspace*: {esc(_short(case.title))}",
        f"Status: {esc(_days_left(case, ctx))}",
        f"Actions from this workspace: {small(ws.actions, k)}",
        "",
        "*By type*",
    ]
    lines += [f"{t.capitalize()}: {small(ws.by_type[t], k)}" for t in ACTION_TYPES]
    lines += ["", f"_Counts from 1 to {k - 1} are shown as <{k}._"]
    return "\n".join(lines)


def _case_text(ctx: Context, st: CaseStats, k: int) -> str:
    case = st.case
    ws = st.workspace

    def with_ws(n: int, ws_n: int | None) -> str:
        return small(n, k) + (f" (this workspace: {small(ws_n, k)})" if ws_n is not None else "")

    lines = [
        f"*Stats for UA {esc(case.ua_number)}*: {esc(_short(case.title))}",
        f"Status: {esc(_days_left(case, ctx))}",
        f"Actions: {st.actions:,}"
        + (f" (this workspace: {small(ws.actions, k)})" if ws is not None else ""),
        f"Supporters who acted: {st.supporters:,}",
    ]
    if case.goal:
        share = st.goal_share or 0.0
        lines.append(f"Goal: {st.actions:,} of {case.goal:,} actions ({share:.0%})")
    if 0 < st.subscribers < k:  # "<5 of 1 subscriber" says nothing and reads oddly
        lines.append(
            f"Subscribers who acted on it: too few subscribers (under {k}) to show how many"
        )
    elif st.subscribers:
        acted = small(st.subscribers_acted, k)
        pct = (
            f" ({st.subscribers_acted / st.subscribers:.1%})"
            if st.subscribers_acted >= k or st.subscribers_acted == 0
            else ""
        )
        lines.append(
            f"Subscribers who acted on it: {acted} of {plural(st.subscribers, 'subscriber')}{pct}"
        )
    else:
        lines.append("Subscribers who acted on it: no one is subscribed yet")
    if st.reference is None:
        lines.append("Time to first action: not published yet")
    elif st.first_action_after is None:
        lines.append(f"Time to first action: no action since {st.reference.label} yet")
    else:
        lines.append(
            f"Time to first action: {duration(st.first_action_after)} since {st.reference.label}"
        )

    lines += ["", "*By type*"]
    for t in ACTION_TYPES:
        lines.append(f"{t.capitalize()}: {with_ws(st.by_type[t], ws.by_type[t] if ws else None)}")
    if st.actions or st.failed:
        lines += ["", "*Attempts, completions, failures*"]
        for t in ACTION_TYPES:
            tried, done, fails = st.attempts(t)
            if not tried:
                continue
            line = f"{t.capitalize()}: {small(tried, k)} tried, {small(done, k)} done"
            line += f", {small(fails, k)} failed"
            kinds = [(o, n) for (kt, o), n in sorted(st.failed.items()) if kt == t and n]
            if kinds:
                line += (
                    " (" + ", ".join(f"{o.replace('_', ' ')} {small(n, k)}" for o, n in kinds) + ")"
                )
            lines.append(line)
    if st.actions:
        lines += ["", "*By target*"]
        for no in sorted(st.by_target, key=lambda n: (n == 0, n)):
            label = target_label(case, no)
            label = label[0].upper() + label[1:]
            num = f"{no}. " if no else ""
            lines.append(f"{num}{esc(label)}: {small(st.by_target[no], k)}")
        lines += ["", "*By platform*"]
        for p, n in sorted(st.by_platform.items(), key=lambda x: (-x[1], x[0])):
            lines.append(f"{esc(p.capitalize() or 'Unknown')}: {small(n, k)}")
        days = sorted(d for d, n in st.by_day.items() if n)
        head = "*By day*"
        if len(days) > DAYS_SHOWN:
            head += (
                f" (the latest {DAYS_SHOWN} of {len(days)} days; the chart and /export have all)"
            )
        lines += ["", head]
        for d in days[-DAYS_SHOWN:]:
            lines.append(f"{d.day} {d:%b %Y}: {small(st.by_day[d], k)}")
    lines += ["", f"_Counts from 1 to {k - 1} in a breakdown are shown as <{k}._"]
    return "\n".join(lines)


@command(
    "export", "Action counts as a CSV file (no supporter identities)", args="UA|all", organiser=True
)
async def export(ctx: Context) -> Reply:
    if ctx.args.lower() == "all":
        cases = await ctx.core.cases.all()
        what = "every case"
    else:
        case, rest = await ctx.named_case(
            "/export UA, or /export all", "/stats lists the open cases."
        )
        if rest:
            raise UserError("Usage: /export UA, or /export all.")
        cases, what = [case], f"UA {case.ua_number}"
    ex = await export_csv(ctx.store, cases)
    caption = f"{what}: {plural(ex.actions, 'action')} in {plural(ex.rows, 'row')}"
    return Reply([Document(ex.filename(cases), ex.data, "text/csv", caption)])


@command(
    "goal", "Set a case's goal in actions (off to clear)", args="UA [NUMBER|off]", organiser=True
)
async def goal(ctx: Context) -> Reply:
    case, rest = await ctx.named_case(
        "/goal UA NUMBER, for example /goal 253/17 500", "/stats lists the open cases."
    )
    ua = esc(case.ua_number)
    async with ctx.store.unit() as tx:
        _, actions = await tx.case_totals(case.stored_id)
    if not rest:
        if not case.goal:
            return Reply.text(f"UA {ua} has no goal. Set one with /goal {ua} 500.")
        return Reply.text(f"Goal for UA {ua}: {actions:,} of {case.goal:,} actions so far.")
    word = rest.replace(",", "").replace("_", "").strip().lower()
    if word in ("off", "none", "clear", "0"):
        new = None
    elif word.isdigit() and 0 < int(word) <= MAX_GOAL:
        new = int(word)
    else:
        raise UserError(
            f"A goal is a whole number of actions up to {MAX_GOAL:,}, for example "
            f"/goal {ua} 500, or /goal {ua} off."
        )
    await set_goal(ctx.core, ctx.who, case.stored_id, new)
    if new is None:
        return Reply.text(f"UA {ua} has no goal now.")
    return Reply.text(
        f"Goal for UA {ua}: {new:,} actions. {actions:,} so far ({actions / new:.0%})."
    )


@command("mystats", "The cases you acted on and what you did", private_chat=True)
async def mystats(ctx: Context) -> Reply:
    async with ctx.store.unit() as tx:
        rows = await tx.supporter_actions(ctx.supporter_key)
    t = ctx.t
    if not rows:
        return Reply.text(t("mystats.none"), private=True)
    by_case: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_case[r.ua_number].append(r)
    lines = [
        t(
            "mystats.title",
            actions=t.n("case.actions", len(rows)),
            cases=t.n("mystats.cases", len(by_case)),
        )
    ]
    for ua, acts in by_case.items():
        case = await ctx.core.cases.get(ua)
        title = f": {esc(_short(case.title))}" if case else ""
        kinds = Counter(a.action_type for a in acts)
        what = ", ".join(t.n(f"count.{k}", kinds[k]) for k in ACTION_TYPES if kinds[k])
        lines += ["", f"*UA {esc(ua)}*{title}", what]
        for a in sorted(acts, key=lambda a: (a.day, a.id))[-10:]:
            day, kind = esc(t.date(a.day)), t(f"kind.{a.action_type}").lower()
            if case and a.target_no:
                name = esc(target_label(case, a.target_no))
                lines.append(t("mystats.line_to", date=day, kind=kind, name=name))
            else:
                lines.append(t("mystats.line", date=day, kind=kind))
        if len(acts) > 10:
            lines.append(t.n("mystats.earlier", len(acts) - 10))
    good = [ua for ua in by_case if (c := await ctx.core.cases.get(ua)) and c.good_news]
    lines.append("")
    if good:
        listed = ", ".join(f"UA {esc(ua)}" for ua in good)
        lines.append(t.n("mystats.good", len(good), total=len(by_case), list=listed))
    else:
        lines.append(t("mystats.no_good"))
    lines += ["", t("mystats.thanks")]
    return Reply.text("\n".join(lines), private=True)
