"""The App Home: `app_home_opened` publishes the person's Home; its quick buttons open their
modals (with the click's trigger_id), its menus and page buttons publish it again at once."""

from __future__ import annotations

import re

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from handlers.common import services_of
from messages import home as render
from services import home as workflows


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
    app.action(render.NEW_EVENT_ACTION)(new_event_button)
    app.action(render.NEAR_ACTION)(near_button)
    app.action(render.TOOLKITS_ACTION)(toolkits_button)
    app.action(render.POSTS_ACTION)(posts_button)
    app.action(render.LANGUAGE_ACTION)(language_menu)
    app.action(render.CAMPAIGN_ACTION)(campaign_menu)
    app.action(re.compile(f"^{render.PAGE_ACTION}_"))(page_button)
    app.action(re.compile(f"^{render.TOOLKIT_OPEN_ACTION}_"))(toolkit_button)
    app.action(re.compile(f"^{render.NEAR_PAGE_ACTION}_"))(near_page_button)
    app.view(render.NEAR_CALLBACK_ID)(near_submitted)


def home_opened(ack: Ack, event: dict, client: WebClient, context: BoltContext) -> None:
    """Slack sends it for the Messages tab too: only the Home tab is drawn. Delivered again
    (Slack retries), it publishes the same Home again."""
    ack()
    if event.get("tab") == "home":
        _publish(client, context, workflows.opened(services_of(context), client, context.team_id, context.user_id))


def _publish(client: WebClient, context: BoltContext, view: dict | None) -> None:
    if view is not None:
        client.views_publish(user_id=context.user_id, view=view)


def _selected(action: dict) -> str | None:
    value = (action.get("selected_option") or {}).get("value")
    return value if isinstance(value, str) else None


# --- the quick buttons: modals ----------------------------------------------------------------------


def new_event_button(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    view = workflows.new_event_form(services_of(context), client, context.team_id, context.user_id)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def near_button(ack: Ack, body: dict, client: WebClient) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=workflows.near_form())


def toolkits_button(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=workflows.toolkits(services_of(context), context.team_id))


def posts_button(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=workflows.sample_posts(services_of(context), context.team_id))


def toolkit_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    """A toolkit of the Toolkits modal: its steps, pushed over the list."""
    ack()
    view = workflows.toolkit(services_of(context), context.team_id, str(action.get("value") or ""))
    if view is not None:
        client.views_push(trigger_id=body["trigger_id"], view=view)


# --- events near me -----------------------------------------------------------------------------------


def near_submitted(ack: Ack, view: dict, context: BoltContext) -> None:
    """Searched before the ack (a place lookup and one query): the modal is answered with the events."""
    place_text, radius = render.near_search(view)
    if not place_text or radius is None:
        ack(response_action="errors", errors={render.NEAR_PLACE: render.type_a_place()})
        return
    answered = workflows.near_answer(services_of(context), context.team_id, context.user_id, place_text, radius)
    if answered is None:
        ack(response_action="errors", errors={render.NEAR_PLACE: render.unknown_place(place_text)})
    else:
        ack(response_action="update", view=answered)


def near_page_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    shown = body.get("view") or {}
    place_text, radius = render.near_searched(shown)
    if not place_text or radius is None:
        return  # not a modal of ours
    answered = workflows.near_answer(
        services_of(context),
        context.team_id,
        context.user_id,
        place_text,
        radius,
        render.near_page_start(action.get("value")),
    )
    if answered is not None:
        client.views_update(view_id=shown.get("id"), hash=shown.get("hash"), view=answered)


# --- menus and pages: the Home again ---------------------------------------------------------------


def language_menu(ack: Ack, action: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    _publish(
        client,
        context,
        workflows.choose_language(services_of(context), client, context.team_id, context.user_id, _selected(action)),
    )


def campaign_menu(ack: Ack, action: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    _publish(
        client,
        context,
        workflows.choose_campaign(services_of(context), client, context.team_id, context.user_id, _selected(action)),
    )


def page_button(ack: Ack, action: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    _publish(
        client,
        context,
        workflows.turn_page(services_of(context), client, context.team_id, context.user_id, action.get("value")),
    )
