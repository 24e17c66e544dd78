"""The Slack app manifest: every command, shortcut, event and scope the bot uses.

Without a URL the manifest selects Socket Mode (no public address needed); with one,
Slack sends commands, interactivity and events to `<url>/slack/events`, and installs from
other workspaces (SLACK_CLIENT_ID) come back to `<url>/slack/oauth_redirect`, org-wide ones
from Enterprise Grid organizations included.
"""

from __future__ import annotations

import json

from bot.server import INSTALL_PATHS, SLACK_PATH

COMMANDS = [
    # should_escape: a channel or person picked while typing arrives as an id (`/event review on #x`, `/event trust @y`).
    {
        "command": "/event",
        "description": "Register, list and manage coalition events",
        "should_escape": True,
        "usage_hint": "new | list [rally|CA|city Denver|#Hashtag] | near 95356 [100 mi] | mine | show 12 | edit 12 | cancel 12 | report 12 | review | export [campaign] | help",
    },
    {
        "command": "/campaign",
        "description": "Weeks and days of action: dates, hashtags, call to action, events",
        "usage_hint": "list | show <name> | new | edit <name> | report <name> | help",
    },
    {
        "command": "/toolkit",
        "description": "Toolkit steps: press conference, vigil, congressional visit, asks, messages",
        "usage_hint": "[topic] | asks | messages | calls | add <topic> | help",
    },
    {
        "command": "/posts",
        "description": "Post sample tweets and Facebook posts in the channel, ready to share",
        "usage_hint": "tweets | facebook [@YourOfficial] [#hashtag|campaign] | add | help",
    },
    {
        "command": "/congress",
        "description": "Your members of Congress by ZIP code: phones, offices, handles",
        "usage_hint": "95356 | CA | Padilla | help",
    },
    {
        "command": "/digest",
        "description": "Daily digest of the next 7 days of actions in this channel",
        "usage_hint": "subscribe [HH:MM] [quiet] | unsubscribe | now | help",
    },
]

SHORTCUTS = [
    {
        "name": "New event",
        "type": "global",
        "callback_id": "new_event",
        "description": "Register a rally, vigil, town hall or other action",
    },
    # Slack allows 24 characters for a name: the description says it whole.
    {
        "name": "Make event from message",
        "type": "message",
        "callback_id": "event_from_message",
        "description": "Make an event from this message: the event form, filled in from a listing (date, place, contact)",
    },
]

BOT_SCOPES = [
    "commands",  # slash commands and shortcuts
    "chat:write",  # announcement cards, thread notices
    "chat:write.public",  # announce in public channels the bot has not joined
    "channels:join",  # join a public channel before posting when chat:write.public is not enough
    "users:read",  # the organizer's time zone and admin status
    "channels:read",  # whether the channel an event is announced in is private
    "groups:read",
    "users:read.email",  # prefill the lead contact email
    "im:write",  # DM an organizer when their card could not be posted; reminders by DM to those going
    "files:write",  # /event export: the CSV, shared in its requester's DM
    # Read back the bot's own recent posts: before re-sending a post whose reply was lost, the
    # outbox looks for it by the key in its message metadata, so nothing is posted twice.
    "channels:history",
    "groups:history",
    "im:history",
    "mpim:history",
]

# The App Home (handlers.home), and the app's own lifecycle in each workspace (handlers.installs):
# stop work, delete data later.
BOT_EVENTS: list[str] = ["app_home_opened", "app_uninstalled", "tokens_revoked"]


def build_manifest(url: str | None = None) -> dict:
    request_url = f"{url.rstrip('/')}{SLACK_PATH}" if url else None
    commands = [dict(c, url=request_url) if request_url else dict(c) for c in COMMANDS]
    settings: dict = {
        "interactivity": {"is_enabled": True, **({"request_url": request_url} if request_url else {})},
        # Org-wide installs come through the OAuth flow, which needs the public URL.
        "org_deploy_enabled": request_url is not None,
        "socket_mode_enabled": request_url is None,
        "token_rotation_enabled": False,
    }
    if BOT_EVENTS:
        settings["event_subscriptions"] = {
            "bot_events": BOT_EVENTS,
            **({"request_url": request_url} if request_url else {}),
        }
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Organizer Bot",
            "description": "Register actions, share toolkits and sample posts, remind people before each event.",
            "background_color": "#1d4e89",
        },
        "features": {
            "bot_user": {"display_name": "Organizer Bot", "always_online": True},
            # The Home tab (handlers.home); the Messages tab keeps the bot's DMs (reminders, notices).
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "shortcuts": SHORTCUTS,
            "slash_commands": commands,
        },
        "oauth_config": {
            **({"redirect_urls": [f"{url.rstrip('/')}{INSTALL_PATHS[1]}"]} if url else {}),
            "scopes": {"bot": BOT_SCOPES},
        },
        "settings": settings,
    }


def manifest_json(url: str | None = None) -> str:
    return json.dumps(build_manifest(url), indent=2) + "\n"
