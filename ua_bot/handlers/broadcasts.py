"""Organiser broadcasts: /broadcast, /broadcast_status, /broadcast_cancel, /update.

A broadcast is never sent from here: one outbox row per recipient is written in a single
``INSERT ... SELECT`` and the ``worker`` process sends them at each platform's pace.
"""

from __future__ import annotations

import re

from case_store.cases import now
from case_store.outbox import Audience
from case_store.outbox_tables import CANCELLED, DONE
from ua_bot.broadcast.messages import KIND_NAMES, KINDS, OUTCOMES, tally
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply
from ua_bot.model import Case, CaseStatus
from ua_bot.present import plural

MAX_UPDATE = 2500
_OUTCOME = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,20}?)\s*:\s*(.*)$", re.S)



def audiences(case: Case, kind: str, everyone: bool) -> list[Audience]:
    """Who gets a broadcast of ``kind``, in the order they get it."""
    assert case.id is not None
    if kind == "reminder":
        return [Audience(case.id, "reminders", case.country, acted=False)]
    if kind == "update":
        first = [Audience(case.id, "updates", acted=True)]
        if everyone:
            first.append(Audience(case.id, "updates", case.country, acted=False))
        return first
    return [Audience(case.id, "new", case.country)]


def _buttons(ua: str) -> list[Button]:
    return [
        Button("Status", f"/broadcast_status {ua}"),
        Button("Cancel", f"/broadcast_cancel {ua}"),
    ]


async def queue(
    ctx: Context, case: Case, kind: str, update_id: int | None, everyone: bool
) -> tuple[int, int]:
    async with ctx.unit() as tx:
        _, added, resumed = await tx.open_broadcast(
            case.id,
            kind,
            update_id,
            audiences(case, kind, everyone),
            ctx.incoming.address,
            now(),
        )
    return added, resumed


def _flags(rest: str) -> tuple[list[str], bool]:
    words = rest.split()
    everyone = any(w.lower() in ("--all", "all") for w in words)
    return [w for w in words if w.lower() not in ("--all", "all")], everyone


@command(
    "broadcast",
    "Send a case to subscribers: new (default), update (the latest) or reminder",
    args="UA [new|update|reminder] [--all]",
    organiser=True,
)
async def broadcast(ctx: Context) -> Reply:
    usage = "/broadcast UA [new|update|reminder] [--all]"
    case, rest = await ctx.named_case(usage)
    words, everyone = _flags(rest)
    kind = words[0].lower() if words else "new"
    if kind not in KINDS or len(words) > 1:
        raise UserError(f"I did not understand {esc(rest[:60])!s}. Usage: {esc(usage)}")
    ua = esc(case.ua_number)
    update_id = None
    if kind == "update":
        async with ctx.store.unit() as tx:
            update_id = await tx.latest_update_id(case.id)
        if update_id is None:
            raise UserError(f"UA {ua} has no update yet. Write one with /update {ua} TEXT.")
    elif case.status != CaseStatus.PUBLISHED:
        raise UserError(f"UA {ua} is not published: /publish {ua} first.")
    added, resumed = await queue(ctx, case, kind, update_id, everyone)
    name = KIND_NAMES[kind]
    if not added and not resumed:
        return Reply.text(
            f"No one new to send UA {ua} ({name}) to: every subscriber it is for has it "
            "already or is in the queue.",
            _buttons(case.ua_number),
        )
    parts = []
    if added:
        parts.append(f"{plural(added, 'recipient')} added")
    if resumed:
        parts.append(f"{plural(resumed, 'cancelled message')} resumed")
    who = " (supporters who acted first)" if kind == "update" else ""
    text = (
        f"*Queued UA {ua} ({name}):* {', '.join(parts)}{who}. The worker sends it at the "
        "platforms' pace and reports progress here."
    )
    rows = [_buttons(case.ua_number)]
    if kind == "update" and not everyone:
        rows.append(
            [Button("Send to all subscribers too", f"/broadcast {case.ua_number} update --all")]
        )
    return Reply.text(text, *rows)


@command("broadcast_status", "How far a case's broadcasts are", args="UA", organiser=True)
async def broadcast_status(ctx: Context) -> Reply:
    case, _ = await ctx.named_case("/broadcast_status UA")
    async with ctx.store.unit() as tx:
        rows = await tx.broadcasts_of(case.id)
    ua = esc(case.ua_number)
    if not rows:
        return Reply.text(f"UA {ua} has not been broadcast. /broadcast {ua} sends it.")
    lines = [f"*Broadcasts of UA {ua}*"]
    for b in rows:
        state = {DONE: "done", CANCELLED: "cancelled"}.get(b.state, "sending")
        name = KIND_NAMES.get(b.kind, b.kind).capitalize()
        lines.append(f"{name}: {state}: {tally(b, cancelled=True, waiting=True)}")
    return Reply.text("\n".join(lines), _buttons(case.ua_number))


@command("broadcast_cancel", "Stop a case's broadcasts", args="UA", organiser=True)
async def broadcast_cancel(ctx: Context) -> Reply:
    case, _ = await ctx.named_case("/broadcast_cancel UA")
    async with ctx.unit() as tx:
        stopped = await tx.cancel_broadcasts(case.id, now())
    ua = esc(case.ua_number)
    if not stopped:
        return Reply.text(f"Nothing is waiting to be sent for UA {ua}.")
    return Reply.text(
        f"*Cancelled:* {plural(stopped, 'message')} of UA {ua} will not be sent "
        "(a few already on their way may still arrive). "
        f"/broadcast {ua} resumes a new-case broadcast."
    )


def parse_update(text: str) -> tuple[str, str]:
    """``released: Lee Su-jung was freed`` -> ``("released", "Lee Su-jung was freed")``."""
    m = _OUTCOME.match(text)
    if m and m.group(1).strip().lower() in OUTCOMES:
        return m.group(1).strip().lower(), m.group(2).strip()
    return "", text.strip()


@command(
    "update",
    "Tell supporters what happened: stored, sent to those who acted (--all: to everyone)",
    args="UA [--all] [released|charged|sentenced|...:] TEXT",
    organiser=True,
)
async def update_(ctx: Context) -> Reply:
    usage = "/update UA [--all] [outcome:] TEXT, e.g. /update 253/17 released: she was freed"
    case, rest = await ctx.named_case(usage)
    everyone = False
    words = rest.split(maxsplit=1)
    if words and words[0].lower() == "--all":
        everyone, rest = True, words[1] if len(words) > 1 else ""
    outcome, text = parse_update(rest)
    if not text:
        raise UserError(f"What happened? Usage: {esc(usage)}")
    if len(text) > MAX_UPDATE:
        raise UserError(f"That update is too long: keep it under {MAX_UPDATE:,} characters.")
    async with ctx.store.unit() as tx:
        update_id = await tx.add_update(case.id, text=text, outcome=outcome)
    ctx.core.cases.invalidate()  # the case card shows the update at once
    added, _ = await queue(ctx, case, "update", update_id, everyone)
    ua = esc(case.ua_number)
    who = "subscribers" if everyone else "subscribed supporters who acted on it"
    head = f"*Update stored for UA {ua}*" + (f" (outcome: {esc(outcome)})" if outcome else "")
    text = f"{head}. Queued for {plural(added, 'recipient')}: {who}."
    rows = [_buttons(case.ua_number)]
    if not everyone:
        rows.append(
            [Button("Send to all subscribers too", f"/broadcast {case.ua_number} update --all")]
        )
    return Reply.text(text, *rows)
