"""Keyed hashes of platform identities: the store never sees a raw user or chat id."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


class Hasher:
    """HMAC-SHA256 of a platform-prefixed identity under the deployment's secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("UA_BOT_SECRET must be at least 16 characters")
        self._secret = secret
        # keyed states to copy: every command hashes its sender, without a key set-up each time
        self._user = hmac.new(secret, b"user\0", hashlib.sha256)
        self._chat = hmac.new(secret, b"chat\0", hashlib.sha256)

    def supporter(self, user: str) -> str:
        h = self._user.copy()
        h.update(user.encode())
        return h.hexdigest()

    def chat(self, address: str) -> str:
        h = self._chat.copy()
        h.update(address.encode())
        return h.hexdigest()

    def key_for(self, purpose: str) -> bytes:
        """A key derived from the secret for one purpose (e.g. signing web sessions)."""
        return hmac.new(self._secret, b"key\0" + purpose.encode(), hashlib.sha256).digest()


def load_or_create_secret(secret: str | None, path: Path) -> bytes:
    """The configured secret, or a development secret generated once and kept in ``path``."""
    if secret:
        return secret.encode()
    if path.exists():
        return path.read_text().strip().encode()
    value = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value.encode()
