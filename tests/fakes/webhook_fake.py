"""A loopback fake of a chat platform for the ``webhook`` sender (aiohttp on 127.0.0.1:0).

It counts receipts per recipient, records edits, and can answer like a platform does:
403 for recipients who blocked the bot, 500 once for some, 429 with ``retry_after`` at
chosen requests, and 429 whenever more than ``limit`` messages arrive within one second.
A request that arrives while a 429 told the bot to wait counts as a violation, unless it
arrives within ``grace`` seconds of that 429: the bot sent it before it could know.

Run as a script (``python -m tests.fakes.webhook_fake --limit 30``) it prints ``PORT n``
and serves ``GET /stats`` for a benchmark in another process.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable

from aiohttp import web


class FakePlatform:
    def __init__(
        self, *, limit: float | None = None, retry_after: float = 1.0, grace: float = 0.2
    ) -> None:
        self.limit = limit
        self.grace = grace
        self.retry_after = retry_after
        self.received: Counter[str] = Counter()
        self.edits: list[tuple[str, str, str]] = []  # (address, message id, text)
        self.sent_texts: dict[str, str] = {}  # message id -> text (organiser messages too)
        self.gone: set[str] = set()
        self.fail_once: set[str] = set()
        self.rate_limit_at: set[int] = set()  # answer 429 to these request numbers (1-based)
        self.on_receipt: Callable[[int], None] | None = None
        self.requests = 0
        self.rate_limited = 0  # 429s we answered
        self.over_limit = 0  # 429s because the bot went over ``limit``
        self.violations = 0  # requests during a retry_after wait
        self.in_flight = 0  # requests during a wait, sent before the bot heard of it
        self._last_429 = 0.0
        self.first_at: float | None = None
        self.last_at: float | None = None
        self._window: deque[float] = deque()
        self._quiet_until = 0.0
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    @property
    def total(self) -> int:
        return sum(self.received.values())

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.received.values() if n > 1)

    def _too_many(self, retry_after: float) -> web.Response:
        self.rate_limited += 1
        self._quiet_until = max(self._quiet_until, time.monotonic() + retry_after)
        return web.json_response(
            {"ok": False, "retry_after": retry_after},
            status=429,
            headers={"Retry-After": str(retry_after)},
        )

    def _gate(self) -> web.Response | None:
        """The platform's own rules, before the message is looked at."""
        now = time.monotonic()
        self.requests += 1
        if now < self._quiet_until:
            if now - self._last_429 < self.grace:
                self.in_flight += 1
            else:
                self.violations += 1
            return self._too_many(self._quiet_until - now)
        if self.requests in self.rate_limit_at:
            self._last_429 = now
            return self._too_many(self.retry_after)
        if self.limit:
            while self._window and self._window[0] <= now - 1.0:
                self._window.popleft()
            if len(self._window) >= self.limit:
                self.over_limit += 1
                self._last_429 = now
                return self._too_many(1.0)
            self._window.append(now)
        return None

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        blocked = self._gate()
        if blocked is not None:
            return blocked
        address = body["address"]
        if address in self.gone:
            return web.json_response({"ok": False, "error": "blocked"}, status=403)
        if address in self.fail_once:
            self.fail_once.discard(address)
            return web.json_response({"ok": False}, status=500)
        self.received[address] += 1
        now = time.monotonic()
        self.first_at = self.first_at or now
        self.last_at = now
        mid = str(next(self._ids))
        self.sent_texts[mid] = body["reply"]["text"]
        if self.on_receipt is not None:
            self.on_receipt(self.total)
        return web.json_response({"ok": True, "message_id": mid})

    async def edit(self, request: web.Request) -> web.Response:
        body = await request.json()
        blocked = self._gate()
        if blocked is not None:
            return blocked
        self.edits.append((body["address"], body["message_id"], body["reply"]["text"]))
        return web.json_response({"ok": True})

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "total": self.total,
                "recipients": len(self.received),
                "duplicates": self.duplicates,
                "rate_limited": self.rate_limited,
                "over_limit": self.over_limit,
                "violations": self.violations,
                "in_flight": self.in_flight,
                "now": time.monotonic(),
            }
        )

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/send", self.send)
        app.router.add_post("/edit", self.edit)
        app.router.add_get("/stats", self.stats)
        return app

    async def start(self) -> str:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakePlatform:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.stop()


async def _serve(limit: float | None) -> None:
    fake = FakePlatform(limit=limit)
    url = await fake.start()
    print(f"PORT {url.rsplit(':', 1)[1]}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--limit", type=float, default=None)
    args = p.parse_args()
    asyncio.run(_serve(args.limit))


if __name__ == "__main__":
    main()
