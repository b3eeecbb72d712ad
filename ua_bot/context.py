"""What a command handler gets: the incoming event, its arguments and the core's services."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol, cast

from case_store import Store, Tx
from ua_bot.card_memo import CardMemo
from ua_bot.case_cache import CaseCache
from ua_bot.case_texts import localise, untranslated
from ua_bot.cases.common import Who
from ua_bot.commands import CommandSpec, CommandTable
from ua_bot.config import Settings
from ua_bot.core_state import ChatCases, Languages, Totals
from ua_bot.drafting.drafts import language
from ua_bot.errors import DuplicateDelivery, LanguageNeeded, UserError
from ua_bot.i18n import ENGLISH, Catalogue, Translator
from ua_bot.identity import Hasher
from ua_bot.limits import SharedLimiter
from ua_bot.markup import esc
from ua_bot.messages import Button, Incoming
from ua_bot.model import Case, CaseStatus
from ua_bot.ua_number import try_normalise_ua


class Services(Protocol):
    """What a handler may ask of the core (``ctx.core``); :class:`ua_bot.core.Core` is one."""

    store: Store
    settings: Settings
    hasher: Hasher
    commands: CommandTable
    cases: CaseCache
    langs: Languages
    totals: Totals
    chat_cases: ChatCases
    cards: CardMemo
    texts: Catalogue
    daily: SharedLimiter

    def now(self) -> dt.datetime: ...
    def today(self) -> dt.date: ...
    def is_organiser(self, incoming: Incoming) -> bool: ...
    def may_run(self, spec: CommandSpec, incoming: Incoming) -> bool: ...
    def translator(self, lang: str | None) -> Translator: ...
    async def open_cases(self) -> list[Case]: ...


class Context:
    """One command being handled."""

    def __init__(
        self,
        core: Services,
        incoming: Incoming,
        args: str,
        *,
        t: Translator | None = ENGLISH,
        supporter_key: str | None = None,
    ) -> None:
        self.core = core
        self.incoming = incoming
        self.args = args.strip()
        self._t = t  # None: not read yet (a ``lang_from_write`` command)
        self._supporter_key = supporter_key

    @property
    def t(self) -> Translator:
        """The supporter's language: ``ctx.t("case.unknown", ua=...)``.

        A ``lang_from_write`` handler gets no language up front, but a stand-in: asking
        it for a text before the write raises :class:`LanguageNeeded`, and the core runs
        the handler again with the language read. Such a handler must not change anything
        before it has the language (from its write, ``learn_lang``, or ``read_lang``).
        """
        return self._t if self._t is not None else cast(Translator, _Pending(self))

    def learn_lang(self, lang: str | None) -> None:
        """The language a write read back: texts from here on are in it."""
        self._t = self.core.translator(lang)
        self.core.langs.note(self.supporter_key, lang)

    async def read_lang(self) -> None:
        """Read the supporter's language, if the write did not tell it."""
        if self._t is None:
            self._t = self.core.translator(await self.core.langs.get(self.supporter_key))

    @property
    def store(self) -> Store:
        return self.core.store

    @property
    def supporter_key(self) -> str:
        if self._supporter_key is None:
            self._supporter_key = self.core.hasher.supporter(self.incoming.user)
        return self._supporter_key

    @functools.cached_property
    def chat_key(self) -> str:
        return self.core.hasher.chat(self.incoming.address)

    @property
    def organiser(self) -> bool:
        return self.core.is_organiser(self.incoming)

    @property
    def delivery_key(self) -> str | None:
        d = self.incoming.delivery_id
        return f"{self.incoming.platform}:{d}" if d else None

    def today(self) -> dt.date:
        return self.core.today()

    @property
    def who(self) -> Who:
        """The sender as the application layer knows them: their key, this chat (for
        progress reports) and this delivery (claimed with the change it asks for)."""
        return Who(self.supporter_key, self.incoming.address, self.delivery_key)

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Tx]:
        """A transaction that also claims this delivery: a replay changes nothing."""
        async with self.store.unit() as tx:
            if self.delivery_key and not await tx.claim_delivery(self.delivery_key):
                raise DuplicateDelivery(self.delivery_key)
            yield tx

    def split_ua(self, text: str | None = None) -> tuple[str | None, str]:
        """Take a leading UA number off the arguments: ``("253/17", "letter 1")``."""
        words = (self.args if text is None else text).split()
        for n in (2, 1):
            if len(words) >= n:
                ua = try_normalise_ua(" ".join(words[:n]))
                if ua:
                    return ua, " ".join(words[n:])
        return None, " ".join(words)

    async def named_case(self, usage: str, unknown: str = "") -> tuple[Case, str]:
        """The case an organiser's command names first (any status), and the rest of it.

        ``usage`` is shown when no UA number is given; ``unknown`` after "I don't know UA ...".
        """
        ua, rest = self.split_ua()
        if ua is None:
            raise UserError(f"Which case? Usage: {esc(usage)}")
        case = await self.core.cases.get(ua)
        if case is None:
            raise UserError(f"I don't know UA {esc(ua)}. {unknown}".rstrip())
        return case, rest

    async def resolve_case(self, ua: str | None, *, for_action: bool = False) -> Case:
        """The case named, else the chat's current case, else the only open one, with its
        texts in the reader's language where an organiser translated them.

        For an action (``for_action``), the case as written: a confirmation shows no
        translated text, and needs no language before its write.
        """
        case = await self._resolve_case(ua, for_action)
        return case if for_action else localise(case, self.t.lang)

    async def english_note(self, case: Case) -> str | None:
        """"The case text is in English", the first time this reader meets this case so
        (remembered in the store, for every process and session)."""
        if not untranslated(case, self.t.lang) or case.id is None:
            return None
        if language(self.t.lang).code != self.t.lang:
            return None  # no drafts in that language at all: the drafts say so themselves
        if not await self.store.tell_once(self.supporter_key, case.id, self.t.lang):
            return None
        return self.t("case.in_english")

    async def _resolve_case(self, ua: str | None, for_action: bool) -> Case:
        visible = (CaseStatus.PUBLISHED, CaseStatus.CLOSED)
        if ua:
            case = await self.core.cases.get(ua)
            if case is None or (case.status not in visible and not self.organiser):
                raise UserError(self.t("case.unknown", ua=esc(ua)))
            return case
        current = await self.core.chat_cases.get(self.chat_key)
        if current is not None:
            case = await self.core.cases.by_id(current)
            if case is not None and case.status in visible:
                return case
        open_cases = await self.core.open_cases()
        if len(open_cases) == 1:
            return open_cases[0]
        if not open_cases:
            raise UserError(self.t("case.none_open"))
        cmd = "/took_action" if for_action else f"/{self.incoming.command or 'case'}"
        raise UserError(
            self.t("case.which", example=f"{esc(cmd)} {esc(open_cases[0].ua_number)}"),
            [
                Button(self.t("button.ua", ua=c.ua_number), f"{cmd} {c.ua_number}")
                for c in open_cases[:8]
            ],
        )


class _Pending:
    """Stands for a supporter's language not read yet: the real one once the context
    has it, :class:`LanguageNeeded` before."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def _real(self) -> Translator:
        if self._ctx._t is None:
            raise LanguageNeeded()
        return self._ctx._t

    def __call__(self, key: str, **values: object) -> str:
        return self._real()(key, **values)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)
