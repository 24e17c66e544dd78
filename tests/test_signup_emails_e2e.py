"""Emails to the public end to end: a visitor signs up on the event's page, and a real SMTP server
on loopback receives the confirmation (with a calendar file), the reminder, the change and
cancellation notices; SMTP failing in every way loses none and doubles none."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from icalendar import Calendar

from schedhelp import announced, outbox_rows, wait_until
from services.schedule import queue_due_work
from smtpserver import DROP, SmtpServer
from test_change_notices_e2e import EVENT, _edit
from test_events_e2e import FUTURE, register
from test_signups_e2e import ANA, settle, sign_up, signups, site
from timemath import UTC
from visitor import send, visit

SENDER = "Coalition events <events@example.org>"
BASE = "https://events.example.org"


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def extra_env(smtp):
    return {"SMTP_URL": smtp.url, "EMAIL_FROM": SENDER, "PUBLIC_BASE_URL": BASE}


def token_of(location: str) -> str:
    return location.split("?")[0].rsplit("/", 1)[1]


def body(mail, kind: str) -> str:
    return mail.get_body((kind,)).get_content()


def calendar_of(mail) -> Calendar:
    [attached] = [part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar"]
    return Calendar.from_ical(attached.get_content())


def test_a_sign_up_gets_one_confirmation_with_the_event_for_the_calendar(bot, slack, services, smtp, deliverer):
    register(bot)
    location = sign_up(bot).headers["Location"]
    token = token_of(location)
    [mail] = smtp.wait_for(1)
    assert mail["From"] == SENDER and mail["To"] == "Ana Reyes <ana.reyes@example.org>"
    assert mail["Subject"] == f"You're signed up: {FUTURE['Title']}"
    assert re.fullmatch(r"<email\.confirmation\.\d+@example\.org>", mail["Message-ID"])
    assert mail["List-Unsubscribe"] == f"<{BASE}/signups/{token}/cancel>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = body(mail, "plain"), body(mail, "html")
    for shown in (
        "Thanks for signing up, Ana Reyes.",
        "Fri, Dec 4, 2026 at 1:00 PM PST – 3:30 PM PST",
        "4701 Sisk Road, Modesto, CA 95356",
        f"{BASE}/signups/{token}?lang=en",
        f"{BASE}/events/1",
    ):
        assert shown in text and shown.replace("&", "&amp;") in html
    [vevent] = calendar_of(mail).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == FUTURE["Title"] and vevent.decoded("DTSTART") == datetime(
        2026, 12, 4, 21, 0, tzinfo=UTC
    )
    assert "We are sending you a confirmation by email" in visit(site(bot) + location).text
    # Delivered again (another run, a second process): still one confirmation.
    deliverer.run_once()
    assert sign_up(bot).status == 422
    assert len(smtp.received) == 1
    # The mail client's one-click unsubscribe cancels the sign-up.
    assert send(f"{site(bot)}/signups/{token}/cancel", {"List-Unsubscribe": "One-Click"}).status == 303
    assert signups(services)[0].status == "cancelled"


def test_hostile_names_and_titles_stay_text_in_the_email(bot, slack, services, smtp):
    register(bot, {**FUTURE, "Title": "Vigil <script>alert(1)</script> & more"})
    assert sign_up(bot, {**ANA, "name": '<img src=x onerror=alert(1)> "Bcc: x@evil.example"'}).status == 303
    [mail] = smtp.wait_for(1)
    html = body(mail, "html")
    assert "<script>" not in html and "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert mail["Bcc"] is None and mail["To"].addresses[0].addr_spec == "ana.reyes@example.org"


def test_a_spanish_sign_up_is_written_to_in_spanish(bot, slack, services, smtp):
    register(bot)
    location = sign_up(bot, lang="es").headers["Location"]
    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == f"Te inscribiste: {FUTURE['Title']}"
    assert "Gracias por inscribirte, Ana Reyes." in body(mail, "plain")
    assert f"{BASE}/signups/{token_of(location)}?lang=es" in body(mail, "plain")


def test_reminder_change_and_cancellation_by_email(bot, slack, services, smtp, clock):
    register(bot, EVENT)  # a reminder 1 hour before
    announced(services.db)
    sign_up(bot)
    smtp.wait_for(1)
    _edit(bot, {"Start time": "15:00", "End time": "17:00"})
    changed = smtp.wait_for(2)[1]
    assert changed["Subject"] == f"Changed: {FUTURE['Title']}"
    assert (
        "When: Fri, Dec 4, 2026 at 3:00 PM PST – 5:00 PM PST (was Fri, Dec 4, 2026 at 1:00 PM PST – 3:30 PM PST)"
        in body(changed, "plain")
    )
    assert calendar_of(changed).walk("VEVENT")[0]["SEQUENCE"] == 1
    settle(services)
    clock.set(datetime(2026, 12, 4, 22, 0, tzinfo=UTC))  # 2 PM Pacific: an hour before the new start
    queue_due_work(services)
    reminded = smtp.wait_for(3)[2]
    assert reminded["Subject"] == f"Reminder: {FUTURE['Title']} in 1 hour"
    wait_until(lambda: "emails: 1 of 1 sent" in bot.command("/event", "show 1", user="U1").text)
    bot.command("/event", "cancel 1", user="U1")
    cancelled = smtp.wait_for(4)[3]
    assert cancelled["Subject"] == f"Cancelled: {FUTURE['Title']}"
    assert calendar_of(cancelled).walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert len({mail["Message-ID"] for mail in smtp.received}) == 4


def test_an_erased_person_gets_no_more_email(bot, slack, services, smtp, clock):
    register(bot, EVENT)
    location = sign_up(bot).headers["Location"]
    smtp.wait_for(1)
    own = visit(site(bot) + location)
    token = re.search(r'name="csrf_token" value="([^"]+)"', own.html).group(1)
    assert send(site(bot) + location.split("?")[0] + "/forget", {"csrf_token": token}).status == 303
    settle(services)
    clock.set(datetime(2026, 12, 4, 20, 0, tzinfo=UTC))
    queue_due_work(services)
    bot.command("/event", "cancel 1", user="U1")
    bot.responded()
    wait_until(lambda: all(row.status not in ("pending", "claimed") for row in outbox_rows(services.db)))
    assert len(smtp.received) == 1


def test_smtp_failures_are_retried_none_lost_none_doubled(bot, slack, services, smtp, clock, deliverer):
    """451 (try later), 554 (the server's own trouble), then the connection dropped after DATA
    (the server took it; its answer was lost): each retried, the last with the same Message-ID."""
    register(bot)
    smtp.fail_next("451 4.3.0 Try again later", "554 5.3.0 Transaction failed", DROP)
    sign_up(bot)
    [row] = outbox_rows(services.db, "email")
    for attempts in (1, 2, 3):
        wait_until(lambda attempts=attempts: outbox_rows(services.db, "email")[0].attempts == attempts)
        assert outbox_rows(services.db, "email")[0].status == "pending"
        clock.advance(hours=1)
        deliverer.run_once()
    wait_until(lambda: outbox_rows(services.db, "email")[0].status == "sent")
    dropped, delivered = smtp.received
    assert dropped["Message-ID"] == delivered["Message-ID"] == "<email.confirmation.1@example.org>"
    assert [r.last_error for r in outbox_rows(services.db, "email")] == [None]


def test_a_refused_address_fails_for_good_and_is_not_retried(bot, slack, services, smtp, clock, deliverer):
    register(bot)
    smtp.refuse("nobody@example.org")
    sign_up(bot, {**ANA, "email": "nobody@example.org"})
    wait_until(lambda: outbox_rows(services.db, "email")[0].status == "failed")
    assert outbox_rows(services.db, "email")[0].last_error == "smtp_550"
    clock.advance(days=1)
    deliverer.run_once()
    assert smtp.received == [] and outbox_rows(services.db, "email")[0].attempts == 1
