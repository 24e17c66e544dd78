"""The event modal (`/event new`, `/event edit`, the "New event" shortcut)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cache

from messages import blockkit, dates
from messages.campaigns import campaign_option_text
from messages.congress import option_text as member_option_text
from messages.events import type_labels
from messages.i18n import N_, catalog, current_language
from messages.limits import CONTEXT_TEXT, MODAL_TITLE, OPTION_TEXT, SELECT_OPTIONS
from messages.plural import number
from storage import event_fields as fields
from storage.congress import Member, members_by_id
from storage.models import Campaign, EventType
from storage.reminders import DEFAULT_LEAD_TIMES, LEAD_TIMES

_, ngettext, pgettext = catalog("event_form")

CALLBACK_ID = "event_form"

# Block ids double as field names in validation errors.
TITLE = fields.TITLE.name
TYPE = "event_type"
ALL_DAY = "all_day"
START_DATE = "start_date"
START_TIME = "start_time"
END_DATE = "end_date"
END_TIME = "end_time"
TIMEZONE = "timezone"
ADDRESS = fields.ADDRESS.name
CITY = fields.CITY.name
STATE = fields.STATE.name
ZIP = fields.ZIP.name
ONLINE_URL = fields.ONLINE_URL.name
ORGANIZATIONS = fields.ORGANIZATIONS.name
CONTACT_NAME = fields.CONTACT_NAME.name
CONTACT_EMAIL = fields.CONTACT_EMAIL.name
DETAILS = fields.DETAILS.name
PUBLIC = "is_public"
CHANNEL = "channel"
REMINDERS = "reminders"
CO_HOSTS = fields.CO_HOSTS
CONGRESS = fields.CONGRESS_MEMBERS
CAMPAIGN = "campaign"
# The Campaign field's "No campaign" option: not a slug (slugs have no underscore).
NO_CAMPAIGN = "_none"

COMMON_TIMEZONES = {
    # TRANSLATORS: a US time zone and a city in it, in the form's Time zone menu (at most 75 characters)
    "America/New_York": N_("Eastern (New York)"),
    "America/Chicago": N_("Central (Chicago)"),
    "America/Denver": N_("Mountain (Denver)"),
    "America/Phoenix": N_("Arizona (Phoenix)"),
    "America/Los_Angeles": N_("Pacific (Los Angeles)"),
    "America/Anchorage": N_("Alaska (Anchorage)"),
    "Pacific/Honolulu": N_("Hawaii (Honolulu)"),
    "America/Puerto_Rico": N_("Atlantic (Puerto Rico)"),
}


@dataclass
class EventFormValues:
    """What the modal shows: defaults for a new event, or an event's current values."""

    timezone: str
    channel_id: str | None = None
    event_id: int | None = None
    title: str | None = None
    event_type: EventType | None = None
    all_day: bool = False
    start_date: date | None = None
    start_time: time | None = None
    end_date: date | None = None
    end_time: time | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip_code: str | None = None
    online_url: str | None = None
    lead_organizations: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    details: str | None = None
    is_public: bool = True
    extra_timezones: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=lambda: list(DEFAULT_LEAD_TIMES))
    co_hosts: list[str] = field(default_factory=list)
    # Only the creator and admins choose co-hosts: a co-host's form leaves the field out.
    may_choose_co_hosts: bool = True
    campaign_slug: str | None = None
    campaigns: list[Campaign] = field(default_factory=list)  # the team's, in the order the field lists them
    congress_members: list[str] = field(default_factory=list)  # bioguide ids (storage.congress)


def _option(value: str, label: str) -> dict:
    return {"text": blockkit.plain(label, OPTION_TEXT), "value": value}


def _with_initial(element: dict, key: str, value) -> dict:
    if value is not None:
        element[key] = value
    return element


def _timezone_options(values: EventFormValues) -> list[dict]:
    options = [_option(name, _(label)) for name, label in COMMON_TIMEZONES.items()]
    for name in [values.timezone, *values.extra_timezones]:
        if name not in COMMON_TIMEZONES and name not in [o["value"] for o in options]:
            options.append(_option(name, name.replace("_", " ")))
    return options


def _campaign_input(values: EventFormValues) -> list[dict]:
    """Optional. Left empty, the event joins the campaign its hashtags name, else the one running
    on its date: decided when the form is saved, since a modal cannot follow the date picker
    without a round trip per change."""
    if not values.campaigns:
        return []
    # The event's own campaign is offered even when the team has more than a select holds.
    shown = values.campaigns[: SELECT_OPTIONS - 1]
    current = next((c for c in values.campaigns if c.slug == values.campaign_slug), None)
    if current is not None and current not in shown:
        shown = [*shown[:-1], current]
    options = [_option(c.slug, campaign_option_text(c)) for c in shown]
    options.append(_option(NO_CAMPAIGN, _("No campaign")))
    select = {
        "type": "static_select",
        "action_id": CAMPAIGN,
        "options": options,
        "placeholder": blockkit.plain(_("The one running on its date")),
    }
    initial = next((o for o in options if values.campaign_slug and o["value"] == values.campaign_slug), None)
    return [
        blockkit.input_block(
            CAMPAIGN,
            _("Campaign"),
            _with_initial(select, "initial_option", initial),
            optional=True,
            hint=_(
                "Leave empty to join the campaign a hashtag in its title or details names, else the one running on its date."
            ),
        )
    ]


def reminder_option(lead: timedelta) -> str:
    """A reminder's choice in the form: `1 day before`, `15 minutes before`."""
    minutes = int(lead.total_seconds()) // 60
    if minutes % (7 * 24 * 60) == 0:
        count = minutes // (7 * 24 * 60)
        text = ngettext("{count} week before", "{count} weeks before", count)
    elif minutes % (24 * 60) == 0:
        count = minutes // (24 * 60)
        text = ngettext("{count} day before", "{count} days before", count)
    elif minutes % 60 == 0:
        count = minutes // 60
        text = ngettext("{count} hour before", "{count} hours before", count)
    else:
        count = minutes
        text = ngettext("{count} minute before", "{count} minutes before", count)
    return text.format(count=number(count))


def event_form(values: EventFormValues, *, notes: tuple[str, ...] = ()) -> dict:
    """The modal; `notes` (plain text) above the fields say what to check, e.g. what a listing did not give."""
    type_options = [_option(t.value, label) for t, label in type_labels().items()]
    tz_options = _timezone_options(values)
    initial_type = next((o for o in type_options if values.event_type and o["value"] == values.event_type.value), None)
    initial_tz = next(o for o in tz_options if o["value"] == values.timezone)
    all_day_option = _option("all_day", _("All day (no start or end time)"))
    public_options = [_option("public", _("Yes, anyone can come")), _option("private", _("No, by invitation only"))]
    channel_select = {
        "type": "conversations_select",
        "action_id": CHANNEL,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if values.channel_id:
        channel_select["initial_conversation"] = values.channel_id

    blocks = [{"type": "context", "elements": [blockkit.plain(note, CONTEXT_TEXT)]} for note in notes]
    blocks += [
        blockkit.input_block(
            TITLE,
            _("Title"),
            blockkit.text_input(
                TITLE, values.title, fields.TITLE.max_length, placeholder=_("Springdale: #WeAreAllAmerica Rally")
            ),
        ),
        blockkit.input_block(
            TYPE,
            pgettext("kind of event", "Type"),
            _with_initial(
                {
                    "type": "static_select",
                    "action_id": TYPE,
                    "options": type_options,
                    "placeholder": blockkit.plain(_("Rally, vigil, town hall…")),
                },
                "initial_option",
                initial_type,
            ),
        ),
        blockkit.input_block(
            START_DATE,
            _("Start date"),
            _with_initial(
                {"type": "datepicker", "action_id": START_DATE},
                "initial_date",
                values.start_date and values.start_date.isoformat(),
            ),
        ),
        blockkit.input_block(
            ALL_DAY,
            _("All day"),
            _with_initial(
                {"type": "checkboxes", "action_id": ALL_DAY, "options": [all_day_option]},
                "initial_options",
                [all_day_option] if values.all_day else None,
            ),
            optional=True,
        ),
        blockkit.input_block(
            START_TIME,
            _("Start time"),
            _with_initial(
                {"type": "timepicker", "action_id": START_TIME},
                "initial_time",
                values.start_time and values.start_time.strftime("%H:%M"),
            ),
            optional=True,
            hint=_("Leave empty for an all-day event."),
        ),
        blockkit.input_block(
            END_DATE,
            _("End date"),
            _with_initial(
                {"type": "datepicker", "action_id": END_DATE},
                "initial_date",
                values.end_date and values.end_date.isoformat(),
            ),
            optional=True,
            hint=_("For events over several days; defaults to the start date."),
        ),
        blockkit.input_block(
            END_TIME,
            _("End time"),
            _with_initial(
                {"type": "timepicker", "action_id": END_TIME},
                "initial_time",
                values.end_time and values.end_time.strftime("%H:%M"),
            ),
            optional=True,
        ),
        blockkit.input_block(
            TIMEZONE,
            _("Time zone"),
            {"type": "static_select", "action_id": TIMEZONE, "options": tz_options, "initial_option": initial_tz},
        ),
        blockkit.input_block(
            ADDRESS,
            _("Address"),
            blockkit.text_input(ADDRESS, values.address, fields.ADDRESS.max_length, placeholder="4701 Sisk Road"),
            optional=True,
        ),  # untranslated: an example street address
        blockkit.input_block(
            CITY, _("City"), blockkit.text_input(CITY, values.city, fields.CITY.max_length), optional=True
        ),
        blockkit.input_block(
            STATE,
            _("State"),
            blockkit.text_input(STATE, values.state, fields.STATE.max_length, placeholder="CA"),
            optional=True,
        ),
        blockkit.input_block(
            ZIP, _("ZIP code"), blockkit.text_input(ZIP, values.zip_code, fields.ZIP.max_length), optional=True
        ),
        blockkit.input_block(
            ONLINE_URL,
            _("Online link"),
            _with_initial({"type": "url_text_input", "action_id": ONLINE_URL}, "initial_value", values.online_url),
            optional=True,
            hint=_("For call-in days, livestreams and online events."),
        ),
        blockkit.input_block(
            ORGANIZATIONS,
            _("Lead organizations"),
            blockkit.text_input(ORGANIZATIONS, values.lead_organizations, fields.ORGANIZATIONS.max_length),
            optional=True,
        ),
        blockkit.input_block(
            CONTACT_NAME,
            _("Lead contact name"),
            blockkit.text_input(CONTACT_NAME, values.contact_name, fields.CONTACT_NAME.max_length),
            optional=True,
        ),
        blockkit.input_block(
            CONTACT_EMAIL,
            _("Lead contact email"),
            _with_initial(
                {"type": "email_text_input", "action_id": CONTACT_EMAIL}, "initial_value", values.contact_email
            ),
            optional=True,
            hint=_("Not shown on the card when the event is not open to the public."),
        ),
        blockkit.input_block(
            DETAILS,
            _("Details"),
            blockkit.text_input(DETAILS, values.details, fields.DETAILS.max_length, multiline=True),
            optional=True,
        ),
        _congress_input(values.congress_members),
        *_campaign_input(values),
        blockkit.input_block(
            PUBLIC,
            _("Open to the public"),
            {
                "type": "radio_buttons",
                "action_id": PUBLIC,
                "options": public_options,
                "initial_option": public_options[0 if values.is_public else 1],
            },
        ),
    ]
    reminder_options = [_option(kind, reminder_option(lead)) for kind, lead in LEAD_TIMES.items()]
    reminder_select = {
        "type": "multi_static_select",
        "action_id": REMINDERS,
        "options": reminder_options,
        "placeholder": blockkit.plain(_("No reminders")),
    }
    chosen = [o for o in reminder_options if o["value"] in values.reminders]
    blocks.append(
        blockkit.input_block(
            REMINDERS,
            _("Reminders"),
            _with_initial(reminder_select, "initial_options", chosen or None),
            optional=True,
            hint=_("Posted in the announcement's thread and sent by DM to everyone going."),
        )
    )
    if values.may_choose_co_hosts:
        blocks.append(_co_hosts_input(values.co_hosts))
    editing = values.event_id is not None
    if not editing:  # an edit updates the card where it was posted
        blocks.append(blockkit.input_block(CHANNEL, _("Announce in channel"), channel_select))
    # TRANSLATORS: the form's title, its submit button and its close button: at most 24 characters each
    title = _("Edit event") if editing else _("New event")
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": blockkit.plain(title, MODAL_TITLE),
        "submit": blockkit.plain(
            pgettext("button", "Save") if editing else pgettext("button", "Register"), MODAL_TITLE
        ),
        "close": blockkit.plain(pgettext("button", "Cancel"), MODAL_TITLE),
        "private_metadata": json.dumps({"event_id": values.event_id}),
        "blocks": blocks,
    }


def field_labels() -> dict[str, str]:
    """Each input's label as the modal shows it, by block id: reports name a field as people know it."""
    return _field_labels(current_language())


@cache
def _field_labels(language: str) -> dict[str, str]:  # the language keys the cache; the labels are drawn in it
    blocks = event_form(EventFormValues(timezone=next(iter(COMMON_TIMEZONES))))["blocks"]
    return {block["block_id"]: block["label"]["text"] for block in blocks if block["type"] == "input"}


def member_option(member: Member) -> dict:
    return _option(member.bioguide, member_option_text(member))


def _congress_input(chosen: list[str]) -> dict:
    """A menu that searches the members as one types (handlers.congress answers its block_suggestion)."""
    select = {
        "type": "multi_external_select",
        "action_id": CONGRESS,
        "min_query_length": 2,
        "max_selected_items": fields.MAX_CONGRESS_MEMBERS,
        "placeholder": blockkit.plain(_("Type a name or a state (CA)")),
    }
    initial = [member_option(m) for m in members_by_id(chosen)] if chosen else None
    return blockkit.input_block(
        CONGRESS,
        _("Members of Congress"),
        _with_initial(select, "initial_options", initial),
        optional=True,
        hint=_("Whom a legislative visit, a call-in day or a town hall is for: shown on the card."),
    )


def _co_hosts_input(chosen: list[str]) -> dict:
    select = {
        "type": "multi_users_select",
        "action_id": CO_HOSTS,
        "max_selected_items": fields.MAX_CO_HOSTS,
        "placeholder": blockkit.plain(_("People who run it with you")),
    }
    return blockkit.input_block(
        CO_HOSTS,
        _("Co-hosts"),
        _with_initial(select, "initial_users", chosen[: fields.MAX_CO_HOSTS] or None),
        optional=True,
        hint=_("Co-hosts can edit and cancel the event and see who's going. I'll let them know by DM."),
    )


# --- what the form says under a field it cannot accept (services.event_form) -----------


def too_long(limit: int, length: int) -> str:
    return ngettext(
        "Please keep this under {limit} character (it has {length}).",
        "Please keep this under {limit} characters (it has {length}).",
        limit,
    ).format(limit=number(limit), length=number(length))


def no_title() -> str:
    return _("Give the event a title.")


def no_type() -> str:
    return _("Choose the kind of event.")


def no_timezone() -> str:
    return _("Choose a time zone.")


def bad_email() -> str:
    return _("That does not look like an email address (name@example.org).")


def bad_link() -> str:
    return _("Use a full link starting with https://")


def bad_zip() -> str:
    return _("Use a 5-digit ZIP code, like 95356.")


def no_channel() -> str:
    return _("Choose the channel to announce the event in.")


def too_many_co_hosts() -> str:
    return ngettext("Choose at most {count} co-host.", "Choose at most {count} co-hosts.", fields.MAX_CO_HOSTS).format(
        count=number(fields.MAX_CO_HOSTS)
    )


def too_many_members() -> str:
    return ngettext(
        "Choose at most {count} member of Congress.",
        "Choose at most {count} members of Congress.",
        fields.MAX_CONGRESS_MEMBERS,
    ).format(count=number(fields.MAX_CONGRESS_MEMBERS))


def not_a_member() -> str:
    return _("Choose members of Congress from the menu.")


def not_a_co_host() -> str:
    return _("Choose co-hosts from the people in this workspace.")


def bad_date_or_time() -> str:
    return _("That date or time is not valid.")


def no_start_date() -> str:
    return _("Pick the date of the event.")


def last_day_before_first() -> str:
    return _("The last day cannot be before the first day.")


def day_in_past() -> str:
    return _("That date is in the past.")


def start_in_past() -> str:
    return _("The start is in the past.")


def no_end_time() -> str:
    return _("Add an end time for an event that ends on another day.")


def end_before_start() -> str:
    return _("The end must be after the start.")


def skipped_time(wall: time, day: date, tz_name: str) -> str:
    """A time that never happens on that day: the clocks jump over it (spring forward)."""
    return _("{time} does not exist on {day} in {zone} (clocks move forward); pick a time after the change.").format(
        time=dates.time_of_day(wall), day=dates.month_day(day), zone=tz_name
    )


def form_event_id(view: dict) -> int | None:
    """The event an edit form is about; None for a new event or metadata that is not ours."""
    try:
        value = json.loads(view.get("private_metadata") or "{}").get("event_id")
    except (ValueError, AttributeError):
        return None
    return value if type(value) is int and 0 < value < 2**31 else None


def chosen_channel(view: dict) -> str | None:
    """The channel picked in a submitted form, before the rest is validated."""
    element = (((view.get("state") or {}).get("values") or {}).get(CHANNEL) or {}).get(CHANNEL) or {}
    channel = element.get("selected_conversation") if isinstance(element, dict) else None
    return channel if isinstance(channel, str) and channel[:1] in ("C", "G") and len(channel) <= 32 else None
