"""Small helpers shared by listeners: who is asking, and answering them privately."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from storage.models import Event

log = logging.getLogger(__name__)


def user_profile(client: WebClient, user_id: str) -> dict:
    """`users.info` for one user; an empty dict if Slack will not say (the caller uses defaults)."""
    try:
        return client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        log.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return {}


def may_manage(client: WebClient, user_id: str, event: Event) -> bool:
    """The event's creator, or a workspace admin or owner, may edit and cancel it."""
    if event.created_by == user_id:
        return True
    profile = user_profile(client, user_id)
    return bool(profile.get("is_admin") or profile.get("is_owner"))


def direct_message(client: WebClient, user_id: str, text: str) -> None:
    """A DM from the bot, for news that has no interaction to answer (e.g. a card that failed to post)."""
    try:
        client.chat_postMessage(channel=user_id, text=text)
    except SlackApiError as error:
        log.warning("could not tell %s: %s", user_id, error.response.get("error"))


def command_help_text(text: str) -> bool:
    return text.strip().lower() in ("help", "-h", "--help", "?")
