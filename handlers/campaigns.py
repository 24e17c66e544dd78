"""`/campaign`: create, list, show and edit weeks and days of action; the campaign modal."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from handlers.common import cannot_save, command_help_text, services_of
from messages import campaigns as render
from messages import help as help_text
from services import campaigns as workflows


def register(app: App) -> None:
    app.command("/campaign")(campaign_command)
    app.view(render.CALLBACK_ID)(campaign_form_submitted)


def campaign_command(ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    text = " ".join((command.get("text") or "").split())
    name, _, argument = text.partition(" ")
    subcommand = SUBCOMMANDS.get(name.lower())
    if subcommand is None:
        if command_help_text(text) or not text:
            _help(ack)
        else:
            ack(text=render.unknown_campaign_subcommand(name))
        return
    subcommand(ack=ack, command=command, argument=argument, client=client, context=context, respond=respond)


def _new(ack: Ack, command: dict, client: WebClient, **_) -> None:
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=workflows.new_form())


def _list(ack: Ack, context: BoltContext, **_) -> None:
    ack(blocks=workflows.list_blocks(services_of(context), context.team_id), text=render.list_title())


def _show(ack: Ack, argument: str, context: BoltContext, **_) -> None:
    shown = workflows.page(services_of(context), context.team_id, context.user_id, context.channel_id, argument)
    if isinstance(shown, str):
        ack(text=shown)
    else:
        ack(blocks=shown, text=render.show_title())


def _edit(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()  # whether the user is an admin takes a Slack call, which must come after the ack
    view = workflows.edit_form(services_of(context), client, context.team_id, context.user_id, argument)
    if isinstance(view, str):
        respond(text=view, response_type="ephemeral")
    else:
        client.views_open(trigger_id=command["trigger_id"], view=view)


def _report(ack: Ack, argument: str, command: dict, context: BoltContext, **_) -> None:
    """Posted in the channel through the outbox; answered here only in a DM, or to correct the name."""
    answer = workflows.report(
        services_of(context), context.team_id, context.user_id, command.get("channel_id"), argument
    )
    if answer is None:
        ack()
    else:
        ack(text=answer)


def _help(ack: Ack, **_) -> None:
    ack(blocks=help_text.campaign_help(), text=render.campaign_help_title())


SUBCOMMANDS: dict[str, Callable[..., None]] = {
    "new": _new,
    "list": _list,
    "show": _show,
    "edit": _edit,
    "report": _report,
    "help": _help,
}


def campaign_form_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """Saved before the ack: if the database fails, the modal stays open with the input intact."""
    try:
        result = workflows.submit(services_of(context), client, context.team_id, context.user_id, view)
    except SQLAlchemyError as error:  # a database that cannot save now: say so, with the form still open
        if (apology := cannot_save(error)) is None:
            raise
        ack(response_action="errors", errors={render.NAME: apology})
        return
    if result.errors:
        ack(response_action="errors", errors=result.errors)
    elif result.view:
        ack(response_action="update", view=result.view)
    else:
        ack()
