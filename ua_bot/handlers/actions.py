"""Recording actions: /took_action and /undo."""

from __future__ import annotations

from case_store.actions import ActionRequest
from ua_bot import markup as md
from ua_bot import metrics
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.i18n import ENGLISH, Translator
from ua_bot.messages import Button, Reply
from ua_bot.model import ACTION_TYPES, Case, CaseStatus

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


def action_type(word: str) -> str | None:
    w = word.lower().strip(".,;:!")
    w = SYNONYMS.get(w, w)
    return w if w in ACTION_TYPES else None


def find_target(case: Case, text: str, t: Translator = ENGLISH) -> int:
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
    listing = ", ".join(f"{i} {tg.name}" for i, tg in enumerate(case.targets, 1))
    raise UserError(
        t(
            "targets.no_single",
            ua=md.esc(case.ua_number),
            text=md.esc(text[:60]),
            listing=md.esc(listing or t("targets.no_targets")),
        )
    )


def type_buttons(ua: str, t: Translator = ENGLISH) -> list[list[Button]]:
    b = [Button(t(f"kind.{k}"), f"/took_action {ua} {k}") for k in ACTION_TYPES]
    return [b[:3], b[3:]]


@command(
    "took_action",
    "Record what you did: letter, email, call, fax or tweet",
    args="[UA] letter|email|call|fax|tweet [target]",
    aliases=("took", "done"),
)
async def took_action(ctx: Context) -> Reply:
    t = ctx.t
    ua, rest = ctx.split_ua()
    case = await ctx.resolve_case(ua, for_action=True)
    words = rest.split(maxsplit=1)
    if not words:
        choice = Reply.text(
            t("took.choose", ua=md.esc(case.ua_number)), *type_buttons(case.ua_number, t)
        )
        choice.meta["once"] = "1"
        return choice
    kind = action_type(words[0])
    if kind is None:
        raise UserError(
            t("took.not_action", word=md.esc(words[0][:30]), ua=md.esc(case.ua_number)),
            *type_buttons(case.ua_number, t),
        )
    target_no = find_target(case, words[1] if len(words) > 1 else "", t)
    if case.status == CaseStatus.CLOSED:
        return _closed(case, t)
    day_key = f"{ctx.supporter_key}:{case.id}:{ctx.today()}"
    if ctx.core.daily.check(day_key) != "ok":
        raise UserError(t("took.daily_limit"))
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
        return _closed(case, t)
    ctx.core.note_totals(case.id, res.supporters, res.actions)
    ctx.core.note_lang(ctx.supporter_key, res.lang)  # read by the write: the cache stays fresh
    if res.recorded:
        metrics.ACTIONS.labels(ctx.incoming.platform).inc()
    what = t(f"article.{kind}")
    if target_no:
        what = t("took.to", what=what, name=md.esc(case.targets[target_no - 1].name))
    others = res.supporters - 1
    ua = md.esc(case.ua_number)
    if res.duplicate:
        text = t("took.duplicate", what=what, ua=ua)
    else:
        text = t("took.thanks", what=what[:1].upper() + what[1:], ua=ua) + " "
        text += t.n("took.not_alone", others) if others > 0 else t("took.first")
    days = case.days_left(ctx.today())
    if days is not None and days < 0:
        text += f"\n_{t('deadline.soft')}_"
    return Reply.text(text, [Button(t("button.undo"), "/undo")], private=True)


def _closed(case: Case, t: Translator = ENGLISH) -> Reply:
    outcome = f" ({md.esc(case.outcome)})" if case.outcome else ""
    return Reply.text(t("took.closed", ua=md.esc(case.ua_number), outcome=outcome))


@command("undo", "Take back your last recorded action")
async def undo(ctx: Context) -> Reply:
    async with ctx.unit() as tx:
        row = await tx.undo_last_action(ctx.supporter_key)
    t = ctx.t
    if row is None:
        return Reply.text(t("took.nothing_to_undo"), private=True)
    ctx.core.forget_totals(row.case_id)
    case = await ctx.core.cases.by_id(row.case_id)
    ua = md.esc(case.ua_number) if case else t("took.the_case")
    what = t(f"article.{row.action_type}")
    return Reply.text(t("took.undone", what=what, ua=ua), private=True)
