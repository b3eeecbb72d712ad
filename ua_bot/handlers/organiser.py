"""Organiser commands: /import, /drafts, /publish, /close, /reopen, /audit (reports: stats.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.import_store import store_import, store_translations
from ua_bot.importer import limits
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply
from ua_bot.model import Case, CaseStatus
from ua_bot.present import case_card
from ua_bot.translation_file import translations_beside

MAX_UPLOAD = 20 * 1024 * 1024


async def _off_loop(read, *args):
    """Read a document in a thread (the bot keeps answering), for at most IMPORT_SECONDS."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(read, *args), limits.IMPORT_SECONDS)
    except TimeoutError:
        raise UserError("*Not imported.*\n" + esc(limits.too_slow())) from None


@command(
    "import",
    "Import a UA document (send the file, or a path on the console)",
    args="[PATH]",
    organiser=True,
)
async def import_(ctx: Context) -> list[Reply]:
    from ua_bot.importer import import_bytes, import_file

    inc = ctx.incoming
    translated: dict = {}
    if inc.file_data or inc.file_name:
        if len(inc.file_data) > MAX_UPLOAD:
            raise UserError("That file is too large to be a UA document (over 20 MB).")
        result = await _off_loop(import_bytes, inc.file_data, inc.file_name or "document.txt")
    elif ctx.args and inc.address.startswith("console:"):
        path = Path(ctx.args).expanduser()
        if not path.is_file():
            raise UserError(f"There is no file at {esc(ctx.args)}.")
        result = await _off_loop(import_file, path)
        translated = translations_beside(path)
    elif inc.address.startswith("console:"):
        raise UserError("Which file? Give its path: /import PATH (a .txt, .docx or .pdf file).")
    else:
        raise UserError("Send me the UA document as a file (.txt, .docx or .pdf) to import it.")
    report = esc(result.report.render())
    if result.case is None:
        return [Reply.text("*Not imported.*\n" + report)]
    stored = await store_import(ctx.store, result)
    await store_translations(ctx.store, stored.case.id, translated)
    ctx.core.cases.invalidate()
    case = stored.case
    if stored.update_of:
        head = f"*Imported as an update of UA {esc(stored.update_of)}.*"
    elif stored.created:
        head = f"*Imported UA {esc(case.ua_number)} as a draft.*"
    else:
        head = f"*Re-imported UA {esc(case.ua_number)}: the case is updated.*"
    notes = "".join(f"\n_{esc(w)}_" for w in stored.warnings)
    if translated:
        langs = ", ".join(sorted(translated))
        notes += f"\n_Translations of the case text stored: {esc(langs)}._"
    async with ctx.store.unit() as tx:
        supporters, actions = await tx.case_totals(case.id)
    preview = case_card(case, ctx.today(), supporters, actions)
    out = [Reply.text(head + notes + "\n" + report), preview]
    if stored.update_of:
        ua = stored.update_of
        out.append(
            Reply.text(
                f"Send this update of UA {esc(ua)} to the supporters who acted on it?",
                [Button("Send this update", f"/broadcast {ua} update")],
                [Button("Send it to all subscribers", f"/broadcast {ua} update --all")],
            )
        )
    return out


@command("drafts", "Imported cases not yet published", organiser=True)
async def drafts(ctx: Context) -> Reply:
    cases = await ctx.core.cases.all(CaseStatus.DRAFT)
    if not cases:
        return Reply.text("There are no drafts. /import a UA document to make one.")
    lines = ["*Drafts*"] + [f"UA {esc(c.ua_number)}: {esc(c.title)}" for c in cases]
    return Reply.text(
        "\n".join(lines),
        *[[Button(f"Publish {c.ua_number}", f"/publish {c.ua_number}")] for c in cases[:20]],
    )


MAX_OUTCOME = 500


async def _set_status(
    ctx: Context, status: CaseStatus, usage: str, *, allowed: tuple[CaseStatus, ...]
) -> tuple[Case, str]:
    case, rest = await ctx.named_case(usage, "/drafts lists the imported cases.")
    ua = esc(case.ua_number)
    if case.status not in allowed:
        raise UserError(
            {
                CaseStatus.DRAFT: f"UA {ua} is a draft: /publish {ua} first.",
                CaseStatus.PUBLISHED: f"UA {ua} is already open.",
                CaseStatus.CLOSED: f"UA {ua} is closed: /reopen {ua} to open it again.",
            }[case.status]
        )
    rest = rest[:MAX_OUTCOME]
    async with ctx.unit() as tx:
        await tx.set_status(case.id, status, outcome=rest or None)
    ctx.core.cases.invalidate()
    return case, rest


@command("publish", "Publish a draft so supporters see it", args="UA", organiser=True)
async def publish(ctx: Context) -> Reply:
    case, _ = await _set_status(
        ctx, CaseStatus.PUBLISHED, "/publish UA", allowed=(CaseStatus.DRAFT, CaseStatus.CLOSED)
    )
    return Reply.text(
        f"UA {esc(case.ua_number)} is published: supporters can see it and act.",
        [Button("Show it", f"/case {case.ua_number}")],
    )


@command("close", "Close a case, with its outcome", args="UA [outcome]", organiser=True)
async def close(ctx: Context) -> Reply:
    case, outcome = await _set_status(
        ctx,
        CaseStatus.CLOSED,
        "/close UA [outcome]",
        allowed=(CaseStatus.PUBLISHED, CaseStatus.CLOSED),  # closing again sets the outcome
    )
    tail = f" Outcome: {esc(outcome)}." if outcome else ""
    return Reply.text(
        f"UA {esc(case.ua_number)} is closed.{tail} Supporters can still read it; "
        "no new actions are recorded."
    )


@command("reopen", "Reopen a closed case", args="UA", organiser=True)
async def reopen(ctx: Context) -> Reply:
    case, _ = await _set_status(
        ctx, CaseStatus.PUBLISHED, "/reopen UA", allowed=(CaseStatus.CLOSED,)
    )
    return Reply.text(f"UA {esc(case.ua_number)} is open again.")


@command("audit", "Recent organiser commands: who (a key), what, when", organiser=True)
async def audit(ctx: Context) -> Reply:
    async with ctx.store.unit() as tx:
        rows = await tx.audit_entries(20)
    if not rows:
        return Reply.text("No organiser command is recorded yet.")
    lines = ["*Recent organiser commands* (who is a key, never a name)"]
    for r in rows:
        when = r.at.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"{when}  {r.actor[:8]}  /{esc(r.command)} {esc(r.args)}".rstrip())
    return Reply.text("\n".join(lines))
