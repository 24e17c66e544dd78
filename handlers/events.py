"""`/event`: register, list, show, edit and cancel events; the "New event" shortcut; card buttons."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.common import command_help_text, may_manage, tell_user, user_profile
from handlers.event_form import apply, form_values, parse_event_form
from messages import event_form as form
from messages import events as render
from messages import help as help_text
from messages import reminders as reminder_render
from messages.mrkdwn import escape
from storage import events as queries
from storage import scheduling
from storage.models import Event

log = logging.getLogger(__name__)
NEW_EVENT_SHORTCUT = "new_event"


def register(app: App) -> None:
    app.command("/event")(event_command)
    app.shortcut(NEW_EVENT_SHORTCUT)(new_event_shortcut)
    app.view(form.CALLBACK_ID)(event_form_submitted)
    app.action(render.EDIT_ACTION)(edit_button)
    app.action(render.CANCEL_ACTION)(cancel_button)
    app.action(render.RSVP_ACTION)(rsvp_button)
    # A link button still sends an action; acking it keeps Slack from showing a warning.
    app.action(render.CALENDAR_ACTION)(lambda ack: ack())
    app.action(re.compile(f"^{render.LIST_PAGE_ACTION}"))(list_page_button)


# --- /event -----------------------------------------------------------------


def event_command(ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    text = (command.get("text") or "").strip()
    name, _, argument = text.partition(" ")
    subcommand = SUBCOMMANDS.get(name.lower())
    if subcommand is None:
        if command_help_text(text) or not text:
            ack(blocks=help_text.event_help(), text="How to use /event")
        else:
            ack(text=f"I don't know `/event {escape(name)}`. Try `/event new`, `/event list` or `/event help`.")
        return
    subcommand(ack=ack, command=command, argument=argument.strip(), client=client, context=context, respond=respond)


def _new(ack: Ack, command: dict, client: WebClient, context: BoltContext, **_) -> None:
    ack()
    open_event_form(client, context, command["trigger_id"], command["user_id"], command.get("channel_id"))


def _list(ack: Ack, argument: str, context: BoltContext, **_) -> None:
    where = parse_list_filter(argument)
    if where is None:
        ack(text=f"I can't filter by “{escape(argument)}”. Try `/event list rally`, `/event list CA` or `/event list city Denver`.")
        return
    page = _list_page(context, context.team_id, 0, argument, where)
    ack(blocks=render.event_list(page), text="Upcoming events")


def _show(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    event = _find_or_explain(ack, context, argument, usage="/event show 12")
    if event is None:
        return
    user_id = command["user_id"]
    if event.created_by == user_id:
        ack(blocks=_detail_blocks(context, event, organizer=True), text=render.fallback_text(event))
        return
    # Whether someone else is an admin takes a Slack call, which must come after the ack.
    ack()
    organizer = may_manage(client, user_id, event)
    respond(blocks=_detail_blocks(context, event, organizer=organizer), text=render.fallback_text(event))


def _detail_blocks(context: BoltContext, event: Event, *, organizer: bool) -> list[dict]:
    """The event as `/event show` shows it; its organizers also see who is going and the reminders."""
    with context["db"].session() as session:
        going = scheduling.rsvp_users(session, event.id)
        reminders = scheduling.reminders_of(session, event.id)
    sections: tuple[str, ...] = ()
    if organizer:
        summary = reminder_render.reminders_summary(event, reminders) if not event.is_cancelled else None
        sections = (reminder_render.going_summary(going), *([summary] if summary else []))
    return render.detail(event, viewer_is_organizer=organizer, going=len(going), organizer_sections=sections)


def _edit(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    event = _find_or_explain(ack, context, argument, usage="/event edit 12")
    if event is None:
        return
    ack()
    if event.is_cancelled:
        respond(text=f"Event #{event.id} is cancelled; it can no longer be edited.")
    elif not may_manage(client, command["user_id"], event):
        respond(text=_refusal(event, "edit"))
    else:
        _open_edit_form(client, context, command["trigger_id"], event)


def _cancel(ack: Ack, argument: str, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    event = _find_or_explain(ack, context, argument, usage="/event cancel 12")
    if event is None:
        return
    ack()
    respond(text=cancel_event(client, context, event, command["user_id"]))


def _help(ack: Ack, **_) -> None:
    ack(blocks=help_text.event_help(), text="How to use /event")


SUBCOMMANDS: dict[str, Callable[..., None]] = {
    "new": _new,
    "list": _list,
    "show": _show,
    "edit": _edit,
    "cancel": _cancel,
    "help": _help,
}


def parse_list_filter(argument: str) -> queries.EventFilter | None:
    """`rally` / `prayer vigil` -> type; `CA` -> state; `city Denver` or a city name -> city."""
    text = argument.strip()
    if not text:
        return queries.EventFilter()
    lowered = text.lower()
    for event_type, label in render.TYPE_LABELS.items():
        if lowered in (event_type.value, event_type.value.replace("_", " "), label.lower()):
            return queries.EventFilter(event_type=event_type)
    if lowered.startswith("city "):
        return queries.EventFilter(city=text[5:].strip())
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return queries.EventFilter(state=text)
    if re.fullmatch(r"[\w .'-]{2,100}", text):
        return queries.EventFilter(city=text)
    return None


def _list_page(context: BoltContext, team_id: str, offset: int, query: str, where: queries.EventFilter) -> render.ListPage:
    now = context["now"]()
    with context["db"].read() as session:
        page = queries.upcoming_page(session, team_id, now, where=where, offset=offset, size=render.LIST_PAGE_SIZE)
    return render.ListPage(events=page.events, offset=offset, has_next=page.has_next, query=query)


def _find_or_explain(ack: Ack, context: BoltContext, argument: str, usage: str) -> Event | None:
    """The event named by `argument`; if there is none, ack with what to type instead and return None."""
    match = re.fullmatch(r"#?(\d{1,9})", argument)
    if not match:
        ack(text=f"Which event? Give its number, like `{usage}` (numbers are on each card and in `/event list`).")
        return None
    with context["db"].session() as session:
        event = queries.get_event(session, context.team_id, int(match.group(1)))
    if event is None:
        ack(text=f"There is no event #{match.group(1)} in this workspace. See `/event list`.")
    return event


def _refusal(event: Event, verb: str) -> str:
    return f"Only the person who registered event #{event.id} (<@{event.created_by}>) or a workspace admin can {verb} it."


# --- the modal --------------------------------------------------------------


def new_event_shortcut(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    open_event_form(client, context, shortcut["trigger_id"], shortcut["user"]["id"], None)


def open_event_form(client: WebClient, context: BoltContext, trigger_id: str, user_id: str, channel_id: str | None) -> None:
    """Open the modal with the user's time zone, the current channel and the user as lead contact."""
    profile = user_profile(client, user_id)
    values = form.EventFormValues(
        timezone=profile.get("tz") or context["default_timezone"],
        channel_id=channel_id if channel_id and channel_id[0] in "CG" else None,
        contact_name=profile.get("real_name") or profile.get("profile", {}).get("real_name"),
        contact_email=profile.get("profile", {}).get("email"),
    )
    client.views_open(trigger_id=trigger_id, view=form.event_form(values))


def _open_edit_form(client: WebClient, context: BoltContext, trigger_id: str, event: Event) -> None:
    with context["db"].session() as session:
        chosen = scheduling.lead_times_of(session, event.id)
    client.views_open(trigger_id=trigger_id, view=form.event_form(form_values(event, chosen)))


def event_form_submitted(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    team_id = context.team_id
    user_id = body["user"]["id"]
    event_id = form.form_event_id(view)
    now = context["now"]()
    db = context["db"]

    with db.session() as session:
        previous = queries.get_event(session, team_id, event_id) if event_id else None
        if event_id and (previous is None or previous.is_cancelled):
            ack(response_action="errors", errors={form.TITLE: "This event was cancelled or removed; it can't be edited."})
            return
        data, errors = parse_event_form(view["state"]["values"], now, previous=previous)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        time_changed = bool(previous) and (previous.starts_at, previous.ends_at) != (data.starts_at, data.ends_at)
        if previous is None:
            event = Event(team_id=team_id, created_by=user_id, created_at=now, channel_id=data.channel_id)
            queries.add_event(session, apply(event, data, now))
        else:
            event = apply(previous, data, now)
        # New reminders at each chosen lead time; on an edit, unsent ones follow the new start.
        scheduling.schedule_reminders(session, event, data.reminders, now)
    # Saved before the ack: if the database fails, the modal stays open with the input intact.
    ack()

    if previous is None:
        announce(client, db, event, user_id)
    else:
        refresh_card(client, db, event)
        if event.message_ts:
            _thread_reply(client, event, render.updated_thread_text(event, user_id, time_changed=time_changed))


# --- announcements ----------------------------------------------------------


def announce(client: WebClient, db, event: Event, user_id: str) -> None:
    """Post the card; if the bot is not in the channel, join it (public) or tell the organizer how to fix it."""
    try:
        response = _post_card(client, event)
    except SlackApiError as error:
        if error.response.get("error") != "not_in_channel" or not _join(client, event.channel_id):
            tell_user(client, user_id, _announce_failed(event, error.response.get("error")))
            return
        response = _post_card(client, event)
    permalink = _permalink(client, response["channel"], response["ts"])
    with db.session() as session:
        stored = session.get(Event, event.id)
        stored.message_ts = response["ts"]
        stored.channel_id = response["channel"]
        stored.permalink = permalink
        # Edits, a cancellation or RSVPs that arrived while the card was on its way found no
        # ts to update; the card is redrawn from the stored row if anything moved.
        changed = (stored.updated_at, stored.cancelled_at) != (event.updated_at, event.cancelled_at)
        changed = changed or scheduling.count_rsvps(session, event.id) > 0
    if changed:
        refresh_card(client, db, stored)


def _post_card(client: WebClient, event: Event):
    return client.chat_postMessage(
        channel=event.channel_id, text=render.fallback_text(event), blocks=render.card(event), unfurl_links=False
    )


def _permalink(client: WebClient, channel_id: str, ts: str) -> str | None:
    try:
        return client.chat_getPermalink(channel=channel_id, message_ts=ts)["permalink"]
    except SlackApiError:
        return None  # the digest falls back to "/event show N"


def _join(client: WebClient, channel_id: str | None) -> bool:
    try:
        client.conversations_join(channel=channel_id)
        return True
    except SlackApiError:
        return False


def _announce_failed(event: Event, error: str | None) -> str:
    return (
        f"Event #{event.id} “{escape(event.title)}” is saved, but I couldn't post it in <#{event.channel_id}> ({error}). "
        f"Invite me there with `/invite @Organizer Bot`, then `/event show {event.id}` to check it."
    )


def refresh_card(client: WebClient, db, event: Event) -> None:
    """Redraw the announcement card (details, cancellation, RSVP count) with chat.update."""
    if not event.message_ts:
        return
    with db.session() as session:
        going = scheduling.count_rsvps(session, event.id)
    try:
        client.chat_update(
            channel=event.channel_id, ts=event.message_ts, text=render.fallback_text(event), blocks=render.card(event, going=going)
        )
    except SlackApiError as error:
        log.warning("could not update the card of event %s: %s", event.id, error.response.get("error"))


def _thread_reply(client: WebClient, event: Event, text: str) -> None:
    try:
        client.chat_postMessage(channel=event.channel_id, thread_ts=event.message_ts, text=text)
    except SlackApiError as error:
        log.warning("could not reply in the thread of event %s: %s", event.id, error.response.get("error"))


def cancel_event(client: WebClient, context: BoltContext, event: Event, user_id: str) -> str:
    """Cancel if allowed; update the card and say so in its thread. Returns what to tell the user."""
    if event.is_cancelled:
        return f"Event #{event.id} was already cancelled."
    if not may_manage(client, user_id, event):
        return _refusal(event, "cancel")
    with context["db"].session() as session:
        stored = queries.get_event(session, event.team_id, event.id)
        stored.cancelled_at = context["now"]()
        stored.cancelled_by = user_id
        event = stored
        scheduling.cancel_reminders(session, event.id)
        going = scheduling.rsvp_users(session, event.id)
    refresh_card(client, context["db"], event)
    if event.message_ts:
        _thread_reply(client, event, render.cancelled_thread_text(event))
    for person in going:
        tell_user(client, person, reminder_render.cancelled_dm_text(event))
    return f"Cancelled event #{event.id} “{escape(event.title)}”."


# --- card and list buttons --------------------------------------------------


def _event_from_action(context: BoltContext, action: dict) -> Event | None:
    value = action.get("value") or ""
    if not value.isdigit():
        return None
    with context["db"].session() as session:
        return queries.get_event(session, context.team_id, int(value))


def edit_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    event = _event_from_action(context, action)
    if event is None or event.is_cancelled:
        respond(text="That event was cancelled; it can no longer be edited.", replace_original=False)
    elif not may_manage(client, body["user"]["id"], event):
        respond(text=_refusal(event, "edit"), replace_original=False)
    else:
        _open_edit_form(client, context, body["trigger_id"], event)


def cancel_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    event = _event_from_action(context, action)
    if event is None:
        return
    respond(text=cancel_event(client, context, event, body["user"]["id"]), replace_original=False)


def rsvp_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    """"I'm going" toggles: going, or going no more. The card's count follows.

    The toggle is saved before the ack (one quick write), so a second click is handled
    after the first one is recorded, never interleaved with it.
    """
    user_id = body["user"]["id"]
    db = context["db"]
    event = _event_from_action(context, action)
    if event is None or event.is_cancelled:
        ack()
        respond(text="That event was cancelled.", replace_original=False)
        return
    with db.session() as session:
        going = scheduling.set_rsvp(session, event, user_id, not scheduling.is_going(session, event.id, user_id), context["now"]())
    ack()
    refresh_card(client, db, event)
    respond(text=reminder_render.rsvp_confirmation(event, going), replace_original=False)


def list_page_button(ack: Ack, action: dict, context: BoltContext, respond: Respond) -> None:
    ack()
    offset, query = render.parse_page_value(action["value"])
    where = parse_list_filter(query) or queries.EventFilter()
    page = _list_page(context, context.team_id, offset, query, where)
    respond(blocks=render.event_list(page), text="Upcoming events", replace_original=True)

