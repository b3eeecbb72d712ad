"""Security headers on every organiser page, and CSRF tokens bound to the session."""

from __future__ import annotations

import hashlib
import hmac

HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # a sign-in link never leaks through Referer
    (b"cache-control", b"no-store"),
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
]


class SecurityHeaders:
    """ASGI middleware: add :data:`HEADERS` to every response of the wrapped app."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_token(key: bytes, session_id: str) -> str:
    """The token every form of this session carries."""
    return hmac.new(key, b"csrf\0" + session_id.encode(), hashlib.sha256).hexdigest()


def csrf_ok(key: bytes, session_id: str, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(csrf_token(key, session_id), sent)
