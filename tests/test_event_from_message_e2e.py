"""The message shortcut "Make an event from this message", end to end: a `message_action` as
Slack sends it, the modal the fake Slack receives filled in from the listing, and the card."""

from __future__ import annotations

import time

from driver import visible_text
from handlers.events import EVENT_FROM_MESSAGE_SHORTCUT
from messages import listings as reasons

# As Slack gives a pasted listing in a message's text: bold title, bullets, escaped &, linked email.
MODESTO = {
    "type": "message",
    "user": "U2",
    "ts": "1763737200.000100",
    "team": "T0TEST",
    "text": (
        "*Modesto: #WeAreAllAmerica Canvass and Rally*\n"
        "• Date and Time: 12/4/26 at 1:00pm PT\n"
        "• Address: 4701 Sisk Road, Modesto, CA 95356\n"
        "• Lead Organizations: SIREN, SEIU Local 521 &amp; Mi Familia Vota\n"
        "• Lead Contact: Jeremy Barousse, <mailto:jeremy@siren-bayarea.org|jeremy@siren-bayarea.org>\n"
        "• Additional Details: Canvass the neighborhood, then call Rep. Denham’s office."
    ),
}


def fields(view: dict) -> dict[str, dict]:
    return {block["label"]["text"]: block["element"] for block in view["blocks"] if block["type"] == "input"}


def notes(view: dict) -> list[str]:
    return [element["text"] for block in view["blocks"] if block["type"] == "context" for element in block["elements"]]


def test_the_shortcut_opens_the_modal_filled_in_from_the_listing(any_bot):
    reply = any_bot.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT, MODESTO, user="U1", channel="C7")
    assert reply.status == 200 and reply.body == ""
    view = any_bot.opened_view()
    assert view["title"]["text"] == "New event" and notes(view) == []
    shown = fields(view)
    assert shown["Title"]["initial_value"] == "Modesto: #WeAreAllAmerica Canvass and Rally"
    assert shown["Type"]["initial_option"]["value"] == "canvass"
    assert (shown["Start date"]["initial_date"], shown["Start time"]["initial_time"]) == ("2026-12-04", "13:00")
    assert (
        shown["Time zone"]["initial_option"]["value"] == "America/Los_Angeles"
    )  # named by the listing, not U1's Chicago
    assert [shown[label].get("initial_value") for label in ("Address", "City", "State", "ZIP code")] == [
        "4701 Sisk Road",
        "Modesto",
        "CA",
        "95356",
    ]
    assert shown["Lead organizations"]["initial_value"] == "SIREN, SEIU Local 521 & Mi Familia Vota"
    assert (shown["Lead contact name"]["initial_value"], shown["Lead contact email"]["initial_value"]) == (
        "Jeremy Barousse",
        "jeremy@siren-bayarea.org",
    )
    assert shown["Details"]["initial_value"] == "Canvass the neighborhood, then call Rep. Denham’s office."
    assert shown["Announce in channel"]["initial_conversation"] == "C7"  # where the listing was posted

    assert any_bot.submit(view, {}, user="U1").status == 200  # saved as it was read
    [card] = any_bot.posted(channel="C7")
    text = visible_text(card)
    assert (
        "Modesto: #WeAreAllAmerica Canvass and Rally" in text and "SIREN, SEIU Local 521 &amp; Mi Familia Vota" in text
    )
    # 1:00pm Pacific on Dec 4 2026 = 21:00 UTC, shown to each reader in their own zone.
    assert "<!date^1796418000^{date_short_pretty} at {time}|Fri, Dec 4, 2026 at 1:00 PM PST>" in text


def test_a_listing_that_names_no_zone_is_read_in_the_users_own(bot):
    message = {
        **MODESTO,
        "text": "Tulsa: Prayer Vigil\n• Date and Time: 12/5/26 at 7:00pm\n• Address: 1 Main St, Tulsa, OK",
    }
    bot.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT, message, user="U2")  # U2 lives in Los Angeles
    shown = fields(bot.opened_view())
    assert shown["Time zone"]["initial_option"]["value"] == "America/Los_Angeles"
    assert (shown["Type"]["initial_option"]["value"], shown["Start time"]["initial_time"]) == ("prayer_vigil", "19:00")
    # No contact in the listing: the person making the event, as /event new does.
    assert shown["Lead contact name"]["initial_value"] == "Jeremy Barousse"


def test_what_cannot_be_read_is_said_above_the_fields(bot, slack):
    message = {**MODESTO, "text": "Rally at city hall <!here> bring signs"}
    bot.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT, message, user="U1")
    view = bot.opened_view()
    assert notes(view) == list(reasons.modal_notes((reasons.no_when(),)))
    assert "no “Date and Time” line" in notes(view)[0]
    shown = fields(view)
    assert shown["Title"]["initial_value"] == "Rally at city hall @here bring signs"  # a mention only as text
    assert "initial_date" not in shown["Start date"] and shown["Type"]["initial_option"]["value"] == "rally"
    assert shown["Lead contact email"]["initial_value"] == "sara@example.org"  # U1's own
    reply = bot.submit(view, {})
    assert reply.json["response_action"] == "errors" and "Pick the date" in reply.json["errors"]["start_date"]
    assert slack.calls_to("chat.postMessage") == []


def test_a_listing_longer_than_the_fields_is_shortened_to_fit(bot):
    message = {**MODESTO, "text": "Tulsa: " + "Vigil " * 40 + "\n• Date and Time: 12/5/26\n• Details: " + "word " * 500}
    bot.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT, message, user="U1")
    shown = fields(bot.opened_view())  # opened_view checks the view against Slack's limits
    assert len(shown["Title"]["initial_value"]) <= 150 and shown["Title"]["initial_value"].endswith("…")
    assert len(shown["Details"]["initial_value"]) <= 2000


# The probe: a listing whose contact line is "a@", "x." 15,000 times, and "@" (30 kB).
HOSTILE = {
    **MODESTO,
    "text": "Tulsa: Prayer Vigil\n• Date and Time: 12/5/26 at 7:00pm\n• Lead Contact: a@" + "x." * 15_000 + "@",
}
ACK_BUDGET = 1.0  # seconds; idle, an /event list acks in tens of milliseconds


def test_acks_stay_fast_while_a_hostile_message_is_read(bot, slack):
    """Python's regex engine holds the GIL: a slow parse of one member's message would stall
    every other request in the process, in every workspace."""
    bot.command("/event", "list")  # warm: the first list loads what later ones reuse
    reply = bot.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT, HOSTILE, user="U2")
    assert reply.status == 200  # acked before the message is read
    waits, deadline = [], time.monotonic() + 20
    while (not slack.calls_to("views.open") or len(waits) < 3) and time.monotonic() < deadline:
        started = time.monotonic()
        assert bot.command("/event", "list").status == 200
        waits.append(time.monotonic() - started)
    assert max(waits) < ACK_BUDGET, waits
    shown = fields(bot.opened_view())
    assert (
        shown["Title"]["initial_value"] == "Tulsa: Prayer Vigil" and "initial_value" not in shown["Lead contact email"]
    )


def test_a_city_without_its_state_gets_it_when_it_can_be_told(bot):
    """Issue 25: "Miami: ..." listings had no place. Miami is Miami, FL; Springdale is a town of
    several states: left for the organizer to say."""
    miami = {
        **MODESTO,
        "text": "Miami: #WeAreAllAmerica: Legislative Visit with Rep. Ros Lehtinen\n• Date and Time: 12/5/26",
    }
    bot.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT, miami, user="U1")
    shown = fields(bot.opened_view())
    assert (shown["City"]["initial_value"], shown["State"]["initial_value"]) == ("Miami", "FL")
    springdale = {**MODESTO, "text": "Springdale: Rally before the Town Hall\n• Date and Time: 12/5/26 at 4:00pm"}
    bot.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT, springdale, user="U1")
    shown = fields(bot.opened_view())
    assert shown["City"]["initial_value"] == "Springdale" and "initial_value" not in shown["State"]
