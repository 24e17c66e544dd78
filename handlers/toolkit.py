"""`/toolkit`: toolkit steps privately first, then "Post in channel"; topic buttons; team notes;
the event card's toolkit button."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.common import cannot_post_text, command_help_text, ensure_team_content, post_in_channel, tell_user
from messages import help as help_text
from messages import toolkit as render
from messages.content import POSTS_KIND
from messages.events import TOOLKIT_ACTION as EVENT_CARD_TOOLKIT_ACTION
from storage import content as queries
from storage.models import ContentNote, ContentTopic

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.command("/toolkit")(toolkit_command)
    app.action(re.compile(f"^{render.OPEN_ACTION}"))(open_button)
    app.action(EVENT_CARD_TOOLKIT_ACTION)(open_button)
    app.action(render.SHARE_ACTION)(share_button)
    app.action(render.ADD_NOTE_ACTION)(add_note_button)
    app.view(render.NOTE_CALLBACK_ID)(note_submitted)


def _private(respond: Respond, messages: list[list[dict]], text: str) -> None:
    for blocks in messages:
        respond(blocks=blocks, text=text, response_type="ephemeral", replace_original=False)


def _all_topics(context: BoltContext, team_id: str) -> list[ContentTopic]:
    ensure_team_content(context["db"], team_id)
    with context["db"].session() as session:
        return queries.topics(session, team_id)


def _topic(context: BoltContext, team_id: str, slug: str) -> tuple[ContentTopic | None, list[ContentNote]]:
    ensure_team_content(context["db"], team_id)
    with context["db"].session() as session:
        topic = queries.get_topic(session, team_id, slug)
        return topic, queries.notes(session, team_id, slug) if topic else []


def _toolkits(topics: list[ContentTopic]) -> list[ContentTopic]:
    return [t for t in topics if t.kind != POSTS_KIND]


# --- /toolkit ---------------------------------------------------------------


def toolkit_command(ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    text = " ".join((command.get("text") or "").split())
    if command_help_text(text):
        ack(blocks=help_text.toolkit_help(), text="How to use /toolkit")
        return
    ack()  # the content may need loading first: answer through the response URL
    team_id = context.team_id
    topics = _all_topics(context, team_id)
    word, _, rest = text.partition(" ")
    if word.lower() == "add":
        _add_note(client, command, respond, topics, rest)
    elif not text:
        _private(respond, render.topic_list(_toolkits(topics)), "Toolkits")
    else:
        _show_match(context, team_id, respond, topics, text)


def _show_match(context: BoltContext, team_id: str, respond: Respond, topics: list[ContentTopic], query: str) -> None:
    match = render.match_topic(query, topics)
    if match.topic is None:
        suggestions = _toolkits(match.suggestions)
        respond(blocks=render.not_found(query, suggestions), text="Which toolkit?", response_type="ephemeral", replace_original=False)
    elif match.topic.kind == POSTS_KIND:
        respond(blocks=render.posts_hint(match.topic), text="Sample posts", response_type="ephemeral", replace_original=False)
    else:
        _show(context, team_id, respond, match.topic.slug)


def _show(context: BoltContext, team_id: str, respond: Respond, slug: str) -> None:
    topic, notes = _topic(context, team_id, slug)
    if topic is None:
        respond(text="That toolkit is no longer available. Type `/toolkit` to see them all.", response_type="ephemeral", replace_original=False)
        return
    _private(respond, render.toolkit_messages(topic, notes), render.fallback_text(topic))


def _add_note(client: WebClient, command: dict, respond: Respond, topics: list[ContentTopic], query: str) -> None:
    if not query.strip():
        respond(text="Which toolkit is your note for? For example `/toolkit add prayer vigil`.", response_type="ephemeral")
        return
    match = render.match_topic(query, _toolkits(topics))
    if match.topic is None:
        respond(blocks=render.not_found(query, match.suggestions), text="Which toolkit?", response_type="ephemeral")
        return
    client.views_open(trigger_id=command["trigger_id"], view=render.note_modal(match.topic, command.get("channel_id")))


# --- buttons ----------------------------------------------------------------


def open_button(ack: Ack, action: dict, context: BoltContext, respond: Respond) -> None:
    """A topic button in the list, a "did you mean" button, or the event card's toolkit button."""
    ack()
    _show(context, context.team_id, respond, action["value"])


def share_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    """Post the toolkit in the channel where it was shown privately, saying who shared it."""
    ack()
    user_id = body["user"]["id"]
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    topic, notes = _topic(context, context.team_id, action["value"])
    if topic is None or not channel_id:
        respond(text="That toolkit is no longer available.", response_type="ephemeral", replace_original=False)
        return
    try:
        for blocks in render.toolkit_messages(topic, notes, shared_by=user_id):
            post_in_channel(client, channel_id, blocks=blocks, text=render.fallback_text(topic))
    except SlackApiError as error:
        respond(text=cannot_post_text(channel_id, error), response_type="ephemeral", replace_original=False)


def add_note_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    topic, _ = _topic(context, context.team_id, action["value"])
    if topic is None:
        respond(text="That toolkit is no longer available.", response_type="ephemeral", replace_original=False)
        return
    channel_id = (body.get("channel") or {}).get("id")
    client.views_open(trigger_id=body["trigger_id"], view=render.note_modal(topic, channel_id))


def note_submitted(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    team_id = context.team_id
    user_id = body["user"]["id"]
    slug, channel_id = render.parse_note_metadata(view.get("private_metadata") or "")
    value = view["state"]["values"].get(render.NOTE_BLOCK, {}).get(render.NOTE_BLOCK, {}).get("value") or ""
    text = value.strip()
    if not text:
        ack(response_action="errors", errors={render.NOTE_BLOCK: "Write the note you want to add."})
        return
    with context["db"].session() as session:
        topic = queries.get_topic(session, team_id, slug)
        if topic is None:
            ack(response_action="errors", errors={render.NOTE_BLOCK: "That toolkit is no longer available."})
            return
        queries.add_note(session, team_id, slug, text, user_id, context["now"]())
    ack()
    tell_user(client, user_id, render.note_added_text(topic), channel_id)
