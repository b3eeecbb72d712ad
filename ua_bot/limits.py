"""Flood control: a per-supporter command rate limit and a cap on confirmations per case a day."""

from __future__ import annotations

import time
from collections import OrderedDict, deque


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (a sliding window).

    ``check`` returns ``"ok"``, ``"notice"`` for the first refusal in a flood (the user is
    told once), or ``"silent"`` for the refusals after it.
    """

    def __init__(self, limit: int, window: float, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._noticed: set[str] = set()
        self._max_keys = max_keys

    def check(self, key: str, now: float | None = None) -> str:
        if self.limit <= 0:
            return "ok"
        now = time.monotonic() if now is None else now
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            if len(self._hits) > self._max_keys:
                old, _ = self._hits.popitem(last=False)
                self._noticed.discard(old)
        self._hits.move_to_end(key)
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) < self.limit:
            hits.append(now)
            self._noticed.discard(key)
            return "ok"
        if key in self._noticed:
            return "silent"
        self._noticed.add(key)
        return "notice"
