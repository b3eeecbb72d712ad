"""The webhook route of the shared web app: ``POST /telegram/webhook``.

Telegram sends the secret given to ``setWebhook`` in ``X-Telegram-Bot-Api-Secret-Token``;
a request without it, or with another, gets 401. The answer is 200 once the update is
handled, 503 when the core could not reach its store (Telegram delivers the update
again; the core handles an ``update_id`` once), 500 when the update broke before the core
answered.
"""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from adapters.telegram.app import TelegramAdapter

log = logging.getLogger("adapters.telegram.webhook_route")
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_route(adapter: TelegramAdapter, secret: str) -> Route:
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> PlainTextResponse:
        got = request.headers.get(SECRET_HEADER, "").encode()
        if not got or not hmac.compare_digest(got, expected):
            return PlainTextResponse("unauthorized", status_code=401)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return PlainTextResponse("expected JSON", status_code=415)
        try:
            data = await request.json()
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
        except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
            return PlainTextResponse("bad update", status_code=400)
        try:
            outcome = await adapter.process_webhook_update(data)
        except Exception as e:  # an update PTB cannot read
            log.warning("webhook update not processed: %s", type(e).__name__)
            return PlainTextResponse("bad update", status_code=400)
        if outcome.temporary:
            return PlainTextResponse("try again", status_code=503, headers={"Retry-After": "5"})
        if outcome.failed and not outcome.handled:
            return PlainTextResponse("failed", status_code=500)
        return PlainTextResponse("ok")

    return Route(PATH, telegram_webhook, methods=["POST"])
