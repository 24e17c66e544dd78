"""`/digest`: a channel's daily digest of the next 7 days of actions, at a local time."""

from __future__ import annotations

import re
from datetime import time

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers.common import command_help_text, services_of
from messages import help as help_text
from messages import replies
from services import digests as workflows

DEFAULT_TIME = "08:00"
TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def register(app: App) -> None:
    app.command("/digest")(digest_command)


def parse_time(text: str) -> tuple[int, int] | None:
    """`08:00`, `8:30`, `17:45`, `7am`, `6:30pm` -> (hour, minute); None if not a time of day."""
    match = TIME.match(text.strip()[:10])
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
    services = services_of(context)
    channel_id = command.get("channel_id") or ""
    if not text or command_help_text(text):
        ack(blocks=help_text.digest_help(), text=replies.digest_help_title())
    elif name == "subscribe":
        _subscribe(ack, command, argument, client, context, respond)
    elif name in ("unsubscribe", "stop"):
        removed = workflows.unsubscribe(services, context.team_id, channel_id)
        ack(text=replies.digest_stopped() if removed else replies.digest_none())
    elif name == "now":
        ack()
        workflows.post_now(services, client, context.team_id, channel_id, context.user_id)
    else:
        ack(text=replies.unknown_digest_subcommand(name))


def _subscribe(
    ack: Ack, command: dict, argument: str, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    words = argument.split()[:4]
    quiet = any(w.lower() == "quiet" for w in words)
    rest = [w for w in words if w.lower() != "quiet"]
    if len(rest) > 1:
        rest = ["".join(rest)]  # "6:30 pm"
    parsed = parse_time(rest[0]) if rest else parse_time(DEFAULT_TIME)
    if parsed is None:
        ack(text=replies.not_a_time(" ".join(rest)))
        return
    if not (command.get("channel_id") or "").startswith(("C", "G")):
        ack(text=replies.digest_needs_channel())
        return
    ack()
    services = services_of(context)
    subscription = workflows.subscribe(
        services, client, context.team_id, command["channel_id"], context.user_id, time(*parsed), quiet
    )
    respond(text=workflows.confirmation(services, subscription), response_type="in_channel")
