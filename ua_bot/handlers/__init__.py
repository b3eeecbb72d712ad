"""Command handlers. :func:`command_table` builds the table the core is given.

The order of :data:`MODULES`, then of the handlers in each, is the order of /help and of the
platforms' command menus.
"""

from __future__ import annotations

from types import ModuleType

from ua_bot.commands import CommandSpec, CommandTable
from ua_bot.handlers import (
    actions,
    attempts,
    broadcasts,
    callbacks,
    cases,
    channels,
    drafts,
    general,
    home,
    late,
    organiser,
    replies,
    revisions,
    sign_in,
    stats,
    supporters,
    team,
)

MODULES: tuple[ModuleType, ...] = (
    general,
    cases,
    actions,
    attempts,
    replies,
    drafts,
    callbacks,
    supporters,
    organiser,
    revisions,
    stats,
    late,
    team,
    broadcasts,
    channels,
    sign_in,
    home,
)


def specs_of(module: ModuleType) -> list[CommandSpec]:
    """The commands a module defines (marked with ``@command``), in definition order."""
    return [
        spec
        for fn in vars(module).values()
        if (spec := getattr(fn, "command_spec", None)) is not None
        and getattr(fn, "__module__", None) == module.__name__
    ]


def command_table() -> CommandTable:
    """Every command, in /help order."""
    return CommandTable.of(spec for module in MODULES for spec in specs_of(module))
