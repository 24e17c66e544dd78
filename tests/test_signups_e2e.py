"""Public sign-up end to end: an event registered through Slack, then a visitor signing up on its
page over HTTP, their own page, cancel and forget; what the public, the card and the database see."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from driver import visible_text
from schedhelp import announced, outbox_rows, wait_until
from services.schedule import queue_due_work
from storage.models import Signup
from test_events_e2e import FUTURE, register
from timemath import UTC
from visitor import send, visit

ANA = {"name": "Ana Reyes", "email": "Ana.Reyes@Example.org", "zip": "95356", "phone": "(209) 555-0123"}


def site(bot) -> str:
    return bot.url.removesuffix("/slack/events")


def form_token(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.html).group(1)


def sign_up(bot, answers=ANA, *, event_id: int = 1, lang: str = "", headers=None):
    """Open the event's page as a visitor does, fill in its form, send it."""
    query = f"?lang={lang}" if lang else ""
    page = visit(f"{site(bot)}/events/{event_id}{query}")
    assert page.status == 200
    return send(
        f"{site(bot)}/events/{event_id}/signup{query}",
        {**answers, "csrf_token": form_token(page), "website": ""},
        headers=headers,
    )


def signups(services) -> list[Signup]:
    with services.db.read() as session:
        return list(session.scalars(select(Signup).order_by(Signup.id)))


def settle(services) -> None:
    """Wait until nothing is in flight, before the test's clock jumps: a claim taken before a
    jump would look expired after it, and be taken over while it is still being sent."""
    wait_until(lambda: all(row.status not in ("pending", "claimed") for row in outbox_rows(services.db)))


def card_text(slack) -> str:
    return visible_text(slack.history("C1")[0])


def test_a_visitor_signs_up_on_the_event_page_and_lands_on_their_own_page(bot, slack, services):
    register(bot)
    announced(services.db)
    page = visit(site(bot) + "/events/1")
    assert "Sign up" in page.text and "Your name" in page.text and "ZIP code (optional)" in page.text
    answer = sign_up(bot)
    assert answer.status == 303
    location = answer.headers["Location"]
    assert re.fullmatch(r"/signups/[A-Za-z0-9_-]{43}", location)
    [saved] = signups(services)
    assert (saved.name, saved.email, saved.zip_code, saved.phone, saved.language, saved.status) == (
        "Ana Reyes",
        "ana.reyes@example.org",
        "95356",
        "(209) 555-0123",
        "en",
        "going",
    )
    own = visit(site(bot) + location)
    assert own.status == 200
    assert "You're signed up, Ana Reyes." in own.text
    assert (
        FUTURE["Title"] in own.text and "Fri, Dec 4, 2026 at 1:00 PM PST – 3:30 PM PST" in own.text
    )  # the event's zone
    assert own.links["Calendar file (.ics)"] == "/events/1.ics"
    assert "Cancel my sign-up" in own.text and "Erase my data" in own.text
    assert "no-store" in own.headers["Cache-Control"] and own.headers["Referrer-Policy"] == "no-referrer"
    assert "We send no emails" in own.text and outbox_rows(services.db, "email") == []  # no SMTP_URL here
    # The count is shared with Slack's: the card and the page both say one is going.
    wait_until(lambda: "*1* going" in card_text(slack))
    assert "1 person is going" in visit(site(bot) + "/events/1").text


def test_personal_data_is_on_no_public_page_feed_or_etag(bot, slack, services):
    register(bot)
    sign_up(bot)
    for path in ("/events", "/events/1", "/calendar.ics", "/events/1.ics"):
        page = visit(site(bot) + path)
        assert page.status == 200
        shown = page.html + str(dict(page.headers))
        for private in ("Ana", "Reyes", "example.org", "555-0123"):
            assert private not in shown, (path, private)


def test_invalid_answers_show_the_form_again_with_each_problem_beside_its_field_and_save_nothing(bot, slack, services):
    register(bot)
    answer = sign_up(bot, {"name": "<b>Ana</b>\u202e", "email": "ana@@example", "zip": "9535", "phone": "12"})
    assert answer.status == 422 and "no-store" in answer.headers["Cache-Control"]
    for problem, field in (
        ("characters we can", "name"),
        ("look like an email address", "email"),
        ("5-digit ZIP code", "zip"),
        ("7 to 15 digits", "phone"),
    ):
        assert re.search(rf'id="signup-{field}-problem">[^<]*{re.escape(problem)}', answer.html), field
    assert "&lt;b&gt;Ana&lt;/b&gt;" in answer.html and "<b>Ana" not in answer.html  # kept, escaped
    assert signups(services) == []
    missing = sign_up(bot, {"name": "", "email": ""})
    assert (
        missing.status == 422
        and "Please give your name." in missing.text
        and "Please give your email address." in missing.text
    )
    long_email = sign_up(bot, {**ANA, "email": "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".org"})
    assert long_email.status == 422 and signups(services) == []


def test_the_same_email_twice_is_one_sign_up(bot, slack, services):
    register(bot)
    assert sign_up(bot).status == 303
    again = sign_up(bot, {**ANA, "email": "ana.reyes@EXAMPLE.org", "name": "Someone else"})
    assert again.status == 422 and "already signed up for this event" in again.text
    assert "Ana Reyes" not in again.text  # the first person's data is not given to whoever types their address
    assert len(signups(services)) == 1


def test_a_form_without_its_token_from_another_site_or_by_a_robot_saves_nothing(bot, slack, services):
    register(bot)
    url = site(bot) + "/events/1/signup"
    assert send(url, {**ANA, "csrf_token": "123.abc"}).status == 422
    page = visit(site(bot) + "/events/1")
    token = form_token(page)
    foreign = send(
        url, {**ANA, "csrf_token": token}, headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    )
    assert foreign.status == 422 and "send it again" in foreign.text
    assert send(url, {**ANA, "csrf_token": token, "website": "http://spam.example"}).status == 400
    assert send(url, body=b"name=" + b"x" * 20_000 + b"&email=a%40b.org").status == 413
    assert visit(site(bot) + "/events/1/signup").status == 405  # a GET changes nothing
    assert signups(services) == []


def test_cancel_then_forget_from_the_own_page(bot, slack, services, clock):
    register(bot)
    location = sign_up(bot).headers["Location"]
    own = visit(site(bot) + location)
    token = form_token(own)
    assert visit(site(bot) + location + "/cancel").status == 405  # mail scanners follow links: GET changes nothing
    cancelled = send(site(bot) + location + "/cancel", {"csrf_token": token})
    assert cancelled.status == 303 and cancelled.headers["Location"] == location
    assert "You cancelled" in visit(site(bot) + location).text
    assert signups(services)[0].status == "cancelled" and "person is going" not in visit(site(bot) + "/events/1").text
    assert send(site(bot) + location + "/forget", {"csrf_token": "bad"}).status == 400
    assert send(site(bot) + location + "/forget", {"csrf_token": token}).status == 303
    [erased] = signups(services)
    assert (erased.name, erased.email, erased.zip_code, erased.phone) == (
        None,
        None,
        None,
        None,
    ) and erased.erased_at == clock()
    assert "We have erased your name" in visit(site(bot) + location).text
    assert sign_up(bot).status == 303  # the address is free again


def test_unknown_tokens_and_closed_events(bot, slack, services, clock):
    register(bot)
    assert visit(site(bot) + "/signups/" + "x" * 43).status == 404
    assert visit(site(bot) + "/signups/<script>").status == 404
    settle(services)
    clock.set(datetime(2026, 12, 4, 23, 0, tzinfo=UTC))  # half an hour before its end
    page = visit(site(bot) + "/events/1")
    assert "Your name" in page.text
    clock.advance(hours=1)  # over
    over = send(site(bot) + "/events/1/signup", {**ANA, "csrf_token": form_token(page)})
    assert over.status == 422 and "Sign-ups for this event are closed." in over.text
    assert "Your name" not in visit(site(bot) + "/events/1").text  # no form on an ended event
    assert signups(services) == []


def test_an_address_signs_up_at_most_five_times_an_hour(bot, slack, services):
    for _ in range(6):
        register(bot)
    for event_id in range(1, 6):
        assert sign_up(bot, event_id=event_id).status == 303
    limited = sign_up(bot, event_id=6)
    assert limited.status == 429 and limited.headers["Retry-After"] == "3600"
    assert len(signups(services)) == 5


@pytest.fixture
def two_per_client(monkeypatch):
    monkeypatch.setattr("web.site.SIGNUPS_PER_CLIENT", 2)


def test_a_client_address_is_limited_too(two_per_client, bot, slack, services):
    register(bot)
    for number in range(2):
        assert sign_up(bot, {**ANA, "email": f"person{number}@example.org"}).status == 303
    assert sign_up(bot, {**ANA, "email": "person9@example.org"}).status == 429


def test_a_spanish_page_signs_up_in_spanish(bot, slack, services):
    register(bot)
    page = visit(site(bot) + "/events/1?lang=es")
    assert "Inscríbete" in page.text
    bad = sign_up(bot, {**ANA, "email": "nope"}, lang="es")
    assert bad.status == 422 and "correo" in bad.text
    answer = sign_up(bot, lang="es")
    assert answer.status == 303 and answer.headers["Location"].endswith("?lang=es")
    assert signups(services)[0].language == "es"
    assert "Te inscribiste" in visit(site(bot) + answer.headers["Location"]).text


def test_personal_data_is_erased_the_retention_days_after_the_event(bot, slack, services, clock):
    register(bot)  # ends Fri Dec 4, 2026 at 23:30 UTC
    location = sign_up(bot).headers["Location"]
    ended = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    settle(services)
    clock.set(ended + timedelta(days=90) - timedelta(minutes=1))
    queue_due_work(services)
    assert signups(services)[0].email == "ana.reyes@example.org"
    clock.advance(minutes=2)
    queue_due_work(services)
    [erased] = signups(services)
    assert (erased.name, erased.email, erased.zip_code, erased.phone) == (None, None, None, None)
    assert erased.status == "going"  # still counted among those who were going
    assert "We have erased your name" in visit(site(bot) + location).text


def test_hosts_and_admins_see_who_signed_up_and_others_only_how_many(bot, slack, services):
    register(bot)
    assert sign_up(bot, {**ANA, "name": "<!channel> Ana & Co"}).status == 303
    shown_to_host = bot.command("/event", "show 1", user="U1").text
    for seen in (
        "*Signed up on the public page (1):*",
        "&lt;!channel&gt; Ana &amp; Co",
        "ana.reyes@example.org",
        "(209) 555-0123",
        "ZIP 95356",
        "*1* going",
    ):
        assert seen in shown_to_host, seen
    assert "<!channel>" not in shown_to_host
    bot.command("/event", "show 1", user="U2")
    [shown_to_other] = bot.responded()
    assert "*1* going" in visible_text(shown_to_other)
    assert not {"Ana", "example.org", "555-0123"} & set(
        re.findall(r"Ana|example\.org|555-0123", json.dumps(shown_to_other))
    )
    bot.command("/event", "show 1", user="UADMIN")
    assert "ana.reyes@example.org" in visible_text(bot.responded(2)[1])
