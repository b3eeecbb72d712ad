"""Errors that carry a short answer for the user, and what a database that is down raises."""

from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# What a database that is down, restarting or unreachable raises (the core, the worker).
DATABASE_DOWN = (DBAPIError, OSError, PoolTimeout)


class UserError(Exception):
    """Bad input: the message is shown to the user as it is (markup)."""

    def __init__(self, markup: str, *buttons: Any) -> None:
        super().__init__(markup)
        self.markup = markup
        self.buttons = buttons


class TemporaryFailure(Exception):
    """The bot cannot serve this now (e.g. the database is down); the user should retry.

    Adapters turn it into the message for the user, and webhooks into a 5xx so that the
    platform delivers the update again.
    """

    def __init__(
        self,
        message: str = "The bot cannot reach its database right now. "
        "Nothing was lost: please try again in a minute.",
    ) -> None:
        super().__init__(message)
        self.message = message


class DuplicateDelivery(Exception):
    """This platform delivery was handled before."""


class LanguageNeeded(Exception):
    """A handler that learns the supporter's language from its write asked for a text
    before it wrote: the core reads the language and runs the handler again."""
