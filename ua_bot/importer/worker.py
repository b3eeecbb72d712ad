"""The reader process of :mod:`ua_bot.importer.isolated`: reads documents sent down a pipe.

Started as ``python -m ua_bot.importer.worker FD`` with one end of a socket pair; the
readers (python-docx, pypdf, pdfminer.six) are loaded once per worker, before the first
request. Each answer is ``(ImportResult, log records)``.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
from multiprocessing.connection import Connection

import docx  # noqa: F401  (loaded once in the forkserver)
import pdfminer.high_level  # noqa: F401
import pypdf  # noqa: F401

import ua_bot.importer.parser
import ua_bot.importer.pdftext  # noqa: F401
from ua_bot.importer import import_bytes, import_file

MEMORY_BYTES = 1024 * 1024 * 1024  # address space of a reader: a bomb fails, not the machine


class _Keep(logging.Handler):
    """Keeps the records of one read, made picklable (the traceback as text)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)


def _bound_memory() -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(hard, MEMORY_BYTES)
        if soft == resource.RLIM_INFINITY or soft > cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def serve(conn: Connection) -> None:
    """Answer requests ``(kind, name, data)`` until the pipe closes. Ctrl-C in a terminal
    reaches the whole process group: the caller stops its readers, this one prints nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _bound_memory()
    root = logging.getLogger()
    root.handlers[:] = []
    root.setLevel(logging.WARNING)
    keep = _Keep()
    root.addHandler(keep)
    while True:
        try:
            kind, name, data = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        keep.records = []
        result = import_file(name) if kind == "file" else import_bytes(data, name)
        try:
            conn.send((result, keep.records))
        except (OSError, BrokenPipeError):
            return
        del data, result


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
