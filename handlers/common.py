"""Small helpers shared by listeners: who is asking, and answering them privately."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from messages.content import shipped_topics
from storage import Database
from storage import content as content_queries
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


def tell_user(client: WebClient, user_id: str, text: str, channel_id: str | None = None) -> None:
    """A private note: ephemeral in the channel where they acted, else a DM from the bot."""
    try:
        if channel_id:
            client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
        else:
            client.chat_postMessage(channel=user_id, text=text)
    except SlackApiError as error:
        log.warning("could not tell %s: %s", user_id, error.response.get("error"))


def command_help_text(text: str) -> bool:
    return text.strip().lower() in ("help", "-h", "--help", "?")


def ensure_team_content(db: Database, team_id: str) -> None:
    """Load the shipped toolkits and sample posts the first time a team uses them."""
    with db.session() as session:
        if content_queries.ensure_content(session, team_id, shipped_topics()):
            log.info("loaded the shipped content for team %s", team_id)


def post_in_channel(client: WebClient, channel_id: str, **message) -> dict:
    """chat.postMessage; if the bot is not in the channel, join it (public channels) and try again.

    Raises SlackApiError when it still cannot post; the caller tells the user.
    """
    try:
        return client.chat_postMessage(channel=channel_id, unfurl_links=False, **message)
    except SlackApiError as error:
        if error.response.get("error") != "not_in_channel":
            raise
        client.conversations_join(channel=channel_id)
        return client.chat_postMessage(channel=channel_id, unfurl_links=False, **message)


def cannot_post_text(channel_id: str, error: SlackApiError) -> str:
    reason = error.response.get("error")
    if reason in ("not_in_channel", "channel_not_found", "method_not_supported_for_channel_type", "missing_scope"):
        return f"I can't post in <#{channel_id}> ({reason}). Invite me with `/invite @Organizer Bot` and try again."
    return f"I couldn't post in <#{channel_id}> ({reason}). Please try again in a moment."
