"""Command handlers; importing this package registers them in :data:`ua_bot.commands.COMMANDS`."""

from ua_bot.handlers import (  # noqa: F401
    actions,
    broadcasts,
    cases,
    general,
    organiser,
    supporters,
)
