"""The ``ua-bot`` command: chat, run, serve, worker, import, retention, migrate.

The composition root: it wires settings, the store, the core and the adapters, and decides
nothing itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from adapters.settings import DeploymentSettings
from adapters.settings import load_settings as _settings
from case_store.migrate import NotMigrated, upgrade
from ua_bot.secret import SecretProblem


def cmd_migrate(args: argparse.Namespace) -> int:
    s = _settings()
    upgrade(s.database_url)
    print("Database is up to date.")
    return 0


async def _chat(args: argparse.Namespace) -> int:
    from ua_bot.app import build_app

    app = await build_app(_settings())
    try:
        await _console(app, args.user)
    finally:
        await app.close()
    return 0


async def _console(app, user: str) -> None:
    """The console chat, on the sample case when the database is empty."""
    from adapters.console import ConsoleChat
    from ua_bot.app import ensure_sample

    if await ensure_sample(app) and sys.stdin.isatty():
        print("The database was empty: imported and published the sample case UA 253/17.")
    await ConsoleChat(app.core, user=user).run()


def cmd_chat(args: argparse.Namespace) -> int:
    return asyncio.run(_chat(args))


async def _run(args: argparse.Namespace) -> int:
    from adapters.runner import run_all
    from ua_bot.app import build_app

    app = await build_app(_settings())
    try:
        if not await run_all(app):
            await _console(app, args.user)
    finally:
        await app.close()
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """All in one process: the configured platforms, or the console chat without tokens."""
    return asyncio.run(_run(args))


async def _preflight(settings: DeploymentSettings) -> None:
    """Build the app once and close it: what would stop the web app's start is said here."""
    from ua_bot.app import build_app

    await (await build_app(settings)).close()


def cmd_serve(args: argparse.Namespace) -> int:
    """The shared web app (webhooks, /healthz) under uvicorn."""
    import uvicorn

    from adapters.asgi import create_app
    from adapters.http_timeouts import read_timeout_protocol

    s = _settings()
    asyncio.run(_preflight(s))  # a missing or wrong secret: one line, before uvicorn starts
    port = args.port or s.port
    # log_config=None keeps uvicorn's own lines in our JSON logs at UA_BOT_LOG_LEVEL (its
    # default config would print them as plain text). No access log: requests are counted
    # in /metrics, and the platform's router logs each one; building a line per request
    # costs the busy web process CPU for lines nobody reads.
    uvicorn.run(
        create_app(s),
        host=args.host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=False,  # only UA_BOT_TRUSTED_PROXIES are believed (adapters/asgi.py)
        timeout_graceful_shutdown=20,
        http=read_timeout_protocol(s.ua_bot_http_read_seconds),
    )
    return 0


async def _import(args: argparse.Namespace) -> int:
    from ua_bot.importer.isolated import read_isolated

    path = Path(args.path)
    if not path.is_file():
        print(f"ua-bot import: no file at {path}", file=sys.stderr)
        return 2
    result = await read_isolated(path)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return 0 if result.case is not None else 1
    print(result.report.render())
    if result.case is None:
        print("Not imported.", file=sys.stderr)
        return 1
    from ua_bot.app import build_app
    from ua_bot.cases import Who
    from ua_bot.cases.imports import import_case
    from ua_bot.translation_file import translations_beside

    app = await build_app(_settings())
    try:
        user = args.user if ":" in args.user else f"console:{args.user}"
        who = Who.user(app.core.hasher, user)
        translated = translations_beside(path)
        stored = await import_case(
            app.core, who, result, translated, source=path.name, publish=args.publish
        )
        for w in stored.warnings:
            print(f"warning: {w}")
        if stored.revision is not None:
            if args.publish:
                print(f"UA {stored.case.ua_number} exists: --publish is not used on a re-import.")
            return await _revision(app, stored.revision, path, args.accept, who.actor)
        case = stored.case
        if translated:
            print(f"Translations of the case text stored: {', '.join(sorted(translated))}")
        if args.publish:
            print(f"UA {case.ua_number} imported and published.")
        else:
            print(
                f"UA {case.ua_number} imported as {case.status.value}. "
                f"Publish it with: ua-bot import {path} --publish, or /publish {case.ua_number}"
            )
    finally:
        await app.close()
    return 0


async def _revision(app, rev, path: Path, accept: list[str] | None, actor: str) -> int:
    """A re-import: print what the document would change; take it with ``--accept``."""
    from ua_bot.cases import revisions
    from ua_bot.handlers.revisions import revision_reply
    from ua_bot.markup import plain

    print(plain(revision_reply(rev).markup))
    if accept is None:
        print(
            f"UA {rev.case.ua_number} is unchanged. Take the fields not corrected by hand with: "
            f"ua-bot import {path} --accept (or --accept N N... for those fields)"
        )
        return 0
    bad = [n for n in accept if not n.isdigit() or not 1 <= int(n) <= len(rev.changes)]
    if bad:
        print(f"ua-bot import: no field {bad[0]} (1 to {len(rev.changes)})", file=sys.stderr)
        return 2
    fields = {rev.changes[int(n) - 1].field for n in accept} if accept else None
    _, taken = await revisions.accept(app.store, rev.case.id, actor, fields)
    print(f"UA {rev.case.ua_number}: {len(taken)} field(s) taken from the document.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    return asyncio.run(_import(args))


async def _retention(args: argparse.Namespace) -> int:
    from ua_bot.app import build_app

    s = _settings()
    days = args.days if args.days is not None else s.ua_bot_retention_days
    if days is None:
        print("No retention period: set UA_BOT_RETENTION_DAYS or pass --days.")
        return 0
    app = await build_app(s)
    try:
        async with app.store.unit() as tx:
            n = await tx.unlink_old_actions(days)
    finally:
        await app.close()
    print(f"Unlinked {n} actions older than {days} days from their supporters; counts kept.")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    return asyncio.run(_retention(args))


async def _export(args: argparse.Namespace) -> int:
    from ua_bot.app import build_app
    from ua_bot.export import export_csv
    from ua_bot.ua_number import try_normalise_ua

    if bool(args.all) == bool(args.ua):
        print("ua-bot export: name one UA number, or --all", file=sys.stderr)
        return 2
    ua = try_normalise_ua(args.ua) if args.ua else None
    if args.ua and ua is None:
        print(f"ua-bot export: {args.ua} is not a UA number", file=sys.stderr)
        return 2
    app = await build_app(_settings())
    try:
        if args.all:
            cases = await app.core.cases.all()
        else:
            case = await app.core.cases.get(ua) if ua else None
            if case is None:
                print(f"ua-bot export: there is no case UA {ua}", file=sys.stderr)
                return 2
            cases = [case]
        ex = await export_csv(app.store, cases)
    finally:
        await app.close()
    if args.out:
        Path(args.out).write_bytes(ex.data)
        print(f"Wrote {ex.rows} rows ({ex.actions} actions) to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(ex.data.decode("utf-8"))
        sys.stdout.flush()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Action counts per day, type, target and platform as CSV: no supporter identities."""
    return asyncio.run(_export(args))


async def _worker(args: argparse.Namespace) -> int:
    import signal

    from adapters.senders import senders_for
    from ua_bot.app import build_app
    from ua_bot.broadcast.worker import Worker

    s = _settings()
    app = await build_app(s)
    senders = senders_for(s, app.store)
    if not senders:
        print(
            "ua-bot worker: no platform is configured to send with; running reminders and "
            "housekeeping only.",
            file=sys.stderr,
        )
    worker = Worker(app.store, s, senders)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await worker.run(stop)
    finally:
        for sender in senders.values():
            await sender.close()
        await app.close()
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Drain the broadcast outbox, send reminders, keep house, until SIGTERM."""
    return asyncio.run(_worker(args))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ua-bot", description="Urgent Action chat bot")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("chat", help="chat with the bot in this terminal (or from a pipe)")
    c.add_argument("--user", default="local", help="act as this console user (default: local)")
    c.set_defaults(fn=cmd_chat)
    r = sub.add_parser("run", help="run the bot: platforms configured, else the console chat")
    r.add_argument("--user", default="local", help=argparse.SUPPRESS)
    r.set_defaults(fn=cmd_run)
    w = sub.add_parser("serve", help="serve webhooks and /healthz over HTTP (uvicorn)")
    w.add_argument("--port", type=int, default=None, help="port (default: $PORT or 8000)")
    w.add_argument("--host", default="0.0.0.0", help="interface (default: all)")
    w.set_defaults(fn=cmd_serve)
    i = sub.add_parser("import", help="import a UA document (.txt, .docx, .pdf)")
    i.add_argument("path")
    i.add_argument("--publish", action="store_true", help="publish the case at once")
    i.add_argument("--json", action="store_true", help="print the parsed case; store nothing")
    i.add_argument(
        "--user",
        default="local",
        help="the organiser the change log names (as a key), e.g. console:alice or "
        "telegram:12345; a bare name means console:NAME (default: local)",
    )
    i.add_argument(
        "--accept", nargs="*", metavar="N", default=None,
        help="a re-import: take the document's fields (all not corrected by hand, or N...)",
    )  # fmt: skip
    i.set_defaults(fn=cmd_import)
    t = sub.add_parser("retention", help="unlink old actions from supporters (counts stay)")
    t.add_argument("--days", type=int, default=None, help="default: $UA_BOT_RETENTION_DAYS")
    t.set_defaults(fn=cmd_retention)
    x = sub.add_parser(
        "export", help="action counts as CSV (per day, type, target, platform; no identities)"
    )
    x.add_argument("ua", nargs="?", help="the case's UA number, e.g. 253/17")
    x.add_argument("--all", action="store_true", help="every case")
    x.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    x.set_defaults(fn=cmd_export)
    k = sub.add_parser("worker", help="send broadcasts and reminders from the outbox")
    k.set_defaults(fn=cmd_worker)
    m = sub.add_parser("migrate", help="create or upgrade the database schema")
    m.set_defaults(fn=cmd_migrate)
    from adapters.organiser.cli import add_cli as add_web_login
    from adapters.slack.manifest import add_cli as add_slack_manifest

    add_slack_manifest(sub)  # the platforms' own: Slack's app manifest
    add_web_login(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    import os

    from ua_bot.logs import setup_logging

    setup_logging(os.environ.get("UA_BOT_LOG_LEVEL", "WARNING"))
    args = parser().parse_args(argv)
    try:
        return args.fn(args) or 0
    except (NotMigrated, SecretProblem) as e:
        print(f"ua-bot: {e}", file=sys.stderr)
        return 2
    except (OSError, DBAPIError) as e:
        print(
            f"ua-bot: cannot reach the database ({type(e).__name__}); check DATABASE_URL "
            "and that the server runs",
            file=sys.stderr,
        )
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
