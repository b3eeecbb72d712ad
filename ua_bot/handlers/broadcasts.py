"""Organiser broadcasts: /broadcast, /broadcast_status, /broadcast_cancel, /update.

A broadcast is never sent from here: one outbox row per recipient is written in a single
``INSERT ... SELECT`` and the ``worker`` process sends them at each platform's pace.
"""

from __future__ import annotations

import re

from case_store import CANCELLED, DONE
from ua_bot.broadcast.messages import KIND_NAMES, KINDS, OUTCOMES, tally
from ua_bot.cases import broadcasts as use
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply
from ua_bot.present import plural

_OUTCOME = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,20}?)\s*:\s*(.*)$", re.S)


def _buttons(ua: str) -> list[Button]:
    return [
        Button("Status", f"/broadcast_status {ua}"),
        Button("Cancel", f"/broadcast_cancel {ua}"),
    ]


def queued_line(q: use.Queued) -> str:
    """This broadcast's own status (not the sum of the case's), and a missing worker."""
    b = q.broadcast
    waiting = max(0, b.total - b.sent - b.failed - b.gone - b.cancelled)
    line = f"This broadcast: sent {b.sent:,} of {b.total:,}"
    if waiting:
        line += f", {waiting:,} waiting"
    line += "."
    if waiting and not q.worker_running:
        line += f" It is {use.NO_WORKER}."
    return line


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
    q = await use.queue_broadcast(ctx.core, ctx.who, case.stored_id, kind, everyone)
    added, resumed = q.added, q.resumed
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
        "platforms' pace and reports progress here.\n" + esc(queued_line(q))
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
        rows = await tx.broadcasts_of(case.stored_id)
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
    stopped = await use.cancel_broadcasts(ctx.core, ctx.who, case.stored_id)
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
    q = await use.post_update(ctx.core, ctx.who, case.stored_id, text, outcome, everyone)
    ua = esc(case.ua_number)
    who = "subscribers" if everyone else "subscribed supporters who acted on it"
    head = f"*Update stored for UA {ua}*" + (f" (outcome: {esc(outcome)})" if outcome else "")
    text = f"{head}. Queued for {plural(q.added, 'recipient')}: {who}."
    if q.added and not q.worker_running:
        text += f" It is {esc(use.NO_WORKER)}."
    rows = [_buttons(case.ua_number)]
    if not everyone:
        rows.append(
            [Button("Send to all subscribers too", f"/broadcast {case.ua_number} update --all")]
        )
    return Reply.text(text, *rows)
