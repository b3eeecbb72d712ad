"""The deployment's HMAC key (``UA_BOT_SECRET``): required once a chat platform is set up,
and checked at every start against a fingerprint kept in the database.

A key that is lost or changed (a generated ``.ua_bot_secret`` left in another directory)
would make every supporter a stranger: ``/my_data`` and ``/forget_me`` would find nothing
while subscriptions and broadcasts went on. So a process refuses to start instead.
"""

from __future__ import annotations

import hashlib
import hmac

from case_store import Store
from ua_bot.config import Settings
from ua_bot.identity import load_or_create_secret

FINGERPRINT = "secret_fingerprint"
MIN_LENGTH = 16


class SecretProblem(RuntimeError):
    """The secret is missing, too short or not the one this database was used with."""


def fingerprint(secret: bytes) -> str:
    """Identifies the key without revealing it (an HMAC of a fixed text under it)."""
    return hmac.new(secret, b"ua-bot key fingerprint", hashlib.sha256).hexdigest()


def deployment_secret(settings: Settings) -> bytes:
    """The configured secret; generated and kept in a file only for the console default."""
    value = settings.ua_bot_secret.get_secret_value() if settings.ua_bot_secret else None
    if value is None and settings.faces_the_public():
        raise SecretProblem(
            "UA_BOT_SECRET is not set: set it to a long random value (at least 16 characters, "
            "e.g. `openssl rand -hex 32`) and keep it: it identifies every supporter"
        )
    if value is not None and len(value) < MIN_LENGTH:
        raise SecretProblem(f"UA_BOT_SECRET must be at least {MIN_LENGTH} characters")
    return load_or_create_secret(value, settings.ua_bot_secret_file)


async def check_fingerprint(store: Store, secret: bytes) -> None:
    """Remember the key's fingerprint on first start; refuse a different key afterwards."""
    mine = fingerprint(secret)
    async with store.unit() as tx:
        stored = await tx.deployment_value(FINGERPRINT)
        if stored is None:
            await tx.set_deployment_value(FINGERPRINT, mine)
            return
    if not hmac.compare_digest(stored, mine):
        raise SecretProblem(
            "UA_BOT_SECRET is not the key this database was used with: set the original "
            "one (see docs/security.md to change it on purpose)"
        )
