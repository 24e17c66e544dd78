"""`/toolkit`: toolkit steps privately first, then "Post in channel"; topic buttons; team notes;
the event card's toolkit button."""

from __future__ import annotations

import re

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers.common import command_help_text, services_of
from messages import congress as congress_text
from messages import help as help_text
from messages import toolkit as render
from messages.content import POSTS_KIND
from messages.events import TOOLKIT_ACTION as EVENT_CARD_TOOLKIT_ACTION
from services import congress
from services import content as workflows
from storage.congress import ZipMembers
from storage.models import ContentTopic


def register(app: App) -> None:
    app.command("/toolkit")(toolkit_command)
    app.action(re.compile(f"^{render.OPEN_ACTION}"))(open_button)
    app.action(EVENT_CARD_TOOLKIT_ACTION)(open_button)
    app.action(render.SHARE_ACTION)(share_button)
    app.action(render.ADD_NOTE_ACTION)(add_note_button)
    app.view(render.NOTE_CALLBACK_ID)(note_submitted)


def _private(respond: Respond, text: str, blocks: list[dict] | None = None) -> None:
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


def _toolkits(topics: list[ContentTopic]) -> list[ContentTopic]:
    return [t for t in topics if t.kind != POSTS_KIND]


def _channel_of(body: dict) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


# --- /toolkit ---------------------------------------------------------------


def toolkit_command(ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    text = " ".join((command.get("text") or "")[: render.QUERY_MAX * 4].split())
    if command_help_text(text):
        ack(blocks=help_text.toolkit_help(), text=render.toolkit_help_usage())
        return
    ack()  # the content may need loading first: answer through the response URL
    topics = workflows.topics(services_of(context), context.team_id)
    word, _, rest = text.partition(" ")
    if word.lower() == "add":
        _add_note(client, command, respond, topics, rest)
    elif not text:
        for blocks in render.topic_list(_toolkits(topics)):
            _private(respond, render.toolkit_help_title(), blocks)
    else:
        _show_match(context, respond, topics, text)


def _show_match(context: BoltContext, respond: Respond, topics: list[ContentTopic], text: str) -> None:
    """A topic, and after it a ZIP code whose members of Congress the toolkit then lists: `calls 95356`."""
    query, zip_code = render.split_zip_code(text)
    callees = congress.members_of_zip(zip_code) if zip_code else None
    if zip_code and callees is None:
        _private(respond, congress_text.no_district(zip_code))
        return
    match = render.match_topic(query, topics)
    if match.topic is None:
        _private(respond, render.which_toolkit(), render.not_found(query, _toolkits(match.suggestions)))
    elif match.topic.kind == POSTS_KIND:
        _private(respond, render.sample_posts(), render.posts_hint(match.topic))
    else:
        _show(context, respond, match.topic.slug, callees)


def _show(context: BoltContext, respond: Respond, slug: str, callees: ZipMembers | None = None) -> None:
    topic, notes = workflows.topic(services_of(context), context.team_id, slug)
    if topic is None:
        _private(respond, render.toolkit_gone_list())
        return
    for blocks in render.toolkit_messages(topic, notes, callees=callees):
        _private(respond, render.fallback_text(topic), blocks)


def _add_note(client: WebClient, command: dict, respond: Respond, topics: list[ContentTopic], query: str) -> None:
    if not query.strip():
        _private(respond, render.which_toolkit_for_note())
        return
    match = render.match_topic(query, _toolkits(topics))
    if match.topic is None:
        _private(respond, render.which_toolkit(), render.not_found(query, match.suggestions))
        return
    client.views_open(trigger_id=command["trigger_id"], view=render.note_modal(match.topic, command.get("channel_id")))


# --- buttons ----------------------------------------------------------------


def open_button(ack: Ack, action: dict, context: BoltContext, respond: Respond) -> None:
    """A topic button in the list, a "did you mean" button, or the event card's toolkit button."""
    ack()
    _show(context, respond, str(action.get("value") or ""))


def share_button(ack: Ack, body: dict, action: dict, context: BoltContext, respond: Respond) -> None:
    """Post the toolkit in the channel where it was shown privately, saying who shared it."""
    ack()
    channel_id = _channel_of(body)
    slug, zip_code = render.split_zip_code(str(action.get("value") or ""))
    if not channel_id or not workflows.share_toolkit(
        services_of(context), context.team_id, channel_id, slug, context.user_id, zip_code
    ):
        _private(respond, render.toolkit_gone())


def add_note_button(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    topic, _ = workflows.topic(services_of(context), context.team_id, str(action.get("value") or ""))
    if topic is None:
        _private(respond, render.toolkit_gone())
        return
    client.views_open(
        trigger_id=body["trigger_id"], view=render.note_modal(topic, (body.get("channel") or {}).get("id"))
    )


def note_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    slug, channel_id = render.parse_note_metadata(view.get("private_metadata") or "")
    element = ((view.get("state") or {}).get("values") or {}).get(render.NOTE_BLOCK, {}).get(render.NOTE_BLOCK) or {}
    text = (element.get("value") or "").strip() if isinstance(element.get("value"), str) else ""
    if not text:
        ack(response_action="errors", errors={render.NOTE_BLOCK: render.write_the_note()})
        return
    topic = workflows.add_note(services_of(context), context.team_id, slug, text, context.user_id)
    if topic is None:
        ack(response_action="errors", errors={render.NOTE_BLOCK: render.toolkit_gone()})
        return
    ack()
    if channel_id:
        client.chat_postEphemeral(channel=channel_id, user=context.user_id, text=render.note_added_text(topic))
