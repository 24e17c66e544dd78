"""`/digest`: a channel's daily digest of the next 7 days of actions, at a local time."""

from __future__ import annotations

import re
from datetime import time

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.common import command_help_text, user_profile
from messages import digest as render
from messages import help as help_text
from messages.mrkdwn import date_token, escape
from storage import scheduling
from timemath import ONE_DAY, is_valid_timezone, local_date

DEFAULT_TIME = "08:00"
TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def register(app: App) -> None:
    app.command("/digest")(digest_command)


def parse_time(text: str) -> tuple[int, int] | None:
    """`08:00`, `8:30`, `17:45`, `7am`, `6:30pm` -> (hour, minute); None if not a time of day."""
    match = TIME.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def digest_command(ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    text = (command.get("text") or "").strip()
    name, _, argument = text.partition(" ")
    name = name.lower()
    if not text or command_help_text(text):
        ack(blocks=help_text.digest_help(), text="How to use /digest")
    elif name == "subscribe":
        _subscribe(ack, command, argument, client, context, respond)
    elif name in ("unsubscribe", "stop"):
        with context["db"].session() as session:
            removed = scheduling.unsubscribe_digest(session, context.team_id, command["channel_id"])
        ack(text="Done: no more daily digest in this channel." if removed else "This channel has no daily digest. `/digest subscribe 08:00` starts one.")
    elif name == "now":
        ack()
        _post_now(command, client, context, respond)
    else:
        ack(text=f"I don't know `/digest {escape(name)}`. Try `/digest subscribe 08:00`, `/digest now` or `/digest help`.")


def _subscribe(ack: Ack, command: dict, argument: str, client: WebClient, context: BoltContext, respond: Respond) -> None:
    words = argument.split()
    quiet = any(w.lower() == "quiet" for w in words)
    rest = [w for w in words if w.lower() != "quiet"]
    if len(rest) > 1:
        rest = ["".join(rest)]  # "6:30 pm"
    parsed = parse_time(rest[0]) if rest else parse_time(DEFAULT_TIME)
    if parsed is None:
        ack(text=f"“{escape(' '.join(rest))}” isn't a time of day. Use 24-hour HH:MM, like `/digest subscribe 08:00` or `/digest subscribe 17:30 quiet`.")
        return
    if not command.get("channel_id", "").startswith(("C", "G")):
        ack(text="Subscribe a channel: run `/digest subscribe` in the channel that should get the digest.")
        return
    ack()
    wall = time(*parsed)
    tz = user_profile(client, command["user_id"]).get("tz") or context["default_timezone"]
    if not is_valid_timezone(tz):
        tz = context["default_timezone"]
    now = context["now"]()
    with context["db"].session() as session:
        subscription = scheduling.subscribe_digest(
            session, context.team_id, command["channel_id"], wall, tz, quiet, command["user_id"], now
        )
    next_run = date_token(subscription.next_run_at, "{date_short_pretty} at {time}", tz_name=tz)
    respond(text=render.subscribed_text(subscription.local_time, tz, next_run, quiet), response_type="in_channel")


def _post_now(command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    """Post the digest here now, in the subscription's zone (else the user's), quiet or not."""
    now = context["now"]()
    team_id, channel_id = context.team_id, command["channel_id"]
    with context["db"].session() as session:
        subscription = scheduling.get_digest(session, team_id, channel_id)
        events = scheduling.events_between(session, team_id, now, now + render.DAYS * ONE_DAY)
    tz = subscription.timezone if subscription else (user_profile(client, command["user_id"]).get("tz") or context["default_timezone"])
    try:
        for text, blocks in render.digest_messages(events, tz_name=tz, today=local_date(now, tz), quiet=False):
            client.chat_postMessage(channel=channel_id, text=text, blocks=blocks, unfurl_links=False)
    except SlackApiError as error:
        respond(text=f"I couldn't post the digest here ({error.response.get('error')}). Invite me with `/invite @Organizer Bot` and try again.")
