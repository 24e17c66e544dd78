"""`/congress`: members of Congress for a ZIP code, a state or a name, privately first, then "Post in channel";
and the event form's Members of Congress menu, searched as one types."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond

from handlers.common import command_help_text, services_of
from messages import congress as render
from messages import event_form
from messages import help as help_text
from messages.limits import SELECT_OPTIONS
from services import congress as workflows


def register(app: App) -> None:
    app.command("/congress")(congress_command)
    app.action(render.SHARE_ACTION)(share_button)
    app.options(event_form.CONGRESS)(member_options)


def _private(respond: Respond, text: str, blocks: list[dict] | None = None) -> None:
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


def congress_command(ack: Ack, command: dict, respond: Respond) -> None:
    text = " ".join((command.get("text") or "")[: render.QUERY_MAX * 4].split())
    if not text or command_help_text(text):
        ack(blocks=help_text.congress_help(), text=render.help_title())
        return
    ack()  # the first lookup of a process reads the members (~15 ms): answer through the response URL
    found = workflows.answer(text)
    if found is None:
        _private(respond, render.not_understood(text))
    elif found.no_district:
        _private(respond, render.no_district(found.no_district))
    else:
        for blocks in render.answer_messages(found):
            _private(respond, render.fallback_text(found), blocks)


def member_options(ack: Ack, payload: dict) -> None:
    """The event form's Members of Congress menu, as one types (block_suggestion)."""
    found = workflows.suggest(str(payload.get("value") or ""))
    ack(options=[event_form.member_option(member) for member in found[:SELECT_OPTIONS]])


def share_button(ack: Ack, body: dict, action: dict, context: BoltContext, respond: Respond) -> None:
    """Post the answer in the channel where it was shown privately, saying who shared it."""
    ack()
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    query = str(action.get("value") or "")
    if not channel_id or not workflows.share(services_of(context), context.team_id, channel_id, query, context.user_id):
        _private(respond, render.answer_gone())
