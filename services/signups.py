"""Public sign-ups: a member of the public (no Slack account) going to an event from its page,
their own page, cancelling, and erasing what we keep of them.

The personal data a sign-up holds (name, email, ZIP, phone) is shown only to its person (on
the page its unguessable token opens) and to the event's hosts and admins in Slack; never on a
public page, a feed, an ETag or a log line.
"""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from messages import public as text
from services import outbox
from services.runtime import Services
from storage import events as queries
from storage import reminders, rsvps
from storage import signups as store
from storage.models import SIGNUP_EMAIL_MAX, SIGNUP_NAME_MAX, SIGNUP_PHONE_MAX, Event, RecipientType, Signup

# One address signs up at most this often, across every event and workspace (rate limit).
SIGNUPS_PER_ADDRESS = 5
ADDRESS_WINDOW = timedelta(hours=1)

LOCAL_PART_MAX = 64
DOMAIN_LABEL_MAX = 63
# What an address may hold, as RFC 5322's dot-atom (no quoted local parts, no IP literals): what
# people type, checked character by character, never by a backtracking pattern.
LOCAL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~.-")
LABEL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-")
ZIP_CODE = re.compile(r"[0-9]{5}(?:-[0-9]{4})?")
PHONE_CHARACTERS = frozenset(string.digits + " +-().")
PHONE_DIGITS = (7, 15)
# Unicode categories never allowed in a field: controls (line breaks: headers, CSV), format
# characters (right-to-left overrides), line and paragraph separators.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# The form's fields (DESIGN.md, Public web).
FIELDS = ("name", "email", "zip", "phone")


def is_email(address: str) -> bool:
    """Whether `address` is a plausible email address: `local@domain.tld`, at most 254
    characters. Linear in its length whatever it holds."""
    if len(address) > SIGNUP_EMAIL_MAX:
        return False
    local, at, domain = address.rpartition("@")
    if not at or not 0 < len(local) <= LOCAL_PART_MAX or not LOCAL_CHARACTERS.issuperset(local):
        return False
    if local[0] == "." or local[-1] == "." or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not (labels[-1].isascii() and labels[-1].isalpha() and len(labels[-1]) >= 2):
        return False
    return all(
        0 < len(label) <= DOMAIN_LABEL_MAX
        and LABEL_CHARACTERS.issuperset(label)
        and label[0] != "-"
        and label[-1] != "-"
        for label in labels
    )


def _clean(raw: str) -> str:
    return " ".join(raw.split())


def _has_forbidden(raw: str) -> bool:
    return any(unicodedata.category(character) in FORBIDDEN_CATEGORIES for character in raw)


@dataclass(frozen=True)
class Answers:
    """The form as sent, trimmed (what it shows again when something is wrong)."""

    name: str = ""
    email: str = ""
    zip: str = ""
    phone: str = ""

    @classmethod
    def read(cls, form: Mapping[str, str]) -> Answers:
        # Capped before anything else looks at them: the body is capped too (web), this keeps
        # every check below on short strings.
        return cls(**{name: form.get(name, "")[: SIGNUP_EMAIL_MAX + 1].strip() for name in FIELDS})

    def problems(self) -> dict[str, str]:
        """What is wrong, by field; empty when the answers can be saved."""
        problems: dict[str, str] = {}
        for name in FIELDS:
            if _has_forbidden(getattr(self, name)):
                problems[name] = text.bad_characters()
        if "name" not in problems:
            if not self.name:
                problems["name"] = text.name_missing()
            elif len(_clean(self.name)) > SIGNUP_NAME_MAX:
                problems["name"] = text.name_too_long(SIGNUP_NAME_MAX)
        if "email" not in problems:
            if not self.email:
                problems["email"] = text.email_missing()
            elif not is_email(self.email):
                problems["email"] = text.bad_email()
        if "zip" not in problems and self.zip and not ZIP_CODE.fullmatch(self.zip):
            problems["zip"] = text.bad_zip()
        if "phone" not in problems and self.phone and not _is_phone(self.phone):
            problems["phone"] = text.bad_phone()
        return problems


def _is_phone(raw: str) -> bool:
    digits = sum(character.isdigit() for character in raw)
    return (
        len(raw) <= SIGNUP_PHONE_MAX
        and PHONE_CHARACTERS.issuperset(raw)
        and PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]
    )


def normalized_email(address: str) -> str:
    """One address, one sign-up: `Ana@Example.org` and `ana@example.org` are the same person."""
    return address.strip().lower()


def is_open(event: Event, now: datetime) -> bool:
    """Whether the public may sign up: public, approved, not cancelled (what the public may see
    of it) and not over."""
    return queries.PUBLIC.may_see(event) and not event.is_cancelled and event.effective_end > now


@dataclass(frozen=True)
class Refused:
    """Nothing saved: what was wrong, by field (`""` for the form as a whole), or the event closed."""

    problems: dict[str, str] = field(default_factory=dict)
    closed: bool = False
    limited: bool = False


def sign_up(services: Services, team_id: str, event_id: int, answers: Answers, language: str) -> Signup | Refused:
    """Save a sign-up and tell whom it concerns (the card's count, the confirmation email, an
    email reminder at each of the event's lead times); or refuse it, saving nothing."""
    if problems := answers.problems():
        return Refused(problems)
    email, now = normalized_email(answers.email), services.now()
    with services.db.session() as session:
        event = queries.get_event(session, team_id, event_id)
        if event is None or not is_open(event, now):
            return Refused(closed=True)
        if store.recent_by_email(session, email, now - ADDRESS_WINDOW) >= SIGNUPS_PER_ADDRESS:
            return Refused(limited=True)
        earlier = store.by_email(session, event.id, email)
        if earlier is not None and earlier.is_going:
            return Refused({"email": text.already_signed_up()})
        try:
            with session.begin_nested():  # a concurrent twin loses on the unique (event, email)
                if earlier is not None:  # cancelled before: signing up again is a sign-up of its own
                    session.delete(earlier)
                    session.flush()
                signup = store.add(
                    session,
                    event,
                    token=secrets.token_urlsafe(32),
                    name=_clean(answers.name),
                    email=email,
                    zip_code=answers.zip or None,
                    phone=_clean(answers.phone) or None,
                    language=language,
                    now=now,
                )
        except IntegrityError:
            return Refused({"email": text.already_signed_up()})
        for kind in reminders.lead_times_of(session, event.id):
            reminders.ensure(session, event, kind, RecipientType.SIGNUP, store.recipient(signup.id), now)
        if services.mailer is not None:
            outbox.email(session, signup, "confirmation", now, once=True)
        if services.webhook is not None:
            outbox.webhook(session, event, "signup.created", now, signup=signup)
        outbox.redraw(session, event, now)
    services.doorbell.ring()
    return signup


@dataclass(frozen=True)
class SignupPage:
    signup: Signup
    event: Event


def page(services: Services, team_id: str, token: str) -> SignupPage | None:
    """A sign-up and its event, for its own page; None for a token that names none."""
    with services.db.read() as session:
        signup = store.by_token(session, team_id, token)
        event = session.get(Event, signup.event_id) if signup is not None else None
    return SignupPage(signup, event) if event is not None else None


def cancel(services: Services, team_id: str, token: str) -> bool:
    """Not going any more (again harmless). False for a token that names no sign-up."""
    now = services.now()
    with services.db.session() as session:
        signup = store.by_token(session, team_id, token)
        if signup is None:
            return False
        if signup.is_going:
            _withdraw(services, session, signup, now)
    services.doorbell.ring()
    return True


def forget(services: Services, team_id: str, token: str) -> bool:
    """Erase what we keep of this person at once (name, email, ZIP, phone); they are going no
    more: nobody could reach them. False for a token that names no sign-up."""
    now = services.now()
    with services.db.session() as session:
        signup = store.by_token(session, team_id, token)
        if signup is None:
            return False
        if signup.is_going:
            _withdraw(services, session, signup, now)
        if not signup.is_erased:
            store.erase(signup, now)
    services.doorbell.ring()
    return True


def _withdraw(services: Services, session, signup: Signup, now: datetime) -> None:
    store.cancel(signup, now)
    reminders.cancel_reminders(session, signup.event_id, recipient=store.recipient(signup.id))
    event = session.get(Event, signup.event_id)
    outbox.redraw(session, event, now)
    if services.webhook is not None:
        outbox.webhook(session, event, "signup.cancelled", now, signup=signup)


def going_count(services: Services, event_id: int) -> int:
    """How many are going, Slack members and the public together (the card's count)."""
    with services.db.read() as session:
        return rsvps.going_count(session, event_id)
