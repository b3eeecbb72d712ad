"""uvicorn's HTTP/1.1 protocol with a read timeout: a connection has UA_BOT_HTTP_READ_SECONDS
to send each complete request (headers and body), from when it opens or its last response
ends; one that does not (half-open, or sending a byte at a time) is closed.

uvicorn itself closes idle keep-alive connections, but waits forever for a request that has
begun, or for the first one on a new connection.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol


def read_timeout_protocol(seconds: float) -> type[H11Protocol]:
    """The protocol class to give ``uvicorn.run(http=...)``."""

    class ReadTimeoutH11(H11Protocol):
        _read_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._read_timer = self.loop.call_later(seconds, self._read_timed_out)

        def _disarm(self) -> None:
            if self._read_timer is not None:
                self._read_timer.cancel()
                self._read_timer = None

        def _read_timed_out(self) -> None:
            cycle = self.cycle
            reading = (
                cycle is None
                or cycle.response_complete
                or (cycle.more_body and not cycle.response_started)
            )
            if reading and not self.transport.is_closing():
                self.transport.close()

    return ReadTimeoutH11
