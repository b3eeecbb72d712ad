"""Call at office hours: when an official's office next opens, and the reminder then.

The reminder is an outbox row due at the official's next 9:00 (Monday to Friday, in the
number's time zone): a ``call`` broadcast per case, official and opening, one row per chat
that asked. ``/forget_me`` and ``/unsubscribe`` cancel a chat's pending rows, and the worker
sends nothing for a case that is no longer open.
"""

from __future__ import annotations

import datetime as dt

from ua_bot.drafting import phones
from ua_bot.markup import esc, link
from ua_bot.messages import Button, Buttons, Reply, Text
from ua_bot.model import Case

OPENS = dt.time(9, 0)


def next_opening(number: str, now: dt.datetime) -> dt.datetime | None:
    """The next 9:00 on a weekday at the number, as an aware UTC time (``None``: no zone)."""
    local = phones.local_time(number, now)
    if local is None:
        return None
    day = local.date()
    if local.time() >= OPENS:
        day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    opening = dt.datetime.combine(day, OPENS, tzinfo=local.tzinfo)
    return opening.astimezone(dt.UTC)


def reminder_key(case_id: int, target_no: int, due: dt.datetime) -> str:
    return f"{case_id}:call:{target_no}:{due:%Y%m%d%H%M}"


def target_of_key(key: str) -> int:
    """The official's number in a reminder's broadcast key."""
    parts = key.split(":")
    return int(parts[2]) if len(parts) > 3 and parts[2].isdigit() else 0


def call_reminder(case: Case, key: str) -> Reply | None:
    """What the worker sends when the office opens: the number and the script's way in."""
    no = target_of_key(key)
    target = case.target(no)
    if target is None or not target.phones:
        return None
    ua, number = case.ua_number, target.phones[0]
    shown = link(phones.readable(number), "tel:" + phones.e164(number))
    lines = [
        f"*{esc(target.name)}'s office is open now* (UA {esc(ua)})",
        f"Call {shown}. The script is one tap away; tell me when you called.",
    ]
    rows = [
        [Button("Call script", f"/call {ua} {no}")],
        [Button("I called", f"/took_action {ua} call {no}")],
    ]
    reply = Reply([Text("\n".join(lines)), Buttons.of(*rows)])
    reply.meta["case"] = ua
    return reply
