"""`/event`: register, list, show, edit and cancel events, one's own (`mine`), their review (`review`, `trust`)
and reports (`report`); the "New event" shortcut; card buttons; the report form."""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from handlers.common import cannot_save, command_help_text, services_of
from messages import approval as approval_text
from messages import event_form as form
from messages import events as render
from messages import help as help_text
from messages import languages as language_text
from messages import reminders as reminder_render
from messages import replies
from messages import reports as report_text
from messages.i18n import current_language, speaking
from services import approval, exports, languages, permissions, places, reports
from services import events as workflows

NEW_EVENT_SHORTCUT = "new_event"
EVENT_FROM_MESSAGE_SHORTCUT = "event_from_message"


def register(app: App) -> None:
    app.command("/event")(event_command)
    app.shortcut(NEW_EVENT_SHORTCUT)(new_event_shortcut)
    app.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT)(event_from_message_shortcut)
    app.view(form.CALLBACK_ID)(event_form_submitted)
    app.action(render.EDIT_ACTION)(edit_button)
    app.action(render.CANCEL_ACTION)(cancel_button)
    app.action(render.RSVP_ACTION)(rsvp_button)
    app.action(reminder_render.CANT_MAKE_IT_ACTION)(cant_make_it_button)
    for link in (reminder_render.OPEN_CARD_ACTION, reminder_render.MAP_ACTION):
        app.action(link)(lambda ack: ack())
    # A link button still sends an action; acking it keeps Slack from showing a warning.
    app.action(render.CALENDAR_ACTION)(lambda ack: ack())
    app.action(re.compile(f"^{render.LIST_PAGE_ACTION}"))(list_page_button)
    app.action(report_text.REPORT_ACTION)(report_button)
    app.view(report_text.REPORT_CALLBACK_ID)(report_submitted)
    app.action(re.compile(f"^{render.NEAR_PAGE_ACTION}"))(near_page_button)


# --- /event -----------------------------------------------------------------


def event_command(ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    text = (command.get("text") or "").strip()
    name, _, argument = text.partition(" ")
    subcommand = SUBCOMMANDS.get(name.lower())
    if subcommand is None:
        if command_help_text(text) or not text:
            ack(blocks=help_text.event_help(), text=replies.event_help_title())
        else:
            ack(text=replies.unknown_event_subcommand(name))
        return
    subcommand(ack=ack, command=command, argument=argument.strip(), client=client, context=context, respond=respond)


def _new(ack: Ack, command: dict, client: WebClient, context: BoltContext, **_) -> None:
    ack()
    view = workflows.new_form(
        services_of(context), client, context.team_id, command["user_id"], command.get("channel_id")
    )
    client.views_open(trigger_id=command["trigger_id"], view=view)


def _list(ack: Ack, argument: str, context: BoltContext, **_) -> None:
    services = services_of(context)
    audience = permissions.audience(services, context.team_id, context.user_id, context.channel_id, context.client)
    page = workflows.list_page(services, context.team_id, 0, argument, audience)
    if isinstance(page, str):
        ack(text=page)
        return
    ack(blocks=render.event_list(page), text=replies.upcoming_title())


def _mine(ack: Ack, context: BoltContext, **_) -> None:
    ack(blocks=workflows.mine(services_of(context), context.team_id, context.user_id), text=replies.mine_title())


def _near(ack: Ack, argument: str, context: BoltContext, **_) -> None:
    place_text, radius = parse_near(argument)
    if not place_text or command_help_text(place_text):
        ack(text=replies.near_usage())
    elif not 0 < radius <= places.MAX_RADIUS_MILES:
        ack(text=replies.radius_out_of_range(place_text, places.MAX_RADIUS_MILES))
    elif (page := _near_page(context, place_text, radius, 0)) is None:
        ack(text=replies.unknown_place(place_text))
    else:
        ack(blocks=render.near_list(page), text=render.near_title(page))


def _near_page(context: BoltContext, place_text: str, radius: int, offset: int) -> render.NearPage | None:
    services = services_of(context)
    audience = permissions.audience(services, context.team_id, context.user_id, context.channel_id, context.client)
    return workflows.near(services, context.team_id, place_text, radius, audience, offset=offset)


def _show(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    services = services_of(context)
    event_id = workflows.parse_event_id(argument)
    event = workflows.find(
        services,
        context.team_id,
        event_id,
        permissions.audience(services, context.team_id, context.user_id, context.channel_id, context.client),
    )
    if event is None:
        ack(
            text=replies.which_event("/event show 12") if event_id is None else replies.no_such_event(event_id)
        )  # untranslated: a command, typed as is
        return
    if event.created_by == context.user_id:  # the creator's view needs no Slack call: answer at once
        ack(
            blocks=workflows.detail(services_of(context), client, event, context.user_id),
            text=render.fallback_text(event),
        )
        return
    # Whether someone else is an admin takes a Slack call, which must come after the ack.
    ack()
    respond(
        blocks=workflows.detail(services_of(context), client, event, context.user_id), text=render.fallback_text(event)
    )


def _edit(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    event_id = workflows.parse_event_id(argument)
    if event_id is None:
        ack(text=replies.which_event("/event edit 12"))  # untranslated: a command, typed as is
        return
    ack()
    _open_edit_form(client, context, command["user_id"], command["trigger_id"], event_id, respond)


def _cancel(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    event_id = workflows.parse_event_id(argument)
    if event_id is None:
        ack(text=replies.which_event("/event cancel 12"))  # untranslated: a command, typed as is
        return
    ack()
    respond(text=workflows.cancel(services_of(context), client, context.team_id, command["user_id"], event_id))


def _export(ack: Ack, argument: str, context: BoltContext, **_) -> None:
    """One quick write before the ack (the request); the CSV is built and sent by the outbox."""
    ack(text=exports.request(services_of(context), context.team_id, context.user_id, argument))


def _report(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    event_id = workflows.parse_event_id(argument)
    if event_id is None:
        ack(text=replies.which_event("/event report 12"))  # untranslated: a command, typed as is
        return
    ack()
    _open_report_form(client, context, command["trigger_id"], event_id, respond)


def _review(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    """`/event review` shows the state; `on #channel` and `off` change it (admins, checked after the ack)."""
    services = services_of(context)
    word, _, rest = argument.partition(" ")
    word = word.lower()
    if not word:
        ack(text=approval.status(services, context.team_id))
    elif word == "on":
        channel_id = parse_channel(rest.strip() or command.get("channel_id") or "")  # the current channel by default
        if channel_id is None:
            ack(text=approval_text.review_needs_channel())
            return
        ack()
        respond(text=approval.turn_on(services, client, context.team_id, context.user_id, channel_id))
    elif word == "off":
        ack()
        respond(text=approval.turn_off(services, client, context.team_id, context.user_id))
    else:
        ack(text=replies.bad_review_argument(argument))


def _trust(ack: Ack, argument: str, client: WebClient, context: BoltContext, respond: Respond, **_) -> None:
    _change_trust(ack, argument, client, context, respond, approval.trust)


def _untrust(ack: Ack, argument: str, client: WebClient, context: BoltContext, respond: Respond, **_) -> None:
    _change_trust(ack, argument, client, context, respond, approval.untrust)


def _change_trust(
    ack: Ack, argument: str, client: WebClient, context: BoltContext, respond: Respond, change: Callable
) -> None:
    host = parse_user(argument)
    if host is None:
        ack(text=approval_text.which_person())
        return
    ack()
    respond(text=change(services_of(context), client, context.team_id, context.user_id, host))


def _help(ack: Ack, **_) -> None:
    ack(blocks=help_text.event_help(), text=replies.event_help_title())


def _language(ack: Ack, argument: str, command: dict, context: BoltContext, respond: Respond, **_) -> None:
    """`/event language [en|es]`: what this channel's posts are written in, and the person's own."""
    services = services_of(context)
    channel_id = command.get("channel_id") or ""
    in_channel = channel_id.startswith(("C", "G"))
    if not argument or command_help_text(argument):
        chosen = languages.chosen_by(services, context.team_id, context.user_id)
        channel_language = languages.of_channel(services, context.team_id, channel_id) if in_channel else None
        ack(text=language_text.where_things_stand(channel_language, current_language(), chosen is not None))
    elif (language := languages.named(argument)) is None:
        ack(text=language_text.unknown_language(argument))
    elif not in_channel:
        ack(text=language_text.needs_channel())
    else:
        ack()
        languages.set_for_channel(services, context.team_id, channel_id, context.user_id, language)
        with speaking(language):
            respond(text=language_text.channel_language_set(context.user_id, language), response_type="in_channel")


SUBCOMMANDS: dict[str, Callable[..., None]] = {
    "new": _new,
    "list": _list,
    "mine": _mine,
    "near": _near,
    "show": _show,
    "edit": _edit,
    "cancel": _cancel,
    "export": _export,
    "report": _report,
    "review": _review,
    "trust": _trust,
    "untrust": _untrust,
    "language": _language,
    "help": _help,
}

# As Slack sends a channel or a person picked while typing (`<#C123|name>`, `<@U123|name>`), or a bare id.
CHANNEL = re.compile(r"<#([CG][A-Z0-9]{1,30})(?:\|[^>]*)?>|([CG][A-Z0-9]{1,30})")
USER = re.compile(r"<@([UW][A-Z0-9]{1,30})(?:\|[^>]*)?>|([UW][A-Z0-9]{1,30})")


def parse_channel(text: str) -> str | None:
    match = CHANNEL.fullmatch(text.strip())
    return (match.group(1) or match.group(2)) if match else None


def parse_user(text: str) -> str | None:
    match = USER.fullmatch(text.strip())
    return (match.group(1) or match.group(2)) if match else None


NEAR_RADIUS = re.compile(r"(?P<place>.*?)\s+(?P<miles>[0-9]{1,6})\s*(?:mi|miles?)\.?", re.IGNORECASE)


def parse_near(argument: str) -> tuple[str, int]:
    """`95356 100 mi` -> ("95356", 100); without a radius (`Denver, CO`), the default one."""
    text = " ".join(argument.split())
    if match := NEAR_RADIUS.fullmatch(text):
        return match["place"], int(match["miles"])
    return text, places.DEFAULT_RADIUS_MILES


# --- the modal --------------------------------------------------------------


def new_event_shortcut(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    view = workflows.new_form(services_of(context), client, context.team_id, context.user_id, None)
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


def event_from_message_shortcut(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext) -> None:
    """ "Make an event from this message": the modal, filled in from the listing in the message."""
    ack()
    message = shortcut.get("message") or {}
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    view = workflows.form_from_message(
        services_of(context), client, context.team_id, context.user_id, context.channel_id, text
    )
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


def _open_edit_form(
    client: WebClient, context: BoltContext, user_id: str, trigger_id: str, event_id: int | None, respond: Respond
) -> None:
    view = workflows.edit_form(services_of(context), client, context.team_id, user_id, event_id)
    if isinstance(view, str):
        respond(text=view, replace_original=False)
    else:
        client.views_open(trigger_id=trigger_id, view=view)


def _open_report_form(
    client: WebClient, context: BoltContext, trigger_id: str, event_id: int | None, respond: Respond
) -> None:
    view = reports.report_form(services_of(context), client, context.team_id, context.user_id, event_id)
    if isinstance(view, str):
        respond(text=view, replace_original=False)
    else:
        client.views_open(trigger_id=trigger_id, view=view)


def event_form_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """Saved before the ack: if the database fails, the modal stays open with the input intact."""
    try:
        result = workflows.submit(services_of(context), client, context.team_id, context.user_id, view)
    except SQLAlchemyError as error:  # a database that cannot save now: say so, with the form still open
        if (apology := cannot_save(error)) is None:
            raise
        ack(response_action="errors", errors={form.TITLE: apology})
        return
    if result.errors:
        ack(response_action="errors", errors=result.errors)
    else:
        ack()


# --- card and list buttons --------------------------------------------------


def edit_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    event_id = workflows.parse_event_id(action.get("value"))
    _open_edit_form(client, context, context.user_id, body.get("trigger_id", ""), event_id, respond)


def cancel_button(ack: Ack, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    event_id = workflows.parse_event_id(action.get("value"))
    respond(
        text=workflows.cancel(services_of(context), client, context.team_id, context.user_id, event_id),
        replace_original=False,
    )


def rsvp_button(ack: Ack, action: dict, context: BoltContext, respond: Respond) -> None:
    """Saved before the ack (one quick write), so a second click is handled after the first."""
    event_id = workflows.parse_event_id(action.get("value"))
    text = workflows.toggle_rsvp(services_of(context), context.team_id, context.user_id, event_id)
    ack()
    respond(text=text, replace_original=False)


def cant_make_it_button(ack: Ack, action: dict, context: BoltContext, respond: Respond) -> None:
    """In a reminder or change DM: saved before the ack, as "I'm going" is."""
    event_id = workflows.parse_event_id(action.get("value"))
    text = workflows.cant_make_it(services_of(context), context.team_id, context.user_id, event_id)
    ack()
    respond(text=text, replace_original=False)


def list_page_button(ack: Ack, action: dict, context: BoltContext, respond: Respond) -> None:
    ack()
    offset, query = render.parse_page_value(action.get("value") or "")
    services = services_of(context)
    audience = permissions.audience(services, context.team_id, context.user_id, context.channel_id, context.client)
    page = workflows.list_page(services, context.team_id, offset, query, audience)
    if isinstance(page, str):
        respond(text=page, replace_original=False)
        return
    respond(blocks=render.event_list(page), text=replies.upcoming_title(), replace_original=True)


def near_page_button(ack: Ack, action: dict, context: BoltContext, respond: Respond) -> None:
    ack()
    offset, query = render.parse_page_value(action.get("value") or "")
    place_text, radius = parse_near(query)
    page = _near_page(context, place_text, radius, offset) if 0 < radius <= places.MAX_RADIUS_MILES else None
    if page is None:  # not a value of ours
        respond(text=replies.unknown_place(place_text), replace_original=False)
    else:
        respond(blocks=render.near_list(page), text=render.near_title(page), replace_original=True)


# --- the post-event report ------------------------------------------------------


def report_button(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """ "Tell us how it went" in the DM asking a host: the form, prefilled with the report so far."""
    ack()
    _open_report_form(
        client, context, body.get("trigger_id", ""), workflows.parse_event_id(action.get("value")), respond
    )


def report_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """Saved before the ack, so that a problem shows in the form."""
    event_id = workflows.parse_event_id(view.get("private_metadata"))
    try:
        errors = reports.submit(services_of(context), client, context.team_id, context.user_id, event_id, view)
    except SQLAlchemyError as error:  # a database that cannot save now: say so, with the form still open
        if (apology := cannot_save(error)) is None:
            raise
        ack(response_action="errors", errors={report_text.TURNOUT: apology})
        return
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()
