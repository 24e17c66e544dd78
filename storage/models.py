"""SQLAlchemy 2 typed models. Every row belongs to one Slack team (`team_id`)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from storage import event_fields as fields
from storage import places
from storage.types import UTCDateTime

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class EventType(enum.StrEnum):
    RALLY = "rally"
    PRAYER_VIGIL = "prayer_vigil"
    PRESS_CONFERENCE = "press_conference"
    TOWN_HALL = "town_hall"
    LEGISLATIVE_VISIT = "legislative_visit"
    CALL_IN_DAY = "call_in_day"
    CANVASS = "canvass"
    PANEL_DISCUSSION = "panel_discussion"
    SOCIAL_MEDIA_PUSH = "social_media_push"
    OTHER = "other"


class ApprovalState(enum.StrEnum):
    """Whether an event may be announced and listed: events by non-admins wait for review while
    a team's review is on (services.approval)."""

    APPROVED = "approved"  # announced and listed (every event while review is off)
    PENDING = "pending"  # waiting in the review channel: no card, listed only to its host and admins
    REJECTED = "rejected"  # never announced; its host was told why


# Sizes of content columns (the event's own fields are in storage.event_fields).
SHORT_TEXT_MAX = 200
APPROVAL_REASON_MAX = 500
SLUG_MAX = 64


# How long an event lasts, in classes: class k lasts at most DURATION_WINDOWS[k] (1 hour, 4 hours,
# 16 hours, ... 1.9 years); longer ones are class len(DURATION_WINDOWS). An event of class k that
# is on at an instant ends within that window after it, which bounds the search for what is on now.
DURATION_WINDOWS = tuple(timedelta(hours=4**k) for k in range(8))


def duration_class(starts_at: datetime, ends_at: datetime | None) -> int:
    length = (ends_at or starts_at) - starts_at
    return next((k for k, window in enumerate(DURATION_WINDOWS) if length <= window), len(DURATION_WINDOWS))


def normalize_state(state: str | None) -> str | None:
    """What a state filter compares: `ca`, ` CA` and `Ca` are all CA."""
    return (state or "").strip().upper() or None


def normalize_city(city: str | None) -> str | None:
    """What a city filter compares: case and spacing do not count (`el  paso` is El Paso, `CAÑON CITY` Cañon City)."""
    return " ".join((city or "").split()).casefold() or None


def location_keys(
    zip_code: str | None, city: str | None, state: str | None, online_url: str | None
) -> tuple[float | None, float | None, int | None]:
    """(latitude, longitude, grid cell) of an event: its ZIP code's, else its city's; an event that
    is nowhere known but online is in the online cell; one neither placed nor online, in none."""
    place = places.locate(zip_code, city, state)
    if place is None:
        return None, None, places.ONLINE_CELL if online_url else None
    return place.latitude, place.longitude, places.cell_of(place.latitude, place.longitude)


def _row_location(row: Mapping) -> tuple[float | None, float | None, int | None]:
    return location_keys(row.get("zip_code"), row.get("city"), row.get("state"), row.get("online_url"))


def _on_insert(derive: Callable[[Mapping], object]) -> Callable:
    """A column default computing a search column from the inserted row itself (Core and bulk inserts)."""
    return lambda context: derive(context.get_current_parameters())


# What says whether an event is on and who may see it (review included).
FILTER_COLUMNS = ("cancelled_at", "private_channel", "is_public", "channel_id", "created_by", "approval")


class Event(Base):
    """A local action. Start and end are UTC instants; `timezone` says where they are read.

    All-day events start at local midnight of their first day and end at local
    midnight after their last day, so sorting and reminders need no special case.

    `effective_end`, `duration_class`, `state_key`, `city_key`, `latitude`, `longitude` and
    `geo_cell` are search columns, derived from the columns they follow and never set by hand:
    on every assignment through the ORM (the validators below) and on every INSERT, bulk or Core
    ones too (the column defaults). A Core UPDATE of those columns would bypass both; change
    events through the ORM.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_team_starts", "team_id", "starts_at"),
        # One index per hot query: equality columns first, then the range the query walks in order.
        Index("ix_events_team_type_starts", "team_id", "event_type", "starts_at"),
        Index("ix_events_team_state_starts", "team_id", "state_key", "starts_at"),
        Index("ix_events_team_city_starts", "team_id", "city_key", "starts_at"),
        Index("ix_events_team_campaign_starts", "team_id", "campaign_slug", "starts_at"),
        Index("ix_events_team_duration_end", "team_id", "duration_class", "effective_end"),
        Index("ix_events_team_creator_starts", "team_id", "created_by", "starts_at"),  # `/event mine`
        # The distance search's: the upcoming events of a grid cell, with all it counts and filters by;
        # at one spot (latitude and longitude given), in the order of (effective end, id). Not a
        # partial index (of events not cancelled): its dialect options load both SQLAlchemy dialects
        # into every process (+2.5 MB).
        Index(
            "ix_events_team_cell_end",
            "team_id",
            "geo_cell",
            "effective_end",
            "latitude",
            "longitude",
            "id",
            *FILTER_COLUMNS,
        ),
        # The clock's search for events just over whose hosts were not asked yet (storage.reports).
        Index("ix_events_report_due", "report_requested_at", "effective_end"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(fields.TITLE.max_length))
    event_type: Mapped[str] = mapped_column(String(32), default=EventType.OTHER.value)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(fields.ADDRESS.max_length))
    city: Mapped[str | None] = mapped_column(String(fields.CITY.max_length))
    state: Mapped[str | None] = mapped_column(String(fields.STATE.max_length))
    zip_code: Mapped[str | None] = mapped_column(String(fields.ZIP.max_length))
    online_url: Mapped[str | None] = mapped_column(String(fields.ONLINE_URL.max_length))
    lead_organizations: Mapped[str | None] = mapped_column(String(fields.ORGANIZATIONS.max_length))
    contact_name: Mapped[str | None] = mapped_column(String(fields.CONTACT_NAME.max_length))
    contact_email: Mapped[str | None] = mapped_column(String(fields.CONTACT_EMAIL.max_length))
    details: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    # Announced in a private channel: listed, shown and digested only there, and to its
    # creator and admins; never public.
    private_channel: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    message_ts: Mapped[str | None] = mapped_column(String(32))
    # Known once the card is posted; digests link to the card without asking Slack again.
    permalink: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(32))
    # Why the card could not be posted (a permanent Slack error), shown to its organizers.
    card_error: Mapped[str | None] = mapped_column(String(200))
    # Review (services.approval): the state, and who decided when and why (None: no review).
    approval: Mapped[str] = mapped_column(
        String(16), default=ApprovalState.APPROVED.value, server_default=ApprovalState.APPROVED.value
    )
    approval_by: Mapped[str | None] = mapped_column(String(32))
    approval_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approval_reason: Mapped[str | None] = mapped_column(String(APPROVAL_REASON_MAX))
    # When its hosts were asked how it went (services.reports); None until it is over.
    report_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The iCalendar SEQUENCE: rises with every edit and the cancellation, so that calendars
    # subscribed to a feed take the newer version.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # The slug of the team's campaign it belongs to (storage.models.Campaign), if any.
    campaign_slug: Mapped[str | None] = mapped_column(String(SLUG_MAX))
    # The members of Congress it is for: bioguide ids joined by spaces (storage.congress), if any.
    congress_members: Mapped[str | None] = mapped_column(String(fields.CONGRESS_MEMBERS_LENGTH))
    # Search columns (see the class docstring).
    # When it stops being upcoming: its end, or its start if it has no end.
    effective_end: Mapped[datetime] = mapped_column(
        UTCDateTime, default=_on_insert(lambda row: row.get("ends_at") or row.get("starts_at"))
    )
    duration_class: Mapped[int] = mapped_column(
        SmallInteger,
        default=_on_insert(lambda row: row.get("starts_at") and duration_class(row["starts_at"], row.get("ends_at"))),
    )
    state_key: Mapped[str | None] = mapped_column(
        String(fields.STATE.max_length), default=_on_insert(lambda row: normalize_state(row.get("state")))
    )
    city_key: Mapped[str | None] = mapped_column(
        String(fields.CITY.max_length), default=_on_insert(lambda row: normalize_city(row.get("city")))
    )
    # Where it is (storage.places.locate) and the grid cell a distance search finds it in.
    latitude: Mapped[float | None] = mapped_column(Float, default=_on_insert(lambda row: _row_location(row)[0]))
    longitude: Mapped[float | None] = mapped_column(Float, default=_on_insert(lambda row: _row_location(row)[1]))
    geo_cell: Mapped[int | None] = mapped_column(Integer, default=_on_insert(lambda row: _row_location(row)[2]))

    @validates("starts_at", "ends_at")
    def _derive_time_keys(self, key: str, value: datetime | None) -> datetime | None:
        starts_at = value if key == "starts_at" else self.starts_at
        ends_at = value if key == "ends_at" else self.ends_at
        if starts_at is not None:  # the constructor may set the end first
            self.effective_end = ends_at or starts_at
            self.duration_class = duration_class(starts_at, ends_at)
        return value

    @validates("zip_code", "city", "state", "online_url")
    def _derive_place_keys(self, key: str, value: str | None) -> str | None:
        if key == "state":
            self.state_key = normalize_state(value)
        elif key == "city":
            self.city_key = normalize_city(value)
        where = {name: getattr(self, name) for name in ("zip_code", "city", "state", "online_url")} | {key: value}
        self.latitude, self.longitude, self.geo_cell = location_keys(**where)
        return value

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def type(self) -> EventType:
        return EventType(self.event_type)

    @property
    def is_approved(self) -> bool:
        return self.approval == ApprovalState.APPROVED.value

    @property
    def is_pending(self) -> bool:
        return self.approval == ApprovalState.PENDING.value

    @property
    def is_rejected(self) -> bool:
        return self.approval == ApprovalState.REJECTED.value


class Origin(enum.StrEnum):
    """Where a content row comes from: the shipped content files, or the team itself."""

    SHIPPED = "shipped"
    TEAM = "team"


POST_TEXT_MAX = 2000
NOTE_TEXT_MAX = 2000
CAMPAIGN_NAME_MAX = 150
CAMPAIGN_TEXT_MAX = 2000  # description and call to action, as the campaign modal caps them


class ContentTopic(Base):
    """A toolkit, list of asks, messaging guide, background or set of sample posts, per team.

    Shipped topics are upserted by (team_id, slug) when the content files are (re)loaded.
    `body` holds the topic's `intro` and `sections` exactly as the content file gives them;
    `translations` the file's translated fields by language (`{"es": {"title": ..., "sections": [...]}}`).
    """

    __tablename__ = "content_topics"
    __table_args__ = (UniqueConstraint("team_id", "slug", name="uq_content_topics_team_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    slug: Mapped[str] = mapped_column(String(SLUG_MAX))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX))
    campaign: Mapped[str] = mapped_column(String(SLUG_MAX))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX))
    body: Mapped[dict] = mapped_column(JSON, default=dict)
    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    position: Mapped[int] = mapped_column(Integer, default=0)
    origin: Mapped[str] = mapped_column(String(16), default=Origin.SHIPPED.value)


class ContentPost(Base):
    """A sample tweet or Facebook post. Shipped posts have a stable `key` (`<topic slug>#<n>`)
    and may carry `translations` (`{"es": {"text": ..., "hashtags": [...]}}`); team posts
    (origin 'team') have neither and are never touched by a reload."""

    __tablename__ = "content_posts"
    __table_args__ = (
        UniqueConstraint("team_id", "key", name="uq_content_posts_team_key"),
        Index("ix_content_posts_team_platform", "team_id", "platform"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str | None] = mapped_column(String(100))
    platform: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    hashtags: Mapped[list[str]] = mapped_column(JSON, default=list)
    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    campaign: Mapped[str | None] = mapped_column(String(SLUG_MAX))
    position: Mapped[int] = mapped_column(Integer, default=0)
    origin: Mapped[str] = mapped_column(String(16), default=Origin.SHIPPED.value)
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ContentNote(Base):
    """A team's own note on a toolkit topic (always origin 'team'; reloads never touch it)."""

    __tablename__ = "content_notes"
    __table_args__ = (Index("ix_content_notes_team_topic", "team_id", "topic_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    topic_slug: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default=Origin.TEAM.value)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EventHost(Base):
    """A co-host: someone who hosts an event with its creator (edits, cancels, sees who is going).
    The creator is `Event.created_by`, never a row here."""

    __tablename__ = "event_hosts"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_event_hosts_event_user"),
        Index("ix_event_hosts_team_user", "team_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Campaign(Base):
    """A week or day of action, per team: its dates, hashtags, description and call to action.

    Toolkits, sample posts and events belong to it by its slug, which never changes once made.
    Shipped campaigns are upserted by (team_id, slug) when the content files are (re)loaded;
    one a team has edited becomes the team's (origin 'team') and reloads leave it alone.
    `starts_on` and `ends_on` are calendar days, both included; both are set or neither is.
    `dates_text` is the dates as the seed words them ("Jan 27-Feb 3, 2018"), shipped only.
    """

    __tablename__ = "campaigns"
    __table_args__ = (UniqueConstraint("team_id", "slug", name="uq_campaigns_team_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    slug: Mapped[str] = mapped_column(String(SLUG_MAX))
    name: Mapped[str] = mapped_column(String(CAMPAIGN_NAME_MAX))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    dates_text: Mapped[str | None] = mapped_column(String(SHORT_TEXT_MAX))
    hashtags: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    call_to_action: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default=Origin.TEAM.value)
    created_by: Mapped[str | None] = mapped_column(String(32))  # None for shipped campaigns
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Rsvp(Base):
    """One person going to one event; the unique pair makes a repeated click harmless."""

    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_rsvps_event_user"),
        Index("ix_rsvps_team_user", "team_id", "user_id"),  # `/event mine`
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SignupStatus(enum.StrEnum):
    GOING = "going"
    CANCELLED = "cancelled"


# Sizes of a public sign-up's fields (the form caps its inputs with them). An address is at most
# 254 characters (RFC 5321's path limit less its angle brackets).
SIGNUP_NAME_MAX = 100
SIGNUP_EMAIL_MAX = 254
SIGNUP_ZIP_MAX = 10
SIGNUP_PHONE_MAX = 32
SIGNUP_TOKEN_MAX = 64


class Signup(Base):
    """A member of the public going to an event, signed up on its public page (no Slack account).

    `token` is the unguessable key of the sign-up's own page (and its cancel and forget
    buttons). The personal data (name, email, ZIP, phone) is erased, set to None with
    `erased_at`, when its person asks or ATTENDEE_RETENTION_DAYS after the event; the row stays,
    counted as it was. `language` is that of the page they signed up on: their emails speak it.
    """

    __tablename__ = "signups"
    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_signups_event_email"),  # several NULLs (erased) allowed
        UniqueConstraint("token", name="uq_signups_token"),
        Index("ix_signups_event_status", "event_id", "status"),
        Index("ix_signups_email_created", "email", "created_at"),  # the rate limit per address
        Index("ix_signups_erased_event", "erased_at", "event_id"),  # the clock's search for data to erase
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(SIGNUP_TOKEN_MAX))
    name: Mapped[str | None] = mapped_column(String(SIGNUP_NAME_MAX))
    email: Mapped[str | None] = mapped_column(String(SIGNUP_EMAIL_MAX))
    zip_code: Mapped[str | None] = mapped_column(String(SIGNUP_ZIP_MAX))
    phone: Mapped[str | None] = mapped_column(String(SIGNUP_PHONE_MAX))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default=SignupStatus.GOING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_going(self) -> bool:
        return self.status == SignupStatus.GOING.value

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for due_at (or next_attempt_at after a transient error)
    QUEUED = "queued"  # due: handed to the outbox, which posts it exactly once
    SENT = "sent"
    SENT_LATE = "sent_late"  # posted after its grace period but before the event started
    SKIPPED = "skipped"  # its moment passed: lead time already past, or the event started
    FAILED = "failed"  # a permanent error (channel gone, archived, ...), not retried
    CANCELLED = "cancelled"  # the event was cancelled, the lead time removed, or the RSVP withdrawn


UNSENT = (ReminderStatus.PENDING.value, ReminderStatus.QUEUED.value)
DONE_SENDING = (ReminderStatus.SENT.value, ReminderStatus.SENT_LATE.value)


class RecipientType(enum.StrEnum):
    CHANNEL = "channel"  # a reply in the announcement's thread
    USER = "user"  # a DM to someone who RSVP'd
    SIGNUP = "signup"  # an email to a member of the public signed up (recipient: storage.signups.recipient)


class Reminder(Base):
    """One reminder: an event, a lead time (`kind`) and a recipient; sent at most once."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("event_id", "kind", "recipient", name="uq_reminders_event_kind_recipient"),
        Index("ix_reminders_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # a key of storage.scheduling.LEAD_TIMES
    recipient_type: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(32))  # channel id or user id
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING.value)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When it is handed to the outbox: due_at, or later if it was moved.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DigestSubscription(Base):
    """A channel's daily digest at a local wall time; next_run_at is the next such instant in UTC."""

    __tablename__ = "digest_subscriptions"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", name="uq_digest_subscriptions_team_channel"),
        Index("ix_digest_subscriptions_next_run_at", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    local_time: Mapped[str] = mapped_column(String(5))  # HH:MM on the subscriber's clock
    timezone: Mapped[str] = mapped_column(String(64))
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)  # say nothing on an empty week
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # to be sent at next_attempt_at
    CLAIMED = "claimed"  # a worker is sending it; claimable again once claimed_until passes
    SENT = "sent"
    FAILED = "failed"  # a permanent error, recorded and shown; not retried
    SKIPPED = "skipped"  # no longer worth sending (the event started, a stale digest)
    CANCELLED = "cancelled"  # what it was about is gone (event cancelled, card never posted)
    HELD = "held"  # its workspace has no working token (revoked, uninstalled): sent once it is reinstalled


class OutboxMessage(Base):
    """One Slack side effect, written in the same transaction as the change that causes it.

    `key` is its idempotency key: it travels with the post as message metadata, so a post
    whose outcome is unknown is looked for in Slack before it is ever sent again.
    What it shows is rendered when it is sent, from the rows it names (`event_id`, `args`),
    so a late delivery shows the current state.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("key", name="uq_outbox_key"),
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_event_kind", "event_id", "kind"),
        Index("ix_outbox_channel_status_next", "team_id", "channel", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(32))  # a channel id, or a user id for a DM
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    requested_by: Mapped[str | None] = mapped_column(String(32))  # told by DM if it fails for good
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(36))
    # Set when an attempt's outcome was unknown (reply lost): look in Slack before posting again.
    uncertain_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # parts of a multi-part post already sent
    last_error: Mapped[str | None] = mapped_column(String(200))
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxChannel(Base):
    """Where the outbox stands with one channel (or DM), shared by every process: when Slack next
    takes a post there (its pace of one a second, or its Retry-After), and which claim is posting
    there now. A channel is claimed with its next row, so that no two posts to it are in flight.

    `next_allowed_at` is the database's own time (storage.outbox.database_time), whatever clock
    decides what is due.
    """

    __tablename__ = "outbox_channels"
    __table_args__ = (Index("ix_outbox_channels_next", "next_allowed_at"),)

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_allowed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(36))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Submission(Base):
    """A modal submission (or an imported entry) already handled: a replayed or retried one changes nothing."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_submissions_team_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewSetting(Base):
    """A team's review of new events: on (with the channel reviewers decide in) or off.
    Kept when turned off, so `/event review` can say who turned it off and when."""

    __tablename__ = "review_settings"
    __table_args__ = (UniqueConstraint("team_id", name="uq_review_settings_team_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    channel_id: Mapped[str] = mapped_column(String(32))
    changed_by: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrustedHost(Base):
    """Someone whose events skip review (`/event trust @user`)."""

    __tablename__ = "trusted_hosts"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_trusted_hosts_team_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Sizes of a report's fields (the modal caps its inputs with them).
REPORT_TEXT_MAX = 2000
REPORT_URL_MAX = 500
PRESS_LINKS_MAX = 20


class EventReport(Base):
    """How an event went, told by its hosts afterwards: one per event, editable by them.
    `press_hits` is the number of `press_links`, kept beside them so totals are a SUM."""

    __tablename__ = "event_reports"
    __table_args__ = (UniqueConstraint("event_id", name="uq_event_reports_event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    turnout: Mapped[int | None] = mapped_column(Integer)
    press_links: Mapped[list[str]] = mapped_column(JSON, default=list)
    press_hits: Mapped[int] = mapped_column(Integer, default=0)
    official_said: Mapped[str | None] = mapped_column(Text)
    photos_url: Mapped[str | None] = mapped_column(String(REPORT_URL_MAX))
    next_step: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PersonSetting(Base):
    """What one person chose for themselves in App Home: the language the bot speaks to them
    (None: their Slack language)."""

    __tablename__ = "person_settings"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_person_settings_team_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HomeView(Base):
    """A person's App Home (services.home): when they last opened it, whether it showed them the
    staff dashboard then (a fresh admin check at every drawing), and what they chose to see in it.
    Only the Homes of people who opened theirs are redrawn when what they show changes."""

    __tablename__ = "home_views"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_home_views_team_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff: Mapped[bool] = mapped_column(Boolean, default=False)
    # The dashboard's campaign: a slug, `storage.homes.ALL_EVENTS`, or None for the default one.
    campaign: Mapped[str | None] = mapped_column(String(SLUG_MAX))
    # Where each list of the Home starts (its first row shown): {"mine": 10, "contact": 5}.
    pages: Mapped[dict] = mapped_column(JSON, default=dict)


class ChannelSetting(Base):
    """A channel's own settings: the language of what the bot posts there (cards, digests,
    reminders in threads, shared toolkits and posts)."""

    __tablename__ = "channel_settings"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_channel_settings_team_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    changed_by: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WorkspaceStatus(enum.StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"  # Slack stopped taking its token: its posts are held until it is reinstalled
    UNINSTALLED = "uninstalled"  # the app was removed: posts held, its data deleted once purge_after passes


INACTIVE = (WorkspaceStatus.REVOKED.value, WorkspaceStatus.UNINSTALLED.value)


class Workspace(Base):
    """A workspace the bot serves, as far as the bot needs to know it beyond its installation:
    which org-wide install serves it, and whether its work is held.

    A workspace without a row is active: single-workspace deployments have a row only once
    something went wrong, and multi-workspace ones get one at install.
    """

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    # Served by its organization's org-wide install (whose installation has no team of its own).
    org_install: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=WorkspaceStatus.ACTIVE.value)
    problem: Mapped[str | None] = mapped_column(String(200))  # why it is not active: Slack's error, or the event
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Uninstalled: when its data is deleted (the grace period after the uninstall).
    purge_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
