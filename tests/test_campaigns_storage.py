"""Campaigns in storage, on both databases: the shipped ones per team, reloads that keep what a
team made or edited, the campaign running on a day, a campaign's events and totals; the
models agree with the migrations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bot.cli import main
from messages import content
from services import Services
from services.content import ensure_team_content
from storage import campaigns as queries
from storage import content as content_queries
from storage import events as event_queries
from storage.models import Campaign, Event, Rsvp
from timemath import UTC

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


def campaign(
    slug: str, starts_on: date | None = None, ends_on: date | None = None, *, team_id: str = "T1", **extra
) -> Campaign:
    fields = dict(
        team_id=team_id,
        slug=slug,
        name=slug.replace("-", " ").title(),
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        hashtags=[],
        origin="team",
        created_by="U1",
        created_at=NOW,
        updated_at=NOW,
    )
    return Campaign(**fields | extra)


def test_the_shipped_campaigns_load_per_team_with_their_days_and_call_to_action(database):
    with database.session() as session:
        assert queries.ensure_campaigns(session, "T1", content.shipped_campaigns(), NOW)
        assert not queries.ensure_campaigns(session, "T1", content.shipped_campaigns(), NOW)
    with database.read() as session:
        loaded = {c.slug: c for c in queries.campaigns(session, "T1")}
        assert queries.campaigns(session, "T2") == []  # no query crosses teams
    assert list(loaded) == [c["slug"] for c in content.shipped_campaigns()]
    week = loaded["where-r-the-refugees"]
    assert (week.starts_on, week.ends_on, week.dates_text) == (
        date(2018, 1, 27),
        date(2018, 2, 3),
        "Jan 27-Feb 3, 2018",
    )
    assert week.hashtags == ["#WhereRTheRefugees", "#LetThemIn"]
    assert week.call_to_action.startswith("Ask Congress and the Administration: #WhereRTheRefugees?")
    assert week.description.startswith("Join us in asking the President and Congress")
    assert (week.origin, week.created_by) == ("shipped", None)
    day = loaded["we-are-all-america"]
    assert (day.starts_on, day.ends_on, day.dates_text) == (
        date(2017, 2, 22),
        date(2017, 2, 22),
        "Wednesday, February 22nd, 2017",
    )
    assert loaded["we-rise-up"].starts_on is None and loaded["we-rise-up"].ends_on is None


def test_a_reload_updates_shipped_campaigns_and_keeps_the_teams(database):
    shipped = content.shipped_campaigns()
    with database.session() as session:
        queries.load_campaigns(session, "T1", shipped, NOW)
        queries.add_campaign(session, campaign("denver-day-of-action", date(2026, 12, 5)))
        edited = queries.get_campaign(session, "T1", "we-rise-up")
        edited.name, edited.origin = "Our own wording", "team"  # what /campaign edit does
        queries.get_campaign(session, "T1", "we-are-all-america").name = "stale"
    later = NOW + timedelta(days=1)
    dropped = [c for c in shipped if c["slug"] != "immigrants-welcome-here"]
    with database.session() as session:
        assert queries.load_campaigns(session, "T1", dropped, later) == len(dropped) - 1  # the edited one is left alone
    with database.read() as session:
        by_slug = {c.slug: c for c in queries.campaigns(session, "T1")}
    assert by_slug["we-are-all-america"].name == "We Are All America Day of Congressional Action"
    assert by_slug["we-are-all-america"].updated_at == later
    assert by_slug["where-r-the-refugees"].updated_at == NOW  # unchanged: not touched
    assert by_slug["we-rise-up"].name == "Our own wording"
    assert "denver-day-of-action" in by_slug
    assert "immigrants-welcome-here" not in by_slug  # gone from the files, gone from the team


def test_a_slug_is_unique_within_a_team_only(database):
    with database.session() as session:
        queries.add_campaign(session, campaign("day-of-action"))
        queries.add_campaign(session, campaign("day-of-action", team_id="T2"))
    with pytest.raises(IntegrityError), database.session() as session:
        queries.add_campaign(session, campaign("day-of-action"))


def test_the_campaign_running_on_a_day_is_the_shortest_that_includes_it(database):
    with database.session() as session:
        queries.add_campaign(session, campaign("week-of-action", date(2026, 12, 1), date(2026, 12, 7)))
        queries.add_campaign(session, campaign("vigil-day", date(2026, 12, 3)))
        queries.add_campaign(session, campaign("no-dates"))
        queries.add_campaign(session, campaign("other-team", date(2026, 11, 1), date(2026, 12, 31), team_id="T2"))
    with database.read() as session:

        def running(day: date) -> list[str]:
            return [c.slug for c in queries.running_on(session, "T1", day)]

        assert running(date(2026, 12, 3)) == ["vigil-day", "week-of-action"]
        assert running(date(2026, 12, 1)) == running(date(2026, 12, 7)) == ["week-of-action"]  # both ends included
        assert running(date(2026, 11, 30)) == running(date(2026, 12, 8)) == []


def _event(
    title: str, starts_at: datetime, *, campaign_slug: str | None = "week-of-action", team_id: str = "T1", **extra
) -> Event:
    fields = dict(
        team_id=team_id,
        title=title,
        event_type="rally",
        timezone="America/Chicago",
        created_by="U1",
        created_at=NOW,
        updated_at=NOW,
        campaign_slug=campaign_slug,
        channel_id="C1",
    )
    return Event(**fields | extra, starts_at=starts_at)


def test_a_campaigns_events_and_totals(database):
    soon, past = NOW + timedelta(days=2), NOW - timedelta(days=2)
    with database.session() as session:
        events = [
            _event("Modesto canvass", soon, state="CA"),
            _event("Denver vigil", soon + timedelta(hours=1), state="co"),
            _event("Fresno rally, over", past, state="CA"),
            _event("Cancelled", soon, state="TX", cancelled_at=NOW),
            _event("Another campaign", soon, campaign_slug="vigil-day", state="NY"),
            _event("No campaign", soon, campaign_slug=None),
            _event("Other team", soon, team_id="T2", state="WA"),
            _event("Private channel", soon, state="NM", private_channel=True, channel_id="G9", created_by="U9"),
        ]
        session.add_all(events)
        session.flush()
        session.add_all(
            [
                Rsvp(team_id=e.team_id, event_id=e.id, user_id=user, created_at=NOW)
                for e, users in zip(
                    events, (["U1", "U2"], ["U3"], ["U4"], ["U5"], ["U6"], ["U7"], ["U8"], ["U9"]), strict=True
                )
                for user in users
            ]
        )
    outsider = event_queries.Audience(channel_id="C1", user_id="U1")
    with database.read() as session:
        everything = event_queries.campaign_totals(session, "T1", "week-of-action", NOW)
        seen_from_c1 = event_queries.campaign_totals(session, "T1", "week-of-action", NOW, audience=outsider)
        listed = event_queries.upcoming_events(
            session, "T1", NOW, where=event_queries.EventFilter(campaign_slug="week-of-action"), limit=10
        )
        nothing = event_queries.campaign_totals(session, "T1", "no-such-campaign", NOW)
    assert everything == event_queries.CampaignTotals(events=4, upcoming=3, rsvps=5, states=3)
    assert seen_from_c1 == event_queries.CampaignTotals(
        events=3, upcoming=2, rsvps=4, states=2
    )  # not the private channel's
    assert [e.title for e in listed] == ["Modesto canvass", "Private channel", "Denver vigil"]
    assert nothing == event_queries.CampaignTotals(events=0, upcoming=0, rsvps=0, states=0)


def test_a_team_with_content_from_before_campaigns_gets_them_on_first_use(database):
    with database.session() as session:
        content_queries.ensure_content(session, "T1", content.shipped_topics())  # loaded by an older version
    ensure_team_content(Services(db=database, now=lambda: NOW), "T1")
    with database.read() as session:
        assert len(queries.campaigns(session, "T1")) == len(content.shipped_campaigns())
        assert len(content_queries.topics(session, "T1")) == len(content.topic_files())  # loaded once, not twice


def test_cli_content_load_reloads_campaigns_too(database, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("DATABASE_URL", database.url)
    assert main(["content", "load", "--team", "T9"]) == 0
    with database.read() as session:
        assert [c.slug for c in queries.campaigns(session, "T9")] == [c["slug"] for c in content.shipped_campaigns()]
