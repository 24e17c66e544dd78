"""Told, not lost: reminders that can never be posted in their channel tell the event's organizer
by DM what to do, once per channel and cause, however many reminders fail so."""

from __future__ import annotations

from datetime import timedelta

from driver import visible_text
from schedhelp import add_event, by_kind, dispatcher, reminders


def _told(slack, user="U1") -> list[str]:
    return [text for text in (visible_text(m) for m in slack.dm(user)) if "couldn't post" in text]


def test_reminders_to_an_archived_channel_tell_the_organizer_once(database, clock, slack):
    events = [
        add_event(database, clock(), clock() + timedelta(hours=2, minutes=n), kinds=("1h",), channel="C_ARCHIVED")
        for n in range(3)
    ]
    later = add_event(database, clock(), clock() + timedelta(hours=5), kinds=("1h",), channel="C_ARCHIVED")
    run = dispatcher(slack, database, clock)
    clock.advance(hours=1, minutes=5)
    run.run_once()
    [told] = _told(slack)
    assert "I couldn't post in <#C_ARCHIVED>: it is archived." in told
    clock.advance(hours=3)  # another reminder fails the same way: nothing more is said
    run.run_once()
    assert len(_told(slack)) == 1
    for event_id in [*events, later]:
        assert by_kind(reminders(database, event_id))["1h"].status == "failed"


def test_each_channel_and_cause_is_told_once(database, clock, slack):
    add_event(database, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel="C_ARCHIVED")
    add_event(database, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel="C_GONE")
    add_event(database, clock(), clock() + timedelta(hours=2), kinds=("1h",), channel="C_GONE")
    clock.advance(hours=1)
    dispatcher(slack, database, clock).run_once()
    told = _told(slack)
    assert len(told) == 2
    assert any("<#C_ARCHIVED>: it is archived" in text for text in told)
    assert any("<#C_GONE>" in text for text in told)
