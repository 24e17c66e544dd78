"""The one Block Kit builder (messages.blockkit) keeps every text within Slack's limits, and so
does every renderer drawn through it, whatever people type (hypothesis)."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from driver import assert_valid_blocks, assert_valid_view
from environment import ROOT
from messages import blockkit, digest, events, reminders
from messages.event_form import EventFormValues, event_form
from messages.limits import BUTTON_TEXT, CONTEXT_TEXT, HEADER_TEXT, PLACEHOLDER_TEXT, SECTION_TEXT
from storage.models import Campaign, Event
from timemath import UTC

LONG = "word <!channel> & " * 800  # 14,400 characters of what mrkdwn must escape


def test_each_block_is_cut_to_slacks_limit():
    def cut_to(text: str, limit: int) -> bool:  # at a word, marked
        return limit - 20 < len(text) <= limit and text.endswith("…")

    assert cut_to(blockkit.section(LONG)["text"]["text"], SECTION_TEXT)
    assert cut_to(blockkit.context(LONG)["elements"][0]["text"], CONTEXT_TEXT)
    assert cut_to(blockkit.header(LONG)["text"]["text"], HEADER_TEXT)
    button = blockkit.button("go", LONG, LONG)
    assert cut_to(button["text"]["text"], BUTTON_TEXT) and len(button["value"]) == 2000
    field = blockkit.input_block("b", LONG, blockkit.text_input("b", LONG, 150, placeholder=LONG), hint=LONG)
    assert cut_to(field["element"]["initial_value"], 150) and cut_to(
        field["element"]["placeholder"]["text"], PLACEHOLDER_TEXT
    )
    assert_valid_view({"type": "modal", "title": blockkit.plain("Form", 24), "blocks": [field]})


def test_no_block_kit_helper_is_defined_twice():
    """Renderers draw through messages.blockkit: none defines its own section, context, input..."""
    helpers = {"_section", "_context", "_input", "_plain", "_text", "_header", "_button"}
    defined = {
        (path.name, node.name)
        for path in (ROOT / "messages").glob("*.py")
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name in helpers
    }
    assert defined == set()


def _event(title: str, details: str, place: str, number: int = 1) -> Event:
    starts = datetime(2026, 12, 10, 18, 0, tzinfo=UTC) + timedelta(hours=number)
    return Event(
        id=number,
        team_id="T1",
        title=title[:200] or "x",
        event_type="rally",
        all_day=False,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        timezone="America/Denver",
        details=details,
        lead_organizations=place,
        contact_name=place[:120],
        contact_email="host@example.org",
        is_public=True,
        created_by="U1",
        address=place[:300],
        city=place[:100] or None,
        state="CO",
        campaign_slug="week",
        channel_id="C1",
        message_ts="1.2",
    )


texts = st.text(min_size=0, max_size=5000)


@settings(max_examples=25, deadline=None)
@given(title=texts, details=texts, place=texts)
def test_long_texts_through_every_renderer_stay_valid(title, details, place):
    campaign = Campaign(
        slug="week", name=(title or "Week")[:120], hashtags=["#WeAreAllAmerica"], call_to_action=details
    )
    many = [_event(title, details, place, n) for n in range(1, 26)]
    event = many[0]
    assert_valid_blocks(events.card(event, going=3, campaign=campaign))
    assert_valid_blocks(events.event_list(events.ListPage(events=many, offset=0, has_next=True, query=title[:100])))
    assert_valid_blocks(reminders.reminder_blocks(event, "1h", direct=True, left=timedelta(hours=17, minutes=30)))
    for _fallback, blocks in digest.digest_messages(
        many, today=date(2026, 12, 10), quiet=False, campaigns={"week": campaign}
    ):
        assert_valid_blocks(blocks)
    form = event_form(
        EventFormValues(timezone="America/Denver", title=title, details=details, city=place[:100], campaigns=[campaign])
    )
    assert_valid_view(form)
