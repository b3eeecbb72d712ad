"""A generic outbound platform: messages for ``webhook:<id>`` addresses go as JSON POSTs.

``POST {url}/send`` with ``{"address", "reply"}`` answers ``{"message_id"}``;
``POST {url}/edit`` with ``{"address", "message_id", "reply"}`` edits one. The receiver
answers 429 (with ``retry_after`` in the body or a ``Retry-After`` header) to slow the
sender down, and 403, 404 or 410 when the address is gone for good. It lets an
organisation relay broadcasts to a system of its own, and the tests use it.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import aiohttp

from ua_bot.broadcast.sender import (
    Pacing,
    RecipientGone,
    RetryAfter,
    Sender,
    TransientSendError,
)
from ua_bot.messages import Buttons, Document, Image, Reply, Text

GONE = {403, 404, 410}


def reply_json(reply: Reply) -> dict[str, Any]:
    """A neutral Reply as JSON (images and documents base64-encoded)."""
    parts: list[dict[str, Any]] = []
    for p in reply.parts:
        if isinstance(p, Text):
            parts.append({"type": "text", "markup": p.markup})
        elif isinstance(p, Buttons):
            rows = [
                [{"label": b.label, "payload": b.payload, "url": b.url} for b in r] for r in p.rows
            ]
            parts.append({"type": "buttons", "rows": rows})
        elif isinstance(p, Image):
            data = base64.b64encode(p.png).decode()
            parts.append({"type": "image", "caption": p.caption, "png": data})
        elif isinstance(p, Document):
            data = base64.b64encode(p.data).decode()
            parts.append({"type": "document", "filename": p.filename, "mime": p.mime, "data": data})
    return {"text": reply.markup, "parts": parts, "meta": dict(reply.meta)}


class WebhookSender(Sender):
    """Posts each message as JSON to a URL."""

    platform = "webhook"
    pacing = Pacing(per_second=30.0, per_chat_seconds=1.0)

    def __init__(self, url: str, *, timeout: float = 15.0) -> None:
        self.url = url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._encoded: tuple[Reply, str] | None = None  # a broadcast sends one reply often

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, connector=aiohttp.TCPConnector(limit=64)
            )
        return self._session

    def _reply(self, reply: Reply) -> str:
        """``reply`` as JSON text, encoded once for the many sends of one broadcast."""
        if self._encoded is None or self._encoded[0] is not reply:
            self._encoded = (reply, json.dumps(reply_json(reply)))
        return self._encoded[1]

    async def _post(self, path: str, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        fields = "".join(f"{json.dumps(k)}: {json.dumps(v)}, " for k, v in body.items())
        data = f'{{{fields}"reply": {self._reply(reply)}}}'.encode()
        headers = {"Content-Type": "application/json"}
        try:
            async with self._http().post(f"{self.url}/{path}", data=data, headers=headers) as r:
                answer = await r.json(content_type=None) if r.content_length != 0 else {}
                got: dict[str, Any] = answer if isinstance(answer, dict) else {}
                if r.status == 429:
                    after = got.get("retry_after") or r.headers.get("Retry-After") or 1
                    raise RetryAfter(float(after))
                if r.status in GONE:
                    raise RecipientGone(f"HTTP {r.status}")
                if r.status >= 300:
                    raise TransientSendError(f"HTTP {r.status}")
                return got
        except (aiohttp.ClientError, TimeoutError, ValueError) as e:
            raise TransientSendError(type(e).__name__) from e

    async def send(self, address: str, reply: Reply) -> str:
        data = await self._post("send", {"address": address}, reply)
        return str(data.get("message_id", ""))

    async def edit(self, address: str, message_id: str, reply: Reply) -> None:
        await self._post("edit", {"address": address, "message_id": message_id}, reply)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
