"""Reading the event modal's submission: parse Slack's view state, validate, map onto an Event.

Errors are keyed by block id, the shape Slack's `response_action: errors` wants,
so each message appears under the field it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from messages import event_form as form
from storage import congress
from storage import event_fields as fields
from storage.models import Event, EventType
from storage.reminders import DEFAULT_LEAD_TIMES, LEAD_TIMES
from timemath import (
    ONE_DAY,
    NonexistentLocalTime,
    is_valid_timezone,
    local_date,
    local_to_utc,
    start_of_day_utc,
    to_local,
)

# local@domain: no character can be read by both quantifiers (the @ parts them), so a match
# never backtracks; the domain's inner dot is looked for apart, since one pattern holding it
# ("@[^@\s<>]+\.[^@\s<>]+") backtracks quadratically on "a@x.x.x...@" (seconds for 30 kB).
EMAIL_SHAPE = re.compile(r"[^@\s<>]+@[^@\s<>]+")
EMAIL_MAX = fields.CONTACT_EMAIL.max_length  # 254: the longest address SMTP carries (RFC 5321)
ZIP = re.compile(r"^\d{5}(-\d{4})?$")
SLACK_USER = re.compile(r"^[UW][A-Z0-9]{1,31}$")
TEXT_LIMITS = {field.name: field.max_length for field in fields.TEXT_FIELDS}


def is_email(text: str) -> bool:
    """An address as the modal and the listings accept it: one @, no spaces or angle brackets,
    a dot inside the domain (not its first or last character), at most EMAIL_MAX characters."""
    return len(text) <= EMAIL_MAX and EMAIL_SHAPE.fullmatch(text) is not None and "." in text.rpartition("@")[2][1:-1]


@dataclass
class EventInput:
    title: str
    event_type: EventType
    all_day: bool
    starts_at: datetime
    ends_at: datetime | None
    timezone: str
    address: str | None
    city: str | None
    state: str | None
    zip_code: str | None
    online_url: str | None
    lead_organizations: str | None
    contact_name: str | None
    contact_email: str | None
    details: str | None
    is_public: bool
    channel_id: str | None
    reminders: list[str] = field(default_factory=lambda: list(DEFAULT_LEAD_TIMES))
    co_hosts: list[str] | None = None  # None: the form had no co-hosts field (a co-host's form)
    # As chosen: a campaign slug, form.NO_CAMPAIGN, or None (left empty: the campaign running
    # on the event's date, found when it is saved: services.events).
    campaign_choice: str | None = None
    congress_members: list[str] | None = None  # bioguide ids; None: the form had no such field (an older modal)


class FormState:
    """Typed access to `view.state.values`, whose shape differs per element type."""

    def __init__(self, values: dict) -> None:
        self._values = values

    def _element(self, block_id: str) -> dict:
        return self._values.get(block_id, {}).get(block_id, {})

    def text(self, block_id: str) -> str | None:
        value = (self._element(block_id).get("value") or "").strip()
        return value or None

    def selected(self, block_id: str) -> str | None:
        option = self._element(block_id).get("selected_option") or {}
        return option.get("value")

    def checked(self, block_id: str) -> bool:
        return bool(self._element(block_id).get("selected_options"))

    def date(self, block_id: str) -> date | None:
        raw = self._element(block_id).get("selected_date")
        return date.fromisoformat(raw) if raw else None

    def time(self, block_id: str) -> time | None:
        raw = self._element(block_id).get("selected_time")
        return time.fromisoformat(raw) if raw else None

    def has(self, block_id: str) -> bool:
        return block_id in self._values

    def multi(self, block_id: str) -> list[str]:
        return [o.get("value") for o in self._element(block_id).get("selected_options") or []]

    def conversation(self, block_id: str) -> str | None:
        return self._element(block_id).get("selected_conversation")

    def users(self, block_id: str) -> list[str]:
        chosen = self._element(block_id).get("selected_users")
        return [user for user in chosen if isinstance(user, str)] if isinstance(chosen, list) else []


class _Given(FormState):
    """The same questions asked of values given whole (an imported listing): block ids are the
    values' attribute names, so an import is checked exactly as a submission is."""

    def __init__(self, values: form.EventFormValues) -> None:
        self._given = values

    def _value(self, block_id: str):
        return getattr(
            self._given, {form.CHANNEL: "channel_id", form.CAMPAIGN: "campaign_slug"}.get(block_id, block_id)
        )

    def text(self, block_id: str) -> str | None:
        return (self._value(block_id) or "").strip() or None

    def selected(self, block_id: str) -> str | None:
        if block_id == form.PUBLIC:
            return "public" if self._given.is_public else "private"
        value = self._value(block_id)
        return value.value if isinstance(value, EventType) else value

    def checked(self, block_id: str) -> bool:
        return bool(self._value(block_id))

    date = time = conversation = _value

    def has(self, block_id: str) -> bool:
        return True

    def multi(self, block_id: str) -> list[str]:
        return list(self._value(block_id))

    users = multi


def parse_event_form(
    state_values: dict, now: datetime, *, previous: Event | None = None
) -> tuple[EventInput | None, dict[str, str]]:
    """Validate a submission; return the input, or the errors to show under each field."""
    return _checked(FormState(state_values), now, previous, needs_channel=previous is None)


def parse_form_values(
    values: form.EventFormValues, now: datetime, *, needs_channel: bool
) -> tuple[EventInput | None, dict[str, str]]:
    """Validate values given whole (an imported entry) as a new event's submission; without
    `needs_channel` it may have no channel (it is not announced)."""
    return _checked(_Given(values), now, None, needs_channel=needs_channel)


def _checked(
    state: FormState, now: datetime, previous: Event | None, *, needs_channel: bool
) -> tuple[EventInput | None, dict[str, str]]:
    errors: dict[str, str] = {}
    try:
        return _parse(state, now, previous, errors, needs_channel), errors
    except _Invalid:
        return None, errors
    except ValueError:  # a malformed date or time from a client that is not Slack's
        errors.setdefault(form.START_DATE, form.bad_date_or_time())
        return None, errors


class _Invalid(Exception):
    pass


def _parse(
    state: FormState, now: datetime, previous: Event | None, errors: dict[str, str], needs_channel: bool
) -> EventInput:
    for block_id, limit in TEXT_LIMITS.items():
        value = state.text(block_id)
        if value and len(value) > limit:
            errors[block_id] = form.too_long(limit, len(value))

    title = state.text(form.TITLE)
    if not title:
        errors[form.TITLE] = form.no_title()

    raw_type = state.selected(form.TYPE)
    event_type = EventType(raw_type) if raw_type in EventType._value2member_map_ else None
    if event_type is None:
        errors[form.TYPE] = form.no_type()

    timezone = state.selected(form.TIMEZONE) or ""
    if not is_valid_timezone(timezone):
        errors[form.TIMEZONE] = form.no_timezone()

    email = state.text(form.CONTACT_EMAIL)
    if email and not is_email(email):
        errors.setdefault(form.CONTACT_EMAIL, form.bad_email())

    url = state.text(form.ONLINE_URL)
    if url and not url.lower().startswith(("https://", "http://")):
        errors.setdefault(form.ONLINE_URL, form.bad_link())

    zip_code = state.text(form.ZIP)
    if zip_code and not ZIP.match(zip_code):
        errors[form.ZIP] = form.bad_zip()

    channel_id = state.conversation(form.CHANNEL)
    if needs_channel and not channel_id:
        errors[form.CHANNEL] = form.no_channel()

    co_hosts = _parse_co_hosts(state, errors)
    congress_members = _parse_congress_members(state, errors)
    when = _parse_when(state, timezone, now, previous, errors) if form.TIMEZONE not in errors else None
    if errors or when is None:
        raise _Invalid
    all_day, starts_at, ends_at = when
    return EventInput(
        title=title,
        event_type=event_type,
        all_day=all_day,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone,
        address=state.text(form.ADDRESS),
        city=state.text(form.CITY),
        state=state.text(form.STATE),
        zip_code=zip_code,
        online_url=url,
        lead_organizations=state.text(form.ORGANIZATIONS),
        contact_name=state.text(form.CONTACT_NAME),
        contact_email=email,
        details=state.text(form.DETAILS),
        is_public=state.selected(form.PUBLIC) != "private",
        channel_id=channel_id,
        # A form without the field (an older modal still open) keeps the defaults.
        reminders=[k for k in state.multi(form.REMINDERS) if k in LEAD_TIMES]
        if state.has(form.REMINDERS)
        else list(DEFAULT_LEAD_TIMES),
        co_hosts=co_hosts,
        campaign_choice=state.selected(form.CAMPAIGN),
        congress_members=congress_members,
    )


def _parse_co_hosts(state: FormState, errors: dict[str, str]) -> list[str] | None:
    if not state.has(form.CO_HOSTS):
        return None
    chosen = list(dict.fromkeys(state.users(form.CO_HOSTS)))
    if len(chosen) > fields.MAX_CO_HOSTS:
        errors[form.CO_HOSTS] = form.too_many_co_hosts()
    elif not all(SLACK_USER.match(user) for user in chosen):
        errors[form.CO_HOSTS] = form.not_a_co_host()
    return chosen


def _parse_congress_members(state: FormState, errors: dict[str, str]) -> list[str] | None:
    if not state.has(form.CONGRESS):
        return None
    chosen = list(dict.fromkeys(value for value in state.multi(form.CONGRESS) if isinstance(value, str)))
    if len(chosen) > fields.MAX_CONGRESS_MEMBERS:
        errors[form.CONGRESS] = form.too_many_members()
    elif len(congress.members_by_id(chosen)) != len(chosen):  # an option forged, or a member since gone
        errors[form.CONGRESS] = form.not_a_member()
    return chosen


def _parse_when(
    state: FormState, tz: str, now: datetime, previous: Event | None, errors: dict[str, str]
) -> tuple[bool, datetime, datetime | None] | None:
    start_date, end_date = state.date(form.START_DATE), state.date(form.END_DATE)
    start_time, end_time = state.time(form.START_TIME), state.time(form.END_TIME)
    if start_date is None:
        errors[form.START_DATE] = form.no_start_date()
        return None
    # No start time means an all-day event, as the field's hint says.
    all_day = state.checked(form.ALL_DAY) or start_time is None
    # Editing an event that already started must not fail on its own start.
    start_unchanged = previous is not None and previous.all_day == all_day

    if all_day:
        last_day = end_date or start_date
        if last_day < start_date:
            errors[form.END_DATE] = form.last_day_before_first()
            return None
        starts_at = start_of_day_utc(start_date, tz)
        if start_date < local_date(now, tz) and not (start_unchanged and previous.starts_at == starts_at):
            errors[form.START_DATE] = form.day_in_past()
            return None
        return True, starts_at, start_of_day_utc(last_day + ONE_DAY, tz)

    try:
        starts_at = local_to_utc(start_date, start_time, tz)
    except NonexistentLocalTime:
        errors[form.START_TIME] = form.skipped_time(start_time, start_date, tz)
        return None
    if starts_at < now and not (start_unchanged and previous.starts_at == starts_at):
        errors[form.START_TIME if start_date == local_date(now, tz) else form.START_DATE] = form.start_in_past()
        return None
    if end_time is None:
        if end_date and end_date != start_date:
            errors[form.END_TIME] = form.no_end_time()
            return None
        return False, starts_at, None
    try:
        ends_at = local_to_utc(end_date or start_date, end_time, tz)
    except NonexistentLocalTime:
        errors[form.END_TIME] = form.skipped_time(end_time, end_date or start_date, tz)
        return None
    if ends_at <= starts_at:
        errors[form.END_TIME] = form.end_before_start()
        return None
    return False, starts_at, ends_at


def apply(event: Event, data: EventInput, now: datetime) -> Event:
    """Copy the submitted fields onto an event (new or edited)."""
    for text_field in fields.TEXT_FIELDS:
        setattr(event, text_field.name, getattr(data, text_field.name))
    event.event_type = data.event_type.value
    event.all_day = data.all_day
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.timezone = data.timezone
    event.is_public = data.is_public
    if data.congress_members is not None:
        event.congress_members = " ".join(data.congress_members) or None
    event.updated_at = now
    return event


def form_values(
    event: Event,
    reminders: list[str] | None = None,
    *,
    co_hosts: list[str] | None = None,
    may_choose_co_hosts: bool = True,
) -> form.EventFormValues:
    """The modal prefilled with an event's current values (chosen reminders, co-hosts), for editing."""

    start = to_local(event.starts_at, event.timezone)
    end = to_local(event.ends_at, event.timezone) if event.ends_at else None
    if event.all_day:
        last_day = (end.date() - ONE_DAY) if end else start.date()
        start_time = end_time = None
        end_date = last_day if last_day != start.date() else None
    else:
        start_time = start.time().replace(second=0, microsecond=0)
        end_time = end.time().replace(second=0, microsecond=0) if end else None
        end_date = end.date() if end and end.date() != start.date() else None
    return form.EventFormValues(
        timezone=event.timezone,
        event_id=event.id,
        title=event.title,
        event_type=event.type,
        all_day=event.all_day,
        start_date=start.date(),
        start_time=start_time,
        end_date=end_date,
        end_time=end_time,
        address=event.address,
        city=event.city,
        state=event.state,
        zip_code=event.zip_code,
        online_url=event.online_url,
        lead_organizations=event.lead_organizations,
        contact_name=event.contact_name,
        contact_email=event.contact_email,
        details=event.details,
        is_public=event.is_public,
        reminders=list(DEFAULT_LEAD_TIMES) if reminders is None else reminders,
        co_hosts=co_hosts or [],
        may_choose_co_hosts=may_choose_co_hosts,
        campaign_slug=event.campaign_slug,
        congress_members=(event.congress_members or "").split(),
    )
