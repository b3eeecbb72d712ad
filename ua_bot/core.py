"""The core: one entry point, ``await core.handle(incoming)``, for every adapter."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import re
import time
from collections import OrderedDict
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError, OperationalError

from case_store import Store
from ua_bot import markup as md
from ua_bot import metrics
from ua_bot.case_cache import CaseCache
from ua_bot.commands import COMMANDS, CommandTable
from ua_bot.config import Settings
from ua_bot.context import Context
from ua_bot.errors import DuplicateDelivery, TemporaryFailure, UserError
from ua_bot.i18n import ENGLISH, Translator, catalogue
from ua_bot.identity import Hasher
from ua_bot.limits import RateLimiter
from ua_bot.messages import Incoming, Kind, Reply
from ua_bot.model import Case, CaseStatus

log = logging.getLogger("ua_bot.core")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT = 4000
LANG_TTL = 30.0  # seconds a supporter's language is trusted from the cache (other processes)


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


class Core:
    """Platform-neutral command handling over the case store."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        hasher: Hasher,
        *,
        commands: CommandTable = COMMANDS,
        clock=None,
    ) -> None:
        import ua_bot.handlers  # noqa: F401  (registers the commands)

        self.store = store
        self.settings = settings
        self.hasher = hasher
        self.commands = commands
        self.cases = CaseCache(store, settings.ua_bot_cache_seconds)
        self.tz = ZoneInfo(settings.ua_bot_timezone)
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._seen = _LRU(50_000)
        self._in_flight: dict[str, asyncio.Event] = {}
        self._chat_cases = _LRU(50_000)
        self._langs = _LRU(50_000)  # supporter key -> (when read, language)
        self.lang_ttl = LANG_TTL
        self.texts = catalogue(str(settings.ua_bot_templates_dir or ""))
        self._totals: dict[int, tuple[float, tuple[int, int]]] = {}
        self._totals_lock = asyncio.Lock()
        self.flood = RateLimiter(settings.ua_bot_rate_limit, settings.ua_bot_rate_window)
        self.daily = RateLimiter(settings.ua_bot_daily_confirmations, 86_400)

    # -- services for handlers -------------------------------------------------

    def now(self) -> dt.datetime:
        return self._clock()

    def today(self) -> dt.date:
        return self.now().astimezone(self.tz).date()

    def is_organiser(self, incoming: Incoming) -> bool:
        if incoming.user in self.settings.organisers:
            return True
        return bool(
            self.settings.ua_bot_workspace_admins_are_organisers and incoming.is_workspace_admin
        )

    async def open_cases(self) -> list[Case]:
        return await self.cases.all(CaseStatus.PUBLISHED)

    async def case_totals(self, case_id: int) -> tuple[int, int]:
        """(supporters who acted, actions) for a case, cached for a few seconds."""
        ttl = self.settings.ua_bot_cache_seconds
        hit = self._totals.get(case_id)
        if hit and time.monotonic() - hit[0] < ttl:
            return hit[1]
        async with self._totals_lock:  # one reload, however many readers are waiting
            hit = self._totals.get(case_id)
            if hit and time.monotonic() - hit[0] < ttl:
                return hit[1]
            async with self.store.unit() as tx:
                totals = await tx.case_totals(case_id)
            self._totals[case_id] = (time.monotonic(), totals)
            return totals

    def note_totals(self, case_id: int, supporters: int, actions: int) -> None:
        """Totals just read back by a write: fresher than anything cached."""
        self._totals[case_id] = (time.monotonic(), (supporters, actions))

    def forget_totals(self, case_id: int) -> None:
        self._totals.pop(case_id, None)

    async def chat_case(self, chat_key: str) -> int | None:
        if chat_key in self._chat_cases:
            return self._chat_cases[chat_key]
        case_id = await self.store.chat_case(chat_key)  # batched with concurrent reads
        self._chat_cases.put(chat_key, case_id)
        return case_id

    async def set_chat_case(self, chat_key: str, case_id: int) -> None:
        if self._chat_cases.get(chat_key) == case_id:
            return
        await self.store.set_chat_case(chat_key, case_id)  # one commit with concurrent ones
        self._chat_cases.put(chat_key, case_id)

    def forget_chat_cache(self, chat_key: str) -> None:
        self._chat_cases.pop(chat_key, None)

    def translator(self, lang: str | None) -> Translator:
        return Translator(lang, self.texts)

    def _cached_lang(self, supporter_key: str) -> tuple[bool, str | None]:
        """(known, language) from the cache; entries older than ``lang_ttl`` are unknown,
        so a /lang handled by another process is followed within that time."""
        hit = self._langs.get(supporter_key)
        if hit is None or time.monotonic() - hit[0] > self.lang_ttl:
            return False, None
        return True, hit[1]

    async def supporter_lang(self, supporter_key: str) -> str | None:
        """The language a supporter chose with /lang (``None``: English), cached briefly;
        a miss is read together with the concurrent commands' reads (one query for all)."""
        known, lang = self._cached_lang(supporter_key)
        if known:
            return lang
        try:
            lang = await self.store.supporter_lang(supporter_key)
        except (OperationalError, DBAPIError, OSError):
            return None  # English this time; the command itself reports the outage
        self._langs.put(supporter_key, (time.monotonic(), lang))
        return lang

    def note_lang(self, supporter_key: str, lang: str | None) -> None:
        """A supporter's language just written (or forgotten): answer in it at once."""
        self._langs.put(supporter_key, (time.monotonic(), lang))

    # -- the entry point ---------------------------------------------------------

    @staticmethod
    def _clean(incoming: Incoming) -> Incoming:
        """Drop control characters (a NUL breaks PostgreSQL text) and cap the length."""
        text, payload = _CONTROL.sub("", incoming.text), _CONTROL.sub("", incoming.payload)
        if (text, payload) == (incoming.text, incoming.payload) and len(text) <= MAX_TEXT:
            return incoming
        return dataclasses.replace(incoming, text=text[:MAX_TEXT], payload=payload[:MAX_TEXT])

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one event and return the replies. Never raises for bad input.

        Raises :class:`TemporaryFailure` when the store is unavailable, so that a
        webhook can answer 5xx and the platform delivers again.
        """
        incoming = self._clean(incoming)
        dkey = f"{incoming.platform}:{incoming.delivery_id}" if incoming.delivery_id else None
        if not dkey:
            return await self._handle_once(incoming, None)
        # A redelivery that arrives while its first copy is still being handled (a platform
        # that retries before our answer reached it) waits for it, then finds it seen.
        while (busy := self._in_flight.get(dkey)) is not None:
            await busy.wait()
        if dkey in self._seen:
            return []
        done = self._in_flight[dkey] = asyncio.Event()
        try:
            return await self._handle_once(incoming, dkey)
        finally:
            del self._in_flight[dkey]
            done.set()

    async def _handle_once(self, incoming: Incoming, dkey: str | None) -> list[Reply]:
        key = self.hasher.supporter(incoming.user)
        verdict = "ok" if self.is_organiser(incoming) else self.flood.check(incoming.user)
        if verdict != "ok":
            if dkey:
                self._seen.put(dkey, True)
            if verdict == "silent":
                return []
            t = self.translator(self._cached_lang(key)[1])  # no store read for a flood
            return [Reply.text(t("core.too_fast"), private=True)]
        t = ENGLISH
        if incoming.kind != Kind.MESSAGE or incoming.private:  # group chatter needs none
            t = self.translator(await self.supporter_lang(key))
        try:
            replies = await self._dispatch(incoming, t, key)
        except DuplicateDelivery:
            replies = []
        except UserError as e:
            replies = [Reply.text(e.markup, *e.buttons)]
        except (OperationalError, DBAPIError, OSError) as e:
            log.warning("store unavailable: %s", type(e).__name__)
            raise TemporaryFailure() from e
        except TemporaryFailure:
            raise
        except Exception:
            log.exception("command failed: /%s", incoming.command or incoming.kind)
            replies = [Reply.text(t("core.failed"))]
        if dkey:
            self._seen.put(dkey, True)
        return replies

    async def _dispatch(self, incoming: Incoming, t: Translator, key: str) -> list[Reply]:
        if incoming.kind == Kind.BUTTON:
            incoming = _as_command(incoming, incoming.payload)
        elif incoming.kind == Kind.FILE:
            incoming = Incoming(
                Kind.FILE,
                incoming.address,
                incoming.user,
                command="import",
                text=incoming.text,
                delivery_id=incoming.delivery_id,
                file_name=incoming.file_name,
                file_data=incoming.file_data,
                workspace=incoming.workspace,
                is_workspace_admin=incoming.is_workspace_admin,
                private=incoming.private,
            )
        elif incoming.kind == Kind.MESSAGE:
            if not incoming.private:
                return []
            # In a private chat, "/case 253/17" typed as text (a platform that has no
            # commands in chats passes it so) is the command, and so is a lone "case".
            text = (incoming.text or "").strip()
            first = text.lstrip("/").split(maxsplit=1)[0].lower() if text.strip("/") else ""
            typed = text.startswith("/") or " " not in text
            if not typed or self.commands.get(first) is None:
                return [Reply.text(t("core.only_commands"))]
            incoming = _as_command(incoming, incoming.text)
        name = incoming.command.lower()
        spec = self.commands.get(name)
        if spec is None:
            return [Reply.text(t("core.unknown_command", name=md.esc(name[:40])))]
        if spec.organiser and not self.is_organiser(incoming):
            return [Reply.text(t("core.organisers_only", name=spec.name))]
        ctx = Context(self, incoming, incoming.text, t=t, supporter_key=key)
        out = await spec.handler(ctx)
        metrics.COMMANDS.labels(spec.name).inc()
        if spec.organiser:
            async with self.store.unit() as tx:
                await tx.audit(ctx.supporter_key, spec.name, incoming.text)
        return [out] if isinstance(out, Reply) else list(out)


def _as_command(incoming: Incoming, line: str) -> Incoming:
    """The command typed as ``line``, from the same chat, person and delivery."""
    return Incoming.command_line(
        line,
        address=incoming.address,
        user=incoming.user,
        delivery_id=incoming.delivery_id,
        workspace=incoming.workspace,
        is_workspace_admin=incoming.is_workspace_admin,
        private=incoming.private,
    )
