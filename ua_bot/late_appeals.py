"""After the deadline, the organisers' call: encourage late appeals, ask supporters to check
with the organisers, or stop them.

A case's own setting (``/late_appeals UA encourage|check|stop``, kept in the case's
``extra``) wins over the deployment's ``UA_BOT_LATE_APPEALS``, which the case cache fills in.
Every reply that words the deadline (the card, the thanks, reminders) follows it; with
``stop``, ``/took_action`` after the deadline refuses politely.
"""

from __future__ import annotations

import datetime as dt

from ua_bot.model import Case

POLICIES = ("encourage", "check", "stop")


def late_policy(case: Case) -> str:
    """The case's policy; ``encourage`` when none is known."""
    return case.late_appeals if case.late_appeals in POLICIES else "encourage"


def past_deadline(case: Case, today: dt.date) -> bool:
    left = case.days_left(today)
    return left is not None and left < 0


def stopped(case: Case, today: dt.date) -> bool:
    """Past the deadline of a case whose organisers ask for no more appeals."""
    return late_policy(case) == "stop" and past_deadline(case, today)
