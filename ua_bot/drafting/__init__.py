"""Drafting actions: a letter, email, call script, tweet or fax for one target of a case."""

from ua_bot.drafting.drafts import (
    KINDS,
    LANGUAGES,
    NEEDS,
    Draft,
    MissingChannel,
    language,
    mailto,
    make_draft,
)

__all__ = [
    "KINDS",
    "LANGUAGES",
    "NEEDS",
    "Draft",
    "MissingChannel",
    "language",
    "mailto",
    "make_draft",
]
