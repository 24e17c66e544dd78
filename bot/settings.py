"""Settings from the environment (and `.env`), validated once at start-up.

Every problem is reported as one line that says what is wrong and how to fix it,
so that a newcomer starting the bot without a token gets an answer, not a traceback.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import find_dotenv, load_dotenv

DEFAULT_DATABASE_URL = "sqlite:///organizer-bot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
APPS_PAGE = "https://api.slack.com/apps"
# Slack's client ids: two numbers joined by a dot (Basic Information > App Credentials).
CLIENT_ID = re.compile(r"[0-9]+\.[0-9]+")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


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
    # Where `organizer-bot congress load` writes newer members of Congress data, read from there
    # at start-up; None: only the shipped copy (storage/data/congress_*.tsv).
    congress_data_dir: Path | None = None

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def multi_workspace(self) -> bool:
        return self.install is not None


def normalize_database_url(url: str) -> str:
    """Accept Heroku's `postgres://` and select psycopg 3 for PostgreSQL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
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


def load_settings(env: dict[str, str] | None = None, *, require_signing_secret: bool = True) -> Settings:
    """Read settings from `env` (default: the process environment after loading `.env`)."""
    if env is None:
        # The .env of the directory the bot is started from; real environment variables win.
        load_dotenv(find_dotenv(usecwd=True))
        env = dict(os.environ)

    install = _install(env)
    bot_token = env.get("SLACK_BOT_TOKEN", "").strip() or None
    if install and bot_token:
        raise SettingsError(
            "set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "(any workspace installs it from /slack/install), not both"
        )
    if not install and not bot_token:
        raise SettingsError(
            "SLACK_BOT_TOKEN is not set: create the app from manifest.json at "
            f"{APPS_PAGE}, install it, and copy 'Bot User OAuth Token' (xoxb-...) into .env "
            "(or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to let workspaces install it from /slack/install)"
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
    if require_signing_secret and not app_token and not signing_secret:
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
        database_statement_timeout_ms=_int(env, "DATABASE_STATEMENT_TIMEOUT_MS", 2500, 100, 600_000),
        sqlite_busy_timeout_ms=_int(env, "SQLITE_BUSY_TIMEOUT_MS", 2500, 0, 600_000),
        web_capacity=WebCapacity(
            threads=_int(env, "WEB_THREADS", WebCapacity.threads, 1, 1024),
            connection_limit=_int(env, "WEB_CONNECTION_LIMIT", WebCapacity.connection_limit, 1, 100_000),
            backlog=_int(env, "WEB_BACKLOG", WebCapacity.backlog, 1, 65_535),
        ),
        uninstall_grace_days=_int(env, "UNINSTALL_GRACE_DAYS", 30, 0, 3650),
        public_base_url=(_http_url(env, "PUBLIC_BASE_URL") or "").rstrip("/") or None,
        map_tiles=_map_tiles(env),
        congress_data_dir=Path(env["CONGRESS_DATA_DIR"].strip()) if env.get("CONGRESS_DATA_DIR", "").strip() else None,
    )


def _install(env: dict[str, str]) -> Install | None:
    """SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, both or neither."""
    client_id = env.get("SLACK_CLIENT_ID", "").strip()
    client_secret = env.get("SLACK_CLIENT_SECRET", "").strip()
    if not client_id and not client_secret:
        return None
    if not client_secret:
        raise SettingsError(f"SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: copy 'Client Secret' from Basic Information > App Credentials at {APPS_PAGE} into .env")
    if not client_id:
        raise SettingsError(f"SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not: copy 'Client ID' from Basic Information > App Credentials at {APPS_PAGE} into .env")
    if not CLIENT_ID.fullmatch(client_id):
        raise SettingsError(f"SLACK_CLIENT_ID looks like 1234567890.1234567890 (Basic Information > App Credentials), got {client_id!r}")
    return Install(client_id, client_secret)
