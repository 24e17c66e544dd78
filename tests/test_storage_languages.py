"""Languages in storage, on both databases: a person's choice, a channel's setting, each team its own."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage import languages
from timemath import UTC

NOW = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def test_a_person_chooses_a_language_and_can_follow_slack_again(database):
    with database.session() as session:
        assert languages.person_language(session, "T1", "U1") is None
        languages.choose_person_language(session, "T1", "U1", "es", NOW)
        languages.choose_person_language(session, "T1", "U2", "en", NOW)
    with database.read() as session:
        assert languages.person_language(session, "T1", "U1") == "es"
        assert languages.person_language(session, "T2", "U1") is None  # the same id in another workspace
        assert languages.person_languages(session, "T1", ["U1", "U2", "U3"]) == {"U1": "es", "U2": "en"}
    with database.session() as session:
        languages.choose_person_language(session, "T1", "U1", None, NOW + timedelta(minutes=1))
    with database.read() as session:
        assert languages.person_language(session, "T1", "U1") is None
        assert languages.person_languages(session, "T1", ["U1"]) == {}


def test_a_channel_has_one_language_at_a_time(database):
    with database.session() as session:
        languages.set_channel_language(session, "T1", "C1", "es", "U1", NOW)
        languages.set_channel_language(session, "T1", "C1", "en", "U2", NOW + timedelta(minutes=1))
        languages.set_channel_language(session, "T1", "C2", "es", "U2", NOW)
    with database.read() as session:
        assert languages.channel_languages(session, "T1", ["C1", "C2", "C3"]) == {"C1": "en", "C2": "es"}
        assert languages.channel_languages(session, "T2", ["C1"]) == {}
        assert languages.channel_languages(session, "T1", []) == {}
        assert languages.channel_setting(session, "T1", "C1").changed_by == "U2"
