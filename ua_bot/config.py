"""Configuration from the environment (and an optional ``.env`` file), via pydantic-settings."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///ua_bot.db"
SETTINGS_CONFIG = SettingsConfigDict(
    env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
)


class Settings(BaseSettings):
    """The core's settings. Names are the environment variables, upper-cased.

    Each platform adapter owns its own (``adapters/<platform>/settings.py``);
    ``adapters.settings.DeploymentSettings`` gathers them all.
    """

    model_config = SETTINGS_CONFIG

    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy URL of the store")
    ua_bot_secret: SecretStr | None = Field(
        None, description="HMAC key for supporter identities; generated in development"
    )
    ua_bot_secret_file: Path = Field(
        Path(".ua_bot_secret"), description="where a generated development secret is kept"
    )
    ua_bot_organisers: str = Field(
        "console:local",
        description="comma-separated platform-prefixed organiser ids, e.g. "
        "console:alice,telegram:12345,slack:T01:U02 (default: the local console user)",
    )
    ua_bot_workspace_admins_are_organisers: bool = Field(
        False,
        description="administrators and owners of a chat platform's workspace are organisers "
        "there (checked with the platform, cached for a few minutes)",
    )
    ua_bot_db_timeout: float = Field(
        30.0, description="seconds to wait for a locked or busy database before answering 'retry'"
    )
    ua_bot_cache_seconds: float = Field(5.0, description="how long a cached case list is used")
    ua_bot_timezone: str = Field("UTC", description="time zone for 'days left' and daily counts")

    ua_bot_rate_limit: int = Field(
        30, description="commands a supporter may send per UA_BOT_RATE_WINDOW seconds (0: off)"
    )
    ua_bot_rate_window: float = Field(60.0, description="the rate limit's window in seconds")
    ua_bot_daily_confirmations: int = Field(
        40, description="action confirmations a supporter may make per case per day"
    )
    ua_bot_retention_days: int | None = Field(
        None, description="unlink actions from supporters after this many days (counts stay)"
    )
    ua_bot_small_count: int = Field(
        5,
        ge=1,
        description="organiser reports show breakdown counts below this as '<N' "
        "(whole-case totals stay exact)",
    )
    ua_bot_log_level: str = Field("WARNING", description="log level (DEBUG, INFO, WARNING)")

    ua_bot_templates_dir: Path | None = Field(
        None,
        description="a folder of draft templates (<lang>/letter.txt.j2 ...) that replace the "
        "built-in ones file by file",
    )

    # Broadcasts and the outbox worker (ua-bot worker).
    ua_bot_reminder_days: int = Field(
        3, description="days before a case's deadline to remind subscribers who have not acted"
    )
    ua_bot_autoclose_days: int | None = Field(
        None, description="close a case this many days after its deadline (default: never)"
    )
    ua_bot_worker_id: str | None = Field(
        None,
        description="this worker's name; a restarted worker takes back its rows at once "
        "(default: host name and $DYNO, else host name and process id)",
    )
    ua_bot_worker_batch: int = Field(200, description="outbox rows a worker claims at once")
    ua_bot_worker_lease_seconds: float = Field(
        60.0, description="how long claimed rows stay a worker's before others may take them"
    )
    ua_bot_worker_inflight: int | None = Field(
        None,
        ge=1,
        description="messages in flight at once per platform; a worker killed mid-send may "
        "send at most this many twice (default: one per 30 messages a second of the "
        "platform's pace, at least one: 1 at Telegram's 30/s, 34 at 1,000/s)",
    )
    ua_bot_worker_max_attempts: int = Field(
        8, description="sends tried per message before it counts as failed"
    )
    ua_bot_worker_backoff_seconds: float = Field(
        2.0, description="first retry delay after a transient error (doubles, up to 10 minutes)"
    )
    ua_bot_worker_poll_seconds: float = Field(1.0, description="idle wait between outbox polls")
    ua_bot_worker_progress_seconds: float = Field(
        3.0, description="how often the organiser's progress message is edited"
    )
    ua_bot_worker_housekeeping_seconds: float = Field(
        300.0, description="how often reminders, auto-close and clean-up run"
    )
    ua_bot_worker_keep_days: int = Field(
        30, description="days a finished broadcast's outbox rows are kept"
    )
    ua_bot_worker_pacing: str = Field(
        "",
        description='per-platform pacing as JSON, e.g. {"webhook": {"per_second": 30, '
        '"per_chat_seconds": 1, "per_group_per_minute": 20}}; overrides the senders\' own',
    )
    ua_bot_worker_pace_margin: float = Field(
        0.97, description="pace at this fraction of each limit, to stay clear of it"
    )
    ua_bot_webhook_url: str | None = Field(
        None, description="send messages for webhook: addresses as JSON POSTs to this URL"
    )
    ua_bot_http_read_seconds: float = Field(
        20.0,
        gt=0,
        description="seconds a web connection has to send each complete request "
        "(half-open or slow connections are closed)",
    )
    port: int = Field(8000, description="port of `ua-bot serve` (hosting platforms set it)")
    ua_bot_public_url: str | None = Field(
        None,
        description="public base URL of the organiser pages (https://bot.example.org); "
        "sign-in links from /web and `ua-bot web-login` start with it (default: "
        "PUBLIC_BASE_URL)",
    )
    public_base_url: str | None = Field(
        None, description="public https URL of the web process; webhooks are registered there"
    )
    ua_bot_trusted_proxies: str = Field(
        "",
        description="comma-separated addresses of the reverse proxies in front of `ua-bot "
        "serve` (e.g. 127.0.0.1 or 10.0.0.0/8, * for any): only their X-Forwarded-Proto and "
        "X-Forwarded-For are believed (the sign-in cookie's Secure flag, the client address)",
    )
    ua_bot_metrics_token: SecretStr | None = Field(
        None,
        description="when set, /metrics answers only requests with the header "
        "'Authorization: Bearer <token>'",
    )

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, v: str) -> str:
        return normalise_database_url(v)

    @field_validator("ua_bot_timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            msg = f"unknown time zone {v[:60]!r}: use a name such as Europe/London"
            raise ValueError(msg) from None
        return v

    @field_validator("ua_bot_secret")
    @classmethod
    def _long_secret(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and len(v.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return v

    @cached_property
    def organisers(self) -> frozenset[str]:
        return frozenset(x.strip() for x in self.ua_bot_organisers.split(",") if x.strip())

    def faces_the_public(self) -> bool:
        """A chat platform or a webhook is set up: the secret must then be set on purpose.

        The core knows only its own webhook; the deployment's settings add the platforms.
        """
        return bool(self.ua_bot_webhook_url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def normalise_database_url(url: str) -> str:
    """Accept hosting-platform URLs (``postgres://``) and plain driver-less ones."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+asyncpg://" + url[len(prefix) :]
            break
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        url = "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def env_example(settings: type[BaseSettings] = Settings) -> str:
    """The text of ``.env.example``: every setting with its default and meaning."""
    lines = ["# ua-bot settings: copy to .env and fill in what you use. Defaults shown."]
    for name, f in settings.model_fields.items():
        default = f.default
        if isinstance(default, SecretStr):
            default = ""
        value = "" if default is None else str(default)
        lines += ["", f"# {f.description or name}", f"# {name.upper()}={value}"]
    return "\n".join(lines) + "\n"
