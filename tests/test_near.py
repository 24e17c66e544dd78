"""Distance search on both databases: what it finds, in what order, page by page, for whom; the
coordinates every write gives an event; and `/event near` end to end, as a user sees it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import column, insert, select, table

from driver import find_element, visible_text
from eventseed import seed_events
from fakeslack import TEAM_ID
from services.places import resolve
from storage import Event, places
from storage import events as queries
from storage.types import UTCDateTime
from test_events_e2e import FUTURE, register
from timemath import UTC

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
MODESTO = resolve("95356")


def event(
    title: str,
    zip_code: str | None = None,
    *,
    starts_at: datetime = NOW + timedelta(days=1),
    team_id: str = "T1",
    **extra,
) -> Event:
    ends_at = extra.pop("ends_at", starts_at + timedelta(hours=2))
    fields = dict(
        team_id=team_id,
        title=title,
        event_type="rally",
        timezone="America/Los_Angeles",
        created_by="U1",
        created_at=NOW - timedelta(days=30),
        updated_at=NOW - timedelta(days=30),
        zip_code=zip_code,
    )
    return Event(**fields | extra, starts_at=starts_at, ends_at=ends_at)


def add(database, *events: Event) -> None:
    with database.session() as session:
        session.add_all(events)


def near(database, where: places.Place = MODESTO, miles: int = 50, *, audience=queries.EVERYONE, offset=0, size=20):
    with database.read() as session:
        return queries.upcoming_near(
            session, "T1", NOW, where.latitude, where.longitude, miles, audience=audience, offset=offset, size=size
        )


def titles(page: queries.NearbyPage) -> list[str]:
    return [e.title for e, _ in page.nearby]


def miles_from_modesto(zip_code: str) -> float:
    place = resolve(zip_code)
    return places.miles_between(MODESTO.latitude, MODESTO.longitude, place.latitude, place.longitude)


# --- what it finds, in what order --------------------------------------------------------------


def test_nearest_first_within_the_radius_each_with_its_distance(database):
    add(
        database,
        event("Fresno", "93721"),
        event("Denver", "80202"),
        event("San Francisco", "94102"),
        event("Stockton", "95202"),
        event("Modesto", "95356"),
    )
    within_50 = near(database)
    assert titles(within_50) == ["Modesto", "Stockton"] and not within_50.has_next
    assert [round(m, 1) for _, m in within_50.nearby] == [0.0, round(miles_from_modesto("95202"), 1)]
    assert titles(near(database, miles=100)) == ["Modesto", "Stockton", "San Francisco", "Fresno"]
    assert miles_from_modesto("94102") < miles_from_modesto("93721") < 100
    assert titles(near(database, miles=500)) == ["Modesto", "Stockton", "San Francisco", "Fresno"]  # Denver: 874 mi
    assert titles(near(database, resolve("Denver, CO"))) == ["Denver"]


def test_only_upcoming_events_of_the_team_that_are_somewhere_are_found(database):
    add(
        database,
        event("over", "95356", starts_at=NOW - timedelta(days=2)),
        event("on now", "95356", starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(hours=1)),
        event("cancelled", "95356", cancelled_at=NOW - timedelta(days=1), cancelled_by="U1"),
        event("another team's", "95356", team_id="T2"),
        event("nowhere known"),
        event("only online", online_url="https://meet.example.org/a"),
        event("by its city", city="Modesto", state="CA"),
        event("hybrid", "95356", online_url="https://meet.example.org/b"),
    )
    assert sorted(titles(near(database))) == ["by its city", "hybrid", "on now"]
    with database.read() as session:
        online = queries.upcoming_online(session, "T1", NOW, limit=5)
    assert [e.title for e in online.events] == ["only online"] and not online.has_next


def test_at_one_spot_the_soonest_over_comes_first(database):
    add(
        database,
        event("weeks long", "95356", starts_at=NOW - timedelta(days=3), ends_at=NOW + timedelta(days=20)),
        event("next week", "95356", starts_at=NOW + timedelta(days=7)),
        event("tomorrow", "95356"),
    )
    assert titles(near(database)) == ["tomorrow", "next week", "weeks long"]


def test_private_channels_events_are_found_only_by_that_channel_its_creator_and_admins(database):
    add(
        database,
        event("in #organizers", "95356", channel_id="C9", private_channel=True, is_public=False, created_by="U7"),
        event("by invitation", "95356", is_public=False),
        event("open", "95356"),
    )
    assert sorted(titles(near(database, audience=queries.Audience("C1", "U2")))) == ["by invitation", "open"]
    for allowed in (queries.Audience("C9", "U2"), queries.Audience("C1", "U7"), queries.EVERYONE):
        assert sorted(titles(near(database, audience=allowed))) == ["by invitation", "in #organizers", "open"]
    assert titles(near(database, audience=queries.PUBLIC)) == ["open"]  # the web: open to the public only


def test_pages_follow_each_other_as_one_ordered_list(database):
    """Pages of 7 over seeded history (many events per spot, spots across cells) against the
    definition, computed the slow way from every row."""
    seed_events(database, NOW, 3000, team_id="T1", other_teams=5)
    add(database, *(event(f"near {zip_code}", zip_code) for zip_code in ("95350", "95351", "95354", "95202", "95358")))
    stockton = resolve("Stockton, CA")
    for where, miles in ((MODESTO, 50), (MODESTO, 300), (stockton, 120)):
        expected = definition(database, where, miles)
        pages = [near(database, where, miles, offset=offset, size=7) for offset in range(0, len(expected) + 7, 7)]
        assert [e.id for page in pages for e, _ in page.nearby] == [event_id for event_id, _ in expected]
        assert [page.has_next for page in pages] == [7 * (n + 1) < len(expected) for n in range(len(pages))]
        assert [round(m, 6) for page in pages for _, m in page.nearby] == [round(m, 6) for _, m in expected]
    assert len(definition(database, MODESTO, 300)) > 100


def definition(database, where: places.Place, miles: float) -> list[tuple[int, float]]:
    with database.read() as session:
        rows = session.scalars(select(Event).where(Event.team_id == "T1")).all()
    found = [
        (places.miles_between(where.latitude, where.longitude, e.latitude, e.longitude), e.effective_end, e.id)
        for e in rows
        if e.latitude is not None and e.cancelled_at is None and e.effective_end >= NOW
    ]
    return [(event_id, away) for away, _, event_id in sorted(f for f in found if f[0] <= miles)]


# --- every write places the event ---------------------------------------------------------------


def test_coordinates_follow_the_zip_code_then_the_city(database):
    add(database, event("moving", "95356", city="Modesto", state="CA"))
    with database.session() as session:
        moving = session.scalar(select(Event))
        assert (moving.latitude, moving.longitude) == (37.7005, -121.0252)
        moving.zip_code = "80202"
        moving.city, moving.state = "Denver", "CO"
    assert titles(near(database)) == [] and titles(near(database, resolve("Denver, CO"))) == ["moving"]
    with database.session() as session:
        session.scalar(select(Event)).zip_code = None  # the city's middle, then
    with database.read() as session:
        moved = session.scalar(select(Event))
    denver = resolve("Denver, CO")
    assert (moved.latitude, moved.longitude, moved.geo_cell) == (
        denver.latitude,
        denver.longitude,
        places.cell_of(denver.latitude, denver.longitude),
    )


def test_the_migration_places_existing_events(database):
    from alembic import command

    command.downgrade(database.alembic_config(), "0006")
    try:
        columns = (
            "team_id",
            "title",
            "event_type",
            "all_day",
            "starts_at",
            "ends_at",
            "timezone",
            "zip_code",
            "city",
            "state",
            "online_url",
            "is_public",
            "private_channel",
            "created_by",
            "created_at",
            "updated_at",
            "effective_end",
            "duration_class",
        )
        before = table(
            "events", *(column(name, UTCDateTime() if name.endswith(("_at", "_end")) else None) for name in columns)
        )
        common = dict(
            team_id="T1",
            event_type="rally",
            all_day=False,
            ends_at=None,
            timezone="America/Chicago",
            is_public=True,
            private_channel=False,
            created_by="U1",
            created_at=NOW,
            updated_at=NOW,
            duration_class=0,
            starts_at=NOW + timedelta(days=1),
            effective_end=NOW + timedelta(days=1),
            zip_code=None,
            city=None,
            state=None,
            online_url=None,
        )
        with database.engine.begin() as connection:
            connection.execute(
                insert(before),
                [
                    common | dict(title="by ZIP code", zip_code="95202"),
                    common | dict(title="by city", city="modesto", state="California"),
                    common | dict(title="online", online_url="https://meet.example.org/c"),
                ],
            )
    finally:
        database.upgrade()
    assert titles(near(database)) == ["by city", "by ZIP code"]
    with database.read() as session:
        assert [e.title for e in queries.upcoming_online(session, "T1", NOW, limit=5).events] == ["online"]


# --- /event near, end to end --------------------------------------------------------------------


def test_event_near_lists_what_is_near_with_distances_and_follows_edits(bot):
    register(bot)  # Modesto, CA 95356
    bot.posted()
    here = bot.command("/event", "near 95356")
    assert "*Upcoming events within 50 miles of Modesto, CA 95356* 1–1" in here.text
    assert "#1 Modesto: #WeAreAllAmerica Canvass and Rally" in here.text and "0.0 mi" in here.text
    denver = bot.command("/event", "near Denver, CO")
    assert "No upcoming events within 50 miles of Denver, CO" in denver.text
    assert "`/event near Denver, CO 100 mi`" in denver.text

    bot.command("/event", "edit 1")
    bot.submit(bot.opened_view(), {"Address": "1437 Bannock St", "City": "Denver", "State": "CO", "ZIP code": "80202"})
    moved = bot.command("/event", "near denver colorado")
    assert (
        "#1 Modesto: #WeAreAllAmerica Canvass and Rally" in moved.text and "*1.1 mi*" in moved.text
    )  # 80202 is downtown
    assert "No upcoming events within 50 miles of Modesto, CA 95356" in bot.command("/event", "near 95356").text
    assert "#1" not in bot.command("/event", "near 95356 500 mi").text  # Modesto to Denver: 874 mi


def test_online_events_are_listed_apart(bot):
    register(bot)
    register(
        bot,
        {
            **FUTURE,
            "Title": "Call-in day",
            "Address": "",
            "City": "",
            "State": "",
            "ZIP code": "",
            "Online link": "https://meet.example.org/call-in",
        },
    )
    reply = bot.command("/event", "near Stockton, CA")
    blocks = [visible_text(block) for block in reply.json["blocks"]]
    online_at = blocks.index("*Online*, join from anywhere")
    assert any("#1 Modesto" in b and "mi*" in b for b in blocks[:online_at])
    assert any("#2 Call-in day" in b and "Online" in b for b in blocks[online_at:])
    assert not any("#2" in b for b in blocks[:online_at])


def test_pages_of_ten_with_next_and_previous(bot, database):
    add(
        database,
        *(event(f"Rally {n}", "95356", starts_at=NOW + timedelta(days=n), team_id=TEAM_ID) for n in range(1, 13)),
    )
    first = bot.command("/event", "near 95356 10 mi")
    assert "1–10" in first.text and "Rally 10" in first.text and "Rally 11" not in first.text
    bot.click({"blocks": first.json["blocks"]}, "event_near_page_next")
    [second] = bot.responded()
    assert second["replace_original"] and "11–12" in visible_text(second)
    assert find_element(second["blocks"], "event_near_page_previous") and "event_near_page_next" not in json.dumps(
        second
    )
    assert "Rally 11" in visible_text(second) and "Rally 12" in visible_text(second)
    bot.click(second, "event_near_page_previous")
    assert "1–10" in visible_text(bot.responded(2)[1])


def test_help_unknown_places_and_radius_limits(bot):
    assert "/event near 95356" in bot.command("/event", "help").text
    usage = bot.command("/event", "near").text
    assert "Which place?" in usage and "`/event near Denver, CO`" in usage
    assert bot.command("/event", "near help").text == usage
    unknown = bot.command("/event", "near <!channel> Springfield")
    assert (
        "I can't find “&lt;!channel&gt; Springfield” on the map" in unknown.text
        and "`/event near 95356`" in unknown.text
    )
    assert "<!channel>" not in unknown.text
    assert "I can't find “Denver”" in bot.command("/event", "near Denver").text  # which Denver?
    too_far = bot.command("/event", "near 95356 900 mi").text
    assert "I search from 1 to 500 miles" in too_far and "`/event near 95356 500 mi`" in too_far
    assert "I search from 1 to 500 miles" in bot.command("/event", "near 95356 0 mi").text
    assert "within 120 miles of Modesto, CA 95356" in bot.command("/event", "near 95356 120 miles").text
