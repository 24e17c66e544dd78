"""Pure renderers: escaping and Block Kit limits."""

from __future__ import annotations

from datetime import datetime

from driver import assert_valid_blocks
from messages import events as render
from messages.dates import moment as local_time_fallback
from messages.event_form import EventFormValues, event_form
from messages.limits import shorten, split_text
from messages.mrkdwn import escape, link
from storage import Event
from storage.models import Campaign
from timemath import UTC


def test_escape_makes_broadcasts_and_links_literal():
    assert (
        escape("<!channel> & <https://evil.example|vote>") == "&lt;!channel&gt; &amp; &lt;https://evil.example|vote&gt;"
    )
    assert escape(None) == ""
    assert link("https://x.example/a|b>c", "<!here>") == "<https://x.example/a%7Cb%3Ec|&lt;!here&gt;>"


def test_the_plain_text_time_is_the_events_own_wall_clock_with_its_zone():
    assert (
        local_time_fallback(datetime(2026, 11, 21, 15, 0, tzinfo=UTC), "America/Chicago")
        == "Sat, Nov 21, 2026 at 9:00 AM CST"
    )
    assert (
        local_time_fallback(datetime(2026, 7, 4, 4, 5, tzinfo=UTC), "America/New_York")
        == "Sat, Jul 4, 2026 at 12:05 AM EDT"
    )
    assert (
        local_time_fallback(datetime(2026, 3, 2, 23, 59, tzinfo=UTC), "America/Phoenix")
        == "Mon, Mar 2, 2026 at 4:59 PM MST"
    )
    assert local_time_fallback(datetime(2026, 12, 31, 12, 0, tzinfo=UTC), "UTC") == "Thu, Dec 31, 2026 at 12:00 PM UTC"


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    assert shorten("short", 10) == "short"
    cut = shorten("Prayer vigil at the state capitol steps", 20)
    assert len(cut) <= 20 and cut.endswith("…") and cut == "Prayer vigil at the…"


def test_split_text_keeps_every_word_within_the_limit():
    text = "\n".join(f"Step {n}: " + "word " * 120 for n in range(12))
    pieces = split_text(text, 3000)
    assert all(0 < len(p) <= 3000 for p in pieces) and len(pieces) > 1
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())


def test_card_of_a_long_event_stays_within_limits():
    now = datetime(2026, 11, 21, tzinfo=UTC)
    event = Event(
        id=7,
        team_id="T",
        title="T" * 150,
        event_type="town_hall",
        all_day=False,
        starts_at=now,
        ends_at=None,
        timezone="America/Denver",
        details="d " * 1000,
        lead_organizations="Org " * 100,
        contact_name="N",
        contact_email="n@example.org",
        is_public=True,
        created_by="U1",
        address="A" * 200,
        city="Denver",
        state="CO",
    )
    blocks = render.card(event)
    assert_valid_blocks(blocks)
    assert all(len(f["text"]) <= 2000 for b in blocks for f in b.get("fields", []))


def test_the_event_forms_campaign_field_holds_100_options_and_the_events_own():
    campaigns = [Campaign(slug=f"c{n}", name=f"Campaign {n}", hashtags=[]) for n in range(150)]
    form = event_form(EventFormValues(timezone="America/Chicago", campaigns=campaigns, campaign_slug="c120"))
    [field] = [b for b in form["blocks"] if b.get("block_id") == "campaign"]
    values = [o["value"] for o in field["element"]["options"]]
    assert len(values) == 100 and values[-1] == "_none" and values[:98] == [f"c{n}" for n in range(98)]
    assert values[98] == "c120" and field["element"]["initial_option"]["value"] == "c120"
