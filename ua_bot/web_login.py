"""Single-use sign-in links to the organiser pages, given by /web and ``ua-bot web-login``.

A link carries a random token; the store keeps only its SHA-256 and the organiser's keyed
hash. Links last :data:`LINK_MINUTES` and an organiser gets at most :data:`LINKS_PER_WINDOW`
of them per :data:`WINDOW_MINUTES`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from case_store import Store
from ua_bot.config import Settings
from ua_bot.errors import UserError
from ua_bot.identity import Hasher
from ua_bot.markup import esc

LINK_MINUTES = 10
LINKS_PER_WINDOW = 5
WINDOW_MINUTES = 15
LOGIN_PATH = "/organiser/login/"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_url(settings: Settings) -> str:
    """The organiser pages' public base URL ('' when not configured)."""
    return (settings.ua_bot_public_url or settings.public_base_url or "").rstrip("/")


def web_organiser(settings: Settings, user: str) -> bool:
    """May ``user`` use the organiser pages? Deployment-wide powers: the allow-list only."""
    return user in settings.organisers


def organiser_for(settings: Settings, hasher: Hasher, actor: str) -> str | None:
    """The allow-listed organiser whose keyed hash is ``actor``, or ``None`` (removed)."""
    for user in settings.organisers:
        if hasher.supporter(user) == actor and web_organiser(settings, user):
            return user
    return None


async def issue_link(
    store: Store, settings: Settings, hasher: Hasher, user: str, now: dt.datetime
) -> str:
    """A fresh sign-in link for an organiser; :class:`UserError` says why there is none."""
    if not web_organiser(settings, user):
        raise UserError(
            f"The organiser pages are for the organisers named in {esc('UA_BOT_ORGANISERS')}."
        )
    base = public_url(settings)
    if not base.startswith(("https://", "http://")):
        raise UserError(
            f"The organiser pages have no address yet: set {esc('UA_BOT_PUBLIC_URL')} "
            "(e.g. https://bot.example.org)."
        )
    actor = hasher.supporter(user)
    async with store.unit() as tx:
        since = now - dt.timedelta(minutes=WINDOW_MINUTES)
        if await tx.logins_since(actor, since) >= LINKS_PER_WINDOW:
            raise UserError(
                f"You asked for {LINKS_PER_WINDOW} sign-in links in {WINDOW_MINUTES} minutes: "
                "use the last one, or wait a few minutes."
            )
        token = secrets.token_urlsafe(32)
        expires = now + dt.timedelta(minutes=LINK_MINUTES)
        await tx.add_login(token_hash(token), actor, now, expires)
    return f"{base}{LOGIN_PATH}{token}"
