"""Review of new events: the Approve and Reject buttons in the review channel, and the reject form."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from handlers.common import cannot_save, services_of
from messages import approval as render
from services import approval as workflows
from services.events import parse_event_id


def register(app: App) -> None:
    app.action(render.APPROVE_ACTION)(approve_button)
    app.action(render.REJECT_ACTION)(reject_button)
    app.view(render.REJECT_CALLBACK_ID)(reject_submitted)


def _private(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def approve_button(ack: Ack, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    """Acked first: whether the clicker is an admin is asked of Slack, now."""
    ack()
    _private(
        respond,
        workflows.approve(
            services_of(context), client, context.team_id, context.user_id, parse_event_id(action.get("value"))
        ),
    )


def reject_button(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    view = workflows.reject_form(
        services_of(context), client, context.team_id, context.user_id, parse_event_id(action.get("value"))
    )
    if isinstance(view, str):
        _private(respond, view)
    else:
        client.views_open(trigger_id=body.get("trigger_id", ""), view=view)


def reject_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """Decided before the ack: a refusal, or a decision someone else made first, shows in the form."""
    state = ((view.get("state") or {}).get("values") or {}).get(render.REASON_BLOCK) or {}
    reason = (state.get(render.REASON_BLOCK) or {}).get("value")
    try:
        errors = workflows.reject(
            services_of(context),
            client,
            context.team_id,
            context.user_id,
            parse_event_id(view.get("private_metadata")),
            reason if isinstance(reason, str) else "",
        )
    except SQLAlchemyError as error:  # a database that cannot save now: say so, with the form still open
        if (apology := cannot_save(error)) is None:
            raise
        ack(response_action="errors", errors={render.REASON_BLOCK: apology})
        return
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()
