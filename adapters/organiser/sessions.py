"""Organiser sessions: a signed cookie naming a server-side session row.

The cookie holds a random session id signed with itsdangerous (HttpOnly, SameSite=Lax,
Secure when the pages are served over https); the store keeps the id's hash, who (a keyed
hash), and when it expires or ended. Each request checks the row and that the organiser is
still on the allow-list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from case_store import organiser_tables as web_store
from ua_bot.app import App
from ua_bot.web_login import organiser_for, public_url, token_hash

COOKIE = "ua_organiser"
SESSION_HOURS = 8
PATH = "/organiser"


@dataclass(frozen=True)
class Organiser:
    """The signed-in organiser: platform user id (from the allow-list) and keyed hash."""

    user: str
    actor: str
    session_id: str


def _serializer(app: App) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.core.hasher.key_for("web-session"), salt="organiser")


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def sign_in(app: App, token: str) -> str | None:
    """Use a sign-in link: the new session's id, or ``None`` (used, expired, unknown)."""
    now = app.core.now()
    async with app.store.unit() as tx:
        row = await web_store.login(tx.conn, token_hash(token))
        if row is None or not await web_store.use_login(tx.conn, row.token_hash, now):
            return None
        if organiser_for(app.settings, app.core.hasher, row.actor) is None:
            return None
        session_id = secrets.token_urlsafe(32)
        expires = now + dt.timedelta(hours=SESSION_HOURS)
        await web_store.add_session(tx.conn, _hash(session_id), row.actor, now, expires)
    return session_id


async def link_state(app: App, token: str) -> str:
    """``"ok"``, ``"used"``, ``"expired"`` or ``"unknown"``: what opening the link finds."""
    async with app.store.unit() as tx:
        row = await web_store.login(tx.conn, token_hash(token))
    if row is None:
        return "unknown"
    if row.used_at is not None:
        return "used"
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    return "ok" if expires > app.core.now() else "expired"


def set_cookie(
    app: App, response: Response, session_id: str, request: Request | None = None
) -> None:
    """The session cookie; ``Secure`` when the pages' address is https, or the request came
    over https (as a proxy in UA_BOT_TRUSTED_PROXIES says with X-Forwarded-Proto)."""
    over_https = request is not None and request.url.scheme == "https"
    secure = public_url(app.settings).startswith("https://") or over_https
    response.set_cookie(
        COOKIE,
        _serializer(app).dumps(session_id),
        max_age=SESSION_HOURS * 3600,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path=PATH)


async def current(app: App, request: Request) -> Organiser | None:
    """The organiser of this request's session, or ``None``."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        session_id = _serializer(app).loads(raw, max_age=SESSION_HOURS * 3600)
    except BadSignature:
        return None
    if not isinstance(session_id, str):
        return None
    now = app.core.now()
    async with app.store.unit() as tx:
        actor = await web_store.live_session(tx.conn, _hash(session_id), now)
        if actor is None:
            return None
        user = organiser_for(app.settings, app.core.hasher, actor)
        if user is None:  # removed from the allow-list: the session ends here
            await web_store.end_session(tx.conn, _hash(session_id), now)
            return None
    return Organiser(user, actor, session_id)


async def sign_out(app: App, who: Organiser) -> None:
    async with app.store.unit() as tx:
        await web_store.end_session(tx.conn, _hash(who.session_id), app.core.now())
