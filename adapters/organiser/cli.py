"""``ua-bot web-login --user NAME``: a sign-in link to the organiser pages, printed."""

from __future__ import annotations

import argparse
import asyncio
import sys


async def _web_login(args: argparse.Namespace) -> int:
    from adapters.settings import load_settings
    from ua_bot.app import build_app
    from ua_bot.errors import UserError
    from ua_bot.markup import plain
    from ua_bot.web_login import issue_link

    user = args.user if ":" in args.user else f"console:{args.user}"
    app = await build_app(load_settings())
    try:
        url = await issue_link(app.store, app.settings, app.core.hasher, user, app.core.now())
    except UserError as e:
        print(f"ua-bot web-login: {plain(e.markup)}", file=sys.stderr)
        return 2
    finally:
        await app.close()
    print(url)
    return 0


def cmd_web_login(args: argparse.Namespace) -> int:
    return asyncio.run(_web_login(args))


def add_cli(sub) -> None:
    """Register ``web-login`` with the ``ua-bot`` sub-parsers."""
    p = sub.add_parser("web-login", help="print a single-use sign-in link to the organiser pages")
    p.add_argument(
        "--user",
        required=True,
        help="an organiser from UA_BOT_ORGANISERS, e.g. console:alice or telegram:12345 "
        "(a bare name means console:NAME)",
    )
    p.set_defaults(fn=cmd_web_login)
