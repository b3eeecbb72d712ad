"""The Telegram adapter: a python-telegram-bot ``Application`` in front of the core.

Every update becomes one ``core.handle`` call; every reply becomes Telegram messages.
Identity: ``Incoming.user`` is ``telegram:<user id>``, the address ``telegram:<chat id>``,
``delivery_id`` the ``update_id``. Names and usernames are never read, logged or stored.

A reply the core marks private, in a group: to a button press, it is the answer to the
callback query (an alert only the presser sees) when it is short plain text; otherwise,
and for commands, it is sent in the group as a reply to the user's message. It is not
sent by direct message: replies such as "/subscribe: updates will come to this chat"
speak of the chat the command came from.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    Update,
)
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
)
from telegram.request import BaseRequest

from adapters.settings import DeploymentSettings
from adapters.telegram.delivery import Delivery, TelegramRenderer
from adapters.telegram.inbound import _OUTCOME, Inbound, UpdateOutcome
from adapters.telegram.keyboards import Keyboards
from adapters.telegram.processor import ChatOrderedProcessor
from adapters.telegram.rate_limit import BudgetRateLimiter, telegram_bucket
from case_store.budget import budget_for
from ua_bot.core import Core

log = logging.getLogger("adapters.telegram")

ALLOWED_UPDATES = ["message", "callback_query"]


def api_urls(base: str) -> tuple[str, str]:
    """``base_url`` and ``base_file_url`` for a Bot API server at ``base``."""
    base = base.rstrip("/")
    base = base.removesuffix("/bot")
    return f"{base}/bot", f"{base}/file/bot"


def quiet_logs() -> None:
    """httpx logs request URLs at INFO, and they hold the bot token; PTB at DEBUG logs
    whole updates, names included. Neither goes below these levels."""
    for name, floor in (("httpx", logging.WARNING), ("httpcore", logging.WARNING)):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < floor:
            logger.setLevel(floor)
    ptb = logging.getLogger("telegram")
    if ptb.getEffectiveLevel() < logging.INFO:
        ptb.setLevel(logging.INFO)


class TelegramAdapter(Inbound, Delivery):
    """Builds the ``Application`` and turns updates into core calls and replies into messages."""

    def __init__(
        self,
        core: Core,
        settings: DeploymentSettings,
        *,
        webhook: bool = False,
        request: BaseRequest | None = None,
        rate_limiter: BaseRateLimiter | None = None,
        concurrency: int = 64,
    ) -> None:
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        quiet_logs()
        self.core = core
        self.settings = settings
        self.webhook = webhook
        self.keyboards = Keyboards(core.store)
        builder = ApplicationBuilder().token(settings.telegram_bot_token.get_secret_value())
        if settings.telegram_api_base_url:
            base_url, file_url = api_urls(settings.telegram_api_base_url)
            builder.base_url(base_url).base_file_url(file_url)
        if rate_limiter is None:  # replies share the platform's budget with broadcasts
            rate_limiter = BudgetRateLimiter(
                budget_for(core.store.engine), telegram_bucket(core.settings)
            )
        builder.rate_limiter(rate_limiter)
        if request is not None:
            builder.request(request).get_updates_request(request)
        if webhook:
            builder.updater(None)
        builder.concurrent_updates(ChatOrderedProcessor(concurrency))
        self.application: Application = builder.build()
        self.renderer = TelegramRenderer(self.application.bot, self.keyboards)
        self._add_handlers()

    @property
    def bot(self):
        return self.application.bot

    # -- life cycle ----------------------------------------------------------------

    async def set_commands(self) -> None:
        """The command menu from the core's command table; organisers see theirs too."""
        everyone = [BotCommand(s.name, s.description[:256]) for s in self.core.commands.public()]
        await self.bot.set_my_commands(everyone)
        staff = [
            BotCommand(s.name, s.description[:256])
            for s in self.core.commands.public(organiser=True)
        ]
        for who in self.settings.organisers:
            platform, _, uid = who.partition(":")
            if platform != "telegram" or not uid.lstrip("-").isdigit():
                continue
            try:
                await self.bot.set_my_commands(staff, scope=BotCommandScopeChat(int(uid)))
            except InvalidToken:
                raise
            except TelegramError as e:  # the organiser has not started the bot yet
                log.info("organiser command menu not set: %s", type(e).__name__)

    async def run_polling(self) -> None:
        """Long polling until cancelled (``ua-bot run``)."""
        app = self.application
        async with app:
            await self.set_commands()
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            await app.start()
            log.warning("Telegram: polling as @%s", app.bot.username)
            try:
                await asyncio.Event().wait()
            finally:
                await app.updater.stop()
                await app.stop()

    async def start_webhook(self) -> None:
        """Web app start-up: initialise; register the webhook when PUBLIC_BASE_URL is set."""
        app = self.application
        await app.initialize()
        await self.set_commands()
        base = self.settings.public_base_url
        secret = self.settings.telegram_webhook_secret
        if base and secret:
            await app.bot.set_webhook(
                f"{base.rstrip('/')}/telegram/webhook",
                secret_token=secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
        await app.start()

    async def stop_webhook(self) -> None:
        await self.application.stop()
        await self.application.shutdown()

    async def process_webhook_update(self, data: dict) -> UpdateOutcome:
        """Handle one update posted to the webhook; the outcome decides the HTTP status."""
        update = Update.de_json(data, self.bot)
        box = UpdateOutcome()
        token = _OUTCOME.set(box)
        try:
            await self.application.process_update(update)
        finally:
            _OUTCOME.reset(token)
        return box
