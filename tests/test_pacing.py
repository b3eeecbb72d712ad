"""The worker's pacer never lets a platform see more than its limit in any one second.

The platform counts a message when it arrives, somewhere between the moment the worker
starts sending it and the moment the answer comes back; a busy event loop or network makes
that moment late by varying amounts, and a pacer that catches up after a stall may bunch
its messages. These tests send through the real :class:`Pacer` with simulated arrival and
answer delays and loop stalls, and count arrivals per sliding second as the platform would.
"""

from __future__ import annotations

import asyncio
import bisect
import random
import time

from ua_bot.broadcast.pacing import Pacer
from ua_bot.broadcast.sender import Pacing, Sender


def most_in_one_second(times: list[float]) -> int:
    times = sorted(times)
    return max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))


async def send_through(pacer: Pacer, n: int, *, arrive: tuple[float, float], stall_every=0):
    """Send ``n`` messages; each arrives after a random delay in ``arrive`` and is
    answered as long again later. Returns the arrival times."""
    rng = random.Random(7)
    arrivals: list[float] = []
    tasks = set()

    async def one(delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            arrivals.append(time.monotonic())
            await asyncio.sleep(delay)
        finally:
            pacer.release()

    for i in range(n):
        await pacer.acquire()
        t = asyncio.create_task(one(rng.uniform(*arrive)))
        tasks.add(t)
        t.add_done_callback(tasks.discard)
        if stall_every and i % stall_every == stall_every - 1:
            time.sleep(0.15)  # the event loop is blocked: the pacer falls behind
    await asyncio.gather(*tasks)
    return arrivals


async def test_uneven_arrival_delays_never_put_more_than_the_limit_in_a_second():
    pacer = Pacer(Sender(), Pacing(per_second=200))
    arrivals = await send_through(pacer, 600, arrive=(0.0, 0.2))
    assert len(arrivals) == 600
    assert most_in_one_second(arrivals) <= 200
    assert pacer.in_flight == 0


async def test_catching_up_after_stalls_never_bursts_past_the_limit():
    pacer = Pacer(Sender(), Pacing(per_second=100))
    arrivals = await send_through(pacer, 400, arrive=(0.0, 0.02), stall_every=40)
    assert len(arrivals) == 400
    assert most_in_one_second(arrivals) <= 100


async def test_a_small_limit_is_kept_with_one_message_to_spare():
    pacer = Pacer(Sender(), Pacing(per_second=30))
    assert pacer.capacity == 29  # 30 * 0.97
    arrivals = await send_through(pacer, 60, arrive=(0.0, 0.01))
    assert most_in_one_second(arrivals) <= 29
