"""What a broadcast says: a new case, an update, a deadline reminder; and its progress line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ua_bot.i18n import ENGLISH, Translator
from ua_bot.markup import esc
from ua_bot.messages import Button, Buttons, Reply, Text
from ua_bot.model import Case
from ua_bot.present import case_card, deadline_line, quoted, title_line

KINDS = ("new", "update", "reminder")
KIND_NAMES = {"new": "new case", "update": "update", "reminder": "deadline reminder"}
OUTCOMES = (
    "released",
    "freed",
    "acquitted",
    "charged",
    "sentenced",
    "convicted",
    "detained",
    "deported",
    "returned",
    "executed",
    "died",
    "missing",
    "no change",
)


def new_case_reply(
    case: Case, today: dt.date, supporters: int, actions: int, t: Translator = ENGLISH
) -> Reply:
    card = case_card(case, today, supporters, actions, t)
    return Reply([Text(t("broadcast.new")), *card.parts], meta=dict(card.meta))


def update_reply(case: Case, update: Any, t: Translator = ENGLISH) -> Reply:
    lines = [t("broadcast.update", ua=esc(case.ua_number)), title_line(case)]
    if not t.english and (update.outcome or update.text):  # the organiser's words: English
        raw = f"{update.outcome}: {update.text}" if update.outcome else update.text
        lines += ["", t("case.quoted"), quoted(raw.strip(": "))]
    else:
        if update.outcome:
            lines.append(t("broadcast.outcome", outcome=esc(update.outcome)))
        if update.text:
            lines += ["", esc(update.text)]
    lines += ["", t("broadcast.thanks")]
    rows = [[Button(t("start.show_case"), f"/case {case.ua_number}")]]
    reply = Reply([Text("\n".join(lines)), Buttons.of(*rows)])
    reply.meta["case"] = case.ua_number
    return reply


def reminder_reply(case: Case, today: dt.date, t: Translator = ENGLISH) -> Reply:
    lines = [
        t("broadcast.reminder", ua=esc(case.ua_number)),
        title_line(case),
        deadline_line(case, today, t),
        "",
        t("broadcast.reminder_body"),
    ]
    ua = case.ua_number
    rows = [
        [
            Button(t("button.targets"), f"/targets {ua}"),
            Button(t("button.demands"), f"/demands {ua}"),
        ],
        [Button(t("button.took_action"), f"/took_action {ua}")],
    ]
    reply = Reply([Text("\n".join(lines)), Buttons.of(*rows)])
    reply.meta["case"] = ua
    return reply


def broadcast_reply(
    kind: str,
    case: Case,
    update: Any,
    today: dt.date,
    totals: tuple[int, int],
    t: Translator = ENGLISH,
) -> Reply:
    """The broadcast in the reader's language (``t``; the case localised by the caller)."""
    if kind == "update" and update is not None:
        return update_reply(case, update, t)
    if kind == "reminder":
        return reminder_reply(case, today, t)
    return new_case_reply(case, today, *totals, t)


def tally(b: Any, *, cancelled: bool = False, waiting: bool = False) -> str:
    """``sent 1,200 of 10,000, 3 failed, 2 gone (unsubscribed)``, and if asked the rows
    cancelled and those still waiting."""
    left = max(0, b.total - b.sent - b.failed - b.gone - b.cancelled)
    parts = [f"sent {b.sent:,} of {b.total:,}"]
    for n, what, shown in (
        (b.failed, "failed", True),
        (b.gone, "gone (unsubscribed)", True),
        (b.cancelled, "cancelled", cancelled),
        (left, "waiting", waiting),
    ):
        if n and shown:
            parts.append(f"{n:,} {what}")
    return ", ".join(parts)


def progress_text(b: Any, ua: str) -> str:
    """``UA 253/17, new case: sent 1,200 of 10,000, 3 failed``."""
    settled = b.sent + b.failed + b.gone + b.cancelled
    text = f"UA {esc(ua)}, {KIND_NAMES.get(b.kind, b.kind)}: {tally(b)}"
    if b.state == "cancelled":
        return f"{text}. *Cancelled*: {b.cancelled:,} not sent."
    if b.state == "done" or settled >= b.total:
        return f"*Done.* {text}."
    return f"{text}…"
