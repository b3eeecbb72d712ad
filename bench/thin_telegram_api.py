"""A fake Telegram Bot API for the broadcast-day benchmark, in a process of its own.

It enforces **one** limit for the bot, whichever process sends: more than ``--limit``
messages (``send*``, ``edit*``) arriving within one second gets a 429 with ``retry_after``,
and so does any message arriving while a ``retry_after`` runs. It counts messages per chat
and stamps each one's arrival (``time.time()``, the machine's clock, shared with the load
generator). ``GET /stats`` returns the counts, the arrivals for chats at or above
``--stamp-from`` (the supporters' replies) and the 429s. Prints ``port N`` once listening.

python bench/thin_telegram_api.py --limit 30 --stamp-from 50000000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import Counter, deque

from aiohttp import web

BOT = {"id": 123456, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}


class Platform:
    def __init__(self, limit: float, stamp_from: int) -> None:
        self.limit = limit
        self.stamp_from = stamp_from
        self.window: deque[float] = deque()
        self.quiet_until = 0.0
        self.received: Counter[int] = Counter()
        self.stamps: dict[int, list[float]] = {}
        self.too_many = 0
        self.first = self.last = 0.0  # the first and last broadcast message's arrival
        self.ids = itertools.count(1)

    def _gate(self) -> web.Response | None:
        now = time.monotonic()
        while self.window and self.window[0] <= now - 1.0:
            self.window.popleft()
        if now < self.quiet_until or len(self.window) >= self.limit:
            wait = max(self.quiet_until - now, self.window[0] + 1.0 - now if self.window else 0)
            retry = max(1, math.ceil(wait))
            self.quiet_until = max(self.quiet_until, now + retry)
            self.too_many += 1
            body = {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry}",
                "parameters": {"retry_after": retry},
            }
            return web.json_response(body, status=429)
        self.window.append(now)
        return None

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        if method == "getMe":
            return web.json_response({"ok": True, "result": BOT})
        if not method.startswith(("send", "edit", "copy", "forward")):
            return web.json_response({"ok": True, "result": True})
        if (refused := self._gate()) is not None:
            return refused
        chat = int(params.get("chat_id", 0))
        self.received[chat] += 1
        now = time.time()
        if chat >= self.stamp_from:
            self.stamps.setdefault(chat, []).append(now)
        else:
            self.first = self.first or now
            self.last = now
        msg = {
            "message_id": next(self.ids),
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "text": str(params.get("text", ""))[:50],
        }
        return web.json_response({"ok": True, "result": msg})

    async def stats(self, request: web.Request) -> web.Response:
        data = {
            "too_many": self.too_many,
            "first": self.first,
            "last": self.last,
            "received": {str(k): v for k, v in self.received.items() if k < self.stamp_from},
            "stamps": {str(k): v for k, v in self.stamps.items()},
        }
        return web.Response(text=json.dumps(data), content_type="application/json")


async def serve(limit: float, stamp_from: int) -> None:
    platform = Platform(limit, stamp_from)
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", platform.api)
    app.router.add_get("/stats", platform.stats)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"port {site._server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--limit", type=float, default=30.0)
    p.add_argument("--stamp-from", type=int, default=50_000_000)
    args = p.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.limit, args.stamp_from))
