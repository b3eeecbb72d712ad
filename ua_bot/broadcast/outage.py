"""The worker's view of a database outage: one warning when it goes, one when it is back."""

from __future__ import annotations

import logging
import time

from ua_bot.errors import DATABASE_DOWN

log = logging.getLogger("ua_bot.worker")


class Outage:
    """One warning when the database stops answering, one more when it answers again.

    While it is down every task of the worker fails on each poll; a traceback each time
    would bury the one line that matters. Other errors are still logged with theirs.
    """

    def __init__(self) -> None:
        self.since: float | None = None
        self.failures = 0

    def failed(self, what: str, error: BaseException) -> bool:
        """Whether ``error`` means the database is unavailable (said once per outage)."""
        if not isinstance(error, DATABASE_DOWN):
            return False
        self.failures += 1
        if self.since is None:
            self.since = time.monotonic()
            log.warning(
                "database unavailable (%s while %s); the worker retries until it answers",
                type(error).__name__,
                what,
                extra={"event": "database_down"},
            )
        return True

    def ok(self) -> None:
        if self.since is not None:
            log.warning(
                "database available again after %.0f s (%d failed attempts)",
                time.monotonic() - self.since,
                self.failures,
                extra={"event": "database_up"},
            )
            self.since, self.failures = None, 0
