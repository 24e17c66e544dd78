"""Settings: defaults, and one clear line for each thing a newcomer can get wrong."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings, normalize_database_url

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


def test_defaults_follow_the_design():
    settings = load_settings(dict(BASE))
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///organizer-bot.db"
    assert (settings.port, settings.run_scheduler, settings.reminder_poll_seconds) == (3000, True, 30)
    assert settings.default_timezone == "America/New_York"
    assert settings.listener_threads > 5 and not settings.socket_mode


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
    ],
)
def test_bad_configuration_gets_one_clear_line(env, message):
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert message in str(error.value) and "\n" not in str(error.value)


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


def test_api_url_gets_its_trailing_slash():
    assert load_settings({**BASE, "SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url == "http://127.0.0.1:9/api/"
