"""Pacing per platform: a leaky bucket for the platform as a whole, a gap per chat."""

from __future__ import annotations

import json
import time

from aiolimiter import AsyncLimiter

from ua_bot.broadcast.sender import Pacing, Sender


def pacing_for(sender: Sender, overrides: str) -> Pacing:
    """The sender's own pacing, with the settings' JSON overrides for its platform."""
    if not overrides.strip():
        return sender.pacing
    data = json.loads(overrides)
    return sender.pacing.merged(data.get(sender.platform, {}))


class Pacer:
    """Keeps one platform's sends under its limits.

    The platform-wide rate is a leaky bucket (aiolimiter) that leaks at ``margin`` times the
    limit and holds a burst of about 1% of a second's worth, so that in any one second the
    platform sees at most ``limit`` messages even when timers fire late. Each chat has a
    least gap between two messages (longer for groups when the platform says so).
    """

    def __init__(self, sender: Sender, pacing: Pacing, margin: float = 0.97) -> None:
        self.sender = sender
        self.pacing = pacing
        rate = max(pacing.per_second * margin, 0.001)
        burst = max(1.0, pacing.per_second * 0.01)
        self.limiter = AsyncLimiter(burst, burst / rate)
        self._next: dict[str, float] = {}
        self.paused_until = 0.0

    def gap(self, address: str) -> float:
        p = self.pacing
        if p.per_group_per_minute and self.sender.is_group(address):
            return max(p.per_chat_seconds, 60.0 / p.per_group_per_minute)
        return p.per_chat_seconds

    def wait_for(self, address: str) -> float:
        """Seconds until ``address`` may get its next message (0: now)."""
        return max(0.0, self._next.get(address, 0.0) - time.monotonic())

    def note(self, address: str) -> None:
        """A message to ``address`` is going out now."""
        now = time.monotonic()
        if len(self._next) > 20_000:
            self._next = {a: t for a, t in self._next.items() if t > now}
        self._next[address] = now + self.gap(address)

    def pause(self, seconds: float) -> None:
        """The platform asked to wait: hold every send until then."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    def paused_for(self) -> float:
        return max(0.0, self.paused_until - time.monotonic())

    async def acquire(self) -> None:
        await self.limiter.acquire()
