"""Logs as one JSON object per line, with secrets and identities kept out."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from typing import TextIO

# Token shapes that must never reach a log line, whatever code logged them.
_SECRETS = [
    re.compile(r"\d{6,12}:[A-Za-z0-9_-]{30,}"),  # chat bot tokens
    re.compile(r"xox[abposr]-[A-Za-z0-9-]+"),  # workspace tokens
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"(?i)(secret|token|password)=([^&\s]+)"),
]


def redact(text: str) -> str:
    for pat in _SECRETS:
        text = pat.sub(lambda m: m.group(0)[:4] + "…[redacted]", text)
    return text


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", ...}`` per line; exceptions as one string."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key in ("event", "platform", "command", "status", "count"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False)


def setup_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Route every logger (ours, uvicorn's, the SDKs') through the JSON formatter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
