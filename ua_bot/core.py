"""The core: one entry point, ``await core.handle(incoming)``, for every adapter."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from typing import Any
from zoneinfo import ZoneInfo

from case_store import Clock, Store, now
from ua_bot import metrics
from ua_bot.card_memo import CardMemo
from ua_bot.case_cache import CaseCache
from ua_bot.commands import CommandSpec, CommandTable
from ua_bot.config import Settings
from ua_bot.context import Context
from ua_bot.core_state import ChatCases, Deliveries, Languages, Totals
from ua_bot.errors import (
    DATABASE_DOWN,
    DuplicateDelivery,
    LanguageNeeded,
    TemporaryFailure,
    UserError,
)
from ua_bot.i18n import Translator, catalogue
from ua_bot.identity import Hasher
from ua_bot.limits import SharedLimiter
from ua_bot.markup import esc
from ua_bot.messages import Incoming, Kind, Reply
from ua_bot.model import Case, CaseStatus

log = logging.getLogger("ua_bot.core")
# control characters (a NUL breaks PostgreSQL text), and the invisible ones that reorder or
# hide text when echoed back: bidirectional overrides, embeddings and isolates, marks,
# zero-width space, word joiner, BOM (ZWJ and ZWNJ stay: scripts and emoji need them)
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
MAX_TEXT = 4000


class Core:
    """Platform-neutral command handling over the case store."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        hasher: Hasher,
        commands: CommandTable,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.hasher = hasher
        self.commands = commands
        self.tz = ZoneInfo(settings.ua_bot_timezone)
        self._clock = clock or now
        self.texts = catalogue(str(settings.ua_bot_templates_dir or ""))
        # What this process remembers between commands (each a cache of the store's facts).
        self.cases = CaseCache(store, settings.ua_bot_cache_seconds, settings.ua_bot_late_appeals)
        self.deliveries = Deliveries()
        self.langs = Languages(store)
        self.totals = Totals(store, settings.ua_bot_cache_seconds)
        self.chat_cases = ChatCases(store)
        self.cards = CardMemo()  # /case in the steady state renders nothing anew
        # Counted in the store: one count for every process, kept across restarts.
        self.flood = SharedLimiter(
            store, "flood", settings.ua_bot_rate_limit, settings.ua_bot_rate_window
        )
        self.daily = SharedLimiter(store, "daily", settings.ua_bot_daily_confirmations, None)

    # -- services for handlers -------------------------------------------------

    def now(self) -> dt.datetime:
        return self._clock()

    def today(self) -> dt.date:
        return self.now().astimezone(self.tz).date()

    def is_organiser(self, incoming: Incoming) -> bool:
        """A deployment-wide organiser: on the allow-list (``UA_BOT_ORGANISERS``) only."""
        return incoming.user in self.settings.organisers

    def is_workspace_organiser(self, incoming: Incoming) -> bool:
        """An admin of the workspace the command came from, when admins are organisers
        there: the rights of the commands marked ``workspace_scoped``, in that workspace."""
        return bool(
            self.settings.ua_bot_workspace_admins_are_organisers
            and incoming.is_workspace_admin
            and incoming.workspace
        )

    def may_run(self, spec: CommandSpec, incoming: Incoming) -> bool:
        """Whether the sender may run the command ``spec``."""
        if not spec.organiser or self.is_organiser(incoming):
            return True
        return spec.workspace_scoped and self.is_workspace_organiser(incoming)

    def may_import(self, incoming: Incoming) -> bool:
        """Whether a file from this sender would be imported: adapters ask before they
        download it."""
        spec = self.commands.get("import")
        return spec is not None and self.may_run(spec, incoming)

    async def open_cases(self) -> list[Case]:
        return await self.cases.all(CaseStatus.PUBLISHED)

    def translator(self, lang: str | None) -> Translator:
        return Translator(lang, self.texts)

    # -- platform events that change state -------------------------------------------

    async def chat_gone(self, address: str) -> int:
        """The platform says a chat is gone (blocked, left, deleted): its subscriptions end."""
        async with self.store.unit() as tx:
            return await tx.unsubscribe_address(address)

    async def chat_moved(self, old: str, new: str) -> int:
        """The platform gave a chat a new address (a group upgraded): what it had follows."""
        self.chat_cases.forget(self.hasher.chat(old))
        async with self.store.unit() as tx:
            return await tx.move_address(old, new)

    async def workspace_uninstalled(self, platform: str, workspace: str) -> int:
        """A workspace removed the app: its broadcast channels are dropped."""
        async with self.store.unit() as tx:
            return await tx.remove_workspace_channels(platform, workspace)

    # -- the entry point ---------------------------------------------------------

    @staticmethod
    def _clean(incoming: Incoming) -> Incoming:
        """Drop control and invisible reordering characters, and cap the length."""
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
        delivery = f"{incoming.platform}:{incoming.delivery_id}" if incoming.delivery_id else None
        if not delivery:
            return await self._handle_once(incoming, None)
        async with self.deliveries.first(delivery) as first:
            return await self._handle_once(incoming, delivery) if first else []

    async def _handle_once(self, incoming: Incoming, delivery: str | None) -> list[Reply]:
        key = self.hasher.supporter(incoming.user)
        trusted = self.is_organiser(incoming) or self.is_workspace_organiser(incoming)
        verdict = "ok" if trusted else await self.flood.check(key)
        known, lang = self.langs.cached(key)
        if verdict != "ok":
            if delivery:
                self.deliveries.seen(delivery)
            if verdict == "silent":
                return []
            t = self.translator(lang)  # no store read for a flood
            return [Reply.text(t("core.too_fast"), private=True)]
        try:
            replies = await self._dispatch(incoming, key, self.translator(lang) if known else None)
        except DuplicateDelivery:
            replies = []
        except UserError as e:
            replies = [Reply.text(e.markup, *e.buttons)]
        except DATABASE_DOWN as e:
            log.warning("store unavailable: %s", type(e).__name__)
            raise TemporaryFailure() from e
        except TemporaryFailure:
            raise
        except Exception:
            log.exception("command failed: /%s", incoming.command or incoming.kind)
            replies = [Reply.text(self.translator(self.langs.cached(key)[1])("core.failed"))]
        if delivery:
            self.deliveries.seen(delivery)
        return replies

    async def _dispatch(self, incoming: Incoming, key: str, t: Translator | None) -> list[Reply]:
        """Route the event to its command; ``t`` is the sender's language if cached (else
        read here, once it is needed: a ``lang_from_write`` command reads it with its write)."""
        routed, refusal = self._route(incoming)
        if refusal is not None:
            text, values = refusal
            t = t or self.translator(await self.langs.get(key))
            return [Reply.text(t(text, **values))]
        if routed is None:
            return []  # group chatter: not for the bot
        incoming, spec = routed
        if t is None and not spec.lang_from_write:
            t = self.translator(await self.langs.get(key))
        try:
            out = await spec.handler(Context(self, incoming, incoming.text, t=t, supporter_key=key))
        except LanguageNeeded:  # it needed a text before its write told the language
            t = self.translator(await self.langs.get(key))
            out = await spec.handler(Context(self, incoming, incoming.text, t=t, supporter_key=key))
        metrics.COMMANDS.labels(spec.name).inc()
        if spec.organiser:
            async with self.store.unit() as tx:
                await tx.audit(key, spec.name, incoming.text)
        replies = [out] if isinstance(out, Reply) else list(out)
        if spec.private_chat and not incoming.private:
            t = t or self.translator(await self.langs.get(key))
            return _direct(replies, t, spec.name)
        return replies

    def _route(
        self, incoming: Incoming
    ) -> tuple[tuple[Incoming, CommandSpec] | None, tuple[str, dict[str, Any]] | None]:
        """((the event as a command, its spec), None), or (None, (refusal text key, values)),
        or (None, None) for a message that is not for the bot."""
        if incoming.kind == Kind.BUTTON:
            incoming = _as_command(incoming, incoming.payload)
        elif incoming.kind == Kind.FILE:
            incoming = dataclasses.replace(incoming, command="import")
        elif incoming.kind == Kind.MESSAGE:
            if not incoming.private:
                return None, None
            # In a private chat, "/case 253/17" typed as text (a platform that has no
            # commands in chats passes it so) is the command, and so is a lone "case".
            text = (incoming.text or "").strip()
            first = text.lstrip("/").split(maxsplit=1)[0].lower() if text.strip("/") else ""
            typed = text.startswith("/") or " " not in text
            if not typed or self.commands.get(first) is None:
                return None, ("core.only_commands", {})
            incoming = _as_command(incoming, incoming.text)
        name = incoming.command.lower()
        spec = self.commands.get(name)
        if spec is None:
            return None, ("core.unknown_command", {"name": esc(name[:40])})
        if not self.may_run(spec, incoming):
            return None, ("core.organisers_only", {"name": spec.name})
        if spec.personal and incoming.anonymous:
            return None, ("core.anonymous", {"name": spec.name})
        if spec.private_chat and incoming.anonymous:
            return None, ("core.anonymous", {"name": spec.name})
        if spec.group_admin and not incoming.private and incoming.chat_admin is False:
            return None, ("core.group_admins", {"name": spec.name})
        return (incoming, spec), None


def _direct(replies: list[Reply], t: Translator, name: str) -> list[Reply]:
    """A private command's answers outside a private chat: each for the person's direct
    messages only, then a notice for the chat (or, when the adapter could not reach them
    there, how to ask in private)."""
    out = [dataclasses.replace(r, private=True, direct=True) for r in replies]
    notice = Reply.text(t("core.sent_privately"), private=True)
    notice.meta["undelivered"] = t("core.open_private", name=name)
    return [*out, notice]


def _as_command(incoming: Incoming, line: str) -> Incoming:
    """The command typed as ``line``, from the same chat, person and delivery."""
    typed = Incoming.command_line(line, address=incoming.address, user=incoming.user)
    return dataclasses.replace(
        incoming, kind=Kind.COMMAND, command=typed.command, text=typed.text, payload=""
    )
