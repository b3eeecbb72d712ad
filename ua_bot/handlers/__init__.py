"""Command handlers; importing this package registers them in :data:`ua_bot.commands.COMMANDS`.

The import order is the order of /help and of the platforms' command menus.
"""
# isort: skip_file

from ua_bot.handlers import general  # noqa: F401
from ua_bot.handlers import cases  # noqa: F401
from ua_bot.handlers import actions  # noqa: F401
from ua_bot.handlers import drafts  # noqa: F401
from ua_bot.handlers import supporters  # noqa: F401
from ua_bot.handlers import organiser  # noqa: F401
from ua_bot.handlers import stats  # noqa: F401
from ua_bot.handlers import broadcasts  # noqa: F401
from ua_bot.handlers import channels  # noqa: F401
from ua_bot.handlers import home  # noqa: F401
