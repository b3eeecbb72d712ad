"""What every use case is given: who acts, and the core's services it needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from case_store import Store, Tx
from ua_bot.case_cache import CaseCache
from ua_bot.config import Settings
from ua_bot.errors import DuplicateDelivery, UserError
from ua_bot.identity import Hasher
from ua_bot.markup import esc
from ua_bot.model import Case


class CaseServices(Protocol):
    """The part of the core a use case needs; :class:`ua_bot.core.Core` is one."""

    store: Store
    settings: Settings
    hasher: Hasher
    cases: CaseCache

    def now(self) -> dt.datetime: ...


@dataclass(frozen=True)
class Who:
    """Who makes a change: ``actor`` is their keyed hash (never a name or number);
    ``address`` is where progress reports go; ``delivery`` the platform delivery that
    asked for it, claimed in the change's own transaction so that a replay changes nothing."""

    actor: str
    address: str | None = None
    delivery: str | None = None

    @classmethod
    def user(cls, hasher: Hasher, user: str, address: str | None = None) -> Who:
        """The organiser ``user`` (``console:local``, ``telegram:42``...), as their key."""
        return cls(hasher.supporter(user), address)


@asynccontextmanager
async def unit(store: Store, who: Who) -> AsyncIterator[Tx]:
    """One transaction that first claims ``who``'s delivery: a replay raises
    :class:`DuplicateDelivery` before anything is written."""
    async with store.unit() as tx:
        if who.delivery and not await tx.claim_delivery(who.delivery):
            raise DuplicateDelivery(who.delivery)
        yield tx


async def case_by_id(tx: Tx, case_id: int) -> Case:
    case = await tx.get_case(case_id=case_id)
    if case is None or case.id is None:
        raise UserError("There is no such case.")
    return case


def ua(case: Case) -> str:
    """``UA 253/17``, escaped for a reply."""
    return f"UA {esc(case.ua_number)}"
