"""Event workflows: register, edit, cancel, RSVP, list and show.

Each write checks permission at the moment of the write and queues its Slack side effects
(the card, its redraws, thread notes, DMs) in the outbox in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from messages import approval as approval_render
from messages import campaigns as campaign_render
from messages import event_form as form
from messages import events as render
from messages import listings as listing_text
from messages import notices, replies
from messages import reminders as reminder_render
from services import approval, campaigns, outbox, places
from services.content import ensure_team_content
from services.event_form import EventInput, apply, form_values, parse_event_form
from services.permissions import is_admin, is_host, may_choose_co_hosts, may_manage
from services.runtime import Services
from services.slackapi import before_ack, is_private_channel
from storage import campaigns as campaign_store
from storage import events as queries
from storage import hosts, reminders, reports, rsvps, signups, submissions
from storage.changes import Change, time_and_place
from storage.models import Campaign, Event
from storage.places import Place
from timemath import local_date

MAX_ID = 2**31 - 1


def parse_event_id(text: str | None) -> int | None:
    """`12` or `#12` -> 12; anything else (other digits, huge numbers) -> None."""
    match = re.fullmatch(r"#?([0-9]{1,10})", (text or "").strip())
    if not match:
        return None
    value = int(match.group(1))
    return value if 0 < value <= MAX_ID else None


def find(
    services: Services, team_id: str, event_id: int | None, audience: queries.Audience | None = None
) -> Event | None:
    """The event, if it exists and `audience` (when given) may see it: a private channel's
    events are not even admitted to exist elsewhere, but to its hosts."""
    if event_id is None:
        return None
    with services.db.read() as session:
        event = queries.get_event(session, team_id, event_id)
        if event is None or audience is None or audience.may_see(event):
            return event
        return event if audience.user_id and is_host(session, event, audience.user_id) else None


# --- the modal ------------------------------------------------------------------


def new_form(services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str | None) -> dict:
    """The empty modal with the user's time zone, the current channel, the user as lead contact
    and the team's campaigns."""
    return form.event_form(_defaults(services, client, team_id, user_id, channel_id))


def _defaults(
    services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str | None
) -> form.EventFormValues:
    profile = services.users.profile(client, team_id, user_id)
    return form.EventFormValues(
        timezone=profile.get("tz") or services.default_timezone,
        channel_id=channel_id if channel_id and channel_id[0] in "CG" else None,
        contact_name=profile.get("real_name") or profile.get("profile", {}).get("real_name"),
        contact_email=profile.get("profile", {}).get("email"),
        campaigns=campaigns.listing(services, team_id),
    )


def form_from_message(
    services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str | None, text: str
) -> dict:
    """The modal filled in from a listing posted in Slack (services.listings): its times in the zone
    it names, else the user's; to be announced where it was posted; the user as lead contact when
    it names none. What could not be read is said above the fields."""
    from services import listings  # the listings parser (and the CSV reader): loaded by the first listing read

    defaults = _defaults(services, client, team_id, user_id, channel_id)
    entry = listings.read_message(
        text, default_timezone=defaults.timezone, today=local_date(services.now(), defaults.timezone)
    )
    values = entry.values
    if not (values.contact_name or values.contact_email):
        values = replace(values, contact_name=defaults.contact_name, contact_email=defaults.contact_email)
    if values.city and not (values.state or values.zip_code):  # "Denver: ...": its state, when it can be told
        with services.db.read() as session:
            named = places.named_states(queries.cities_and_states(session, team_id))
        values = replace(values, state=places.state_of_city(values.city, named))
    # The campaign its hashtags name, chosen in the form where the organizer sees it before saving.
    named = campaign_render.tagged(
        (values.title, values.details),
        defaults.campaigns,
        values.start_date or local_date(services.now(), defaults.timezone),
    )
    values = replace(
        values, channel_id=defaults.channel_id, campaigns=defaults.campaigns, campaign_slug=named and named.slug
    )
    return form.event_form(values, notes=listing_text.modal_notes(entry.problems))


def _manageable(
    services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None, verb: str
) -> Event | str:
    """The event if `user_id` may `verb` it now (a host, or an admin), else what to tell them."""
    with services.db.read() as session:
        event = queries.get_event(session, team_id, event_id) if event_id else None
        if event is None:
            return replies.no_such_event(event_id)
        if event.is_cancelled:
            return replies.cannot_edit_cancelled(event) if verb == "edit" else replies.already_cancelled(event)
        if event.is_rejected:
            return approval_render.not_approved(event)
        if not may_manage(services, client, session, user_id, event):
            return replies.refusal(event, verb)
    return event


def edit_form(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> dict | str:
    """The prefilled modal, or what to tell the user instead. A co-host's has no co-hosts field."""
    event = _manageable(services, client, team_id, user_id, event_id, "edit")
    if isinstance(event, str):
        return event
    with services.db.read() as session:
        chosen = reminders.lead_times_of(session, event.id)
        co_hosts = hosts.co_hosts(session, event.id)
    may_choose = may_choose_co_hosts(services, client, user_id, event)
    values = form_values(event, chosen, co_hosts=co_hosts, may_choose_co_hosts=may_choose)
    values.campaigns = campaigns.listing(services, team_id)
    return form.event_form(values)


def _editor_is_admin(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> bool:
    """Whether the person editing an event is an admin, asked of Slack only when the rows alone
    may not let them (they did not create it), and before the write transaction opens: on
    SQLite that transaction holds the one writer's lock, which must not wait on Slack."""
    if event_id is None:
        return False
    with services.db.read() as session:
        event = queries.get_event(session, team_id, event_id)
        if event is None or event.created_by == user_id:
            return False
    return is_admin(services, client, team_id, user_id)


@dataclass(frozen=True)
class Submitted:
    errors: dict[str, str] | None = None
    event: Event | None = None


def submit(services: Services, client: WebClient, team_id: str, user_id: str, view: dict) -> Submitted:
    """Save a submitted event form: validated, authorized, idempotent (a replay changes nothing).

    Runs before the ack, so its Slack calls (is the channel private, is the editor an admin)
    give up in time; when Slack does not answer, the safe side is taken (private, not admin).
    The editor's rights are checked against the rows as they are now: a co-host removed while
    their modal was open can no longer save it.
    """
    client = before_ack(client)
    now = services.now()
    event_id = form.form_event_id(view)
    key = submissions.key_for(view)
    private = _private_channel_of_new_event(client, view) if event_id is None else False
    review = (
        None if event_id else approval.review_for_new_event(services, client, team_id, user_id, private_channel=private)
    )
    admin = _editor_is_admin(services, client, team_id, user_id, event_id)
    try:
        with services.db.session() as session:
            if key and submissions.seen(session, team_id, key):
                return Submitted()
            previous = queries.get_event(session, team_id, event_id) if event_id else None
            if event_id and (previous is None or previous.is_cancelled):
                return Submitted(errors={form.TITLE: replies.form_event_gone()})
            if previous is not None and previous.is_rejected:
                return Submitted(errors={form.TITLE: approval_render.not_approved(previous)})
            if previous is not None and not (admin or is_host(session, previous, user_id)):
                return Submitted(errors={form.TITLE: replies.refusal(previous, "edit")})
            data, errors = parse_event_form((view.get("state") or {}).get("values") or {}, now, previous=previous)
            if errors:
                return Submitted(errors=errors)
            if (
                previous is not None
                and _changes_co_hosts(session, previous, data)
                and not (admin or previous.created_by == user_id)
            ):
                return Submitted(errors={form.CO_HOSTS: replies.co_hosts_refusal(previous)})
            known, campaign_slug = campaign_of(session, team_id, data)
            if not known:
                return Submitted(errors={form.CAMPAIGN: campaign_render.campaign_gone()})
            if previous is None:
                event = create(
                    session, team_id, user_id, data, campaign_slug, now, private_channel=private, review=review
                )
            else:
                event = _edit(session, previous, user_id, data, campaign_slug, now)
                if services.webhook is not None:
                    outbox.webhook(session, event, "event.changed", now)
            if key:
                submissions.remember(session, team_id, key, event.id, now)
    except IntegrityError:
        with services.db.read() as session:
            if key and submissions.seen(session, team_id, key):
                return Submitted()  # the same submission, saved a moment ago by a concurrent delivery
        raise
    services.doorbell.ring()
    return Submitted(event=event)


def campaign_of(session, team_id: str, data: EventInput) -> tuple[bool, str | None]:
    """(known, slug): the campaign chosen, none, or (left empty) the one a hashtag of its title or
    details names, else the one running on the event's first day where it happens. Not known: a
    choice that is not one of the team's campaigns."""
    choice = data.campaign_choice
    if choice == form.NO_CAMPAIGN:
        return True, None
    if choice is None:
        day = local_date(data.starts_at, data.timezone)
        named = campaign_render.tagged((data.title, data.details), campaign_store.campaigns(session, team_id), day)
        running = [named] if named else campaign_store.running_on(session, team_id, day)
        return True, running[0].slug if running else None
    known = isinstance(choice, str) and campaign_store.get_campaign(session, team_id, choice) is not None
    return known, choice if known else None


def _private_channel_of_new_event(client: WebClient, view: dict) -> bool:
    channel_id = form.chosen_channel(view)
    return bool(channel_id) and is_private_channel(client, channel_id)


def _changes_co_hosts(session, event: Event, data) -> bool:
    if data.co_hosts is None:  # a form without the field (a co-host's) leaves the list alone
        return False
    return set(data.co_hosts) - {event.created_by} != set(hosts.co_hosts(session, event.id))


def create(
    session,
    team_id: str,
    user_id: str,
    data: EventInput,
    campaign_slug: str | None,
    now,
    *,
    private_channel: bool,
    review=None,
) -> Event:
    """A new event from checked input (and its campaign: campaign_of), its reminders, and its card
    when it has a channel, or held for `review` (services.approval): what the modal saves, and
    what an import saves (services.imports; staff at the command line skip review)."""
    event = Event(
        team_id=team_id, created_by=user_id, created_at=now, channel_id=data.channel_id, campaign_slug=campaign_slug
    )
    apply(event, data, now)
    if private_channel:  # whatever the form said: an event of a private channel is not public
        event.private_channel, event.is_public = True, False
    queries.add_event(session, event)
    reminders.schedule_reminders(session, event, data.reminders, now)
    _set_co_hosts(session, event, data, user_id, now)
    if review is None:
        outbox.announce(session, event, now)
    else:
        approval.hold(session, event, review, now)
    outbox.event_homes_changed(session, event, now)
    return event


def _edit(session, event: Event, user_id: str, data: EventInput, campaign_slug: str | None, now) -> Event:
    before = time_and_place(event)
    apply(event, data, now)
    event.sequence += 1  # calendars subscribed to a feed take this version over the one they have
    event.campaign_slug = campaign_slug
    change = Change(before, time_and_place(event))
    # Unsent reminders follow the new start; lead times no longer chosen are cancelled.
    reminders.schedule_reminders(session, event, data.reminders, now)
    co_hosts_before = hosts.co_hosts(session, event.id)
    _set_co_hosts(session, event, data, user_id, now)
    outbox.event_homes_changed(session, event, now, also=co_hosts_before)  # a co-host removed loses it from their Home
    told = _tell_those_going(session, event, change, user_id, now)
    if change.time_changed:
        reports.ask_again_if_moved(event, now)
    if not event.is_approved:  # no card yet: the review request shows the change
        approval.changed_while_pending(session, event, now)
    elif event.message_ts or event.card_error is None:
        outbox.redraw(session, event, now)
        outbox.thread_note(
            session, event, "updated", now, user=user_id, told=told, **(change.as_args() if change else {})
        )
    else:  # the card never made it: saving again is how the organizer asks for another try
        event.card_error = None
        outbox.announce(session, event, now, again=True)
    return event


def _set_co_hosts(session, event: Event, data, user_id: str, now) -> None:
    """Save the co-hosts chosen in the form (when it had the field); each one added is told by DM."""
    if data.co_hosts is None:
        return
    for co_host in hosts.set_co_hosts(session, event, data.co_hosts, user_id, now):
        outbox.notice(session, event.team_id, co_host, "co_host_added", now, event_id=event.id, user=user_id)


def _tell_those_going(session, event: Event, change: Change, user_id: str, now) -> int:
    """A new time or place: a DM to everyone going (but the editor), an email to the public signed
    up, old and new. Returns how many DMs."""
    if not change:
        return 0
    going = [person for person in rsvps.rsvp_users(session, event.id) if person != user_id]
    for person in going:
        outbox.notice(
            session, event.team_id, person, "event_changed", now, event_id=event.id, user=user_id, **change.as_args()
        )
    for signup in signups.reachable(session, event.id):  # by email; the thread counts the DMs
        outbox.email(session, signup, "changed", now, **change.as_args())
    return len(going)


# --- cancel and RSVP ------------------------------------------------------------


def cancel(services: Services, client: WebClient, team_id: str, user_id: str, event_id: int | None) -> str:
    """Cancel if allowed: the card says so, its thread too, and everyone going gets a DM."""
    event = _manageable(services, client, team_id, user_id, event_id, "cancel")
    if isinstance(event, str):
        return event
    now = services.now()
    with services.db.session() as session:
        event = queries.get_event(session, team_id, event.id)
        if event.is_cancelled:  # cancelled by someone else in the meantime
            return replies.already_cancelled(event)
        event.cancelled_at, event.cancelled_by = now, user_id
        event.updated_at, event.sequence = now, event.sequence + 1  # feeds keep it, as cancelled
        reminders.cancel_reminders(session, event.id)
        if not event.is_approved:  # never announced: only the reviewers are to know
            approval.changed_while_pending(session, event, now)
        else:
            outbox.redraw(session, event, now)
            outbox.thread_note(session, event, "cancelled", now)
        for person in rsvps.rsvp_users(session, event.id):
            outbox.notice(session, team_id, person, "event_cancelled", now, event_id=event.id)
        for signup in signups.reachable(session, event.id):
            outbox.email(session, signup, "cancelled", now, once=True)
        if services.webhook is not None:
            outbox.webhook(session, event, "event.cancelled", now)
        outbox.event_homes_changed(session, event, now)
    services.doorbell.ring()
    return replies.cancelled(event)


def toggle_rsvp(services: Services, team_id: str, user_id: str, event_id: int | None) -> str:
    """ "I'm going", or going no more; the card's count follows."""
    return _set_rsvp(services, team_id, user_id, event_id, going=None)


def cant_make_it(services: Services, team_id: str, user_id: str, event_id: int | None) -> str:
    """ "Can't make it" in a reminder or change notice: going no more, as when "I'm going" is
    clicked again, and a second click changes nothing."""
    return _set_rsvp(services, team_id, user_id, event_id, going=False)


def _set_rsvp(services: Services, team_id: str, user_id: str, event_id: int | None, *, going: bool | None) -> str:
    """Going or not (None: the other way round); the card's count and the hosts' Homes follow."""
    now = services.now()
    with services.db.session() as session:
        event = queries.get_event(session, team_id, event_id) if event_id else None
        if event is None or event.is_cancelled:
            return replies.event_cancelled()
        if not event.is_approved:
            return approval_render.not_open_yet()
        if going is None:
            going = not rsvps.is_going(session, event.id, user_id)
        going = rsvps.set_rsvp(session, event, user_id, going, now)
        outbox.redraw(session, event, now)
        outbox.event_homes_changed(session, event, now, going=False, also=[user_id])  # hosts' Homes count who goes
    services.doorbell.ring()
    return reminder_render.rsvp_confirmation(event, going)


# --- reading --------------------------------------------------------------------


def list_page(
    services: Services, team_id: str, offset: int, query: str, audience: queries.Audience
) -> render.ListPage | str:
    """One page of `/event list <query>`, or what to tell the user when the query makes no sense.
    One read transaction: the team's campaigns (a few rows) and the page."""
    if query:  # its words may name a shipped campaign: a workspace's first command may be this one
        ensure_team_content(services, team_id)
    now = services.now()
    with services.db.read() as session:
        reading = read_list_query(session, team_id, query, audience, now, campaigns.today(services))
        if isinstance(reading, str):
            return reading
        page = queries.upcoming_page(
            session, team_id, now, where=reading.where, audience=audience, offset=offset, size=render.LIST_PAGE_SIZE
        )
    return render.ListPage(
        events=page.events,
        offset=offset,
        has_next=page.has_next,
        query=query,
        campaign=reading.campaign,
        hint=reading.hint,
        links=services.links,
    )


@dataclass(frozen=True)
class ListQuery:
    """How `/event list` reads its words: the filter, the campaign it names, and another reading worth offering."""

    where: queries.EventFilter
    campaign: Campaign | None = None
    hint: str | None = None


CITY_LIKE = re.compile(r"[\w .'-]{2,100}")


def read_list_query(
    session: Session, team_id: str, text: str, audience: queries.Audience, now: datetime, today: date
) -> ListQuery | str:
    """`campaign <name>` and `city <name>` say what they are; `#Hashtag` is a campaign's; then a
    type (`rally`, `prayer vigil`), two letters for a state (`CA`), a campaign's slug, whole
    name or hashtag, and last a city. When the words could also mean a campaign, or (a
    campaign's name) a city that has events, the answer says how to ask for that instead.
    Else the error to show.

    The campaigns are those the team has: a team whose events have campaigns has them (the
    event form loads them), and this hot path never parses the content files to load them."""
    text = " ".join(text.split())
    if not text:
        return ListQuery(queries.EventFilter())
    word, _, rest = text.partition(" ")
    if word.lower() == "city" and rest:
        return ListQuery(queries.EventFilter(city=rest))
    team_campaigns = campaign_render.in_listing_order(campaign_store.campaigns(session, team_id), today)
    if word.lower() == "campaign" and rest:
        found = campaign_render.match_campaign(rest, team_campaigns)
        return _in_campaign(found) if found else campaign_render.no_such_campaign(rest, team_campaigns)
    if text.startswith("#"):
        found = campaign_render.exact_match(text, team_campaigns)
        return _in_campaign(found) if found else campaign_render.no_such_campaign(text, team_campaigns)
    meant = campaign_render.match_campaign(text, team_campaigns)
    hint = render.campaign_hint(meant) if meant else None
    if (event_type := render.type_named(text)) is not None:
        return ListQuery(queries.EventFilter(event_type=event_type), hint=hint)
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return ListQuery(queries.EventFilter(state=text), hint=hint)
    if (found := campaign_render.exact_match(text, team_campaigns)) is not None:
        city = campaign_render.is_its_name(text, found) and _city_with_events(session, team_id, text, audience, now)
        return _in_campaign(found, hint=render.city_hint(text) if city else None)
    if CITY_LIKE.fullmatch(text):
        return ListQuery(queries.EventFilter(city=text), hint=hint)
    return replies.bad_list_filter(text)


def _in_campaign(campaign: Campaign, *, hint: str | None = None) -> ListQuery:
    return ListQuery(queries.EventFilter(campaign_slug=campaign.slug), campaign=campaign, hint=hint)


def _city_with_events(session: Session, team_id: str, text: str, audience: queries.Audience, now: datetime) -> bool:
    """Whether `text` is also a city with upcoming events `audience` may see (one row of the city index)."""
    return bool(CITY_LIKE.fullmatch(text)) and bool(
        queries.upcoming_events(session, team_id, now, where=queries.EventFilter(city=text), audience=audience, limit=1)
    )


def mine(services: Services, team_id: str, user_id: str) -> list[dict]:
    """`/event mine`: upcoming events the user registered, co-hosts or is going to."""
    with services.db.read() as session:
        found = queries.events_of(session, team_id, user_id, services.now(), limit=render.MINE_SIZE)
    return render.my_events(found, user_id)


def near(
    services: Services,
    team_id: str,
    where: str | Place,
    radius_miles: int = places.DEFAULT_RADIUS_MILES,
    audience: queries.Audience = queries.EVERYONE,
    *,
    offset: int = 0,
    size: int = render.LIST_PAGE_SIZE,
) -> render.NearPage | None:
    """Upcoming events within `radius_miles` of a place that `audience` may see, nearest first, each
    with its distance, and the events only online apart; None when the place is not known.

    `where` is what someone typed (`95356`, `Denver, CO`: see places.resolve) or a place already
    resolved. Slack's `/event near` and the web's `?near=` both search with it.
    """
    if not 0 < radius_miles <= places.MAX_RADIUS_MILES:
        raise ValueError(f"a radius of 1 to {places.MAX_RADIUS_MILES} miles, not {radius_miles}")
    place = where if isinstance(where, Place) else places.resolve(where)
    if place is None:
        return None
    now = services.now()
    with services.db.read() as session:
        found = queries.upcoming_near(
            session,
            team_id,
            now,
            place.latitude,
            place.longitude,
            radius_miles,
            audience=audience,
            offset=offset,
            size=size,
        )
        online = queries.upcoming_online(session, team_id, now, audience=audience, limit=render.ONLINE_SHOWN)
    wider = min(max(2 * radius_miles, 100), places.MAX_RADIUS_MILES)
    return render.NearPage(
        place=place,
        place_text=" ".join(where.split()) if isinstance(where, str) else place.label,
        radius_miles=radius_miles,
        nearby=found.nearby,
        offset=offset,
        has_next=found.has_next,
        online=online.events,
        more_online=online.has_next,
        wider_miles=wider if wider > radius_miles else None,
    )


def detail(services: Services, client: WebClient, event: Event, user_id: str) -> list[dict]:
    """`/event show`: its hosts and admins also see who hosts it, who is going (Slack members, and
    the public signed up on its page with their email, phone and ZIP), the reminders and any
    delivery problem."""
    with services.db.read() as session:
        organizer = may_manage(services, client, session, user_id, event)
        going = rsvps.rsvp_users(session, event.id)
        public = signups.going(session, event.id)
        scheduled = reminders.reminders_of(session, event.id)
        co_hosts = hosts.co_hosts(session, event.id)
        campaign = (
            campaign_store.get_campaign(session, event.team_id, event.campaign_slug) if event.campaign_slug else None
        )
    sections: list[str] = []
    if organizer:
        if review := approval_render.approval_line(event):
            sections.append(review)
        sections.append(render.hosts_summary(event, co_hosts))
        sections.append(reminder_render.going_summary(going))
        if public:  # names, emails and phones: for its hosts and admins only
            sections.append(reminder_render.public_going_summary(public))
        if event.private_channel:
            sections.append(replies.private_channel_event())
        if not event.is_cancelled and (summary := reminder_render.reminders_summary(event, scheduled)):
            sections.append(summary)
        if problem := notices.card_problem_line(event):
            sections.append(problem)
    return render.detail(
        event,
        viewer_is_organizer=organizer,
        going=len(going) + len(public),
        campaign=campaign,
        organizer_sections=tuple(sections),
    )
