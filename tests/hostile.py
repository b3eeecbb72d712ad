"""Helpers for the hostile-input tests: snapshot every table, scan it for secrets and ids."""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager

from sqlalchemy import MetaData, select

from ua_bot.logs import JsonFormatter


async def dump_tables(store) -> dict[str, list[tuple]]:
    """Every row of every table, as the database has it."""
    meta = MetaData()
    async with store.engine.connect() as conn:
        await conn.run_sync(meta.reflect)
        out = {}
        for name, table in sorted(meta.tables.items()):
            out[name] = [tuple(r) for r in (await conn.execute(select(table))).all()]
    return out


def as_text(tables: dict[str, list[tuple]]) -> str:
    return "\n".join(f"{name}: {row!r}" for name, rows in tables.items() for row in rows)


def changed(before: dict, after: dict, ignore: tuple[str, ...] = ()) -> dict[str, int]:
    """Tables whose rows differ, with the difference in row count."""
    return {
        t: len(after.get(t, [])) - len(before.get(t, []))
        for t in set(before) | set(after)
        if t not in ignore
        and sorted(map(repr, before.get(t, []))) != sorted(map(repr, after.get(t, [])))
    }


@contextmanager
def captured_logs(level: int = logging.DEBUG):
    """Every log line of the process, formatted as in production (JSON)."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield buf
    finally:
        root.removeHandler(handler)
        root.setLevel(old)
