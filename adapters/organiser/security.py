"""Security headers on every organiser page, and CSRF tokens bound to the session."""

from __future__ import annotations

import hashlib
import hmac

from starlette.convertors import Convertor, register_url_convertor

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
    """ASGI middleware: add :data:`HEADERS` to every response of the wrapped app whose path
    starts with ``prefix``, errors included (a 404 of no route, a 307 to add a slash, a 413
    of a body too large): wrap the whole web app with it, outside everything that answers."""

    def __init__(self, app, prefix: str = "") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not _under(scope.get("path", ""), self.prefix):
            await self.app(scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def _under(path: str, prefix: str) -> bool:
    return not prefix or path == prefix or path.startswith(prefix + "/")


def same_origin_post(headers, public_url: str, own_origin: str) -> bool:
    """Whether a POST came from our own pages (login CSRF): ``Sec-Fetch-Site`` when the
    browser sends it, else ``Origin`` against the pages' address; a POST with neither (an old
    browser, a script) is let through, since it carries no cookie of a victim's browser."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True
    allowed = {own_origin.rstrip("/")}
    if public_url:
        parts = public_url.split("/")
        allowed.add("/".join(parts[:3]))  # scheme://host[:port]
    return origin.rstrip("/") in allowed


def csrf_token(key: bytes, session_id: str) -> str:
    """The token every form of this session carries."""
    return hmac.new(key, b"csrf\0" + session_id.encode(), hashlib.sha256).hexdigest()


def csrf_ok(key: bytes, session_id: str, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(csrf_token(key, session_id), sent)


class RowId(Convertor[int]):
    """A row id in a path: 1 to 18 digits, so it always fits the databases' BIGINT (2^63-1);
    anything else (a sign, 19 digits and more) matches no route: a 404, not a 500."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", RowId())
