"""The emails a member of the public gets about an event they signed up for: the confirmation
(with the event as a calendar file), reminders, and notices of a change or a cancellation.

Each is text and HTML, in the language of the page they signed up on, and carries their
sign-up's page (to cancel, or to erase their data) and a `List-Unsubscribe` header (RFC 2369,
one-click as RFC 8058) that cancels the sign-up. Every piece of user text is escaped in the
HTML; headers take single lines only (titles are flattened, names and addresses were checked
when signed up), and the email package encodes the rest.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from messages import calendar as ical
from messages import public as site_text
from messages.events import address_text, when_plain
from messages.i18n import catalog
from messages.reminders import lead_label
from storage.changes import Change, as_event
from storage.models import Event, Signup

_, ngettext, pgettext = catalog("emails")

ICS_NAME = "event.ics"


@dataclass(frozen=True)
class Addressing:
    """Who sends it and where its links go: decided by the deployment, not the event."""

    sender: str  # EMAIL_FROM
    message_id: str  # `<...@domain>`: stable for this email, so a resend is recognisably the same one
    signup_url: str  # the person's own page
    cancel_url: str  # where one-click unsubscribing POSTs
    event_url: str | None  # the public page, while the event is public


def confirmation(event: Event, signup: Signup, to: Addressing, now: datetime) -> EmailMessage:
    # TRANSLATORS: an email's subject: "You're signed up: Modesto Canvass and Rally"
    subject = _("You're signed up: {title}").format(title=_line(event.title))
    intro = _(
        "Thanks for signing up, {name}. Here is what you signed up for; the calendar file attached adds it to your calendar."
    ).format(name=signup.name)
    return _compose(subject, [intro], event, signup, to, now, invitation=True)


def reminder(event: Event, signup: Signup, kind: str, to: Addressing, now: datetime) -> EmailMessage:
    # TRANSLATORS: an email's subject, {lead} is how long before: "Reminder: Modesto Canvass and Rally in 1 day"
    subject = _("Reminder: {title} in {lead}").format(title=_line(event.title), lead=lead_label(kind))
    intro = _("Hi {name}, a reminder: this event you signed up for starts in {lead}.").format(
        name=signup.name, lead=lead_label(kind)
    )
    return _compose(subject, [intro], event, signup, to, now)


def changed(event: Event, signup: Signup, change: Change, to: Addressing, now: datetime) -> EmailMessage:
    # TRANSLATORS: an email's subject: "Changed: Modesto Canvass and Rally"
    subject = _("Changed: {title}").format(title=_line(event.title))
    before, after = as_event(change.before, event), as_event(change.after, event)
    lines = [_("Hi {name}, this event you signed up for has changed.").format(name=signup.name)]
    if change.time_changed:
        lines.append(_("When: {new} (was {old})").format(new=when_plain(after), old=when_plain(before)))
    if change.place_changed:
        lines.append(_("Where: {new} (was {old})").format(new=_where(after), old=_where(before)))
    return _compose(subject, lines, event, signup, to, now, invitation=True)


def cancelled(event: Event, signup: Signup, to: Addressing, now: datetime) -> EmailMessage:
    # TRANSLATORS: an email's subject: "Cancelled: Modesto Canvass and Rally"
    subject = _("Cancelled: {title}").format(title=_line(event.title))
    intro = _(
        "Hi {name}, this event you signed up for has been cancelled. Sorry; we hope to see you at another one."
    ).format(name=signup.name)
    return _compose(subject, [intro], event, signup, to, now, invitation=True, cancelled=True)


def _where(event: Event) -> str:
    return " · ".join(part for part in (address_text(event), event.online_url) if part) or _("to be announced")


def _line(value: str) -> str:
    """One line, as a header needs it: a title pasted with line breaks is still one subject."""
    return " ".join(value.split())


def _facts(event: Event) -> list[tuple[str, str]]:
    return [(_("Event"), event.title), (_("When"), when_plain(event)), (_("Where"), _where(event))]


def _compose(
    subject: str,
    lines: list[str],
    event: Event,
    signup: Signup,
    to: Addressing,
    now: datetime,
    *,
    invitation: bool = False,
    cancelled: bool = False,
) -> EmailMessage:
    links = [] if cancelled or to.event_url is None else [(_("The event's page"), to.event_url)]
    links.append((_("Your sign-up (cancel, or erase your data)"), to.signup_url))
    footer = _("You get this email because you signed up for this event on {site}.").format(site=site_text.site_name())
    message = EmailMessage()
    message["Subject"] = subject  # untranslated: a header's name
    message["From"] = to.sender  # untranslated: a header's name
    message["To"] = Address(display_name=_line(signup.name or ""), addr_spec=signup.email)
    message["Date"] = format_datetime(now)  # untranslated: a header's name
    message["Message-ID"] = to.message_id  # untranslated: a header's name
    message["Auto-Submitted"] = "auto-generated"  # untranslated: RFC 3834's, so that no vacation reply answers
    message["List-Unsubscribe"] = f"<{to.cancel_url}>"  # untranslated: a header's name
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # untranslated: RFC 8058's exact words
    message.set_content(_text_body(lines, _facts(event), links, footer))
    message.add_alternative(_html(lines, _facts(event), links, footer, signup.language), subtype="html")
    if invitation:
        message.add_attachment(
            ical.invitation(event, to.event_url),
            maintype="text",
            subtype="calendar",
            filename=ICS_NAME,
            params={"method": "PUBLISH"},
        )
    return message


def _text_body(lines: list[str], facts: list[tuple[str, str]], links: list[tuple[str, str]], footer: str) -> str:
    parts = [
        "\n\n".join(lines),
        "\n".join(f"{label}: {value}" for label, value in facts),
        "\n".join(f"{label}: {url}" for label, url in links),
        footer,
    ]
    return "\n\n".join(parts) + "\n"


def _html(
    lines: list[str], facts: list[tuple[str, str]], links: list[tuple[str, str]], footer: str, language: str
) -> str:
    e = html.escape
    body = "".join(f"<p>{e(line)}</p>" for line in lines)
    body += "<dl>" + "".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in facts) + "</dl>"
    body += "<ul>" + "".join(f'<li><a href="{e(url)}">{e(label)}</a></li>' for label, url in links) + "</ul>"
    body += f"<p><small>{e(footer)}</small></p>"
    return f'<!doctype html><html lang="{e(language)}"><head><meta charset="utf-8"></head><body>{body}</body></html>\n'
