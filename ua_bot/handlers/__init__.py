"""Command handlers; importing this package registers them in :data:`ua_bot.commands.COMMANDS`."""

from ua_bot.handlers import actions, cases, general, organiser, stats, supporters  # noqa: F401
