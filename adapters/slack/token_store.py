"""Bot tokens of OAuth installations, encrypted at rest (Fernet, from ``cryptography``).

The key is ``UA_BOT_TOKEN_KEY`` (a Fernet key: ``python -c "from cryptography.fernet import
Fernet; print(Fernet.generate_key().decode())"``), or, when it is not set, one derived from
``UA_BOT_SECRET``. A database copy alone then holds no usable token. Rows written before
encryption are read as they are and encrypted when the workspace next installs.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import logging

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

log = logging.getLogger("adapters.slack")
FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
_MARK = "gAAAAA"  # every Fernet token starts so; no Slack token does


def token_key(settings) -> bytes:
    """The Fernet key: ``UA_BOT_TOKEN_KEY``, else derived from ``UA_BOT_SECRET``."""
    key = getattr(settings, "ua_bot_token_key", None)
    if key is not None:
        return key.get_secret_value().encode()
    secret = settings.ua_bot_secret.get_secret_value().encode() if settings.ua_bot_secret else b""
    derived = hmac.new(secret, b"ua-bot slack token key", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(derived)


class TokenCipher:
    def __init__(self, key: bytes) -> None:
        self.fernet = Fernet(key)

    def seal(self, value: str | None) -> str | None:
        if not value or value.startswith(_MARK):
            return value
        return self.fernet.encrypt(value.encode()).decode()

    def open(self, value: str | None) -> str | None:
        """The token; ``None`` for one sealed under another key (a warning says so)."""
        if not value or not value.startswith(_MARK):
            return value
        try:
            return self.fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            log.warning("a Slack bot token cannot be decrypted: was UA_BOT_TOKEN_KEY changed?")
            return None

    def apply(self, obj, how):
        if obj is None:
            return None
        out = copy.copy(obj)
        for name in FIELDS:
            if hasattr(out, name):
                setattr(out, name, how(getattr(out, name)))
        return out


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack-sdk's SQLAlchemy store; tokens are sealed on the way in, opened on the way out."""

    def __init__(self, client_id: str, *, engine, cipher: TokenCipher, **kw) -> None:
        super().__init__(client_id, engine=engine, **kw)
        self.cipher = cipher

    async def async_save(self, installation: Installation):
        await super().async_save(self.cipher.apply(installation, self.cipher.seal))

    async def async_save_bot(self, bot: Bot):
        await super().async_save_bot(self.cipher.apply(bot, self.cipher.seal))

    async def async_find_bot(self, **kw) -> Bot | None:
        return self.cipher.apply(await super().async_find_bot(**kw), self.cipher.open)

    async def async_find_installation(self, **kw) -> Installation | None:
        return self.cipher.apply(await super().async_find_installation(**kw), self.cipher.open)
