"""The time, once: ``now()`` (aware, UTC) is what every part reads unless it is given a clock
(the core and the worker take one, so tests can freeze the day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
