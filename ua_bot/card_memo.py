"""The case cards shown lately, so that a /case in the steady state renders nothing anew."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ua_bot.i18n import Translator
from ua_bot.lru import LRU
from ua_bot.messages import Reply
from ua_bot.model import Case
from ua_bot.present import case_card


class CardMemo:
    """Case cards by (case, reader's language, day, totals), the ``size`` latest.

    A case is the case cache's object: an edit, a status or an update reloads the cache with
    new objects, so a card is never reused for a case that changed. Each caller gets its own
    copy of the reply (a handler may add a note to it).
    """

    def __init__(self, size: int = 512) -> None:
        self._cards: LRU[tuple[Any, ...], tuple[Case, Reply]] = LRU(size)

    def card(
        self, case: Case, today: dt.date, supporters: int, actions: int, t: Translator
    ) -> Reply:
        key = (id(case), t.lang, today, supporters, actions)
        hit = self._cards.get(key)
        if hit is None or hit[0] is not case:  # an id can be reused once its case is gone
            hit = (case, case_card(case, today, supporters, actions, t))
            self._cards.put(key, hit)
        reply = hit[1]
        return dataclasses.replace(reply, parts=list(reply.parts), meta=dict(reply.meta))
