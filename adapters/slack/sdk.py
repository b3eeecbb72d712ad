"""Small readings of slack-sdk values that the adapter and the sender both need."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError


def secret(value: Any) -> str | None:
    """A ``SecretStr`` setting's value (``None`` when unset)."""
    return value.get_secret_value() if value is not None else None


def error_code(e: SlackApiError) -> str:
    """The Web API's error code (``not_in_channel``), or ``""`` when the body was not JSON."""
    data = getattr(e.response, "data", None)
    return str(data.get("error") or "") if isinstance(data, dict) else ""


def error_text(e: SlackApiError) -> str:
    """The error code, or the message's first line when there is none (for a log line)."""
    return error_code(e) or str(e).split("\n")[0][:200]
