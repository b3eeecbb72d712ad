"""/revision: review a re-imported document's changes to a case, accept them or discard them.

The logic is ``ua_bot.cases.revisions``; this only renders it and calls it.
"""

from __future__ import annotations

from ua_bot.cases import revisions
from ua_bot.cases.revisions import Change, Revision
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply

SHOWN = 300  # characters of a value shown in chat; the pages show it all
USAGE = "/revision UA [accept [N ...] | discard]"


def _value(text: str) -> str:
    text = text.replace("\n", "; ")
    return esc(text if len(text) <= SHOWN else text[: SHOWN - 1] + "…") if text else "(none)"


def change_line(n: int, c: Change) -> str:
    line = f"{n}. *{esc(c.label)}*\n   now: {_value(c.before)}\n   document: {_value(c.after)}"
    if c.hand:
        line += "\n   _You corrected this by hand: it is kept unless you accept it by number._"
    return line


def revision_reply(rev: Revision, head: str = "") -> Reply:
    """The differences, numbered, with the buttons to decide."""
    ua = rev.case.ua_number
    if not rev.changes:
        return Reply.text(f"{head}The document {esc(rev.file)} changes nothing in UA {esc(ua)}.")
    lines = [
        f"{head}*The document {esc(rev.file)} would change UA {esc(ua)}* "
        f"({len(rev.changes)} fields). Nothing is changed until you accept:",
        *(change_line(n, c) for n, c in rev.numbered()),
        f"Accept some with /revision {esc(ua)} accept N N...",
    ]
    return Reply.text(
        "\n".join(lines),
        [Button("Accept all", f"/revision {ua} accept")],
        [Button("Review on the pages", "/web")],
        [Button("Discard", f"/revision {ua} discard")],
    )


def _numbers(words: list[str], rev: Revision) -> set[str]:
    fields = set()
    for w in words:
        if not w.isdigit() or not 1 <= int(w) <= len(rev.changes):
            raise UserError(
                f"There is no field {esc(w)}: the fields are numbered 1 to {len(rev.changes)}."
            )
        fields.add(rev.changes[int(w) - 1].field)
    return fields


@command("revision", "A re-imported document's changes: review, accept, discard", args="UA",
         organiser=True)  # fmt: skip
async def revision(ctx: Context) -> Reply:
    case, rest = await ctx.named_case(USAGE, "/drafts lists the imported cases.")
    ua = esc(case.ua_number)
    rev = await revisions.pending(ctx.store, case.stored_id)
    if rev is None:
        raise UserError(f"UA {ua} has no re-imported document waiting.")
    words = rest.split()
    if not words:
        return revision_reply(rev)
    what = words[0].lower()
    if what == "discard" and len(words) == 1:
        await revisions.discard(ctx.store, case.stored_id, ctx.supporter_key)
        return Reply.text(f"The document {esc(rev.file)} is discarded: UA {ua} stays as it is.")
    if what != "accept":
        raise UserError(f"Write it as {esc(USAGE)}.")
    fields = _numbers(words[1:], rev) if len(words) > 1 else None
    try:
        after, taken = await revisions.accept(ctx.store, case.stored_id, ctx.supporter_key, fields)
    except revisions.NoRevision:
        raise UserError(f"UA {ua} has no re-imported document waiting.") from None
    ctx.core.cases.invalidate()
    left = len(after.changes) - len(taken)
    text = f"UA {ua}: {len(taken)} field(s) taken from the document."
    buttons = [[Button("Show it", f"/case {case.ua_number}")]]
    if left:
        text += (
            f" {left} field(s) still wait (what you corrected by hand is kept): "
            f"/revision {ua} lists them, to take one or discard the rest."
        )
        buttons.append([Button("Discard the rest", f"/revision {case.ua_number} discard")])
    return Reply.text(text, *buttons)
