"""Read a document in a separate process that is killed at the time limit.

The one way every door (chat ``/import``, the organiser pages, ``ua-bot import``) reads an
uploaded document: :func:`read_isolated`. A warm reader process (its own interpreter, so
none of the caller's state or main module goes with it) reads one document at a time and is
reused; at the limit it is killed, so nothing keeps reading after the refusal, and the
caller (the web app, the bot) only waits, off its event loop. The reader's log records come
back with the result and are logged here. docs/security.md says what is promised.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from ua_bot.importer import limits
from ua_bot.importer.result import ImportReport, ImportResult

__all__ = ["read_isolated", "reader_pids"]

log = logging.getLogger(__name__)

MAX_READERS = 2  # documents read at once; more wait their turn
MAX_IDLE = 1  # warm workers kept between imports

_lock = threading.Lock()
_idle: list[_Worker] = []
_busy: set[_Worker] = set()
_slots = threading.BoundedSemaphore(MAX_READERS)


class _Worker:
    """One reader process (``python -m ua_bot.importer.worker``) and our end of its socket."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ua_bot.importer.worker", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path},
        )
        theirs.close()
        self.conn = Connection(ours.detach())

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def read(self, request: tuple[Any, ...], limit: float) -> tuple[Any, ...] | None:
        """The worker's answer, or None when it took over ``limit`` seconds (it is killed)."""
        self.conn.send(request)
        if self.conn.poll(max(limit, 0.0)):
            return cast(tuple[Any, ...], self.conn.recv())
        self.kill()
        return None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.alive():
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)


@atexit.register
def _stop_all() -> None:
    with _lock:
        workers = [*_idle, *_busy]
        _idle.clear()
    for worker in workers:
        worker.kill()


def _take() -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive():
                break
            worker.kill()
        else:
            worker = None
    worker = worker or _Worker()
    with _lock:
        _busy.add(worker)
    return worker


def _give_back(worker: _Worker, reusable: bool) -> None:
    with _lock:
        _busy.discard(worker)
        if reusable and worker.alive() and len(_idle) < MAX_IDLE:
            _idle.append(worker)
            return
    worker.kill()


def reader_pids() -> set[int]:
    """The reader processes reading a document now (for tests and diagnostics)."""
    with _lock:
        return {w.pid for w in _busy}


def _failed(reason: str) -> ImportResult:
    return ImportResult(case=None, report=ImportReport(errors=[reason]))


def _replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def _read(request: tuple[Any, ...], limit: float) -> ImportResult:
    with _slots:
        worker = _take()
        answer = None
        try:
            answer = worker.read(request, limit)
            if answer is None:
                return _failed(limits.too_slow(limit))
        except (EOFError, OSError):  # killed for its memory, or crashed
            log.warning("the document reader stopped (exit code %s)", worker.process.poll())
            return _failed("The file cannot be read: the reader stopped on it.")
        finally:
            _give_back(worker, answer is not None)
    result, records = answer
    _replay(records)
    return cast(ImportResult, result)


async def read_isolated(
    name: str | Path, data: bytes | None = None, limit: float | None = None
) -> ImportResult:
    """Import a document in a reader process killed after ``limit`` seconds
    (``limits.IMPORT_SECONDS`` by default): ``data`` named ``name``, or, with no ``data``,
    the file at the path ``name``. Never raises for bad input, as ``import_bytes``."""
    limit = limits.IMPORT_SECONDS if limit is None else limit
    by_path = data is None
    request = ("file", os.path.abspath(name), None) if by_path else ("bytes", str(name), data)
    return await asyncio.to_thread(_read, request, limit)
