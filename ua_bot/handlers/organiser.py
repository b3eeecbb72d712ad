"""Organiser commands: /import, /drafts, /publish, /close, /reopen, /audit (reports: stats.py)."""

from __future__ import annotations

from pathlib import Path

from ua_bot.cases import lifecycle
from ua_bot.cases.imports import import_case
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.handlers.revisions import revision_reply
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply
from ua_bot.model import CaseStatus, CaseText
from ua_bot.present import case_card
from ua_bot.translation_file import translations_beside

MAX_UPLOAD = 20 * 1024 * 1024


@command(
    "import",
    "Import a UA document (send the file, or a path on the console)",
    args="[PATH]",
    organiser=True,
)
async def import_(ctx: Context) -> list[Reply]:
    from ua_bot.importer.isolated import read_isolated

    inc = ctx.incoming
    translated: dict[str, CaseText] = {}
    if inc.file_data or inc.file_name:
        if len(inc.file_data) > MAX_UPLOAD:
            raise UserError("That file is too large to be a UA document (over 20 MB).")
        result = await read_isolated(inc.file_name or "document.txt", inc.file_data)
    elif ctx.args and inc.address.startswith("console:"):
        try:
            path = Path(ctx.args).expanduser()  # "~name" of no known user raises
        except RuntimeError:
            path = Path(ctx.args)
        if not path.is_file():
            raise UserError(f"There is no file at {esc(ctx.args)}.")
        result = await read_isolated(path)
        translated = translations_beside(path)
    elif inc.address.startswith("console:"):
        raise UserError("Which file? Give its path: /import PATH (a .txt, .docx or .pdf file).")
    else:
        raise UserError("Send me the UA document as a file (.txt, .docx or .pdf) to import it.")
    report = esc(result.report.render())
    if result.case is None:
        return [Reply.text("*Not imported.*\n" + report)]
    source = inc.file_name or (Path(ctx.args).name if ctx.args else "document")
    stored = await import_case(ctx.core, ctx.who, result, translated, source=source)
    if stored.revision is not None:
        notes = "".join(f"\n_{esc(w)}_" for w in stored.warnings)
        if translated:
            notes += "\n_The translations beside it are not stored: the case exists already._"
        head = f"*UA {esc(stored.case.ua_number)} exists: nothing is changed yet.*{notes}\n"
        return [revision_reply(stored.revision, head)]
    case = stored.case
    if stored.update_of:
        head = f"*Imported as an update of UA {esc(stored.update_of)}.*"
    else:
        head = f"*Imported UA {esc(case.ua_number)} as a draft.*"
    notes = "".join(f"\n_{esc(w)}_" for w in stored.warnings)
    if translated:
        langs = ", ".join(sorted(translated))
        notes += f"\n_Translations of the case text stored: {esc(langs)}._"
    async with ctx.store.unit() as tx:
        supporters, actions = await tx.case_totals(case.stored_id)
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


@command("publish", "Publish a draft so supporters see it", args="UA", organiser=True)
async def publish(ctx: Context) -> Reply:
    case, _ = await ctx.named_case("/publish UA", "/drafts lists the imported cases.")
    await lifecycle.publish(ctx.core, ctx.who, case.stored_id)
    return Reply.text(
        f"UA {esc(case.ua_number)} is published: supporters can see it and act.",
        [Button("Show it", f"/case {case.ua_number}")],
    )


@command("close", "Close a case, with its outcome", args="UA [outcome]", organiser=True)
async def close(ctx: Context) -> Reply:
    case, outcome = await ctx.named_case("/close UA [outcome]", "/drafts lists the imported cases.")
    done = await lifecycle.close(ctx.core, ctx.who, case.stored_id, outcome)
    ua = esc(case.ua_number)
    if outcome.strip():
        tail = f" Outcome: {esc(done.case.outcome)}."
    elif done.case.outcome:
        tail = (
            f" Its outcome stays: {esc(done.case.outcome)} "
            f"(/close {ua} OUTCOME changes it, /reopen {ua} ends it)."
        )
    else:
        tail = f" No outcome is recorded: /close {ua} OUTCOME adds one."
    return Reply.text(
        f"UA {ua} is closed.{tail} Supporters can still read it; no new actions are recorded."
    )


@command("reopen", "Reopen a closed case (its outcome ends)", args="UA", organiser=True)
async def reopen(ctx: Context) -> Reply:
    case, _ = await ctx.named_case("/reopen UA", "/drafts lists the imported cases.")
    done = await lifecycle.reopen(ctx.core, ctx.who, case.stored_id)
    ua = esc(case.ua_number)
    text = f"UA {ua} is open again."
    if done.outcome_before:
        text += (
            f" Its outcome ({esc(done.outcome_before)}) no longer stands: supporters are "
            "asked to act again."
        )
    return Reply.text(text)


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
