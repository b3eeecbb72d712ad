"""How an attempt went: ``/outcome``, the optional tap after ``/took_action``.

A failed attempt (voicemail, no answer, a dead number, a bounce, a failed fax) is not an
action done: the store takes it out of the totals and the reply offers the official's other
channels, or the next official. Reports of a broken channel feed the contact warnings
(:mod:`case_store.attempts`); the first time a channel is marked, organisers are told.
"""

from __future__ import annotations

from case_store import FAILED, OUTCOMES
from ua_bot.cases.contacts import confirm_contact
from ua_bot.commands import command
from ua_bot.contact_health import contact_of, health_target
from ua_bot.context import Context
from ua_bot.errors import UserError
from ua_bot.i18n import ENGLISH, Translator
from ua_bot.markup import esc
from ua_bot.messages import Button, Reply
from ua_bot.model import Case, CaseStatus


def outcome_buttons(ua: str, kind: str, target_no: int, t: Translator = ENGLISH) -> list[Button]:
    """One button per outcome of the action type (none for a tweet)."""
    return [
        Button(t(f"outcome.{o}"), f"/outcome {ua} {kind} {target_no} {o}")
        for o in OUTCOMES.get(kind, ())
    ]


def other_ways(case: Case, kind: str, target_no: int, t: Translator) -> list[list[Button]]:
    """The official's other channels, else the next official who has this one."""
    ua = case.ua_number
    target = case.target(target_no)
    if target is not None:
        mine = [c for c in target.channels() if c not in (kind, "tweet")]
        if mine:
            return [[Button(t(f"kind.{c}"), f"/{c} {ua} {target_no}") for c in mine]]
    nxt = [
        i for i, other in enumerate(case.targets, 1) if i != target_no and kind in other.channels()
    ]
    if nxt:
        name = case.targets[nxt[0] - 1].name[:40]
        return [[Button(t("outcome.next", name=name), f"/{kind} {ua} {nxt[0]}")]]
    return [[Button(t("button.targets"), f"/targets {ua}")]]


@command(
    "outcome",
    "How an attempt went: got through, voicemail, bounced...",
    args="UA letter|email|call|fax TARGET OUTCOME",
    personal=True,
    hidden=True,  # the buttons after /took_action say it
)
async def outcome(ctx: Context) -> Reply:
    t = ctx.t
    ua, rest = ctx.split_ua()
    case = await ctx.resolve_case(ua, for_action=True)
    words = rest.split()
    kind = words[0].lower() if words else None
    usage = t("outcome.usage", ua=esc(case.ua_number))
    if kind is None or kind not in OUTCOMES or len(words) != 3 or not words[1].isdigit():
        raise UserError(usage)
    target_no, result = int(words[1]), words[2].lower()
    if result not in OUTCOMES[kind] or (target_no and case.target(target_no) is None):
        raise UserError(usage)
    if case.status == CaseStatus.CLOSED:
        return Reply.text(t("took.closed", ua=esc(case.ua_number), outcome=""), private=True)
    health_no = health_target(case, target_no, kind)
    target = case.target(health_no)
    contact = contact_of(target, kind) if target else ""
    async with ctx.unit() as tx:
        res = await tx.set_outcome(
            ctx.supporter_key, case.stored_id, kind, target_no, result, health_no, contact
        )
        if res.newly_warned:  # told once, in the same transaction as the mark
            organisers = sorted(ctx.core.settings.organisers)
            await tx.queue_contact_notice(case.stored_id, health_no, kind, organisers)
    if res.status == "none":
        return Reply.text(t("outcome.no_action", ua=esc(case.ua_number)), private=True)
    if res.status == "already":
        return Reply.text(t("outcome.already"), private=True)
    ctx.core.totals.forget(case.stored_id)
    if result not in FAILED:
        return Reply.text(t(f"outcome.done_{kind}"), private=True)
    text = t("outcome.not_done", what=t(f"outcome.{result}").lower())
    return Reply.text(text, *other_ways(case, kind, health_no, t), private=True)


@command(
    "contact_ok",
    "Confirm a contact supporters report broken: its warning ends",
    args="UA TARGET letter|email|call|fax",
    organiser=True,
)
async def contact_ok(ctx: Context) -> Reply:
    case, rest = await ctx.named_case(
        "/contact_ok UA TARGET CHANNEL, for example /contact_ok 253/17 1 email",
        "/cases lists the open cases.",
    )
    words = rest.lower().split()
    if len(words) != 2 or not words[0].isdigit() or words[1] not in OUTCOMES:
        raise UserError(
            f"Usage: /contact_ok {esc(case.ua_number)} TARGET CHANNEL, for example "
            f"/contact_ok {esc(case.ua_number)} 1 email."
        )
    target_no, channel = int(words[0]), words[1]
    ended = await confirm_contact(ctx.core, ctx.who, case.stored_id, target_no, channel)
    ua = esc(case.ua_number)
    if not ended:
        return Reply.text(f"No contact of target {target_no} in UA {ua} is marked for {channel}.")
    return Reply.text(
        f"Confirmed: the {channel} contact of target {target_no} in UA {ua} is no longer marked. "
        "New reports count from now."
    )
