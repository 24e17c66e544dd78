"""The words of `/event`'s form, card and lists in every language the bot speaks: within Block Kit's
limits without being cut, types understood as typed in either language, numbers as each writes them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from driver import assert_valid_blocks, assert_valid_view
from messages import event_form as form
from messages import events as render
from messages.content import toolkit_for_event_type
from messages.i18n import LANGUAGES, speaking
from messages.limits import BUTTON_TEXT, ELLIPSIS, MODAL_TITLE, OPTION_TEXT
from storage import Event
from storage.models import Campaign, EventType
from storage.reminders import LEAD_TIMES
from timemath import UTC

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


def event(kind: EventType, **changes) -> Event:
    values = dict(
        id=7,
        team_id="T",
        title="Vigil",
        event_type=kind.value,
        all_day=False,
        starts_at=NOW,
        ends_at=None,
        timezone="America/Denver",
        is_public=True,
        created_by="U1",
        city="Denver",
        state="CO",
    )
    return Event(**(values | changes))


def options(view: dict) -> list[str]:
    return [
        option["text"]["text"]
        for block in view["blocks"]
        if block["type"] == "input"
        for option in block["element"].get("options", [])
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("editing", [False, True], ids=["new", "edit"])
def test_the_event_form_fits_block_kit_whole_in_each_language(language, editing):
    campaigns = [Campaign(slug="refugees", name="Where R the Refugees", hashtags=["#WhereRTheRefugees"])]
    values = form.EventFormValues(
        timezone="America/Chicago",
        extra_timezones=["America/Argentina/Buenos_Aires"],
        event_id=7 if editing else None,
        campaigns=campaigns,
    )
    with speaking(language):
        view = form.event_form(values)
    assert_valid_view(view)  # every label, hint, placeholder and option within its limit
    for part in ("title", "submit", "close"):
        assert len(view[part]["text"]) <= MODAL_TITLE and not view[part]["text"].endswith(ELLIPSIS), view[part]
    texts = options(view)
    assert len(texts) == 30  # 10 types, 9 time zones, all day, public or not, 2 campaign choices, 6 reminders
    assert all(len(text) <= OPTION_TEXT and not text.endswith(ELLIPSIS) for text in texts), texts  # none had to be cut


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_type_label_fits_an_option_and_a_toolkit_button_in_each_language(language):
    with speaking(language):
        labels = render.type_labels()
        assert len(labels) == len(EventType) and len(set(labels.values())) == len(EventType)
        for kind, label in labels.items():
            assert len(label) <= OPTION_TEXT
            blocks = render.card(event(kind))
            assert_valid_blocks(blocks)
            buttons = [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
            assert all(len(text) <= BUTTON_TEXT and not text.endswith(ELLIPSIS) for text in buttons), buttons
            if toolkit_for_event_type(kind.value):
                assert any(text.endswith(label) for text in buttons), buttons


def test_the_cards_words_are_spanish_in_spanish():
    cancelled = event(EventType.PRAYER_VIGIL, cancelled_at=NOW, cancelled_by="U2")
    with speaking("es"):
        card = str(render.card(event(EventType.PRAYER_VIGIL), going=1350))
        assert "*Vigilia de oración* · evento #7" in card and ":raised_hands: *1.350* van" in card
        assert "~CANCELADO~ *Vigil*" in str(render.card(cancelled)) and ":no_entry: Lo canceló <@U2>." in str(
            render.card(cancelled)
        )
        assert (
            render.fallback_text(event(EventType.PRAYER_VIGIL, all_day=True))
            == "Vigilia de oración: Vigil (todo el día)"
        )
        assert render.fallback_text(cancelled).startswith(
            "Cancelado: Vigilia de oración: Vigil (sáb, 21 nov 2026, 8:00 MST)"
        )
        assert render.where_text(event(EventType.OTHER, city=None, state=None)) == "Por anunciar"
    assert ":raised_hands: *1,350* going" in str(render.card(event(EventType.PRAYER_VIGIL), going=1350))
    assert "~CANCELLED~ *Vigil*" in str(render.card(cancelled))
    assert render.fallback_text(cancelled) == "Cancelled: Prayer vigil: Vigil (Sat, Nov 21, 2026 at 8:00 AM MST)"


def test_list_pages_keep_their_action_ids_and_translate_their_buttons():
    page = render.ListPage(events=[event(EventType.RALLY, id=n) for n in range(11, 21)], offset=10, has_next=True)
    with speaking("es"):
        blocks = render.event_list(page)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert [(e["action_id"], e["text"]["text"]) for e in actions["elements"]] == [
        ("event_list_page_previous", "Anterior"),
        ("event_list_page_next", "Siguiente"),
    ]
    assert blocks[0]["text"]["text"] == "*Próximos eventos* 11–20"


@pytest.mark.parametrize(
    "typed, kind",
    [
        ("prayer vigil", EventType.PRAYER_VIGIL),
        ("prayer_vigil", EventType.PRAYER_VIGIL),
        ("Rally or action", EventType.RALLY),
        ("vigilia de oración", EventType.PRAYER_VIGIL),
        ("VIGILIA  de oracion", EventType.PRAYER_VIGIL),
        ("vigilia", EventType.PRAYER_VIGIL),
        ("manifestación", EventType.RALLY),
        ("asamblea pública", EventType.TOWN_HALL),
        ("puerta a puerta", EventType.CANVASS),
        ("Visitas puerta a puerta", EventType.CANVASS),
        ("conferencia de prensa", EventType.PRESS_CONFERENCE),
        ("Denver", None),
        ("CA", None),
    ],
)
def test_a_type_is_understood_in_either_language_whatever_the_readers(typed, kind):
    for language in LANGUAGES:
        with speaking(language):
            assert render.type_named(typed) is kind


def test_every_reminder_choice_is_named_in_each_language():
    with speaking("en"):
        assert [form.reminder_option(lead) for lead in LEAD_TIMES.values()] == [
            "1 week before",
            "3 days before",
            "1 day before",
            "3 hours before",
            "1 hour before",
            "15 minutes before",
        ]
    with speaking("es"):
        assert [form.reminder_option(lead) for lead in LEAD_TIMES.values()] == [
            "1 semana antes",
            "3 días antes",
            "1 día antes",
            "3 horas antes",
            "1 hora antes",
            "15 minutos antes",
        ]
        assert form.reminder_option(timedelta(weeks=2)) == "2 semanas antes"


def test_field_labels_follow_the_language_of_the_moment():
    assert form.field_labels()[form.ZIP] == "ZIP code"
    with speaking("es"):
        assert form.field_labels()[form.ZIP] == "Código postal"
    assert form.field_labels()[form.TITLE] == "Title"


def test_distances_are_written_as_each_language_writes_numbers():
    assert [render.miles_text(m) for m in (0.44, 3.66, 12.4, 1204.2)] == ["0.4 mi", "3.7 mi", "12 mi", "1,204 mi"]
    with speaking("es"):
        assert [render.miles_text(m) for m in (0.44, 3.66, 12.4, 1204.2)] == ["0,4 mi", "3,7 mi", "12 mi", "1.204 mi"]
