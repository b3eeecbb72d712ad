"""Pacing per platform: a sliding one-second window for the platform as a whole, a gap per chat."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import deque

from aiolimiter import AsyncLimiter

from ua_bot.broadcast.sender import Pacing, Sender

WINDOW = 1.0  # seconds: platforms count their limits per second
CATCH_UP = 0.1  # seconds of lateness (a late timer, a busy loop) the pacer may make up


def pacing_for(sender: Sender, overrides: str) -> Pacing:
    """The sender's own pacing, with the settings' JSON overrides for its platform."""
    if not overrides.strip():
        return sender.pacing
    data = json.loads(overrides)
    return sender.pacing.merged(data.get(sender.platform, {}))


class Pacer:
    """Keeps one platform's sends under its limits.

    Platform-wide, messages are spread evenly at ``floor(limit * margin)`` a second by a
    leaky bucket (aiolimiter) deep enough to make up ``CATCH_UP`` seconds of lateness (a
    late timer, a busy event loop), so the rate holds near the limit. The catching up never
    bursts past the limit: a message counts against the platform's one-second window from
    the moment it starts until a second after its answer came back (the platform saw it
    somewhere in between), and a new one starts only while fewer than that many count.
    Each chat has a least gap between two messages (longer for groups when the platform
    says so).
    """

    def __init__(self, sender: Sender, pacing: Pacing, margin: float = 0.97) -> None:
        self.sender = sender
        self.pacing = pacing
        self.capacity = max(1, math.floor(pacing.per_second * margin * WINDOW))
        burst = max(1.0, self.capacity * CATCH_UP)
        self.limiter = AsyncLimiter(burst, burst * WINDOW / self.capacity)
        self.interval = WINDOW / self.capacity
        self.in_flight = 0  # messages started and not yet answered
        self._done: deque[float] = deque()  # when messages were answered, within WINDOW
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

    def delay(self, now: float) -> float:
        """Seconds until the platform's window has room for one more message (0: now)."""
        done = self._done
        while done and done[0] <= now - WINDOW:
            done.popleft()
        if self.in_flight + len(done) < self.capacity:
            return 0.0
        # Full: room comes when the oldest answer is a second old, or an answer comes back.
        return min(done[0] + WINDOW - now if done else self.interval, self.interval)

    async def acquire(self) -> None:
        """Wait for the platform's next slot and take it; :meth:`release` when answered."""
        await self.limiter.acquire()
        while (wait := self.delay(time.monotonic())) > 0.0:
            await asyncio.sleep(wait)
        self.in_flight += 1

    def release(self, *, sent: bool = True) -> None:
        """The message taken by :meth:`acquire` was answered (or, ``sent=False``, never sent)."""
        self.in_flight -= 1
        if sent:
            self._done.append(time.monotonic())
