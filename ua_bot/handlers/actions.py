"""Recording actions: /took_action and /undo."""

from __future__ import annotations

from case_store import ActionRequest
from ua_bot import metrics
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.handlers.attempts import outcome_buttons
from ua_bot.handlers.team import team_of
from ua_bot.i18n import ENGLISH, Translator
from ua_bot.late_appeals import late_policy, stopped
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply
from ua_bot.model import ACTION_TYPES, Case, CaseStatus, Target
from ua_bot.present import quoted

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
    hits = [
        i
        for i, target in enumerate(case.targets, 1)
        if low in f"{target.name} {target.title}".lower()
    ]
    if len(hits) == 1:
        return hits[0]
    listing = "; ".join(f"{i}: {target.name}" for i, target in enumerate(case.targets, 1))
    key = "targets.several" if hits else "targets.no_match"
    if text.isdigit():
        key = "targets.no_number"
    raise UserError(
        t(
            key,
            ua=esc(case.ua_number),
            text=esc(text[:60]),
            listing=esc(listing or t("targets.no_targets")),
        )
    )


def can_receive(target: Target, kind: str) -> bool:
    """A tweet needs no handle (it carries the case's hashtag); the rest need the channel."""
    return kind == "tweet" or kind in target.channels()


def no_channel(case: Case, target_no: int, kind: str, t: Translator = ENGLISH) -> str:
    """``Xi Jinping has no phone number in this case: he can get a letter, an email or a fax.``"""
    target = case.targets[target_no - 1]
    able = [c for c in dict.fromkeys([*target.channels(), "tweet"]) if c != kind]
    kinds = [t(f"article.{c}") for c in able]
    listed = kinds[0]
    if len(kinds) > 1:
        listed = t("draft.or", first=", ".join(kinds[:-1]), last=kinds[-1])
    example = esc(f"/took_action {case.ua_number} {able[0]} {target_no}")
    return t(
        "took.no_channel",
        name=esc(target.name),
        need=t(f"need.{kind}"),
        kinds=listed,
        example=example,
    )


def type_buttons(ua: str, t: Translator = ENGLISH) -> list[list[Button]]:
    b = [Button(t(f"kind.{k}"), f"/took_action {ua} {k}") for k in ACTION_TYPES]
    return [b[:3], b[3:]]


@command(
    "took_action",
    "Record what you did: letter, email, call, fax or tweet",
    args="[UA] letter|email|call|fax|tweet [target]",
    aliases=("took", "done"),
    # the confirmation's write reads the supporter's language back: no read before it
    lang_from_write=True,
)
async def took_action(ctx: Context) -> Reply:
    # Nothing here may change anything before the write or read_lang: a text asked of
    # ``t`` before then runs the handler again, with the language read first.
    t = ctx.t
    ua, rest = ctx.split_ua()
    case = await ctx.resolve_case(ua, for_action=True)
    words = rest.split(maxsplit=1)
    if not words:
        choice = Reply.text(
            t("took.choose", ua=esc(case.ua_number)), *type_buttons(case.ua_number, t)
        )
        choice.meta["once"] = "1"
        return choice
    kind = action_type(words[0])
    if kind is None:
        raise UserError(
            t("took.not_action", word=esc(words[0][:30]), ua=esc(case.ua_number)),
            *type_buttons(case.ua_number, t),
        )
    target_no = find_target(case, words[1] if len(words) > 1 else "", t)
    if target_no and not can_receive(case.targets[target_no - 1], kind):
        raise UserError(no_channel(case, target_no, kind, t))
    if case.status == CaseStatus.CLOSED or case.good_news:
        return _closed(case, t)
    if stopped(case, ctx.today()):  # the organisers' call: no appeals after the deadline
        await ctx.read_lang()
        assert case.deadline is not None
        return Reply.text(
            t("took.late_stop", ua=esc(case.ua_number), date=esc(t.date(case.deadline))),
            private=True,
        )
    day_key = f"{ctx.supporter_key}:{case.id}:{ctx.today()}"
    if await ctx.core.daily.check(day_key) != "ok":  # counted: read the language, don't re-run
        await ctx.read_lang()
        raise UserError(t("took.daily_limit"))
    res = await ctx.store.record(
        ActionRequest(
            supporter_key=ctx.supporter_key,
            case_id=case.stored_id,
            action_type=kind,
            target_no=target_no,
            platform=ctx.incoming.platform,
            workspace=team_of(ctx.incoming),
            day=ctx.today(),
            delivery_key=ctx.delivery_key,
        )
    )
    if res.replayed:
        return []  # type: ignore[return-value]
    if res.closed:
        ctx.core.cases.invalidate()
        await ctx.read_lang()
        return _closed(case, t)
    ctx.learn_lang(res.lang)  # read by the write: the cache stays fresh too
    ctx.core.totals.note(case.stored_id, res.supporters, res.actions)
    if res.recorded:
        metrics.ACTIONS.labels(ctx.incoming.platform).inc()
    what = t(f"article.{kind}")
    if target_no:
        what = t("took.to", what=what, name=esc(case.targets[target_no - 1].name))
    others = res.supporters - 1
    ua = esc(case.ua_number)
    if res.duplicate:
        text = t("took.duplicate", what=what, ua=ua)
    else:
        text = t("took.thanks", what=what[:1].upper() + what[1:], ua=ua) + " "
        text += t.n("took.not_alone", others) if others > 0 else t("took.first")
    days = case.days_left(ctx.today())
    if days is not None and days < 0 and case.deadline is not None:
        late = "took.late_check" if late_policy(case) == "check" else "took.late"
        text += "\n_" + t(late, date=esc(t.date(case.deadline))) + "_"
    # in a group the thanks is a private alert, which carries no buttons
    asks = res.recorded and not ctx.incoming.replies_public
    outcomes = outcome_buttons(case.ua_number, kind, target_no, t) if asks else []
    if outcomes:
        text += "\n" + t("outcome.ask")
    return Reply.text(text, outcomes, [Button(t("button.undo"), "/undo")], private=True)


def _closed(case: Case, t: Translator = ENGLISH) -> Reply:
    ua = esc(case.ua_number)
    apart = bool(case.outcome) and not t.english  # the organiser's English words, quoted
    if case.status != CaseStatus.CLOSED:  # good news on an open case: nothing to ask
        if apart:
            return Reply.text(t("took.good_news_quoted", ua=ua) + "\n" + quoted(case.outcome))
        return Reply.text(t("took.good_news", ua=ua, outcome=esc(case.outcome)))
    if apart:
        text = t("took.closed", ua=ua, outcome="") + "\n" + t("case.quoted")
        return Reply.text(text + "\n" + quoted(case.outcome))
    outcome = f" ({esc(case.outcome)})" if case.outcome else ""
    return Reply.text(t("took.closed", ua=ua, outcome=outcome))


@command("undo", "Take back your last recorded action", personal=True)
async def undo(ctx: Context) -> Reply:
    async with ctx.unit() as tx:
        row = await tx.undo_last_action(ctx.supporter_key)
    t = ctx.t
    if row is None:
        return Reply.text(t("took.nothing_to_undo"), private=True)
    ctx.core.totals.forget(row.case_id)
    case = await ctx.core.cases.by_id(row.case_id)
    ua = esc(case.ua_number) if case else t("took.the_case")
    what = t(f"article.{row.action_type}")
    target = case.target(row.target_no) if case and row.target_no else None
    if target is not None:
        what = t("took.to", what=what, name=esc(target.name))
    return Reply.text(t("took.undone", what=what, ua=ua), private=True)
