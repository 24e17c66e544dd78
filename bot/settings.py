"""Settings from the environment (and `.env`), validated once at start-up.

Every problem is reported as one line that says what is wrong and how to fix it,
so that a newcomer starting the bot without a token gets an answer, not a traceback.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values, find_dotenv

DEFAULT_DATABASE_URL = "sqlite:///organizer-bot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
APPS_PAGE = "https://api.slack.com/apps"
# Slack's client ids: two numbers joined by a dot (Basic Information > App Credentials).
CLIENT_ID = re.compile(r"[0-9]+\.[0-9]+")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# The workspace of a bot that has no Slack yet: `organizer-bot demo` loads into it and the
# public site serves it, so the site can be tried before the Slack app exists.
LOCAL_TEAM_ID = "TLOCAL"


class SettingsError(ValueError):
    """A configuration problem, worded for the person starting the bot."""


@dataclass(frozen=True)
class WebCapacity:
    """waitress's sizing, for a burst of 200 concurrent commands (README, Deployment)."""

    threads: int = 200  # requests handled at once; each waits (idle) for its listener's ack
    connection_limit: int = 512  # open connections before new ones wait in the backlog
    backlog: int = 1024  # connections the kernel queues before refusing


DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap contributors"


@dataclass(frozen=True)
class MapTiles:
    """Where the public map's background comes from (a Leaflet tile URL template) and the credit its provider asks for."""

    url: str = DEFAULT_TILE_URL
    attribution: str = DEFAULT_TILE_ATTRIBUTION


@dataclass(frozen=True)
class Install:
    """Multi-workspace install through Bolt's OAuth flow (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)."""

    client_id: str
    client_secret: str = field(repr=False)
    # TOKEN_ENCRYPTION_KEY: Fernet keys the stored workspace tokens are encrypted with; the
    # first encrypts, every one decrypts (a rotation puts the new key first).
    token_keys: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Mail:
    """Outgoing email (SMTP_URL, EMAIL_FROM): smtp:// uses STARTTLS when the server offers it,
    smtps:// TLS from the first byte."""

    host: str
    port: int
    tls: bool  # smtps://
    username: str | None
    password: str | None = field(repr=False)
    sender: str  # EMAIL_FROM, as given: `Coalition events <events@example.org>`


@dataclass(frozen=True)
class Webhook:
    """Where sign-ups, cancellations and event changes are POSTed (WEBHOOK_URL), signed with WEBHOOK_SECRET."""

    url: str
    secret: str = field(repr=False)


DEFAULT_RETENTION_DAYS = 90


@dataclass(frozen=True)
class Settings:
    bot_token: str | None  # the one workspace's token; None with `install`
    install: Install | None  # any number of workspaces install through /slack/install
    signing_secret: str | None
    app_token: str | None
    slack_api_url: str
    database_url: str
    port: int
    run_scheduler: bool
    reminder_poll_seconds: float
    default_timezone: str
    listener_threads: int
    log_level: int
    database_connect_timeout: int  # seconds
    database_statement_timeout_ms: int
    sqlite_busy_timeout_ms: int
    web_capacity: WebCapacity
    uninstall_grace_days: int  # an uninstalled workspace's data is deleted this long after
    public_base_url: str | None  # where the public pages are, for links from Slack; no trailing slash
    map_tiles: MapTiles
    host: str = "0.0.0.0"  # the address the HTTP server binds; platforms route to every interface
    mail: Mail | None = None  # None: no email is sent (sign-ups still work)
    attendee_retention_days: int = (
        DEFAULT_RETENTION_DAYS  # public attendees' data is erased this long after their event
    )
    webhook: Webhook | None = None
    # Where `organizer-bot congress load` writes newer members of Congress data, read from there
    # at start-up; None: only the shipped copy (storage/data/congress_*.tsv).
    congress_data_dir: Path | None = None

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def multi_workspace(self) -> bool:
        return self.install is not None

    @property
    def slack_configured(self) -> bool:
        return self.bot_token is not None or self.install is not None

    def mode(self, *, http_only: bool = False) -> str:
        """Which Slack the process serves and why, in one line (`http_only`: `organizer-bot web`)."""
        if self.install is not None:
            return "many workspaces over HTTP: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (installs at /slack/install)"
        if self.bot_token is None:
            return (
                "no Slack: SLACK_BOT_TOKEN is not set, so only the public pages are served (/slack/events answers 503)"
            )
        if self.app_token and not http_only:
            return "one workspace, Socket Mode: SLACK_APP_TOKEN is set"
        if self.app_token:
            return "one workspace, HTTP on /slack/events: `web` always listens over HTTP"
        return "one workspace, HTTP on /slack/events: SLACK_APP_TOKEN is not set"


def normalize_database_url(url: str) -> str:
    """Accept Heroku's `postgres://` and select psycopg 3 for PostgreSQL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    # On first use: bot.server needs these settings, and the bare app of the benches the
    # server, without SQLAlchemy (14 MB and a fifth of a second to import).
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise SettingsError(
            f"DATABASE_URL is not a valid database URL ({error}); "
            "use e.g. sqlite:///organizer-bot.db or postgresql://user@host/dbname"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise SettingsError(
            f"DATABASE_URL uses {parsed.get_backend_name()!r}; only sqlite and postgresql are supported"
        )
    return url


def _int(env: dict[str, str], name: str, default: int, minimum: int, maximum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise SettingsError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0, got {raw!r}")


def _log_level(env: dict[str, str]) -> int:
    raw = env.get("LOG_LEVEL", "").strip()
    if not raw:
        return logging.INFO
    if raw.upper() not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (any case), got {raw!r}")
    return logging.getLevelName(raw.upper())


def _http_url(env: dict[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip()
    if raw and (not raw.startswith(("http://", "https://")) or any(c.isspace() for c in raw)):
        raise SettingsError(f"{name} must be an http(s) URL, got {raw!r}")
    return raw or None


def _map_tiles(env: dict[str, str]) -> MapTiles:
    url = _http_url(env, "MAP_TILE_URL") or DEFAULT_TILE_URL
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise SettingsError(f"MAP_TILE_URL must contain {{z}}, {{x}} and {{y}}, like {DEFAULT_TILE_URL}")
    return MapTiles(url=url, attribution=env.get("MAP_TILE_ATTRIBUTION", "").strip() or DEFAULT_TILE_ATTRIBUTION)


def environment() -> dict[str, str]:
    """The process environment over the `.env` of the directory the bot starts in, leaving both
    as they are: a variable set to an empty value is the same as an unset one, in either. Bolt
    reads some variables from os.environ by itself; bot.app keeps it to what these settings say."""
    values = {name: value for name, value in dotenv_values(find_dotenv(usecwd=True)).items() if value and value.strip()}
    values.update({name: value for name, value in os.environ.items() if value.strip()})
    return values


def load_settings(
    env: dict[str, str] | None = None, *, require_signing_secret: bool = True, require_slack: bool = True
) -> Settings:
    """Read settings from `env` (default: `environment()`). Without `require_slack`, a bot with
    no Slack settings at all is valid: it serves the public pages only (`slack_configured`)."""
    if env is None:
        env = environment()

    bot_token = env.get("SLACK_BOT_TOKEN", "").strip() or None
    if bot_token and (env.get("SLACK_CLIENT_ID", "").strip() or env.get("SLACK_CLIENT_SECRET", "").strip()):
        raise SettingsError(
            "set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "(any workspace installs it from /slack/install), not both: empty the one you do not use in .env"
        )
    install = _install(env)
    if require_slack and not install and not bot_token:
        raise SettingsError(
            "SLACK_BOT_TOKEN is not set: create the app from manifest.json at "
            f"{APPS_PAGE}, install it, and copy 'Bot User OAuth Token' (xoxb-...) into .env "
            "(or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to let workspaces install it from /slack/install; "
            "to try the public pages without Slack: organizer-bot demo, then organizer-bot web)"
        )
    if bot_token and not bot_token.startswith("xoxb-"):
        raise SettingsError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")

    app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
    if app_token and not app_token.startswith("xapp-"):
        raise SettingsError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
    if app_token and install:
        raise SettingsError(
            "SLACK_CLIENT_ID needs HTTP mode (Slack sends installs to /slack/oauth_redirect): unset SLACK_APP_TOKEN"
        )

    signing_secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
    if install and not signing_secret:
        raise SettingsError(
            "SLACK_SIGNING_SECRET is not set, and installs from /slack/install need it: copy 'Signing Secret' "
            f"from Basic Information at {APPS_PAGE} into .env"
        )
    if require_signing_secret and (install or bot_token) and not app_token and not signing_secret:
        raise SettingsError(
            "SLACK_SIGNING_SECRET is not set: copy 'Signing Secret' from Basic Information at "
            f"{APPS_PAGE} into .env (or set SLACK_APP_TOKEN to use Socket Mode)"
        )

    api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_SLACK_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
    if not api_url.endswith("/"):
        api_url += "/"

    default_timezone = env.get("DEFAULT_TIMEZONE", "").strip() or "America/New_York"
    try:
        ZoneInfo(default_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"DEFAULT_TIMEZONE {default_timezone!r} is not an IANA time zone (e.g. America/Chicago)"
        ) from None

    return Settings(
        bot_token=bot_token,
        install=install,
        signing_secret=signing_secret,
        app_token=app_token,
        slack_api_url=api_url,
        database_url=normalize_database_url(env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL),
        port=_int(env, "PORT", 3000, 1, 65535),
        run_scheduler=_flag(env, "RUN_SCHEDULER", True),
        reminder_poll_seconds=_int(env, "REMINDER_POLL_SECONDS", 30, 1, 3600),
        default_timezone=default_timezone,
        listener_threads=_int(env, "LISTENER_THREADS", 32, 1, 512),
        log_level=_log_level(env),
        # libpq rounds anything under 2 s up to 2 s.
        database_connect_timeout=_int(env, "DATABASE_CONNECT_TIMEOUT", 5, 2, 300),
        # Under Slack's 3 s: a stalled statement fails while the listener can still answer.
        database_statement_timeout_ms=_int(env, "DATABASE_STATEMENT_TIMEOUT_MS", 2000, 100, 600_000),
        sqlite_busy_timeout_ms=_int(env, "SQLITE_BUSY_TIMEOUT_MS", 2000, 0, 600_000),
        web_capacity=WebCapacity(
            threads=_int(env, "WEB_THREADS", WebCapacity.threads, 1, 1024),
            connection_limit=_int(env, "WEB_CONNECTION_LIMIT", WebCapacity.connection_limit, 1, 100_000),
            backlog=_int(env, "WEB_BACKLOG", WebCapacity.backlog, 1, 65_535),
        ),
        uninstall_grace_days=_int(env, "UNINSTALL_GRACE_DAYS", 30, 0, 3650),
        public_base_url=(_http_url(env, "PUBLIC_BASE_URL") or "").rstrip("/") or None,
        map_tiles=_map_tiles(env),
        host=_host(env),
        mail=_mail(env),
        attendee_retention_days=_int(env, "ATTENDEE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, 1, 3650),
        webhook=_webhook(env),
        congress_data_dir=Path(env["CONGRESS_DATA_DIR"].strip()) if env.get("CONGRESS_DATA_DIR", "").strip() else None,
    )


def _host(env: dict[str, str]) -> str:
    host = env.get("HOST", "").strip() or "0.0.0.0"
    if any(c.isspace() or c in "/@" for c in host):
        raise SettingsError(f"HOST is the address to listen on, such as 0.0.0.0 or 127.0.0.1, got {host!r}")
    return host.strip("[]")


def _webhook(env: dict[str, str]) -> Webhook | None:
    """WEBHOOK_URL and WEBHOOK_SECRET: both, or neither."""
    url, secret = _http_url(env, "WEBHOOK_URL"), env.get("WEBHOOK_SECRET", "").strip()
    if not url and not secret:
        return None
    if not url or not secret:
        raise SettingsError(
            "set both WEBHOOK_URL and WEBHOOK_SECRET (the receiver checks each request's signature with the secret), or neither"
        )
    return Webhook(url, secret)


def _mail(env: dict[str, str]) -> Mail | None:
    """SMTP_URL and EMAIL_FROM: both, or neither (no email sent)."""
    raw, sender = env.get("SMTP_URL", "").strip(), env.get("EMAIL_FROM", "").strip()
    if not raw:
        return None
    url = urlsplit(raw)
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise SettingsError(
            "SMTP_URL must look like smtp://user:password@smtp.example.org:587 (STARTTLS) "
            "or smtps://user:password@smtp.example.org:465 (TLS)"
        )
    try:
        port = url.port or (465 if url.scheme == "smtps" else 587)
    except ValueError:
        raise SettingsError("SMTP_URL has a port that is not a number from 1 to 65535") from None
    address = parseaddr(sender)[1]
    if not sender or "@" not in address or any(c in sender for c in "\r\n"):
        raise SettingsError(
            "EMAIL_FROM must be set with SMTP_URL, as an address or a name and one: "
            "Coalition events <events@example.org>"
        )
    return Mail(
        host=url.hostname,
        port=port,
        tls=url.scheme == "smtps",
        username=unquote(url.username) if url.username else None,
        password=unquote(url.password) if url.password else None,
        sender=sender,
    )


def _install(env: dict[str, str]) -> Install | None:
    """SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, both or neither."""
    client_id = env.get("SLACK_CLIENT_ID", "").strip()
    client_secret = env.get("SLACK_CLIENT_SECRET", "").strip()
    if not client_id and not client_secret:
        return None
    if not client_secret:
        raise SettingsError(
            f"SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: copy 'Client Secret' from Basic Information > App Credentials at {APPS_PAGE} into .env"
        )
    if not client_id:
        raise SettingsError(
            f"SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not: copy 'Client ID' from Basic Information > App Credentials at {APPS_PAGE} into .env"
        )
    if not CLIENT_ID.fullmatch(client_id):
        raise SettingsError(
            f"SLACK_CLIENT_ID looks like 1234567890.1234567890 (Basic Information > App Credentials), got {client_id!r}"
        )
    return Install(client_id, client_secret, _token_keys(env))


def _token_keys(env: dict[str, str]) -> tuple[str, ...]:
    """TOKEN_ENCRYPTION_KEY, comma-separated Fernet keys: installs keep every workspace's token with it."""
    keys = tuple(key.strip() for key in env.get("TOKEN_ENCRYPTION_KEY", "").split(",") if key.strip())
    if not keys:
        raise SettingsError(
            "TOKEN_ENCRYPTION_KEY is not set: workspaces' tokens are stored encrypted with it; "
            "make one with `organizer-bot keygen` and put it in .env"
        )
    from cryptography.fernet import Fernet  # only with installs

    for number, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except ValueError:  # the key itself is never shown: it is a secret
            raise SettingsError(
                f"TOKEN_ENCRYPTION_KEY: key {number} of {len(keys)} is not a key `organizer-bot keygen` makes "
                "(32 url-safe base64-encoded bytes)"
            ) from None
    return keys
