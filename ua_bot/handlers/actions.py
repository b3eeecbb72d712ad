"""Recording actions: /took_action and /undo."""

from __future__ import annotations

from case_store.actions import ActionRequest
from ua_bot import markup as md
from ua_bot import metrics
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.messages import Button, Reply
from ua_bot.model import ACTION_TYPES, Case, CaseStatus
from ua_bot.present import SOFT_DEADLINE, plural

SYNONYMS = {
    "letters": "letter",
    "post": "letter",
    "mail": "letter",
    "e-mail": "email",
    "emails": "email",
    "mails": "email",
    "calls": "call",
    "phone": "call",
    "called": "call",
    "phoned": "call",
    "faxes": "fax",
    "faxed": "fax",
    "tweets": "tweet",
    "twitter": "tweet",
    "x": "tweet",
    "tweeted": "tweet",
    "emailed": "email",
    "wrote": "letter",
}
ARTICLE = {
    "letter": "a letter",
    "email": "an email",
    "call": "a call",
    "fax": "a fax",
    "tweet": "a tweet",
}


def action_type(word: str) -> str | None:
    w = word.lower().strip(".,;:!")
    w = SYNONYMS.get(w, w)
    return w if w in ACTION_TYPES else None


def find_target(case: Case, text: str) -> int:
    """A target by its number or a part of its name; 0 when ``text`` is empty."""
    text = text.strip()
    if not text:
        return 0
    if text.isdigit() and case.target(int(text)):
        return int(text)
    low = text.lower()
    hits = [i for i, t in enumerate(case.targets, 1) if low in f"{t.name} {t.title}".lower()]
    if len(hits) == 1:
        return hits[0]
    listing = ", ".join(f"{i} {t.name}" for i, t in enumerate(case.targets, 1)) or "none"
    raise UserError(
        f"UA {md.esc(case.ua_number)} has no single target {md.esc(text[:60])!s}. "
        f"Targets: {md.esc(listing)}."
    )


def type_buttons(ua: str) -> list[list[Button]]:
    b = [Button(t.capitalize(), f"/took_action {ua} {t}") for t in ACTION_TYPES]
    return [b[:3], b[3:]]


@command(
    "took_action",
    "Record what you did: letter, email, call, fax or tweet",
    args="[UA] letter|email|call|fax|tweet [target]",
    aliases=("took", "done"),
)
async def took_action(ctx: Context) -> Reply:
    ua, rest = ctx.split_ua()
    case = await ctx.resolve_case(ua, for_action=True)
    words = rest.split(maxsplit=1)
    if not words:
        choice = Reply.text(
            f"What did you do for UA {md.esc(case.ua_number)}? Choose one:",
            *type_buttons(case.ua_number),
        )
        choice.meta["once"] = "1"
        return choice
    kind = action_type(words[0])
    if kind is None:
        raise UserError(
            f"{md.esc(words[0][:30])!s} is not an action I count. Choose letter, email, call, "
            f"fax or tweet, for example /took_action {md.esc(case.ua_number)} letter.",
            *type_buttons(case.ua_number),
        )
    target_no = find_target(case, words[1] if len(words) > 1 else "")
    if case.status == CaseStatus.CLOSED:
        return _closed(case)
    day_key = f"{ctx.supporter_key}:{case.id}:{ctx.today()}"
    if ctx.core.daily.check(day_key) != "ok":
        raise UserError(
            "You have recorded many actions on this case today. Thank you! Come back tomorrow."
        )
    res = await ctx.store.record(
        ActionRequest(
            supporter_key=ctx.supporter_key,
            case_id=case.id,
            action_type=kind,
            target_no=target_no,
            platform=ctx.incoming.platform,
            workspace=ctx.incoming.workspace,
            day=ctx.today(),
            delivery_key=ctx.delivery_key,
        )
    )
    if res.replayed:
        return []  # type: ignore[return-value]
    if res.closed:
        ctx.core.cases.invalidate()
        return _closed(case)
    ctx.core.note_totals(case.id, res.supporters, res.actions)
    if res.recorded:
        metrics.ACTIONS.labels(ctx.incoming.platform).inc()
    what = ARTICLE[kind]
    if target_no:
        what += f" to {md.esc(case.targets[target_no - 1].name)}"
    others = res.supporters - 1
    if res.duplicate:
        text = (
            f"You already recorded {what} for UA {md.esc(case.ua_number)} today: "
            "it counts once. Thank you!"
        )
    else:
        what = what[0].upper() + what[1:]
        text = f"*Thank you!* {what} for UA {md.esc(case.ua_number)} is recorded."
        if others > 0:
            text += f" You are not alone: {plural(others, 'other supporter')} acted on this case."
        else:
            text += " You are the first to act on this case."
    days = case.days_left(ctx.today())
    if days is not None and days < 0:
        text += f"\n_{SOFT_DEADLINE}_"
    return Reply.text(text, [Button("Undo", "/undo")], private=True)


def _closed(case: Case) -> Reply:
    outcome = f" ({md.esc(case.outcome)})" if case.outcome else ""
    return Reply.text(
        f"UA {md.esc(case.ua_number)} is closed{outcome}, so no more actions are recorded for "
        "it. Thank you for caring: send /cases for the open ones."
    )


@command("undo", "Take back your last recorded action")
async def undo(ctx: Context) -> Reply:
    async with ctx.unit() as tx:
        row = await tx.undo_last_action(ctx.supporter_key)
    if row is None:
        return Reply.text("You have no recorded action to undo.", private=True)
    ctx.core.forget_totals(row.case_id)
    case = await ctx.core.cases.by_id(row.case_id)
    ua = md.esc(case.ua_number) if case else "the case"
    return Reply.text(f"Removed: {ARTICLE[row.action_type]} for UA {ua}.", private=True)
