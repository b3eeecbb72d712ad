"""Pacing per platform: the budget shared by every process, a one-second window, a gap per chat."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import deque

from aiolimiter import AsyncLimiter

from case_store import Budget, bucket_for
from ua_bot.broadcast.sender import Pacing, Sender

WINDOW = 1.0  # seconds: platforms count their limits per second
CATCH_UP = 0.1  # seconds of lateness (a late timer, a busy loop) the pacer may make up
GRANT_TTL = 0.2  # seconds tokens taken from the shared budget may wait here before use


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

    With a ``budget`` (:mod:`case_store.budget`), the platform's rate is not this process's
    alone: tokens come from the budget every web process and worker shares (per Slack
    workspace for Slack), taken a batch at a time, and only those replies left; a 429 seen
    by any process pauses this one too.
    """

    def __init__(
        self,
        sender: Sender,
        pacing: Pacing,
        margin: float = 0.97,
        *,
        budget: Budget | None = None,
    ) -> None:
        self.sender = sender
        self.pacing = pacing
        self.budget = budget
        self.bucket = bucket_for(pacing.per_second, margin)
        self._granted: dict[str, tuple[int, float]] = {}  # key -> (tokens, usable until)
        self._pausing: set[asyncio.Task[None]] = set()
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

    def pause(self, seconds: float, address: str = "") -> None:
        """The platform asked to wait: hold every send (every process's, with a budget)."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)
        self._granted.clear()
        if self.budget is not None:
            key = self.sender.budget_key(address)
            task = asyncio.create_task(self.budget.pause(key, seconds))
            self._pausing.add(task)
            task.add_done_callback(self._pausing.discard)

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

    async def _take(self, key: str) -> None:
        """One token of ``key``'s shared budget (a batch is taken and kept briefly)."""
        assert self.budget is not None
        while True:
            n, until = self._granted.get(key, (0, 0.0))
            now = time.monotonic()
            if n > 0 and now < until:
                self._granted[key] = (n - 1, until)
                return
            batch = max(1, math.ceil(self.bucket.burst))
            take = await self.budget.take(key, self.bucket, batch, reply=False)
            if take.paused:
                self.paused_until = max(self.paused_until, time.monotonic() + take.paused)
            if take.granted:
                self._granted[key] = (take.granted, time.monotonic() + GRANT_TTL)
            else:
                await asyncio.sleep(min(max(take.wait, 0.001), WINDOW))

    async def acquire(self, address: str = "") -> None:
        """Wait for the platform's next slot and take it; :meth:`release` when answered."""
        if self.budget is not None:
            await self._take(self.sender.budget_key(address))
        else:
            await self.limiter.acquire()
        while (wait := self.delay(time.monotonic())) > 0.0:
            await asyncio.sleep(wait)
        self.in_flight += 1

    def release(self, *, sent: bool = True) -> None:
        """The message taken by :meth:`acquire` was answered (or, ``sent=False``, never sent)."""
        self.in_flight -= 1
        if sent:
            self._done.append(time.monotonic())
