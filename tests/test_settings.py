"""Settings: defaults, and one clear line for each thing a newcomer can get wrong."""

from __future__ import annotations

import logging

import pytest

from bot.cli import main
from bot.settings import SettingsError, WebCapacity, load_settings, normalize_database_url
from storage.db import Timeouts

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
INSTALLS = {
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "c",
    "SLACK_SIGNING_SECRET": "s",
    "TOKEN_ENCRYPTION_KEY": "pWKdKxZo50T3SkJNWDVdOqAqQkGZ-l_sZ9z92daQhCE=",
}


def test_defaults_follow_the_design():
    settings = load_settings(dict(BASE))
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///organizer-bot.db"
    assert (settings.port, settings.run_scheduler, settings.reminder_poll_seconds) == (3000, True, 30)
    assert settings.default_timezone == "America/New_York"
    assert settings.listener_threads > 5 and not settings.socket_mode
    assert settings.log_level == logging.INFO
    assert settings.web_capacity == WebCapacity(threads=200, connection_limit=512, backlog=1024)


def test_database_timeouts_default_to_what_the_storage_layer_uses():
    settings = load_settings(dict(BASE))
    defaults = Timeouts()
    assert settings.database_connect_timeout == defaults.connect == 5
    assert settings.database_statement_timeout_ms == defaults.statement_ms == 2000
    assert settings.sqlite_busy_timeout_ms == defaults.sqlite_busy_ms == 2000


@pytest.mark.parametrize(
    "given, level",
    [("debug", logging.DEBUG), ("Info", logging.INFO), ("WARNING", logging.WARNING), (" error ", logging.ERROR)],
)
def test_log_level_in_any_case(given, level):
    assert load_settings({**BASE, "LOG_LEVEL": given}).log_level == level


def test_capacity_and_timeouts_are_settings():
    settings = load_settings(
        {
            **BASE,
            "WEB_THREADS": "8",
            "WEB_CONNECTION_LIMIT": "300",
            "WEB_BACKLOG": "64",
            "DATABASE_CONNECT_TIMEOUT": "3",
            "DATABASE_STATEMENT_TIMEOUT_MS": "1000",
            "SQLITE_BUSY_TIMEOUT_MS": "500",
        }
    )
    assert settings.web_capacity == WebCapacity(threads=8, connection_limit=300, backlog=64)
    assert (
        settings.database_connect_timeout,
        settings.database_statement_timeout_ms,
        settings.sqlite_busy_timeout_ms,
    ) == (3, 1000, 500)


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "SLACK_BOT_TOKEN is not set: create the app from manifest.json at https://api.slack.com/apps"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "must be a bot token starting with xoxb-"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        ({**BASE, "DATABASE_URL": "not a url"}, "DATABASE_URL is not a valid database URL"),
        ({**BASE, "DATABASE_URL": "mysql://x@y/z"}, "only sqlite and postgresql are supported"),
        ({**BASE, "PORT": "eighty"}, "PORT must be a whole number"),
        ({**BASE, "PORT": "70000"}, "PORT must be between 1 and 65535"),
        ({**BASE, "RUN_SCHEDULER": "maybe"}, "RUN_SCHEDULER must be 1 or 0"),
        ({**BASE, "DEFAULT_TIMEZONE": "Mars/Olympus"}, "not an IANA time zone"),
        ({**BASE, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL must be an http(s) URL"),
        ({**BASE, "SLACK_APP_TOKEN": "xoxb-wrong"}, "starting with xapp-"),
        (
            {**BASE, "LOG_LEVEL": "verbose"},
            "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR (any case), got 'verbose'",
        ),
        ({**BASE, "WEB_THREADS": "0"}, "WEB_THREADS must be between 1 and 1024"),
        ({**BASE, "DATABASE_CONNECT_TIMEOUT": "1"}, "DATABASE_CONNECT_TIMEOUT must be between 2 and 300"),
        ({**BASE, "DATABASE_STATEMENT_TIMEOUT_MS": "2.5s"}, "DATABASE_STATEMENT_TIMEOUT_MS must be a whole number"),
        (
            {**INSTALLS, "SLACK_CLIENT_SECRET": ""},
            "SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: copy 'Client Secret'",
        ),
        (
            {**INSTALLS, "SLACK_CLIENT_ID": " "},
            "SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not: copy 'Client ID'",
        ),
        ({**INSTALLS, "SLACK_CLIENT_ID": "A0TEST"}, "SLACK_CLIENT_ID looks like 1234567890.1234567890"),
        (
            {**INSTALLS, "SLACK_BOT_TOKEN": "xoxb-1"},
            "set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET",
        ),
        (
            {**INSTALLS, "SLACK_APP_TOKEN": "xapp-1"},
            "SLACK_CLIENT_ID needs HTTP mode (Slack sends installs to /slack/oauth_redirect): unset SLACK_APP_TOKEN",
        ),
        ({**INSTALLS, "SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is not set"),
        ({**INSTALLS, "UNINSTALL_GRACE_DAYS": "-1"}, "UNINSTALL_GRACE_DAYS must be between 0 and 3650"),
        (
            {**INSTALLS, "TOKEN_ENCRYPTION_KEY": " "},
            "TOKEN_ENCRYPTION_KEY is not set: workspaces' tokens are stored encrypted with it; "
            "make one with `organizer-bot keygen`",
        ),
        (
            {**INSTALLS, "TOKEN_ENCRYPTION_KEY": INSTALLS["TOKEN_ENCRYPTION_KEY"] + ",not-a-key"},
            "TOKEN_ENCRYPTION_KEY: key 2 of 2 is not a key `organizer-bot keygen` makes",
        ),
        ({**BASE, "PUBLIC_BASE_URL": "events.example.org"}, "PUBLIC_BASE_URL must be an http(s) URL"),
        (
            {**BASE, "MAP_TILE_URL": "https://tiles.example.org/{z}/{x}.png"},
            "MAP_TILE_URL must contain {z}, {x} and {y}",
        ),
        (
            {**BASE, "SMTP_URL": "mail.example.org:587", "EMAIL_FROM": "e@example.org"},
            "SMTP_URL must look like smtp://",
        ),
        ({**BASE, "SMTP_URL": "smtp://mail.example.org:99999", "EMAIL_FROM": "e@example.org"}, "SMTP_URL has a port"),
        ({**BASE, "SMTP_URL": "smtp://mail.example.org"}, "EMAIL_FROM must be set with SMTP_URL"),
        ({**BASE, "ATTENDEE_RETENTION_DAYS": "0"}, "ATTENDEE_RETENTION_DAYS must be between 1 and 3650"),
        ({**BASE, "WEBHOOK_URL": "https://crm.example.org/hook"}, "set both WEBHOOK_URL and WEBHOOK_SECRET"),
        ({**BASE, "WEBHOOK_SECRET": "s"}, "set both WEBHOOK_URL and WEBHOOK_SECRET"),
        ({**BASE, "WEBHOOK_URL": "crm.example.org", "WEBHOOK_SECRET": "s"}, "WEBHOOK_URL must be an http(s) URL"),
    ],
)
def test_bad_configuration_gets_one_clear_line(env, message):
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_one_workspace_by_default_and_any_number_with_a_client_id_and_secret():
    single = load_settings(dict(BASE))
    assert not single.multi_workspace and single.bot_token == "xoxb-1" and single.uninstall_grace_days == 30
    installs = load_settings({**INSTALLS, "UNINSTALL_GRACE_DAYS": "7"})
    assert installs.multi_workspace and installs.bot_token is None and installs.uninstall_grace_days == 7
    assert (installs.install.client_id, installs.install.client_secret) == ("1111.2222", "c")
    assert "'c'" not in repr(installs) and INSTALLS["TOKEN_ENCRYPTION_KEY"] not in repr(
        installs
    )  # secrets stay out of logs and tracebacks


def test_keygen_prints_a_key_installs_take(capsys):
    assert main(["keygen"]) == 0  # without any setting: it makes the one installs need
    key = capsys.readouterr().out.strip()
    assert load_settings(
        {**INSTALLS, "TOKEN_ENCRYPTION_KEY": f"{key},{INSTALLS['TOKEN_ENCRYPTION_KEY']}"}
    ).install.token_keys == (key, INSTALLS["TOKEN_ENCRYPTION_KEY"])


def test_without_any_credentials_both_modes_are_named():
    with pytest.raises(SettingsError) as error:
        load_settings({})
    assert "SLACK_BOT_TOKEN is not set" in str(error.value) and "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET" in str(
        error.value
    )


def test_socket_mode_needs_no_signing_secret():
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode and settings.signing_secret is None


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://u:p%40ss@db:5432/app", "postgresql+psycopg://u:p%40ss@db:5432/app"),
        ("postgresql://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
        ("sqlite:////var/data/bot.db", "sqlite:////var/data/bot.db"),
    ],
)
def test_heroku_postgres_urls_are_accepted(given, expected):
    assert normalize_database_url(given) == expected


def test_public_pages_settings_default_to_no_links_and_openstreetmap():
    settings = load_settings(BASE)
    assert (
        settings.public_base_url is None and settings.map_tiles.url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    )
    assert (
        load_settings({**BASE, "PUBLIC_BASE_URL": "https://events.example.org/"}).public_base_url
        == "https://events.example.org"
    )


def test_api_url_gets_its_trailing_slash():
    assert load_settings({**BASE, "SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url == "http://127.0.0.1:9/api/"


def test_mail_settings_read_the_url_and_default_to_no_email():
    assert load_settings(BASE).mail is None and load_settings(BASE).attendee_retention_days == 90
    mail = load_settings(
        {
            **BASE,
            "SMTP_URL": "smtps://events%40example.org:p%2Fss@smtp.example.org",
            "EMAIL_FROM": "Coalition events <events@example.org>",
            "ATTENDEE_RETENTION_DAYS": "30",
        }
    )
    assert (mail.mail.host, mail.mail.port, mail.mail.tls, mail.mail.username, mail.mail.password) == (
        "smtp.example.org",
        465,
        True,
        "events@example.org",
        "p/ss",
    )
    assert mail.attendee_retention_days == 30
    assert (
        load_settings({**BASE, "SMTP_URL": "smtp://smtp.example.org", "EMAIL_FROM": "e@example.org"}).mail.port == 587
    )
