"""The app manifest validates against Slack's published schema and matches what the app handles."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from bot.manifest import build_manifest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "vendor" / "slack" / "manifest.schema.1.0.0.json"  # Slack's, MIT


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("url", [None, "https://bot.example.org"])
def test_manifest_is_valid(validator, url):
    errors = sorted(validator.iter_errors(build_manifest(url)), key=str)
    assert not errors, "\n".join(e.message for e in errors)


def test_repository_manifest_is_the_generated_one():
    assert json.loads((ROOT / "manifest.json").read_text()) == build_manifest(None), (
        "run: organizer-bot manifest > manifest.json"
    )


def test_http_manifest_sends_everything_to_one_url():
    manifest = build_manifest("https://bot.example.org/")
    url = "https://bot.example.org/slack/events"
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert all(command["url"] == url for command in manifest["features"]["slash_commands"])
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert build_manifest(None)["settings"]["socket_mode_enabled"] is True


def test_http_manifest_takes_installs_back_to_the_redirect_url_org_wide_ones_too():
    manifest = build_manifest("https://bot.example.org/")
    assert manifest["oauth_config"]["redirect_urls"] == ["https://bot.example.org/slack/oauth_redirect"]
    assert manifest["settings"]["org_deploy_enabled"] is True
    assert "redirect_urls" not in build_manifest(None)["oauth_config"]  # Socket Mode: one workspace


def test_manifest_subscribes_to_the_events_the_app_handles():
    """What the app does on them: tests/test_home_e2e.py, tests/test_installs.py and tests/test_workspaces.py."""
    for url in (None, "https://bot.example.org"):
        assert build_manifest(url)["settings"]["event_subscriptions"]["bot_events"] == [
            "app_home_opened",
            "app_uninstalled",
            "tokens_revoked",
        ]


def test_manifest_enables_the_home_tab_and_keeps_the_messages_tab_for_dms():
    assert build_manifest(None)["features"]["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": True,
    }


def test_manifest_declares_every_command_and_shortcut_the_app_listens_to(bot):
    manifest = build_manifest(None)
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    shortcuts = {s["callback_id"]: s["type"] for s in manifest["features"]["shortcuts"]}
    for command in commands:  # each declared command answers its help
        assert command in bot.command(command, "help").text
    for callback_id, kind in shortcuts.items():
        if kind == "message":
            reply = bot.message_shortcut(callback_id, {"type": "message", "user": "U2", "ts": "1.000001", "text": "hi"})
        else:
            reply = bot.shortcut(callback_id)
        assert reply.status == 200
    assert (
        "/event" in commands and {"new_event": "global", "event_from_message": "message"}.items() <= shortcuts.items()
    )
