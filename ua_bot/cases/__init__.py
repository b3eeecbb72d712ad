"""The application layer: every change to a case, whatever the door (chat, pages, CLI).

One module per use case. Each opens its own transaction (claiming the platform delivery
first, when there is one), keeps its limits, and writes one change-log entry per changed
field (who as a key, what field, before, after) through :mod:`ua_bot.cases.audit`.
"""

from ua_bot.cases.common import CaseServices, Who

__all__ = ["CaseServices", "Who"]
